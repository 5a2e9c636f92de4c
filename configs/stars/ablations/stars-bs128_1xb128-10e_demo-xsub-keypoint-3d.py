# Effective batch size 128 (supplementary Table 9) on the demo data set
# (demo reference: 32, configs/stars/stars_1xb32-10e_demo-xsub-keypoint-3d.py).
# python tools/train.py configs/stars/ablations/stars-bs128_1xb128-10e_demo-xsub-keypoint-3d.py
_base_ = ['../stars_1xb32-10e_demo-xsub-keypoint-3d.py']
train_dataloader = dict(batch_size=128)
