# STARS tuning of the demo naive-MAE encoder ("STARS-MAE", supplementary
# Tables 7, 8); train mae_1xb32-40e_demo-xsub-keypoint-3d.py first with
# --work-dir work_dirs/demo/mae.
# python tools/train.py configs/stars/ablations/stars-mae_1xb32-10e_demo-xsub-keypoint-3d.py
_base_ = ['../stars_1xb32-10e_demo-xsub-keypoint-3d.py']
stage1_checkpoint = 'work_dirs/demo/mae/epoch_40.pth'
model = dict(backbone=dict(init_cfg=dict(checkpoint=stage1_checkpoint)))
