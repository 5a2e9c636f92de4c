# Fine-tuning on NTU RGB+D 120, cross-subject.
# bash tools/dist_train.sh configs/stars/eval/finetune_4xb12-100e_ntu120-xsub-keypoint-3d.py 4 \
#     --cfg-options model.backbone.init_cfg.checkpoint=CHECKPOINT
_base_ = [
    './finetune_4xb12-100e_ntu60-xsub-keypoint-3d.py',
    '../../_base_/datasets/ntu120.py'
]
encoder_checkpoint = 'work_dirs/stars_4xb32-10e_ntu120-xsub-keypoint-3d/epoch_10.pth'
model = dict(
    backbone=dict(init_cfg=dict(checkpoint=encoder_checkpoint)),
    cls_head=dict(num_classes=_base_.ntu120.num_classes))
dataset = dict(
    ann_file=_base_.ntu120.ann_file, num_classes=_base_.ntu120.num_classes)
train_dataloader = dict(dataset=dict(**dataset, split='xsub_train'))
val_dataloader = dict(dataset=dict(**dataset, split='xsub_val'))
test_dataloader = val_dataloader
