# STARS tuning on PKU-MMD phase II, cross-subject: alpha 0.35, lr 1e-4.
_base_ = [
    './stars_4xb32-10e_pku1-xsub-keypoint-3d.py',
    '../_base_/datasets/pku_mmd2.py'
]
stage1_checkpoint = 'work_dirs/mamp_4xb32-400e_pku2-xsub-keypoint-3d/epoch_400.pth'
model = dict(backbone=dict(init_cfg=dict(checkpoint=stage1_checkpoint)))
ann_file = _base_.pku_mmd2.ann_file
num_classes = _base_.pku_mmd2.num_classes
train_dataloader = dict(
    dataset=dict(
        ann_file=ann_file,
        num_classes=num_classes))
