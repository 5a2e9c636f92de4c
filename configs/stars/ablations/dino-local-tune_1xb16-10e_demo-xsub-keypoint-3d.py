# DINO tuning with two student-only local views (40-80% windows,
# supplementary Table 3) on the demo data set, batch 16.
# python tools/train.py configs/stars/ablations/dino-local-tune_1xb16-10e_demo-xsub-keypoint-3d.py
_base_ = ['./dino-tune_1xb32-10e_demo-xsub-keypoint-3d.py']
model = dict(num_local_views=2, local_crop_ratio=(0.4, 0.8))
train_dataloader = dict(batch_size=16)
