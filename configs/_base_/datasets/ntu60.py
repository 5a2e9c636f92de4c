# NTU RGB+D 60 (splits xsub_train/xsub_val, xview_train/xview_val).
# Change the data root here only.
ntu60_root = 'data/ntu60/'
ntu60 = dict(
    data_root=ntu60_root,
    ann_file=ntu60_root + 'ntu60_3d.pkl',
    label_map=ntu60_root + 'label_map.txt',
    num_classes=60)
