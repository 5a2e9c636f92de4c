# Ablation (supplementary Table 6): MoCo tuning instead of NNCLR. Query
# encoder = the stage-1 encoder partially tuned as in STARS; key encoder =
# its momentum copy (mmengine ExponentialMovingAverage, momentum 0.999);
# queue of 32,768 keys, temperature 0.07, lr 1e-3, batch 32 per GPU,
# mirroring + rotation (two views: query view 0, key view 1).
# bash tools/dist_train.sh configs/stars/ablations/moco-tune_4xb32-10e_ntu60-xsub-keypoint-3d.py 4
_base_ = ['./stars-aug_4xb32-10e_ntu60-xsub-keypoint-3d.py']
model = dict(
    type='MomentumSTARSRecognizer',
    momentum=0.999,
    contrastive_head=dict(
        _delete_=True,
        type='MoCoHead',
        in_channels=256,
        hidden_channels=2048,
        out_channels=128,
        queue_size=32768,
        temperature=0.07,
        momentum=0.999))
