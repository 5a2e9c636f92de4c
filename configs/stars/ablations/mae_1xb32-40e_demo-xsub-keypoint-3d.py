# Naive MAE stage 1 (supplementary Tables 7, 8) on the demo data set:
# random masking, normalised coordinates as the target.
# python tools/train.py configs/stars/ablations/mae_1xb32-40e_demo-xsub-keypoint-3d.py --work-dir work_dirs/demo/mae
_base_ = ['../mamp_1xb32-40e_demo-xsub-keypoint-3d.py']
model = dict(
    backbone=dict(motion_aware_tau=0.),
    mamp_head=dict(target='coordinates'))
