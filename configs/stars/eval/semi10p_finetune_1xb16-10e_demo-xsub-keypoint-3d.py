# Semi-supervised evaluation on the embedded demo data set: the demo
# fine-tuning recipe on a seeded 10% of the training split. Five seeds:
# python tools/semi_supervised.py configs/stars/eval/semi10p_finetune_1xb16-10e_demo-xsub-keypoint-3d.py --seeds 0 1 2 3 4
_base_ = ['./finetune_1xb16-10e_demo-xsub-keypoint-3d.py']
train_dataloader = dict(
    dataset=dict(subset_ratio=0.1, subset_seed=0, class_balanced=False))
