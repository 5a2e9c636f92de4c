# STARS tuning with mirroring + rotation (two views) on the demo data set;
# see stars-aug_4xb32-10e_ntu60-xsub-keypoint-3d.py.
# python tools/train.py configs/stars/ablations/stars-aug_1xb32-10e_demo-xsub-keypoint-3d.py
_base_ = ['../stars_1xb32-10e_demo-xsub-keypoint-3d.py']
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
