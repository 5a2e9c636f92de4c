# STARS tuning on PKU-MMD phase I, cross-subject: alpha 0.35, lr 1e-4.
_base_ = [
    './stars_4xb32-10e_ntu60-xsub-keypoint-3d.py',
    '../_base_/datasets/pku_mmd1.py'
]
stage1_checkpoint = 'work_dirs/mamp_4xb32-400e_pku1-xsub-keypoint-3d/epoch_400.pth'
model = dict(backbone=dict(init_cfg=dict(checkpoint=stage1_checkpoint)))
optim_wrapper = dict(
    optimizer=dict(lr=1e-4), paramwise_cfg=dict(layer_decay_rate=0.35))
ann_file = _base_.pku_mmd1.ann_file
num_classes = _base_.pku_mmd1.num_classes
train_split = 'xsub_train'
train_dataloader = dict(
    dataset=dict(
        ann_file=ann_file,
        split=train_split,
        num_classes=num_classes))
