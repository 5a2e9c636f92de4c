# DINO tuning as the STARS reference code runs it (design notes section 4),
# step (a) of two: 20 epochs training only the head (encoder frozen), then
# step (b), dino-reference-b_4xb32-10e_ntu60-xsub-keypoint-3d.py. The
# paper-text variant is dino-tune_4xb32-10e_ntu60-xsub-keypoint-3d.py.
# - Head: a single Linear(256, 128) whose L2-normalised output is used as
#   128 prototype logits (no MLP head); student / teacher temperatures
#   0.1 / 0.04, Sinkhorn-Knopp per GPU (sinkhorn_global_batch=False).
# - Teacher momentum on a cosine from 0.996 to 1 over the run, per
#   iteration (CosineMomentumHook; each step restarts the curve).
# - KoLeo (x 0.1) on the normalised head outputs of the two global views,
#   stacked view after view, in 4 half-batch chunks, summed.
# - No augmentation: two identical global views, no local views.
# - Layer decay 0.65 as the code's head-only step sets it (no effect while
#   the whole encoder is frozen); AdamW (0.9, 0.95), weight decay 0.01,
#   constant lr 1e-3, per-parameter gradient clipping at 3.
# bash tools/dist_train.sh configs/stars/ablations/dino-reference-a_4xb32-20e_ntu60-xsub-keypoint-3d.py 4
_base_ = ['../stars_4xb32-10e_ntu60-xsub-keypoint-3d.py']
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
        in_channels=256,
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
            type='NormalizedLinearProjector', in_channels=256,
            out_channels=128)))
# The last partial batch is dropped, as the reference loader does (and
# KoLeo needs 2 rows per chunk).
train_dataloader = dict(
    drop_last=True, dataset=dict(pipeline=reference_tune_pipeline))
optim_wrapper = dict(
    paramwise_cfg=dict(layer_decay_rate=0.65))
train_cfg = dict(max_epochs=20)
custom_hooks = [
    dict(type='RandomStateHook'),
    dict(type='NonFiniteLossHook'),
    dict(type='MemoryBankCheckHook'),
    dict(type='CosineMomentumHook', start=0.996, end=1.)
]
