# MoCo tuning as the STARS reference code runs it (design notes section 4),
# step (a) of two: 20 epochs training only the head (encoder frozen), then
# step (b), moco-reference-b_4xb32-10e_ntu60-xsub-keypoint-3d.py. The
# paper-text variant is moco-tune_4xb32-10e_ntu60-xsub-keypoint-3d.py.
# - Head on the query and key encoders: BN(256) -> Linear(256, 4096, no bias)
#   -> BN -> ReLU -> Linear(4096, 256); queue 32,768 x 256, temperature
#   0.07, momentum 0.999 (encoder and head).
# - No augmentation: two identical views (query view 0, key view 1).
# - Keys computed on a batch shuffled across GPUs (shuffle_keys). BatchNorm
#   is SyncBN under DDP (sync_bn = 'torch', as the reference converts its
#   model), and SyncBN statistics cover the whole global batch, so the
#   shuffle does not change them: it is kept only to mirror the code. With
#   per-GPU BN (sync_bn = None) the shuffle is what stops a query and its
#   key from sharing batch statistics.
# - AdamW (0.9, 0.95), weight decay 0.01, constant lr 1e-3, per-parameter
#   gradient clipping at 3 (the STARS tuning schedule).
# bash tools/dist_train.sh configs/stars/ablations/moco-reference-a_4xb32-20e_ntu60-xsub-keypoint-3d.py 4
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
    momentum=0.999,
    contrastive_head=dict(
        _delete_=True,
        type='MoCoHead',
        in_channels=256,
        out_channels=256,
        queue_size=32768,
        temperature=0.07,
        momentum=0.999,
        shuffle_keys=True,
        projector=dict(
            type='BNMLPProjector',
            in_channels=256,
            hidden_channels=4096,
            out_channels=256,
            input_norm=True,
            hidden_bias=False)))
# The last partial batch is dropped, as the reference loader does.
train_dataloader = dict(
    drop_last=True, dataset=dict(pipeline=reference_tune_pipeline))
train_cfg = dict(max_epochs=20)
