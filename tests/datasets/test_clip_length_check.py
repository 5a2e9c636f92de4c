"""A clip length or crop size that does not fit the data set is refused."""
import pickle

import numpy as np
import pytest
from mmaction.registry import DATASETS
from mmengine.registry import init_default_scope

from stars_mmaction.datasets import check_clip_lengths


@pytest.fixture
def ann_file(tmp_path):
    """Six samples of 24 frames (the longest) or fewer."""
    annotations = [
        dict(frame_dir=f's{i}', label=0, total_frames=t,
             keypoint=np.ones((1, t, 25, 3), np.float32))
        for i, t in enumerate([24, 20, 16, 24, 12, 18])
    ]
    path = tmp_path / 'windows.pkl'
    with open(path, 'wb') as f:
        pickle.dump(dict(split=dict(train=[a['frame_dir']
                                           for a in annotations]),
                         annotations=annotations), f)
    return str(path)


def build(ann_file, crop, views=False):
    init_default_scope('mmaction')  # as the Runner does
    transforms = [crop]
    if views:
        transforms = [dict(type='SkeletonMultiView', transforms=[crop])]
    return DATASETS.build(
        dict(type='SkeletonPoseDataset', ann_file=ann_file, split='train',
             pipeline=transforms + [dict(type='FormatGCNInput', num_person=2),
                                    dict(type='PackActionInputs')]))


def crop(**kwargs):
    return dict(type='ValidFrameCropResize', **kwargs)


def test_clip_len_above_every_sequence_is_refused(ann_file):
    problems = check_clip_lengths(
        build(ann_file, crop(clip_len=120, p_interval=(0.95, ))),
        'test_dataloader')
    assert len(problems) == 1
    assert ('test_dataloader: every sample of ' + ann_file +
            ' has at most 24 frames but ValidFrameCropResize.clip_len=120'
            ) in problems[0]


@pytest.mark.parametrize('views', [False, True])
def test_min_crop_at_or_above_every_sequence_is_refused(ann_file, views):
    problems = check_clip_lengths(
        build(ann_file, crop(clip_len=24, min_crop=24), views),
        'train_dataloader')
    assert problems == [
        'train_dataloader: ValidFrameCropResize.min_crop=24 is at or above '
        f'the longest sequence of {ann_file} (24 frames), so random cropping '
        'never happens. Set min_crop below 24 in that pipeline'
    ]


def test_fitting_lengths_pass(ann_file):
    assert check_clip_lengths(
        build(ann_file, crop(clip_len=24, min_crop=16)), 'x') == []
    # a centre crop has no min_crop to check
    assert check_clip_lengths(
        build(ann_file, crop(clip_len=16, p_interval=(1.0, ), min_crop=64)),
        'x') == []
