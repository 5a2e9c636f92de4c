# Fine-tuning (design notes section 5) on NTU RGB+D 60, cross-subject:
# mmaction2's RecognizerGCN with the encoder (drop path 0.3) and the MAMP
# fine-tuning head (dropout 0.3, per-joint features, FC 2048 - BN - ReLU -
# FC); AdamW lr 3e-4 with layer decay 0.8, wd 0.05, 5 warm-up epochs then
# cosine to 1e-5, 100 epochs, batch 4 x 12, label smoothing 0.1.
# The pre-trained encoder is `encoder_checkpoint` (stage 1 or stage 2):
# bash tools/dist_train.sh configs/stars/eval/finetune_4xb12-100e_ntu60-xsub-keypoint-3d.py 4 \
#     --cfg-options model.backbone.init_cfg.checkpoint=CHECKPOINT
_base_ = ['./linear_4xb64-100e_ntu60-xsub-keypoint-3d.py']

lr = 3e-4
min_lr = 1e-5
warmup_epochs = 5
max_epochs = 100
model = dict(
    backbone=dict(tune_ratio=1.0, drop_path_rate=0.3),
    cls_head=dict(
        _delete_=True,
        type='FinetuneHead',
        num_classes=_base_.ntu60.num_classes,
        in_channels=256,
        num_joints=25,
        hidden_dims=2048,
        dropout_ratio=0.3,
        label_smooth_eps=0.1,
        average_clips='prob'))

train_dataloader = dict(batch_size=12)
val_dataloader = dict(batch_size=64)
test_dataloader = val_dataloader
train_cfg = dict(max_epochs=max_epochs, val_interval=1)

optim_wrapper = dict(
    constructor='LayerDecayOptimWrapperConstructor',
    optimizer=dict(
        _delete_=True,
        type='AdamW',
        lr=lr,
        betas=(0.9, 0.999),
        weight_decay=0.05),
    # As the reference: no decay on 1-D tensors only (biases, norm weights);
    # every other tensor, `pos_embed` and `temp_embed` included, gets 0.05.
    paramwise_cfg=dict(
        layer_decay_rate=0.8, flat_decay_mult=0.))
# Every layer keeps its layer-decay scale, down to min_lr at the top layer.
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1e-3,
        by_epoch=True,
        begin=0,
        end=warmup_epochs,
        convert_to_iter_based=True),
    dict(
        type='CosineAnnealingLR',
        T_max=max_epochs - warmup_epochs,
        eta_min_ratio=min_lr / lr,
        by_epoch=True,
        begin=warmup_epochs,
        end=max_epochs,
        convert_to_iter_based=True)
]
default_hooks = dict(
    checkpoint=dict(interval=10, max_keep_ckpts=2, save_best='acc/top1'))
# 4 GPUs x 12: `--auto-scale-lr` rescales lr for another total batch.
auto_scale_lr = dict(enable=False, base_batch_size=48)
# Stop before the run when a config variable (encoder_checkpoint, max_epochs)
# no longer matches a key it feeds (README, "Retargeting a config to your
# data").
custom_hooks = [dict(type='ConfigVariablesCheckHook')]
