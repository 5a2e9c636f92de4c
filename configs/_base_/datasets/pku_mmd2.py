# PKU-MMD phase II (splits xsub_train/xsub_val, xview_train/xview_val).
# Change the data root here only.
pku_mmd2_root = 'data/pku_mmd2/'
pku_mmd2 = dict(
    data_root=pku_mmd2_root,
    ann_file=pku_mmd2_root + 'pku_mmd2_3d.pkl',
    label_map=pku_mmd2_root + 'label_map.txt',
    num_classes=41)
