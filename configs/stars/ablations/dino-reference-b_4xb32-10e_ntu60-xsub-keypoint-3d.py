# DINO tuning as the STARS reference code runs it, step (b) of two: 10
# epochs tuning encoder blocks 4-7 (layer decay 0.45) with the head,
# starting from the whole model of step (a); the teacher momentum cosine
# restarts at 0.996.
# bash tools/dist_train.sh configs/stars/ablations/dino-reference-b_4xb32-10e_ntu60-xsub-keypoint-3d.py 4
_base_ = ['./dino-reference-a_4xb32-20e_ntu60-xsub-keypoint-3d.py']
stage_a_checkpoint = 'work_dirs/dino-reference-a_4xb32-20e_ntu60-xsub-keypoint-3d/epoch_20.pth'
model = dict(backbone=dict(init_cfg=None, tune_ratio=0.5))
load_from = stage_a_checkpoint
optim_wrapper = dict(paramwise_cfg=dict(layer_decay_rate=0.45))
train_cfg = dict(max_epochs=10)
