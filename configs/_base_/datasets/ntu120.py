# NTU RGB+D 120 (splits xsub_train/xsub_val, xset_train/xset_val).
# Change the data root here only.
ntu120_root = 'data/ntu120/'
ntu120 = dict(
    data_root=ntu120_root,
    ann_file=ntu120_root + 'ntu120_3d.pkl',
    label_map=ntu120_root + 'label_map.txt',
    num_classes=120)
