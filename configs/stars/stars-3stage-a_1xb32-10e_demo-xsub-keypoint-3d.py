# STARS-3stage step (a) on the demo data set: heads only, encoder frozen.
_base_ = ['./stars_1xb32-10e_demo-xsub-keypoint-3d.py']
model = dict(backbone=dict(tune_ratio=0.))
