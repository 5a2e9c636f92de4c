import numpy as np
from bench_models import STAGE1_CONFIG, load_config
from gpu_check_loader import (SPLIT, ntu_like_annotations, retarget,
                              set_clip_len)


def test_ntu_like_annotations_have_ntu_shapes():
    data = ntu_like_annotations(200, seed=3)
    annotations = data['annotations']
    assert data['split'] == {SPLIT: [a['frame_dir'] for a in annotations]}
    frames = np.array([a['total_frames'] for a in annotations])
    persons = np.array([a['keypoint'].shape[0] for a in annotations])
    assert frames.min() >= 50 and frames.max() <= 300
    assert frames.max() - frames.min() > 150  # spread over the range
    assert set(persons) == {1, 2}
    assert 0.3 < (persons == 2).mean() < 0.7
    for a in annotations:
        assert a['keypoint'].shape == (a['keypoint'].shape[0],
                                       a['total_frames'], 25, 3)
        assert a['keypoint'].dtype == np.float32
        assert 0 <= a['label'] < 60
        # Every frame valid (non-zero), as the crop counts valid frames.
        assert np.abs(a['keypoint']).sum(axis=(0, 2, 3)).min() > 0
    again = ntu_like_annotations(200, seed=3)['annotations']
    np.testing.assert_array_equal(again[7]['keypoint'],
                                  annotations[7]['keypoint'])


def test_retarget_sets_the_variables_and_their_keys():
    cfg = retarget(load_config(STAGE1_CONFIG, 8), '/tmp/x.pkl', 8)
    dataset = cfg.train_dataloader.dataset
    assert cfg.ann_file == dataset.ann_file == '/tmp/x.pkl'
    assert cfg.train_split == dataset.split == SPLIT
    assert cfg.clip_len == 8
    crops = [t for t in dataset.pipeline if 'clip_len' in t]
    assert [t['clip_len'] for t in crops] == [8]


def test_set_clip_len_reaches_nested_lists():
    node = dict(a=[dict(clip_len=120), (dict(b=dict(clip_len=1)), )], c=3)
    set_clip_len(node, 24)
    assert node == dict(a=[dict(clip_len=24), (dict(b=dict(clip_len=24)), )],
                        c=3)
