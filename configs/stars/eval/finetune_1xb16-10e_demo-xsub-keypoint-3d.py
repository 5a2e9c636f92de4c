# Fine-tuning on the embedded demo data set (demo encoder, 24-frame clips,
# 10 epochs, 1 warm-up), from the demo STARS checkpoint by default:
# python tools/train.py configs/stars/eval/finetune_1xb16-10e_demo-xsub-keypoint-3d.py \
#     --cfg-options model.backbone.init_cfg.checkpoint=work_dirs/demo/seed0/mamp/epoch_14.pth
_base_ = [
    './finetune_4xb12-100e_ntu60-xsub-keypoint-3d.py',
    '../../_base_/datasets/demo.py'
]
clip_len = 24
warmup_epochs = 1
max_epochs = 10
encoder_checkpoint = 'work_dirs/demo/seed0/stars/epoch_3.pth'
model = dict(
    backbone=dict(
        embed_dims=64,
        depth=4,
        num_heads=4,
        num_frames=clip_len,
        init_cfg=dict(checkpoint=encoder_checkpoint)),
    cls_head=dict(
        num_classes=_base_.demo.num_classes, in_channels=64, hidden_dims=256))
normalize = dict(type='PreNormalize3D', align_spine=False, align_shoulder=False)
demo_train_pipeline = [
    normalize,
    dict(
        type='ValidFrameCropResize',
        clip_len=clip_len,
        p_interval=(0.5, 1),
        min_crop=24),
    dict(type='RandomSkeletonRotation', max_angle=0.3),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs', meta_keys=('frame_dir', 'sample_idx'))
]
demo_test_pipeline = [
    normalize,
    dict(type='ValidFrameCropResize', clip_len=clip_len, p_interval=(0.95, )),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs', meta_keys=('frame_dir', 'sample_idx'))
]
dataset = dict(
    ann_file=_base_.demo.ann_file, num_classes=_base_.demo.num_classes)
train_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=False,
    dataset=dict(**dataset, pipeline=demo_train_pipeline))
val_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=False,
    dataset=dict(**dataset, pipeline=demo_test_pipeline))
test_dataloader = val_dataloader
train_cfg = dict(max_epochs=max_epochs, val_interval=5)
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
        eta_min_ratio=_base_.min_lr / _base_.lr,
        by_epoch=True,
        begin=warmup_epochs,
        end=max_epochs,
        convert_to_iter_based=True)
]
default_hooks = dict(
    checkpoint=dict(interval=5, max_keep_ckpts=1), logger=dict(interval=10))
auto_scale_lr = dict(base_batch_size=16)
