# Ablation (supplementary Table 10, main-paper Fig. 4): layer-decay rate
# alpha = 0.2 in STARS tuning (reference configs: 0.45). Block i of the
# tuned second half trains at lr * 0.2^(8 - i).
# bash tools/dist_train.sh configs/stars/ablations/stars-alpha0.2_4xb32-10e_ntu60-xsub-keypoint-3d.py 4
_base_ = ['../stars_4xb32-10e_ntu60-xsub-keypoint-3d.py']
optim_wrapper = dict(paramwise_cfg=dict(layer_decay_rate=0.2))
