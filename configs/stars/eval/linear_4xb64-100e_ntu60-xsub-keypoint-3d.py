# Linear evaluation (design notes section 5) on NTU RGB+D 60, cross-subject:
# mmaction2's RecognizerGCN with the frozen encoder and a BatchNorm + linear
# head on the mean-pooled feature; SGD 0.9, lr 0.1, wd 0, 100 epochs cosine,
# batch 4 x 64, training crop [0.5, 1] + rotation, test centre crop 0.95.
# The evaluated encoder is `encoder_checkpoint` (stage 1 or stage 2); set it
# below or on the command line:
# bash tools/dist_train.sh configs/stars/eval/linear_4xb64-100e_ntu60-xsub-keypoint-3d.py 4 \
#     --cfg-options model.backbone.init_cfg.checkpoint=CHECKPOINT
# python tools/test.py configs/stars/eval/linear_4xb64-100e_ntu60-xsub-keypoint-3d.py \
#     work_dirs/linear_4xb64-100e_ntu60-xsub-keypoint-3d/best_acc_top1_epoch_*.pth
_base_ = [
    '../../_base_/default_runtime.py',
    '../../_base_/pipelines/skeleton_3d.py', '../../_base_/datasets/ntu60.py'
]
custom_imports = dict(imports=['stars_mmaction'], allow_failed_imports=False)

encoder_checkpoint = 'work_dirs/stars_4xb32-10e_ntu60-xsub-keypoint-3d/epoch_10.pth'
max_epochs = 100
model = dict(
    type='RecognizerGCN',
    backbone=dict(
        type='MAMPEncoder',
        in_channels=3,
        embed_dims=256,
        depth=8,
        num_heads=8,
        mlp_ratio=4,
        num_frames=_base_.clip_len,
        num_joints=25,
        t_patch_size=4,
        tune_ratio=0.,  # the whole encoder frozen, in eval mode
        # Fails on any missing, unexpected or mis-shaped encoder key.
        init_cfg=dict(
            type='StrictPretrained',
            checkpoint=encoder_checkpoint,
            prefix='backbone.')),
    cls_head=dict(
        type='BNLinearHead',
        num_classes=_base_.ntu60.num_classes,
        in_channels=256,
        average_clips='prob'))

dataset = dict(
    type='SkeletonPoseDataset',
    ann_file=_base_.ntu60.ann_file,
    num_classes=_base_.ntu60.num_classes)
train_dataloader = dict(
    batch_size=64,
    num_workers=8,
    persistent_workers=True,
    # augmentations seeded by (seed, epoch, index): exact resume with
    # persistent workers
    sampler=dict(type='EpochIndexSampler', shuffle=True),
    dataset=dict(
        **dataset, split='xsub_train', pipeline=_base_.train_pipeline))
val_dataloader = dict(
    batch_size=64,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        **dataset,
        split='xsub_val',
        pipeline=_base_.test_pipeline,
        test_mode=True))
test_dataloader = val_dataloader
val_evaluator = dict(type='AccMetric')
test_evaluator = val_evaluator

train_cfg = dict(
    type='EpochBasedTrainLoop',
    max_epochs=max_epochs,
    val_begin=1,
    val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=0.))
param_scheduler = [
    dict(
        type='CosineAnnealingLR',
        T_max=max_epochs,
        eta_min=0,
        by_epoch=True,
        begin=0,
        end=max_epochs,
        convert_to_iter_based=True)
]
default_hooks = dict(
    checkpoint=dict(interval=10, max_keep_ckpts=2, save_best='acc/top1'),
    logger=dict(interval=50))
# 4 GPUs x 64: `--auto-scale-lr` rescales lr for another total batch.
auto_scale_lr = dict(enable=False, base_batch_size=256)
# Stop before the run when a config variable (encoder_checkpoint, max_epochs)
# no longer matches a key it feeds (README, "Retargeting a config to your
# data").
custom_hooks = [dict(type='ConfigVariablesCheckHook')]
