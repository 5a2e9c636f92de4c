# Ablation: STARS tuning WITH augmentation. Two views per sample, each the
# whole valid sequence resized to 120 frames, randomly mirrored (p=0.5) and
# rotated (+-0.3 rad about x, y, z); the NNCLR head takes the symmetric loss
# over the two views. The reference tuning uses no augmentation. The MoCo
# and DINO ablations inherit this pipeline.
# bash tools/dist_train.sh configs/stars/ablations/stars-aug_4xb32-10e_ntu60-xsub-keypoint-3d.py 4
_base_ = ['../stars_4xb32-10e_ntu60-xsub-keypoint-3d.py']
aug_view = [
    dict(type='ValidFrameCropResize', clip_len=_base_.clip_len,
         p_interval=(1.0, )),
    dict(type='RandomSkeletonMirror', prob=0.5),
    dict(type='RandomSkeletonRotation', max_angle=0.3),
]
aug_tune_pipeline = [
    dict(type='PreNormalize3D', align_spine=False, align_shoulder=False),
    dict(type='SkeletonMultiView', transforms=aug_view, num_views=2),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs', meta_keys=('frame_dir', 'sample_idx'))
]
train_dataloader = dict(dataset=dict(pipeline=aug_tune_pipeline))
