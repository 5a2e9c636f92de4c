# Fine-tune our encoder in stock mmaction2: its own RecognizerGCN and GCNHead
# with the MAMPEncoder backbone of stars_mmaction (and its layer-decay optim
# wrapper constructor, which works on any model). The encoder weights
# come from any checkpoint of ours (stage 1, stage 2, or a published MAMP /
# STARS checkpoint converted with tools/convert_checkpoint.py) through the
# backbone's init_cfg with prefix 'backbone.'; swap GCNHead for any
# mmaction2 head that takes (N, M, C, T, V) features.
# Schedule of the MAMP reference fine-tuning: 100 epochs (5 warm-up), AdamW
# lr 3e-4 for a batch of 48, layer-wise lr decay 0.8, drop path 0.3, dropout
# 0.3, label smoothing 0.1. The reference's fine-tuning head (per-joint
# features -> MLP) differs from GCNHead's pooling + linear layer.
# bash tools/dist_train.sh \
#     configs/stars/export/recognizergcn_mamp-encoder_gcnhead_ntu60-xsub-keypoint-3d.py 2 \
#     --cfg-options model.backbone.init_cfg.checkpoint=CHECKPOINT
_base_ = [
    '../../_base_/default_runtime.py',
    '../../_base_/pipelines/skeleton_3d.py', '../../_base_/datasets/ntu60.py'
]
custom_imports = dict(imports=['stars_mmaction'], allow_failed_imports=False)

# The checkpoint whose 'backbone.*' weights initialise the encoder.
encoder_checkpoint = 'work_dirs/stars_4xb32-10e_ntu60-xsub-keypoint-3d/epoch_10.pth'
embed_dims = 256
max_epochs = 100
warmup_epochs = 5

model = dict(
    type='RecognizerGCN',
    backbone=dict(
        type='MAMPEncoder',
        in_channels=3,
        embed_dims=embed_dims,
        depth=8,
        num_heads=8,
        mlp_ratio=4,
        num_frames=_base_.clip_len,
        num_joints=25,
        t_patch_size=4,
        drop_path_rate=0.3,
        # 'StrictPretrained' (stars_mmaction) fails on any key or shape
        # mismatch instead of logging it.
        init_cfg=dict(
            type='Pretrained',
            checkpoint=encoder_checkpoint,
            prefix='backbone.')),
    cls_head=dict(
        type='GCNHead',
        num_classes=_base_.ntu60.num_classes,
        in_channels=embed_dims,
        dropout=0.3,
        label_smooth_eps=0.1))

dataset_type = 'SkeletonPoseDataset'
train_dataloader = dict(
    batch_size=24,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        ann_file=_base_.ntu60.ann_file,
        split='xsub_train',
        num_classes=_base_.ntu60.num_classes,
        pipeline=_base_.train_pipeline))
val_dataloader = dict(
    batch_size=24,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        ann_file=_base_.ntu60.ann_file,
        split='xsub_val',
        num_classes=_base_.ntu60.num_classes,
        pipeline=_base_.test_pipeline,
        test_mode=True))
test_dataloader = val_dataloader
val_evaluator = [dict(type='AccMetric')]
test_evaluator = val_evaluator

train_cfg = dict(
    type='EpochBasedTrainLoop', max_epochs=max_epochs, val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(
    optimizer=dict(
        type='AdamW', lr=3e-4, betas=(0.9, 0.999), weight_decay=0.05),
    constructor='LayerDecayOptimWrapperConstructor',
    paramwise_cfg=dict(
        layer_decay_rate=0.8,
        norm_decay_mult=0.,
        bias_decay_mult=0.,
        flat_decay_mult=0.))
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1e-3,
        by_epoch=True,
        begin=0,
        end=warmup_epochs,
        convert_to_iter_based=True),
    dict(
        type='CosineAnnealingLR',
        T_max=max_epochs - warmup_epochs,
        eta_min=1e-5,
        by_epoch=True,
        begin=warmup_epochs,
        end=max_epochs,
        convert_to_iter_based=True)
]
default_hooks = dict(
    checkpoint=dict(interval=5, max_keep_ckpts=3, save_best='auto'),
    logger=dict(interval=50))
# 2 GPUs x 24: `--auto-scale-lr` rescales lr for another total batch.
auto_scale_lr = dict(enable=False, base_batch_size=48)
