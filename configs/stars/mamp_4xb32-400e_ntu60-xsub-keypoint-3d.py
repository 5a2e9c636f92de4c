# MAMP pre-training (stage 1 of STARS) on NTU RGB+D 60, cross-subject.
# bash tools/dist_train.sh configs/stars/mamp_4xb32-400e_ntu60-xsub-keypoint-3d.py 4
_base_ = [
    '../_base_/default_runtime.py', '../_base_/models/mamp.py',
    '../_base_/schedules/mamp_400e.py', '../_base_/pipelines/skeleton_3d.py',
    '../_base_/datasets/ntu60.py'
]
custom_imports = dict(imports=['stars_mmaction'], allow_failed_imports=False)

# Retargeting (README, "Retargeting a config to your data"): the variables
# below feed the keys that use them when this file is parsed, so override
# those keys, not only the variable. ConfigVariablesCheckHook stops the run
# before it starts when a variable no longer matches a key it feeds, and
# names the keys.
ann_file = _base_.ntu60.ann_file
num_classes = _base_.ntu60.num_classes
train_split = 'xsub_train'
clip_len = _base_.clip_len  # frames of every clip and of the encoder
model = dict(
    backbone=dict(num_frames=clip_len),
    mamp_head=dict(decoder=dict(num_frames=clip_len)))

default_hooks = dict(
    checkpoint=dict(interval=1, max_keep_ckpts=3, save_best=None),
    logger=dict(interval=50))

train_dataloader = dict(
    batch_size=32,
    num_workers=8,
    persistent_workers=True,
    # augmentations seeded by (seed, epoch, index): exact resume with
    # persistent workers
    sampler=dict(type='EpochIndexSampler', shuffle=True),
    dataset=dict(
        type='SkeletonPoseDataset',
        ann_file=ann_file,
        split=train_split,
        num_classes=num_classes,
        pipeline=_base_.train_pipeline))
# Config variables and clip lengths checked before the run; random states in
# checkpoints (exact --resume); stop at a non-finite
# loss before the optimizer step.
custom_hooks = [
    dict(type='ConfigVariablesCheckHook'),
    dict(type='RandomStateHook'),
    dict(type='NonFiniteLossHook')
]
