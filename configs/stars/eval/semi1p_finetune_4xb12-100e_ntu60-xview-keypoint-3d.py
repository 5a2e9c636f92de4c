# Semi-supervised evaluation on NTU RGB+D 60, cross-view: the fine-tuning
# recipe on a seeded random 1% of the training split (the same subset on
# every rank). Five seeds, mean +- std:
# python tools/semi_supervised.py configs/stars/eval/semi1p_finetune_4xb12-100e_ntu60-xview-keypoint-3d.py \
#     --seeds 0 1 2 3 4 --gpus 4 --checkpoint CHECKPOINT
_base_ = ['./finetune_4xb12-100e_ntu60-xview-keypoint-3d.py']
train_dataloader = dict(
    dataset=dict(subset_ratio=0.01, subset_seed=0, class_balanced=False))
