# MAMP + NNCLR losses together in stage 2 (supplementary Table 4) on the
# demo data set; the demo stage-1 decoder (1 block x 64) is loaded too.
# python tools/train.py configs/stars/ablations/mamp-nnclr-tune_1xb32-10e_demo-xsub-keypoint-3d.py
_base_ = ['../stars_1xb32-10e_demo-xsub-keypoint-3d.py']
model = dict(
    backbone=dict(mask_ratio=0.9, motion_aware_tau=0.80),
    mamp_head=dict(
        type='MAMPHead',
        target='motion',
        norm_target=True,
        t_patch_size=4,
        decoder=dict(
            type='MAMPDecoder',
            embed_dims=_base_.embed_dims,
            decoder_embed_dims=_base_.embed_dims,
            depth=1,
            num_heads=4,
            num_frames=_base_.clip_len,
            num_joints=25,
            t_patch_size=4),
        init_cfg=dict(
            type='Pretrained',
            checkpoint=_base_.stage1_checkpoint,
            prefix='mamp_head.')))
