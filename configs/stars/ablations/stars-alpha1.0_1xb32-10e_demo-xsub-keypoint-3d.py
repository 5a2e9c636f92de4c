# Layer-decay alpha = 1.0 (supplementary Table 10) on the demo data set.
# python tools/train.py configs/stars/ablations/stars-alpha1.0_1xb32-10e_demo-xsub-keypoint-3d.py
_base_ = ['../stars_1xb32-10e_demo-xsub-keypoint-3d.py']
optim_wrapper = dict(paramwise_cfg=dict(layer_decay_rate=1.0))
