# The tune-ratio sweep on the embedded demo data set, sized so that the
# whole demo ablation plan (this sweep, the tune-epochs sweep and the shared
# stage-1 baseline, with all three metrics) runs on 2 CPU cores in under 30
# minutes. Scaling against NTU-60: tuning 5 epochs instead of 10; linear
# evaluation 4 epochs instead of 10 (demo) / 100 (NTU-60); KNN k=10 on the
# demo xsub split; few-shot on the demo's novel classes 6..11 instead of
# NTU-120's 60 new classes. The demo encoder has 4 blocks, so the ratios
# tune 0, 1, 2, 3 and 4 blocks.
# python tools/ablate.py configs/stars/sweeps/stars_tune-ratio_demo-xsub-keypoint-3d.py
_base_ = ['../stars_1xb32-10e_demo-xsub-keypoint-3d.py']

stage1_checkpoint = 'work_dirs/demo/seed0/mamp/epoch_14.pth'
# The reference recipe, which the ablation plan ablates (the demo's stage 2
# tunes the whole encoder on two augmented views, 3 epochs decaying from lr
# 2e-3): half the encoder tuned (this sweep sets each ratio itself; the
# tune-epochs sweep inherits 0.5), a constant lr 1e-3 and identical views,
# with which this sweep's timing was measured.
model = dict(
    backbone=dict(
        tune_ratio=0.5, init_cfg=dict(checkpoint=stage1_checkpoint)))
max_epochs = 5
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = []  # constant lr
optim_wrapper = dict(optimizer=dict(lr=1e-3))
train_dataloader = dict(
    dataset=dict(pipeline=_base_.reference_tune_pipeline))
linear_epochs = 4
evaluations = [
    dict(
        name='knn_k10',
        label='KNN k=10 demo xsub',
        tool='test',
        config='configs/stars/eval/knn_demo-xsub-keypoint-3d.py',
        metric='knn/top1_k10'),
    dict(
        name='linear',
        label='Linear demo xsub',
        tool='train',
        config='configs/stars/eval/linear_1xb32-10e_demo-xsub-keypoint-3d.py',
        metric='acc/top1',
        checkpoint_key='model.backbone.init_cfg.checkpoint',
        cfg_options={
            'train_cfg.max_epochs': linear_epochs,
            'train_cfg.val_interval': linear_epochs,
            'param_scheduler.0.T_max': linear_epochs,
            'param_scheduler.0.end': linear_epochs,
        }),
    dict(
        name='fewshot_avg',
        label='Few-shot avg demo',
        tool='test',
        config='configs/stars/eval/fewshot_demo-xsub-keypoint-3d.py',
        metric='fewshot/avg'),
]
sweep = dict(
    name='tune-ratio',
    key='model.backbone.tune_ratio',
    values=[0.0, 0.25, 0.5, 0.75, 1.0],
    mode='separate',
    stage1_checkpoint=stage1_checkpoint,
    evaluations=evaluations,
    work_dir='work_dirs/sweeps/demo-xsub_tune-ratio',
    baseline_work_dir='work_dirs/sweeps/demo-xsub_stage1',
    note='Demo scaling: tuning 5 epochs (NTU-60: 10); linear evaluation 4 '
    'epochs (NTU-60: 100); few-shot on demo classes 6..11 (NTU-60 sweep: '
    'NTU-120 xsub new classes); 4-block encoder (ratios tune 0-4 blocks).')
