# STARS tuning on NTU RGB+D 60 cross-subject converted from CTR-GCN/MAMP's
# NTU60_CS.npz (see mamp_4xb32-400e_ntu60-xsub-npz-keypoint-3d.py), read as
# the reference feeders read it (no PreNormalize3D).
_base_ = ['./stars_4xb32-10e_ntu60-xsub-keypoint-3d.py']
stage1_checkpoint = 'work_dirs/mamp_4xb32-400e_ntu60-xsub-npz-keypoint-3d/epoch_400.pth'
ann_file = _base_.ntu60_npz.xsub
model = dict(backbone=dict(init_cfg=dict(checkpoint=stage1_checkpoint)))
train_dataloader = dict(
    dataset=dict(ann_file=ann_file, pipeline=_base_.npz_tune_pipeline))
