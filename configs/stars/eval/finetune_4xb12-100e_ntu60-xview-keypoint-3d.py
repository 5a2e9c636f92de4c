# Fine-tuning on NTU RGB+D 60, cross-view.
# bash tools/dist_train.sh configs/stars/eval/finetune_4xb12-100e_ntu60-xview-keypoint-3d.py 4 \
#     --cfg-options model.backbone.init_cfg.checkpoint=CHECKPOINT
_base_ = ['./finetune_4xb12-100e_ntu60-xsub-keypoint-3d.py']
encoder_checkpoint = 'work_dirs/stars_4xb32-10e_ntu60-xview-keypoint-3d/epoch_10.pth'
model = dict(backbone=dict(init_cfg=dict(checkpoint=encoder_checkpoint)))
train_dataloader = dict(dataset=dict(split='xview_train'))
val_dataloader = dict(dataset=dict(split='xview_val'))
test_dataloader = val_dataloader
