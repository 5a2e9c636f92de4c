# MAMP pre-training on NTU RGB+D 60, cross-view.
_base_ = ['./mamp_4xb32-400e_ntu60-xsub-keypoint-3d.py']
train_split = 'xview_train'
train_dataloader = dict(dataset=dict(split=train_split))
