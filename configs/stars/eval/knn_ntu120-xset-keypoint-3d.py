# KNN evaluation on NTU RGB+D 120, cross-setup.
# python tools/test.py configs/stars/eval/knn_ntu120-xset-keypoint-3d.py CHECKPOINT
_base_ = ['./knn_ntu60-xsub-keypoint-3d.py', '../../_base_/datasets/ntu120.py']
ann_file = _base_.ntu120.ann_file
num_classes = _base_.ntu120.num_classes
label_map = _base_.ntu120.label_map
train_split = 'xset_train'
test_split = 'xset_val'
dataset = dict(ann_file=ann_file, num_classes=num_classes)
test_dataloader = dict(dataset=dict(**dataset, split=test_split))
test_evaluator = dict(num_classes=num_classes, label_map=label_map)
test_cfg = dict(bank_dataloader=dict(dataset=dict(**dataset, split=train_split)))
