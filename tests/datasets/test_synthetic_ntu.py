import numpy as np
import pytest

from stars_mmaction.datasets import synthetic_ntu as syn

SMALL = dict(num_subjects=3, num_val_subjects=1, num_repetitions=1)


@pytest.fixture(scope='module')
def default_data():
    return syn.make_dataset(seed=0)


@pytest.fixture(scope='module')
def small_data():
    return syn.make_dataset(seed=0, **SMALL)


def _subject(frame_dir):
    return int(frame_dir[frame_dir.index('P') + 1:frame_dir.index('R')])


def test_ntu_layout_constants():
    assert syn.NUM_JOINTS == 25
    assert len(syn.PARENTS) == 25 and syn.PARENTS[0] == -1
    assert len(syn.BONES) == 24
    assert len(syn.CLASS_NAMES) >= 12
    assert sum(c.two_person for c in syn.ACTION_CLASSES) >= 3
    # real NTU indices: hands hang from wrists, hand tips/thumbs from hands
    assert syn.PARENTS[7] == 6 and syn.PARENTS[11] == 10
    assert syn.PARENTS[21] == 7 and syn.PARENTS[23] == 11
    assert syn.PARENTS[2] == 20 and syn.PARENTS[20] == 1


def test_determinism(small_data):
    again = syn.make_dataset(seed=0, **SMALL)
    other = syn.make_dataset(seed=1, **SMALL)
    assert again['split'] == small_data['split']
    for a, b in zip(small_data['annotations'], again['annotations']):
        assert a['frame_dir'] == b['frame_dir'] and a['label'] == b['label']
        np.testing.assert_array_equal(a['keypoint'], b['keypoint'])
    differs = any(
        a['keypoint'].shape != b['keypoint'].shape
        or not np.array_equal(a['keypoint'], b['keypoint'])
        for a, b in zip(small_data['annotations'], other['annotations']))
    assert differs


def test_format(default_data):
    data = default_data
    assert set(data) == {'split', 'annotations'}
    assert set(data['split']) == {'xsub_train', 'xsub_val'}
    n_cls = len(syn.CLASS_NAMES)
    assert len(data['annotations']) == n_cls * 20 * 2
    names = [a['frame_dir'] for a in data['annotations']]
    assert len(set(names)) == len(names)
    for a in data['annotations']:
        kp = a['keypoint']
        assert isinstance(a['frame_dir'], str)
        assert isinstance(a['label'], int) and 0 <= a['label'] < n_cls
        assert kp.dtype == np.float32 and kp.ndim == 4
        M, T, V, C = kp.shape
        assert M in (1, 2) and V == 25 and C == 3
        assert a['total_frames'] == T and 40 <= T <= 150
        assert np.isfinite(kp).all()
        assert int(a['frame_dir'][-3:]) == a['label'] + 1
        # camera-style axes: depth around 3 m, head above feet
        assert 1.5 < kp[0, :, 1, 2].mean() < 4.5
        assert (kp[0, :, 3, 1] > kp[0, :, 15, 1]).mean() > 0.9
    train, val = data['split']['xsub_train'], data['split']['xsub_val']
    assert sorted(train + val) == sorted(names)
    assert not set(train) & set(val)
    tr_subj = {_subject(n) for n in train}
    va_subj = {_subject(n) for n in val}
    assert len(tr_subj) == 14 and len(va_subj) == 6
    assert not tr_subj & va_subj


def test_bone_lengths_constant(small_data):
    noise = 0.01
    for a in small_data['annotations']:
        kp = a['keypoint'].astype(np.float64)
        for m in range(kp.shape[0]):
            for child, parent in syn.BONES:
                length = np.linalg.norm(kp[m, :, child] - kp[m, :, parent], axis=-1)
                # difference of two noisy joints: std ~ sqrt(2) * noise
                assert length.std() < 3 * noise, (a['frame_dir'], child, parent)


def test_bone_lengths_exact_without_noise():
    data = syn.make_dataset(seed=3, noise_std=0.0, **SMALL)
    for a in data['annotations']:
        kp = a['keypoint'].astype(np.float64)
        for child, parent in syn.BONES:
            length = np.linalg.norm(kp[:, :, child] - kp[:, :, parent], axis=-1)
            np.testing.assert_allclose(length, length[:, :1].repeat(length.shape[1], 1),
                                       atol=1e-5)


def test_two_person_classes(small_data):
    two_labels = {i for i, c in enumerate(syn.ACTION_CLASSES) if c.two_person}
    seen = set()
    for a in small_data['annotations']:
        kp = a['keypoint']
        if a['label'] in two_labels:
            seen.add(a['label'])
            assert kp.shape[0] == 2
            for m in range(2):
                # both persons move: joint displacement well above the noise
                motion = np.abs(kp[m] - kp[m, :1]).max()
                assert motion > 0.15, a['frame_dir']
            # persons are distinct bodies standing apart
            assert np.linalg.norm(kp[0, 0, 1] - kp[1, 0, 1]) > 0.3
    assert seen == two_labels


def test_single_person_mostly_m1(default_data):
    single = [a for a in default_data['annotations']
              if not syn.ACTION_CLASSES[a['label']].two_person]
    m1 = sum(a['keypoint'].shape[0] == 1 for a in single)
    assert 0.6 * len(single) < m1 < len(single)  # some carry an idle bystander


def test_raw_features():
    kp = np.random.default_rng(0).normal(size=(1, 50, 25, 3)).astype(np.float32)
    f = syn.raw_features(kp, num_frames=32)
    assert f.shape == (2 * 32 * 25 * 3, )
    f = f.reshape(2, 32, 25, 3)
    np.testing.assert_allclose(f[0, 0, 1], 0.0, atol=1e-6)
    assert not f[1].any()


def test_raw_nn_accuracy(default_data):
    acc = syn.raw_nn_accuracy(default_data)
    chance = 1.0 / len(syn.CLASS_NAMES)
    assert chance < acc < 0.95
    assert 2 * chance < acc


def test_invalid_args():
    with pytest.raises(ValueError):
        syn.make_dataset(num_classes=0)
    with pytest.raises(ValueError):
        syn.make_dataset(num_classes=len(syn.CLASS_NAMES) + 1)
