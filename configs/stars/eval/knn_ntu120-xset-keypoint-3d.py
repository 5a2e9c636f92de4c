# KNN evaluation on NTU RGB+D 120, cross-setup.
# python tools/test.py configs/stars/eval/knn_ntu120-xset-keypoint-3d.py CHECKPOINT
_base_ = ['./knn_ntu60-xsub-keypoint-3d.py', '../../_base_/datasets/ntu120.py']
dataset = dict(
    ann_file=_base_.ntu120.ann_file, num_classes=_base_.ntu120.num_classes)
test_dataloader = dict(dataset=dict(**dataset, split='xset_val'))
test_evaluator = dict(
    num_classes=_base_.ntu120.num_classes, label_map=_base_.ntu120.label_map)
test_cfg = dict(bank_dataloader=dict(dataset=dict(**dataset, split='xset_train')))
