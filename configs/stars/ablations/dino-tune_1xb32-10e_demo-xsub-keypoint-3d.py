# DINO tuning (supplementary Table 2) on the demo data set: teacher momentum
# 0.996, temperatures 0.1 / 0.04, Sinkhorn-Knopp, KoLeo 0.1, two global
# views; demo-sized projector (256 prototypes).
# python tools/train.py configs/stars/ablations/dino-tune_1xb32-10e_demo-xsub-keypoint-3d.py
_base_ = ['./stars-aug_1xb32-10e_demo-xsub-keypoint-3d.py']
model = dict(
    type='MomentumSTARSRecognizer',
    momentum=0.996,
    num_local_views=0,
    contrastive_head=dict(
        _delete_=True,
        type='DINOHead',
        in_channels=_base_.embed_dims,
        hidden_channels=256,
        bottleneck_channels=64,
        num_prototypes=256,
        student_temperature=0.1,
        teacher_temperature=0.04,
        momentum=0.996,
        num_global_views=2,
        sinkhorn_iters=3,
        koleo_weight=0.1))
