# DINO tuning as the STARS reference code runs it, step (a) (head only), on
# the demo data set; see dino-reference-a_4xb32-20e_ntu60-xsub-keypoint-3d.py.
# Demo sizes: 64-d encoder, Linear(64, 128) head.
# python tools/train.py configs/stars/ablations/dino-reference-a_1xb32-10e_demo-xsub-keypoint-3d.py
_base_ = ['../stars_1xb32-10e_demo-xsub-keypoint-3d.py']
# The reference code's recipe, pinned rather than inherited from the demo's
# STARS stage 2 (3 epochs decaying from lr 2e-3): a constant lr 1e-3, and
# 3 + 3 epochs for the demo's two steps.
max_epochs = 3
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = []  # constant lr
default_hooks = dict(checkpoint=dict(interval=max_epochs))
identical_views = [
    dict(type='ValidFrameCropResize', clip_len=_base_.clip_len,
         p_interval=(1.0, ))
]
reference_tune_pipeline = [
    dict(type='PreNormalize3D', align_spine=False, align_shoulder=False),
    dict(type='SkeletonMultiView', transforms=identical_views, num_views=2),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs', meta_keys=('frame_dir', 'sample_idx'))
]
model = dict(
    type='MomentumSTARSRecognizer',
    backbone=dict(tune_ratio=0.),
    momentum=0.996,
    num_local_views=0,
    contrastive_head=dict(
        _delete_=True,
        type='DINOHead',
        in_channels=_base_.embed_dims,
        student_temperature=0.1,
        teacher_temperature=0.04,
        momentum=0.996,
        num_global_views=2,
        sinkhorn_iters=3,
        sinkhorn_global_batch=False,
        koleo_weight=0.1,
        koleo_input='head',
        koleo_chunks=4,
        projector=dict(
            type='NormalizedLinearProjector',
            in_channels=_base_.embed_dims,
            out_channels=128)))
# The last partial batch is dropped, as the reference loader does (and
# KoLeo needs 2 rows per chunk).
train_dataloader = dict(
    drop_last=True, dataset=dict(pipeline=reference_tune_pipeline))
optim_wrapper = dict(
    optimizer=dict(lr=1e-3), paramwise_cfg=dict(layer_decay_rate=0.65))
custom_hooks = [
    dict(type='RandomStateHook'),
    dict(type='NonFiniteLossHook'),
    dict(type='MemoryBankCheckHook'),
    dict(type='CosineMomentumHook', start=0.996, end=1.)
]
