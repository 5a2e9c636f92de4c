# Ablation (supplementary Table 5): NNCLR from scratch, no stage 1. A random
# encoder (no init_cfg), every layer trained at the full lr (tune_ratio 1,
# alpha 1), 300 epochs, otherwise the STARS tuning recipe (no augmentation).
# bash tools/dist_train.sh configs/stars/ablations/nnclr-scratch_4xb32-300e_ntu60-xsub-keypoint-3d.py 4
_base_ = ['../stars_4xb32-10e_ntu60-xsub-keypoint-3d.py']
max_epochs = 300
model = dict(backbone=dict(init_cfg=None, tune_ratio=1.0))
optim_wrapper = dict(paramwise_cfg=dict(layer_decay_rate=1.0))
train_cfg = dict(max_epochs=max_epochs)
default_hooks = dict(checkpoint=dict(interval=10))
