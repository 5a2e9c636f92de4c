# STARS tuning model (design notes section 3): the MAMP encoder, unmasked, and
# the NNCLR head (BatchNorm projector, 4096-wide MLP predictor, 32,768-entry
# nearest-neighbour memory bank, temperature 0.07, symmetric loss).
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
        # Recompute the MLP halves of the tuned blocks in the backward pass:
        # 45% less activation memory for about 5% more time (measured in
        # benchmarks/README.md). Set with_cp=False for the fastest step when
        # memory is plentiful, or cp_scope='block' for the least memory.
        with_cp=True,
        cp_scope='mlp'),
    contrastive_head=dict(
        type='NNCLRHead',
        in_channels=256,
        hidden_channels=4096,
        temperature=0.07,
        bank_size=32768,
        loss_form='symmetric'))
