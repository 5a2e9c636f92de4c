# DINO tuning as the STARS reference code runs it, step (b) (blocks 2-3 of
# the 4-block demo encoder, layer decay 0.45), on the demo data set, from
# the model of step (a).
# python tools/train.py configs/stars/ablations/dino-reference-b_1xb32-10e_demo-xsub-keypoint-3d.py
_base_ = ['./dino-reference-a_1xb32-10e_demo-xsub-keypoint-3d.py']
stage_a_checkpoint = 'work_dirs/dino-reference-a_1xb32-10e_demo-xsub-keypoint-3d/epoch_3.pth'
model = dict(backbone=dict(init_cfg=None, tune_ratio=0.5))
load_from = stage_a_checkpoint
optim_wrapper = dict(paramwise_cfg=dict(layer_decay_rate=0.45))
