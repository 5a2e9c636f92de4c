# STARS contrastive tuning (stage 2) on NTU RGB+D 60, cross-subject, starting
# from the stage-1 (MAMP) checkpoint below. The last epoch is the result: the
# reference's selection by KNN on the test set is not reproduced.
# bash tools/dist_train.sh configs/stars/stars_4xb32-10e_ntu60-xsub-keypoint-3d.py 4
_base_ = [
    '../_base_/default_runtime.py', '../_base_/models/stars.py',
    '../_base_/schedules/stars_tune_10e.py',
    '../_base_/pipelines/skeleton_3d.py', '../_base_/datasets/ntu60.py'
]
custom_imports = dict(imports=['stars_mmaction'], allow_failed_imports=False)

# The stage-1 checkpoint to tune (or one converted from the published MAMP
# weights with tools/convert_checkpoint.py).
stage1_checkpoint = 'work_dirs/mamp_4xb32-400e_ntu60-xsub-keypoint-3d/epoch_400.pth'
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
    backbone=dict(
        num_frames=clip_len,
        init_cfg=dict(
            type='StrictPretrained',
            checkpoint=stage1_checkpoint,
            prefix='backbone.')))

train_dataloader = dict(
    batch_size=32,
    num_workers=8,
    persistent_workers=True,
    # augmentations seeded by (seed, epoch, index): exact resume with
    # persistent workers
    sampler=dict(type='EpochIndexSampler', shuffle=True),
    # The last partial batch is dropped, as in the reference.
    drop_last=True,
    dataset=dict(
        type='SkeletonPoseDataset',
        ann_file=ann_file,
        split=train_split,
        num_classes=num_classes,
        pipeline=_base_.tune_pipeline))
default_hooks = dict(
    checkpoint=dict(interval=1, max_keep_ckpts=3, save_best=None),
    logger=dict(interval=50))
# Config variables and clip lengths checked before the run; random states in
# checkpoints (exact --resume); stop at a non-finite loss
# before the optimizer step; refuse a memory bank smaller than the global
# batch before the first step.
custom_hooks = [
    dict(type='ConfigVariablesCheckHook'),
    dict(type='RandomStateHook'),
    dict(type='NonFiniteLossHook'),
    dict(type='MemoryBankCheckHook')
]
