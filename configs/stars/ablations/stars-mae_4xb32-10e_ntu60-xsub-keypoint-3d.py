# Ablation (supplementary Tables 7, 8): "STARS-MAE", STARS tuning of the
# naive-MAE stage-1 encoder (mae_4xb32-400e_ntu60-xsub-keypoint-3d.py).
# bash tools/dist_train.sh configs/stars/ablations/stars-mae_4xb32-10e_ntu60-xsub-keypoint-3d.py 4
_base_ = ['../stars_4xb32-10e_ntu60-xsub-keypoint-3d.py']
stage1_checkpoint = 'work_dirs/mae_4xb32-400e_ntu60-xsub-keypoint-3d/epoch_400.pth'
model = dict(backbone=dict(init_cfg=dict(checkpoint=stage1_checkpoint)))
