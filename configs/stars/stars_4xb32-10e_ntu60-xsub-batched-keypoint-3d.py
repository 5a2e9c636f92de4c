# STARS tuning (stage 2) with the batched data path: the loader only
# pads; pre-normalisation and the resize of the whole valid sequence to
# clip_len run batched on the model's device (no augmentation, one view, as the
# per-sample config, which stays the reference).
# bash tools/dist_train.sh configs/stars/stars_4xb32-10e_ntu60-xsub-batched-keypoint-3d.py 4
_base_ = [
    './stars_4xb32-10e_ntu60-xsub-keypoint-3d.py',
    '../_base_/pipelines/skeleton_3d_batched.py'
]
clip_len = _base_.clip_len
model = dict(
    data_preprocessor=dict(
        type='SkeletonAugDataPreprocessor',
        pre_normalize=True,
        clip_len=clip_len,
        p_interval=(1.0, ),
        eval_p_interval=(1.0, )))
train_dataloader = dict(
    dataset=dict(pipeline=_base_.batched_train_pipeline))
