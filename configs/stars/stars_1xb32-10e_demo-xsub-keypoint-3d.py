# STARS tuning on the embedded demo data set, from the demo MAMP checkpoint
# (`make demo` trains it first). Same recipe as NTU-60 at demo size: a
# 4-block x 64 encoder (blocks 2 and 3 tuned), a 256-entry memory bank.
# python tools/train.py configs/stars/stars_1xb32-10e_demo-xsub-keypoint-3d.py
_base_ = [
    './stars_4xb32-10e_ntu60-xsub-keypoint-3d.py',
    '../_base_/datasets/demo.py'
]
clip_len = 32
embed_dims = 64
stage1_checkpoint = 'work_dirs/demo/mamp/epoch_40.pth'
model = dict(
    backbone=dict(
        embed_dims=embed_dims,
        depth=4,
        num_heads=4,
        num_frames=clip_len,
        init_cfg=dict(checkpoint=stage1_checkpoint)),
    contrastive_head=dict(
        in_channels=embed_dims, hidden_channels=1024, bank_size=256))

tune_pipeline = [
    dict(type='PreNormalize3D', align_spine=False, align_shoulder=False),
    dict(type='ValidFrameCropResize', clip_len=clip_len, p_interval=(1.0, )),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs', meta_keys=('frame_dir', 'sample_idx'))
]
train_dataloader = dict(
    batch_size=32,
    num_workers=2,
    dataset=dict(
        ann_file=_base_.demo.ann_file,
        num_classes=_base_.demo.num_classes,
        pipeline=tune_pipeline))
default_hooks = dict(
    checkpoint=dict(interval=5, max_keep_ckpts=2), logger=dict(interval=10))
