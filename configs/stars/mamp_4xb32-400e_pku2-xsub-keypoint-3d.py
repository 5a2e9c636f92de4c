# MAMP pre-training on PKU-MMD phase II, cross-subject.
_base_ = [
    './mamp_4xb32-400e_pku1-xsub-keypoint-3d.py',
    '../_base_/datasets/pku_mmd2.py'
]
ann_file = _base_.pku_mmd2.ann_file
num_classes = _base_.pku_mmd2.num_classes
train_dataloader = dict(
    dataset=dict(
        ann_file=ann_file,
        num_classes=num_classes))
