# MAMP pre-training on NTU RGB+D 60 cross-subject converted from CTR-GCN/MAMP's
# NTU60_CS.npz, read as the reference feeders read it (no PreNormalize3D):
# python tools/data/ctrgcn_npz_to_pkl.py NTU60_CS.npz --benchmark xsub \
#     --out data/ntu60/ntu60_xsub_npz.pkl
_base_ = ['./mamp_4xb32-400e_ntu60-xsub-keypoint-3d.py']
ann_file = _base_.ntu60_npz.xsub
train_dataloader = dict(
    dataset=dict(ann_file=ann_file, pipeline=_base_.npz_train_pipeline))
