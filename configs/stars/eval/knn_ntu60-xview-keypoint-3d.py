# KNN evaluation on NTU RGB+D 60, cross-view.
# python tools/test.py configs/stars/eval/knn_ntu60-xview-keypoint-3d.py CHECKPOINT
_base_ = ['./knn_ntu60-xsub-keypoint-3d.py']
test_dataloader = dict(dataset=dict(split='xview_val'))
test_cfg = dict(bank_dataloader=dict(dataset=dict(split='xview_train')))
