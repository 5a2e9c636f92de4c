# STARS-3stage, step (b): partial tuning with layer-wise decay (as STARS) for
# 10 epochs, starting from the whole model of step (a): encoder, projector,
# predictor and memory bank.
_base_ = ['./stars_4xb32-10e_ntu60-xsub-keypoint-3d.py']
stage_a_checkpoint = 'work_dirs/stars-3stage-a_4xb32-20e_ntu60-xsub-keypoint-3d/epoch_20.pth'
model = dict(backbone=dict(init_cfg=None))
load_from = stage_a_checkpoint
