# Few-shot evaluation on the synthetic demo data set: classes 6..11 of the
# demo test split are the novel classes (50 samples each).
# python tools/test.py configs/stars/eval/fewshot_demo-xsub-keypoint-3d.py work_dirs/demo/seed0/stars/epoch_3.pth
_base_ = ['./fewshot_ntu120-xsub-keypoint-3d.py', '../../_base_/datasets/demo.py']
clip_len = 24
novel_classes = list(range(6, 12))
model = dict(
    backbone=dict(embed_dims=64, depth=4, num_heads=4, num_frames=clip_len))
demo_test_pipeline = [
    dict(type='PreNormalize3D', align_spine=False, align_shoulder=False),
    dict(type='ValidFrameCropResize', clip_len=clip_len, p_interval=(0.95, )),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs', meta_keys=('frame_dir', 'sample_idx'))
]
test_dataloader = dict(
    batch_size=32,
    num_workers=0,
    dataset=dict(
        ann_file=_base_.demo.ann_file,
        num_classes=_base_.demo.num_classes,
        classes=novel_classes,
        pipeline=demo_test_pipeline))
