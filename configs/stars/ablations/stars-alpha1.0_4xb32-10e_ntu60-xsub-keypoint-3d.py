# Ablation (supplementary Table 10): alpha = 1.0, every tuned block (the
# second half) trains at the full lr, without layer-wise decay.
# bash tools/dist_train.sh configs/stars/ablations/stars-alpha1.0_4xb32-10e_ntu60-xsub-keypoint-3d.py 4
_base_ = ['../stars_4xb32-10e_ntu60-xsub-keypoint-3d.py']
optim_wrapper = dict(paramwise_cfg=dict(layer_decay_rate=1.0))
