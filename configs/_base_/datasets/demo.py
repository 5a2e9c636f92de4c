# The synthetic demo data set (tools/data/make_demo_dataset.py, package
# stars_mmaction/demo): 4,200 NTU-layout sequences of 12 whole-body actions
# by 40 subjects, 40-64 frames; splits xsub_train (30 subjects x 5
# repetitions, 1,800) and xsub_val (10 subjects x 20 repetitions, 2,400).
# Change the data root here only.
demo_root = 'data/demo/'
demo = dict(
    data_root=demo_root,
    ann_file=demo_root + 'demo_3d.pkl',
    label_map=demo_root + 'label_map.txt',
    num_classes=12)
