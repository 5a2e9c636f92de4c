# KNN evaluation on the synthetic demo data set (4-block x 64 demo encoder,
# 24-frame clips, one data process), e.g. of a demo MAMP checkpoint:
# python tools/test.py configs/stars/eval/knn_demo-xsub-keypoint-3d.py work_dirs/demo/seed0/mamp/epoch_14.pth
_base_ = ['./knn_ntu60-xsub-keypoint-3d.py', '../../_base_/datasets/demo.py']
clip_len = 24
model = dict(
    backbone=dict(embed_dims=64, depth=4, num_heads=4, num_frames=clip_len))
demo_test_pipeline = [
    dict(type='FastPreNormalize3D', align_spine=False, align_shoulder=False),
    dict(type='ValidFrameCropResize', clip_len=clip_len, p_interval=(0.95, )),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs', meta_keys=('frame_dir', 'sample_idx'))
]
dataset = dict(
    ann_file=_base_.demo.ann_file,
    num_classes=_base_.demo.num_classes,
    pipeline=demo_test_pipeline)
test_dataloader = dict(
    batch_size=64, num_workers=0, dataset=dict(**dataset, split='xsub_val'))
test_evaluator = dict(
    num_classes=_base_.demo.num_classes, label_map=_base_.demo.label_map)
test_cfg = dict(
    bank_dataloader=dict(
        batch_size=64,
        num_workers=0,
        dataset=dict(**dataset, split='xsub_train')))
