# MAMP pre-training on NTU RGB+D 120, cross-setup.
_base_ = ['./mamp_4xb32-400e_ntu120-xsub-keypoint-3d.py']
train_split = 'xset_train'
train_dataloader = dict(dataset=dict(split=train_split))
