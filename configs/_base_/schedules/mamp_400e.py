# MAMP schedule: 400 epochs, 20 warm-up, AdamW (0.9, 0.95), wd 0.05 without
# decay on biases and 1-D parameters, lr 1e-3 cosine per iteration to 5e-4,
# batch 32 per GPU x 4 GPUs.
max_epochs = 400
warmup_epochs = 20
optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=1e-3, betas=(0.9, 0.95), weight_decay=0.05),
    paramwise_cfg=dict(
        norm_decay_mult=0., bias_decay_mult=0., flat_decay_mult=0.))
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1e-4,
        by_epoch=True,
        begin=0,
        end=warmup_epochs,
        convert_to_iter_based=True),
    dict(
        type='CosineAnnealingLR',
        T_max=max_epochs - warmup_epochs,
        eta_min=5e-4,
        by_epoch=True,
        begin=warmup_epochs,
        end=max_epochs,
        convert_to_iter_based=True)
]
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs)
# 4 GPUs x 32: `--auto-scale-lr` rescales lr for another total batch.
auto_scale_lr = dict(enable=False, base_batch_size=128)
