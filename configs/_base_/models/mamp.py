# MAMP pre-training model (design notes section 2): the skeleton transformer
# encoder (8 blocks x 256, 8 heads) with masked motion prediction. NTU-60 uses
# a 3-block decoder and tau 0.80; NTU-120 and PKU-MMD override both.
model = dict(
    type='STARSRecognizer',
    backbone=dict(
        type='MAMPEncoder',
        in_channels=3,
        embed_dims=256,
        depth=8,
        num_heads=8,
        mlp_ratio=4,
        num_frames=120,
        num_joints=25,
        t_patch_size=4,
        drop_path_rate=0.,
        mask_ratio=0.9,
        motion_aware_tau=0.80),
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
            num_frames=120,
            num_joints=25,
            t_patch_size=4)))
