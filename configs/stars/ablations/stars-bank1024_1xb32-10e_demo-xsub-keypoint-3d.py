# Memory bank of 1024 entries on the demo data set (demo stage 2: 1,792).
# python tools/train.py configs/stars/ablations/stars-bank1024_1xb32-10e_demo-xsub-keypoint-3d.py
_base_ = ['../stars_1xb32-10e_demo-xsub-keypoint-3d.py']
model = dict(contrastive_head=dict(bank_size=1024))
