# MAMP pre-training (stage 1) with the batched data path: the loader only
# pads; pre-normalisation, crop [0.5, 1], resize to clip_len and rotation
# (+-0.3 rad) run batched on the model's device (README, "Batched
# augmentation (GPU data path)"). Same distributions as the per-sample
# config, which stays the reference.
# bash tools/dist_train.sh configs/stars/mamp_4xb32-400e_ntu60-xsub-batched-keypoint-3d.py 4
_base_ = [
    './mamp_4xb32-400e_ntu60-xsub-keypoint-3d.py',
    '../_base_/pipelines/skeleton_3d_batched.py'
]
clip_len = _base_.clip_len
model = dict(
    data_preprocessor=dict(
        type='SkeletonAugDataPreprocessor',
        pre_normalize=True,
        clip_len=clip_len,
        p_interval=(0.5, 1.0),
        min_crop=64,
        max_angle=0.3))
train_dataloader = dict(
    dataset=dict(pipeline=_base_.batched_train_pipeline))
