# KNN evaluation on PKU-MMD phase I, cross-subject.
# python tools/test.py configs/stars/eval/knn_pku1-xsub-keypoint-3d.py CHECKPOINT
_base_ = ['./knn_ntu60-xsub-keypoint-3d.py', '../../_base_/datasets/pku_mmd1.py']
ann_file = _base_.pku_mmd1.ann_file
num_classes = _base_.pku_mmd1.num_classes
label_map = _base_.pku_mmd1.label_map
train_split = 'xsub_train'
test_split = 'xsub_val'
dataset = dict(ann_file=ann_file, num_classes=num_classes)
test_dataloader = dict(dataset=dict(**dataset, split=test_split))
test_evaluator = dict(num_classes=num_classes, label_map=label_map)
test_cfg = dict(bank_dataloader=dict(dataset=dict(**dataset, split=train_split)))
