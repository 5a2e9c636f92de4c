# STARS-3stage step (b) on the demo data set: partial tuning from step (a).
_base_ = ['./stars_1xb32-10e_demo-xsub-keypoint-3d.py']
stage_a_checkpoint = 'work_dirs/demo/stars-3stage-a/epoch_10.pth'
model = dict(backbone=dict(init_cfg=None))
load_from = stage_a_checkpoint
