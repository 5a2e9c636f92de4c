# Layer-decay alpha = 0.2 (supplementary Table 10) on the demo data set.
# python tools/train.py configs/stars/ablations/stars-alpha0.2_1xb32-10e_demo-xsub-keypoint-3d.py
_base_ = ['../stars_1xb32-10e_demo-xsub-keypoint-3d.py']
optim_wrapper = dict(paramwise_cfg=dict(layer_decay_rate=0.2))
