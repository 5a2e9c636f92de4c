# STARS-3stage step (b) on the demo data set: the demo's stage-2 tuning
# (the whole encoder, 3 epochs) from the model of step (a).
_base_ = ['./stars_1xb32-10e_demo-xsub-keypoint-3d.py']
stage_a_checkpoint = 'work_dirs/demo/stars-3stage-a/epoch_3.pth'
model = dict(backbone=dict(init_cfg=None))
load_from = stage_a_checkpoint
