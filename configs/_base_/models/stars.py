# STARS tuning model (design notes section 3): the MAMP encoder, unmasked, and
# the NNCLR head (BatchNorm projector, 4096-wide MLP predictor, 32,768-entry
# nearest-neighbour memory bank, temperature 0.07) with the reference code's
# loss: symmetric value, gradient 0.5 * grad L(nn1, p0) only (view 1 carries
# no gradient there). loss_form='symmetric' back-propagates both terms,
# 'one_view' is the paper's Algorithm 1.
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
        # Partial tuning: the last half of the blocks and the final norm
        # train; the first half and the embeddings are frozen when the
        # model is built (before DDP wraps it).
        tune_ratio=0.5,
        # Selective activation checkpointing of the tuned blocks: layer
        # norms, GELU, residual adds and the output projection are recomputed
        # in the backward pass. Stage 2 at batch 8 on CPU: 30% less tensor
        # memory for 0-10% more time (benchmarks/README.md). with_cp=False
        # keeps everything; cp_scope='block' recomputes whole blocks (least
        # memory, about 20% slower).
        with_cp=True,
        cp_scope='selective'),
    contrastive_head=dict(
        type='NNCLRHead',
        in_channels=256,
        hidden_channels=4096,
        temperature=0.07,
        bank_size=32768,
        loss_form='reference'))
