# MoCo tuning as the STARS reference code runs it, step (a) (head only), on
# the demo data set; see moco-reference-a_4xb32-20e_ntu60-xsub-keypoint-3d.py.
# Demo sizes: 64-d encoder, head hidden width 256, a 256-key queue.
# python tools/train.py configs/stars/ablations/moco-reference-a_1xb32-10e_demo-xsub-keypoint-3d.py
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
    momentum=0.999,
    contrastive_head=dict(
        _delete_=True,
        type='MoCoHead',
        in_channels=_base_.embed_dims,
        out_channels=_base_.embed_dims,
        queue_size=256,
        temperature=0.07,
        momentum=0.999,
        shuffle_keys=True,
        projector=dict(
            type='BNMLPProjector',
            in_channels=_base_.embed_dims,
            hidden_channels=256,
            out_channels=_base_.embed_dims,
            input_norm=True,
            hidden_bias=False)))
# The last partial batch is dropped, as the reference loader does.
train_dataloader = dict(
    drop_last=True, dataset=dict(pipeline=reference_tune_pipeline))
optim_wrapper = dict(optimizer=dict(lr=1e-3))
