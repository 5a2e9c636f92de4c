# Ablation sweep (ablation plan): proportion of encoder blocks tuned in STARS
# tuning, through the encoder's `tune_ratio` (0 = only the
# heads train, 0.5 = the reference "second half", 1 = every block and the
# embeddings). Each value is its own 10-epoch tuning run of the NTU-60 xsub
# STARS config, evaluated by KNN (k=10) and linear evaluation on NTU-60 xsub
# and the few-shot average on NTU-120 xsub; the stage-1 checkpoint is the
# baseline.
# python tools/ablate.py configs/stars/sweeps/stars_tune-ratio_ntu60-xsub-keypoint-3d.py --launcher pytorch --gpus 4
_base_ = ['../stars_4xb32-10e_ntu60-xsub-keypoint-3d.py']

stage1_checkpoint = 'work_dirs/mamp_4xb32-400e_ntu60-xsub-keypoint-3d/epoch_400.pth'
evaluations = [
    dict(
        name='knn_k10',
        label='KNN k=10 NTU-60 xsub',
        tool='test',
        config='configs/stars/eval/knn_ntu60-xsub-keypoint-3d.py',
        metric='knn/top1_k10'),
    dict(
        name='linear',
        label='Linear NTU-60 xsub',
        tool='train',
        config='configs/stars/eval/linear_4xb64-100e_ntu60-xsub-keypoint-3d.py',
        metric='acc/top1',
        checkpoint_key='model.backbone.init_cfg.checkpoint'),
    dict(
        name='fewshot_avg',
        label='Few-shot avg NTU-120 xsub',
        tool='test',
        config='configs/stars/eval/fewshot_ntu120-xsub-keypoint-3d.py',
        metric='fewshot/avg'),
]
sweep = dict(
    name='tune-ratio',
    key='model.backbone.tune_ratio',
    values=[0.0, 0.25, 0.5, 0.75, 1.0],
    mode='separate',
    stage1_checkpoint=stage1_checkpoint,
    evaluations=evaluations,
    work_dir='work_dirs/sweeps/ntu60-xsub_tune-ratio',
    baseline_work_dir='work_dirs/sweeps/ntu60-xsub_stage1')
