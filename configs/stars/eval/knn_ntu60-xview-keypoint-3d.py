# KNN evaluation on NTU RGB+D 60, cross-view.
# python tools/test.py configs/stars/eval/knn_ntu60-xview-keypoint-3d.py CHECKPOINT
_base_ = ['./knn_ntu60-xsub-keypoint-3d.py']
train_split = 'xview_train'
test_split = 'xview_val'
test_dataloader = dict(dataset=dict(split=test_split))
test_cfg = dict(bank_dataloader=dict(dataset=dict(split=train_split)))
