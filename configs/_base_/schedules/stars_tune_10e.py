# STARS tuning schedule: 10 epochs (the paper text says 20) at a constant
# lr 1e-3, AdamW (0.9, 0.95) with PyTorch's default weight decay 0.01 (the
# reference builds AdamW without one), per-parameter gradient clipping at
# norm 3, batch 32 per GPU x 4 GPUs. Layer-wise decay: block i at
# lr * alpha^(depth - i). The encoder's `tune_ratio` (models/stars.py)
# freezes the first half and the embeddings when the model is built.
max_epochs = 10
layer_decay_rate = 0.45  # NTU-60; NTU-120 0.40, PKU-MMD 0.35 (paper: 0.2)
optim_wrapper = dict(
    type='ParamwiseClipOptimWrapper',
    optimizer=dict(type='AdamW', lr=1e-3, betas=(0.9, 0.95), weight_decay=0.01),
    clip_grad=dict(max_norm=3, per_parameter=True),
    constructor='LayerDecayOptimWrapperConstructor',
    paramwise_cfg=dict(layer_decay_rate=layer_decay_rate))
param_scheduler = []
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs)
# The frozen encoder blocks are frozen before DDP wraps the model, so DDP
# registers only what trains. Every rank enqueues the same gathered
# projections into its memory bank: no buffer broadcast is needed.
model_wrapper_cfg = dict(
    type='MMDistributedDataParallel', broadcast_buffers=False)
sync_bn = 'torch'
auto_scale_lr = dict(enable=False, base_batch_size=128)
