# STARS tuning on NTU RGB+D 120, cross-setup.
_base_ = ['./stars_4xb32-10e_ntu120-xsub-keypoint-3d.py']
stage1_checkpoint = 'work_dirs/mamp_4xb32-400e_ntu120-xset-keypoint-3d/epoch_400.pth'
model = dict(backbone=dict(init_cfg=dict(checkpoint=stage1_checkpoint)))
train_split = 'xset_train'
train_dataloader = dict(dataset=dict(split=train_split))
