# KNN evaluation on NTU RGB+D 60 cross-subject converted from CTR-GCN/MAMP's
# NTU60_CS.npz, read as the reference feeders read it (no PreNormalize3D).
# python tools/test.py configs/stars/eval/knn_ntu60-xsub-npz-keypoint-3d.py CHECKPOINT
_base_ = ['./knn_ntu60-xsub-keypoint-3d.py']
ann_file = _base_.ntu60_npz.xsub
dataset = dict(ann_file=ann_file, pipeline=_base_.npz_test_pipeline)
test_dataloader = dict(dataset=dataset)
test_cfg = dict(bank_dataloader=dict(dataset=dataset))
