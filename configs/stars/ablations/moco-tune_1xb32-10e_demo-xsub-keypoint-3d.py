# MoCo tuning (supplementary Table 6) on the demo data set: momentum 0.999,
# temperature 0.07, mirroring + rotation; demo-sized projector and a
# 256-key queue (NTU-60: 32,768).
# python tools/train.py configs/stars/ablations/moco-tune_1xb32-10e_demo-xsub-keypoint-3d.py
_base_ = ['./stars-aug_1xb32-10e_demo-xsub-keypoint-3d.py']
model = dict(
    type='MomentumSTARSRecognizer',
    momentum=0.999,
    contrastive_head=dict(
        _delete_=True,
        type='MoCoHead',
        in_channels=_base_.embed_dims,
        hidden_channels=512,
        out_channels=64,
        queue_size=256,
        temperature=0.07,
        momentum=0.999))
