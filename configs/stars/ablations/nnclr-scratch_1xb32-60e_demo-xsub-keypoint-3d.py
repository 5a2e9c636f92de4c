# NNCLR from scratch (supplementary Table 5) on the demo data set: random
# encoder, every layer trained at the full lr; 60 epochs (NTU-60: 300), the
# demo stage 2's cosine decay stretched over them.
# python tools/train.py configs/stars/ablations/nnclr-scratch_1xb32-60e_demo-xsub-keypoint-3d.py
_base_ = ['../stars_1xb32-10e_demo-xsub-keypoint-3d.py']
max_epochs = 60
model = dict(backbone=dict(init_cfg=None, tune_ratio=1.0))
optim_wrapper = dict(paramwise_cfg=dict(layer_decay_rate=1.0))
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [dict(_base_.param_scheduler[0], T_max=max_epochs, end=max_epochs)]
default_hooks = dict(checkpoint=dict(interval=10))
