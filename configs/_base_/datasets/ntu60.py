# NTU RGB+D 60 (splits xsub_train/xsub_val, xview_train/xview_val).
# Change the data root here only.
ntu60_root = 'data/ntu60/'
ntu60 = dict(
    data_root=ntu60_root,
    ann_file=ntu60_root + 'ntu60_3d.pkl',
    label_map=ntu60_root + 'label_map.txt',
    num_classes=60)
# Converted from CTR-GCN/MAMP's NTU60_CS.npz / NTU60_CV.npz with
# tools/data/ctrgcn_npz_to_pkl.py, one file per benchmark; read them with the
# npz_* pipelines of configs/_base_/pipelines/skeleton_3d.py.
ntu60_npz = dict(
    xsub=ntu60_root + 'ntu60_xsub_npz.pkl',
    xview=ntu60_root + 'ntu60_xview_npz.pkl')
