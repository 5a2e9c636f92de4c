# MAMP pre-training on PKU-MMD phase I, cross-subject: 5-block decoder,
# tau 0.80.
_base_ = [
    './mamp_4xb32-400e_ntu60-xsub-keypoint-3d.py',
    '../_base_/datasets/pku_mmd1.py'
]
model = dict(mamp_head=dict(decoder=dict(depth=5)))
ann_file = _base_.pku_mmd1.ann_file
num_classes = _base_.pku_mmd1.num_classes
train_split = 'xsub_train'
train_dataloader = dict(
    dataset=dict(
        ann_file=ann_file,
        split=train_split,
        num_classes=num_classes))
