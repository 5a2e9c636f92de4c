# PKU-MMD phase I (splits xsub_train/xsub_val, xview_train/xview_val).
# Change the data root here only.
pku_mmd1_root = 'data/pku_mmd1/'
pku_mmd1 = dict(
    data_root=pku_mmd1_root,
    ann_file=pku_mmd1_root + 'pku_mmd1_3d.pkl',
    label_map=pku_mmd1_root + 'label_map.txt',
    num_classes=51)
