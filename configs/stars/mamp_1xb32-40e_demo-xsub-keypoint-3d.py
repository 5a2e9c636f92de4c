# MAMP pre-training on the embedded synthetic demo data set, sized for a
# 2-core CPU: a 4-block x 64 encoder on 32-frame clips (8 x 25 tokens).
# python tools/train.py configs/stars/mamp_1xb32-40e_demo-xsub-keypoint-3d.py
_base_ = [
    './mamp_4xb32-400e_ntu60-xsub-keypoint-3d.py',
    '../_base_/datasets/demo.py'
]
clip_len = 32
max_epochs = 40
warmup_epochs = 4
embed_dims = 64
model = dict(
    backbone=dict(
        embed_dims=embed_dims, depth=4, num_heads=4, num_frames=clip_len),
    mamp_head=dict(
        decoder=dict(
            embed_dims=embed_dims,
            decoder_embed_dims=embed_dims,
            depth=1,
            num_heads=4,
            num_frames=clip_len)))

train_pipeline = [
    dict(type='PreNormalize3D', align_spine=False, align_shoulder=False),
    dict(
        type='ValidFrameCropResize',
        clip_len=clip_len,
        p_interval=(0.5, 1),
        min_crop=24),
    dict(type='RandomSkeletonRotation', max_angle=0.3),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs', meta_keys=('frame_dir', 'sample_idx'))
]
train_dataloader = dict(
    batch_size=32,
    num_workers=2,
    dataset=dict(
        ann_file=_base_.demo.ann_file,
        num_classes=_base_.demo.num_classes,
        pipeline=train_pipeline))
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
        eta_min=5e-4,
        by_epoch=True,
        begin=warmup_epochs,
        end=max_epochs,
        convert_to_iter_based=True)
]
train_cfg = dict(max_epochs=max_epochs)
default_hooks = dict(
    checkpoint=dict(interval=10, max_keep_ckpts=2), logger=dict(interval=10))
