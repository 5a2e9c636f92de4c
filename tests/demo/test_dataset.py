import numpy as np
import pytest

from stars_mmaction.demo import CLASS_NAMES, make_dataset, split_subjects

SMALL = dict(num_subjects=5, num_val_subjects=2, num_repetitions=2,
             num_val_repetitions=3)


@pytest.fixture(scope='module')
def data():
    return make_dataset(seed=0, **SMALL)


def subject(frame_dir):
    return int(frame_dir[frame_dir.index('P') + 1:frame_dir.index('R')])


def test_layout_and_shapes(data):
    anns = data['annotations']
    assert len(anns) == (3 * 2 + 2 * 3) * len(CLASS_NAMES)
    for ann in anns:
        keypoint = ann['keypoint']
        assert keypoint.dtype == np.float32
        assert keypoint.shape[0] in (1, 2)
        assert keypoint.shape[1:] == (ann['total_frames'], 25, 3)
        assert 40 <= ann['total_frames'] <= 64
        assert np.isfinite(keypoint).all()
        assert f'A{ann["label"] + 1:03d}' in ann['frame_dir']
    assert {a['keypoint'].shape[0] for a in anns} == {1, 2}


def test_deterministic_and_seeded(data):
    again = make_dataset(seed=0, **SMALL)
    assert again['split'] == data['split']
    for a, b in zip(data['annotations'], again['annotations']):
        np.testing.assert_array_equal(a['keypoint'], b['keypoint'])
    other = make_dataset(seed=1, **SMALL)
    assert not np.array_equal(data['annotations'][0]['keypoint'],
                              other['annotations'][0]['keypoint'])


def test_splits_by_subject_and_balanced(data):
    train, val = data['split']['xsub_train'], data['split']['xsub_val']
    assert len(train) + len(val) == len(data['annotations'])
    assert {subject(d) for d in train}.isdisjoint({subject(d) for d in val})
    assert len({subject(d) for d in val}) == 2
    labels = {a['frame_dir']: a['label'] for a in data['annotations']}
    for split in (train, val):
        counts = np.bincount([labels[d] for d in split])
        assert len(counts) == len(CLASS_NAMES) and (counts == counts[0]).all()
    assert split_subjects(0, 5, 2) == ([s for s in range(1, 6) if s not in
                                        split_subjects(0, 5, 2)[1]],
                                       split_subjects(0, 5, 2)[1])
    with pytest.raises(ValueError, match='num_val_subjects'):
        split_subjects(0, 5, 5)


def test_validation_repetitions_leave_training_data_unchanged(data):
    train, val = data['split']['xsub_train'], data['split']['xsub_val']
    assert (len(train), len(val)) == (3 * 2 * 12, 2 * 3 * 12)
    fewer = make_dataset(seed=0, **dict(SMALL, num_val_repetitions=1))
    assert fewer['split']['xsub_train'] == train
    assert len(fewer['split']['xsub_val']) == 2 * 1 * 12
    # every sequence both data sets have is the same
    kept = {a['frame_dir']: a['keypoint'] for a in fewer['annotations']}
    for ann in data['annotations']:
        if ann['frame_dir'] in kept:
            np.testing.assert_array_equal(ann['keypoint'],
                                          kept.pop(ann['frame_dir']))
    assert not kept
    with pytest.raises(ValueError, match='num_val_repetitions'):
        make_dataset(**dict(SMALL, num_val_repetitions=0))


def test_motion_is_temporally_smooth(data):
    # frame differences of a smooth motion are correlated from one frame to
    # the next (per-frame i.i.d. noise would make them anti-correlated)
    correlations = []
    for ann in data['annotations']:
        motion = np.diff(ann['keypoint'][0], axis=0).reshape(
            ann['total_frames'] - 1, -1)
        motion = motion - motion.mean(axis=0)
        correlations.append((motion[1:] * motion[:-1]).sum() /
                            (motion**2).sum())
    assert np.median(correlations) > .8
    assert min(correlations) > .5


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match='num_classes'):
        make_dataset(num_classes=13)
    with pytest.raises(ValueError, match='frame_range'):
        make_dataset(frame_range=(30, 20))
