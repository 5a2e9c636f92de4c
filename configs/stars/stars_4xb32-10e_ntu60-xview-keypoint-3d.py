# STARS tuning on NTU RGB+D 60, cross-view.
_base_ = ['./stars_4xb32-10e_ntu60-xsub-keypoint-3d.py']
stage1_checkpoint = 'work_dirs/mamp_4xb32-400e_ntu60-xview-keypoint-3d/epoch_400.pth'
model = dict(backbone=dict(init_cfg=dict(checkpoint=stage1_checkpoint)))
train_split = 'xview_train'
train_dataloader = dict(dataset=dict(split=train_split))
