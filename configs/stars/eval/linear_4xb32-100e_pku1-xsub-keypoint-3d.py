# Linear evaluation on PKU-MMD phase I, cross-subject, as the reference runs
# it: lr 0.1 with a total batch of 128 (4 GPUs x 32); the rest as NTU-60.
# bash tools/dist_train.sh configs/stars/eval/linear_4xb32-100e_pku1-xsub-keypoint-3d.py 4 \
#     --cfg-options model.backbone.init_cfg.checkpoint=CHECKPOINT
_base_ = [
    './linear_4xb64-100e_ntu60-xsub-keypoint-3d.py',
    '../../_base_/datasets/pku_mmd1.py'
]
encoder_checkpoint = 'work_dirs/stars_4xb32-10e_pku1-xsub-keypoint-3d/epoch_10.pth'
model = dict(
    backbone=dict(init_cfg=dict(checkpoint=encoder_checkpoint)),
    cls_head=dict(num_classes=_base_.pku_mmd1.num_classes))
dataset = dict(
    ann_file=_base_.pku_mmd1.ann_file, num_classes=_base_.pku_mmd1.num_classes)
train_dataloader = dict(
    batch_size=32, dataset=dict(**dataset, split='xsub_train'))
val_dataloader = dict(dataset=dict(**dataset, split='xsub_val'))
test_dataloader = val_dataloader
optim_wrapper = dict(optimizer=dict(lr=0.1))
# 4 GPUs x 32: `--auto-scale-lr` rescales lr for another total batch.
auto_scale_lr = dict(enable=False, base_batch_size=128)
