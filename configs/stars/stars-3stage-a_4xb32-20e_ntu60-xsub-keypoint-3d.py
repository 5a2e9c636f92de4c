# STARS-3stage, step (a): the encoder stays frozen (tune_ratio 0) while the
# projector and predictor learn for 20 epochs (supplementary section A).
_base_ = ['./stars_4xb32-10e_ntu60-xsub-keypoint-3d.py']
model = dict(backbone=dict(tune_ratio=0.))
max_epochs = 20
train_cfg = dict(max_epochs=max_epochs)
