# STARS tuning on NTU RGB+D 120, cross-subject: alpha 0.40.
_base_ = [
    './stars_4xb32-10e_ntu60-xsub-keypoint-3d.py',
    '../_base_/datasets/ntu120.py'
]
stage1_checkpoint = 'work_dirs/mamp_4xb32-400e_ntu120-xsub-keypoint-3d/epoch_400.pth'
model = dict(backbone=dict(init_cfg=dict(checkpoint=stage1_checkpoint)))
optim_wrapper = dict(paramwise_cfg=dict(layer_decay_rate=0.40))
ann_file = _base_.ntu120.ann_file
num_classes = _base_.ntu120.num_classes
train_split = 'xsub_train'
train_dataloader = dict(
    dataset=dict(
        ann_file=ann_file,
        split=train_split,
        num_classes=num_classes))
