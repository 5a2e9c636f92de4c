# Ablation (supplementary Table 2): DINO tuning instead of NNCLR. Student =
# the stage-1 encoder partially tuned as in STARS + DINO projector; teacher
# = their momentum copies (teacher momentum 0.996); student / teacher
# temperatures 0.1 / 0.04, Sinkhorn-Knopp centering, KoLeo weight 0.1, two
# global views (mirroring + rotation), no local views, lr 1e-3, batch 32.
# bash tools/dist_train.sh configs/stars/ablations/dino-tune_4xb32-10e_ntu60-xsub-keypoint-3d.py 4
_base_ = ['./stars-aug_4xb32-10e_ntu60-xsub-keypoint-3d.py']
model = dict(
    type='MomentumSTARSRecognizer',
    momentum=0.996,
    num_local_views=0,
    contrastive_head=dict(
        _delete_=True,
        type='DINOHead',
        in_channels=256,
        hidden_channels=2048,
        bottleneck_channels=256,
        num_prototypes=4096,
        student_temperature=0.1,
        teacher_temperature=0.04,
        momentum=0.996,
        num_global_views=2,
        sinkhorn_iters=3,
        koleo_weight=0.1))
