# The embedded synthetic demo data set (tools/data/make_demo_dataset.py; splits xsub_train/xsub_val).
# Change the data root here only.
demo_root = 'data/demo/'
demo = dict(
    data_root=demo_root,
    ann_file=demo_root + 'demo_3d.pkl',
    label_map=demo_root + 'label_map.txt',
    num_classes=14)
