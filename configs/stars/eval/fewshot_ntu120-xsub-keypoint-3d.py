# Few-shot evaluation (design notes section 5): an encoder pre-trained on
# NTU RGB+D 60 cross-subject, evaluated on the NTU RGB+D 120 cross-subject
# test split restricted to the 60 classes NTU-60 does not have (labels
# 60..119). Each episode draws 1, 2 or 5 support samples per class (seeded);
# every other sample is a query, labelled by its most similar support
# feature (cosine). Reports the mean and std over 200 episodes per shot and
# `fewshot/avg`, the mean over shots ("Few-shot Avg").
# python tools/test.py configs/stars/eval/fewshot_ntu120-xsub-keypoint-3d.py CHECKPOINT
_base_ = [
    '../../_base_/default_runtime.py',
    '../../_base_/pipelines/skeleton_3d.py', '../../_base_/datasets/ntu120.py'
]
custom_imports = dict(imports=['stars_mmaction'], allow_failed_imports=False)

novel_classes = list(range(60, 120))
fewshot_split = 'xsub_val'
model = dict(
    type='STARSRecognizer',
    backbone=dict(
        type='MAMPEncoder',
        in_channels=3,
        embed_dims=256,
        depth=8,
        num_heads=8,
        mlp_ratio=4,
        num_frames=_base_.clip_len,
        num_joints=25,
        t_patch_size=4))
test_dataloader = dict(
    batch_size=64,
    num_workers=8,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='SkeletonPoseDataset',
        ann_file=_base_.ntu120.ann_file,
        split=fewshot_split,
        num_classes=_base_.ntu120.num_classes,
        classes=novel_classes,
        pipeline=_base_.test_pipeline,
        test_mode=True))
test_evaluator = dict(
    type='FewShotMetric', shots=(1, 2, 5), num_episodes=200, seed=0)
test_cfg = dict(type='FeatureTestLoop')
