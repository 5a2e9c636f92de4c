# MAMP pre-training on NTU RGB+D 120, cross-subject: 5-block decoder, tau 0.75.
_base_ = [
    './mamp_4xb32-400e_ntu60-xsub-keypoint-3d.py',
    '../_base_/datasets/ntu120.py'
]
model = dict(
    backbone=dict(motion_aware_tau=0.75),
    mamp_head=dict(decoder=dict(depth=5)))
ann_file = _base_.ntu120.ann_file
num_classes = _base_.ntu120.num_classes
train_split = 'xsub_train'
train_dataloader = dict(
    dataset=dict(
        ann_file=ann_file,
        split=train_split,
        num_classes=num_classes))
