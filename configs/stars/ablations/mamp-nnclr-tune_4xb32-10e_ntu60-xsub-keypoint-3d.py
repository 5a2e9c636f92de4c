# Ablation (supplementary Table 4): MAMP + NNCLR losses together in stage 2.
# The stage-1 decoder is loaded with the encoder and keeps training with
# the masked-motion loss while NNCLR tunes the encoder (layer decay as in
# STARS; the decoder, outside the encoder, trains at the base lr).
# bash tools/dist_train.sh configs/stars/ablations/mamp-nnclr-tune_4xb32-10e_ntu60-xsub-keypoint-3d.py 4
_base_ = ['../stars_4xb32-10e_ntu60-xsub-keypoint-3d.py']
model = dict(
    backbone=dict(mask_ratio=0.9, motion_aware_tau=0.80),
    mamp_head=dict(
        type='MAMPHead',
        target='motion',
        norm_target=True,
        t_patch_size=4,
        decoder=dict(
            type='MAMPDecoder',
            embed_dims=256,
            decoder_embed_dims=256,
            depth=3,
            num_heads=8,
            num_frames=_base_.clip_len,
            num_joints=25,
            t_patch_size=4),
        init_cfg=dict(
            type='Pretrained',
            checkpoint=_base_.stage1_checkpoint,
            prefix='mamp_head.')))
