# Ablation (supplementary Tables 7, 8): naive MAE instead of MAMP in stage 1:
# random masking (motion_aware_tau = 0) and normalised raw coordinates as
# the target, otherwise the MAMP recipe.
# bash tools/dist_train.sh configs/stars/ablations/mae_4xb32-400e_ntu60-xsub-keypoint-3d.py 4
_base_ = ['../mamp_4xb32-400e_ntu60-xsub-keypoint-3d.py']
model = dict(
    backbone=dict(motion_aware_tau=0.),
    mamp_head=dict(target='coordinates'))
