# KNN evaluation (design notes section 5) of a MAMP or STARS encoder on
# NTU RGB+D 60, cross-subject: the pooled encoder feature of the training
# split (the bank) and of the test split, centre crop 0.95, cosine
# similarity, majority vote of the k nearest training samples.
# python tools/test.py configs/stars/eval/knn_ntu60-xsub-keypoint-3d.py CHECKPOINT
# bash tools/dist_test.sh configs/stars/eval/knn_ntu60-xsub-keypoint-3d.py CHECKPOINT 4
# Options (--cfg-options): test_evaluator.weighting=exp (exp(sim/0.07)
# weights), test_evaluator.out_dir=DIR with test_evaluator.confusion_k=[10]
# (confusion matrix CSV + PNG) and/or test_evaluator.dump_features=True.
_base_ = [
    '../../_base_/default_runtime.py',
    '../../_base_/pipelines/skeleton_3d.py', '../../_base_/datasets/ntu60.py'
]
custom_imports = dict(imports=['stars_mmaction'], allow_failed_imports=False)

# Retargeting (README, "Retargeting a config to your data"): the variables
# below feed the keys that use them when this file is parsed, so override
# those keys, not only the variable. ConfigVariablesCheckHook stops the run
# before it starts when a variable no longer matches a key it feeds, and
# names the keys.
ann_file = _base_.ntu60.ann_file
num_classes = _base_.ntu60.num_classes
label_map = _base_.ntu60.label_map
train_split = 'xsub_train'  # the KNN bank
test_split = 'xsub_val'  # the queries
clip_len = _base_.clip_len

model = dict(
    type='STARSRecognizer',
    backbone=dict(
        type='MAMPEncoder',
        in_channels=3,
        embed_dims=256,
        depth=8,
        num_heads=8,
        mlp_ratio=4,
        num_frames=clip_len,
        num_joints=25,
        t_patch_size=4))

dataset = dict(
    type='SkeletonPoseDataset',
    ann_file=ann_file,
    num_classes=num_classes,
    pipeline=_base_.test_pipeline,
    test_mode=True)
test_dataloader = dict(
    batch_size=64,
    num_workers=8,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(**dataset, split=test_split))
test_evaluator = dict(
    type='KNNMetric',
    topk_neighbours=(1, 2, 5, 10, 20, 40),
    weighting='uniform',
    num_classes=num_classes,
    label_map=label_map)
# The training split runs first, through the same centre-crop pipeline.
test_cfg = dict(
    type='KNNTestLoop',
    bank_dataloader=dict(
        batch_size=64,
        num_workers=8,
        persistent_workers=False,
        sampler=dict(type='DefaultSampler', shuffle=False),
        dataset=dict(**dataset, split=train_split)))
custom_hooks = [dict(type='ConfigVariablesCheckHook')]
