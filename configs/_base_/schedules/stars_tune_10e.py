# STARS tuning schedule: 10 epochs (the paper text says 20) at a constant
# lr 1e-3, AdamW (0.9, 0.95) with PyTorch's default weight decay 0.01 (the
# reference builds AdamW without one), per-parameter gradient clipping at
# norm 3, batch 32 per GPU x 4 GPUs. Layer-wise decay tunes the second half
# of the encoder: block i at lr * alpha^(depth - i); the first half and the
# embeddings are frozen (no gradient is computed for them).
max_epochs = 10
layer_decay_rate = 0.45  # NTU-60; NTU-120 0.40, PKU-MMD 0.35 (paper: 0.2)
tune_ratio = 0.5
optim_wrapper = dict(
    type='ParamwiseClipOptimWrapper',
    optimizer=dict(type='AdamW', lr=1e-3, betas=(0.9, 0.95), weight_decay=0.01),
    clip_grad=dict(max_norm=3, per_parameter=True),
    constructor='LayerDecayOptimWrapperConstructor',
    paramwise_cfg=dict(
        layer_decay_rate=layer_decay_rate, tune_ratio=tune_ratio))
param_scheduler = []
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs)
# Frozen encoder blocks are switched off after DDP wraps the model, so DDP
# must not wait for their gradients. Every rank enqueues the same gathered
# projections into its memory bank: no buffer broadcast is needed.
model_wrapper_cfg = dict(
    type='MMDistributedDataParallel',
    find_unused_parameters=True,
    broadcast_buffers=False)
sync_bn = 'torch'
auto_scale_lr = dict(enable=False, base_batch_size=128)
