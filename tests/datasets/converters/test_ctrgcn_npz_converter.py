"""CTR-GCN / MAMP .npz conversion."""
import numpy as np
import pytest
from skeleton_fixtures import ctrgcn_array_from_annotation

from stars_mmaction.datasets.converters.ctrgcn_npz import convert_ctrgcn_npz
from stars_mmaction.datasets.converters.summary import ConversionError


def sample(rng, valid, two_persons, gap=None):
    x = np.zeros((300, 2, 25, 3), np.float32)
    x[:valid, 0] = rng.normal(size=(valid, 25, 3))
    if two_persons:
        x[:valid, 1] = rng.normal(size=(valid, 25, 3))
    if gap is not None:
        x[gap] = 0
    return x.reshape(300, 150)


def one_hot(labels, num_class):
    y = np.zeros((len(labels), num_class), np.float32)
    y[np.arange(len(labels)), labels] = 1
    return y


def make_npz(path, rng):
    x_train = np.stack([sample(rng, 300, True), sample(rng, 64, False),
                        sample(rng, 120, True, gap=50)])
    x_test = np.stack([sample(rng, 1, False), sample(rng, 299, True)])
    y_train, y_test = one_hot([3, 0, 59], 60), one_hot([7, 12], 60)
    np.savez(path, x_train=x_train, y_train=y_train, x_test=x_test,
             y_test=y_test)
    return x_train, y_train, x_test, y_test


def test_round_trip(tmp_path):
    rng = np.random.default_rng(0)
    path = tmp_path / 'NTU60_CS.npz'
    x_train, y_train, x_test, y_test = make_npz(path, rng)
    data, summary = convert_ctrgcn_npz(str(path), benchmark='xsub')
    assert summary.written == 5 and summary.num_skipped == 0
    assert data['split'] == {
        'xsub_train': ['train_000000', 'train_000001', 'train_000002'],
        'xsub_val': ['val_000000', 'val_000001']}
    anns = data['annotations']
    assert [a['total_frames'] for a in anns] == [300, 64, 120, 1, 299]
    assert [a['keypoint'].shape[0] for a in anns] == [2, 1, 2, 1, 2]
    assert [a['label'] for a in anns] == [3, 0, 59, 7, 12]
    for a in anns:
        assert a['keypoint'].dtype == np.float32
        assert a['keypoint'].shape[1:] == (a['total_frames'], 25, 3)
    back_train = np.stack([ctrgcn_array_from_annotation(a['keypoint'])
                           for a in anns[:3]])
    back_test = np.stack([ctrgcn_array_from_annotation(a['keypoint'])
                          for a in anns[3:]])
    np.testing.assert_array_equal(back_train, x_train)
    np.testing.assert_array_equal(back_test, x_test)
    # layout: person-major, then joint, then xyz
    np.testing.assert_array_equal(anns[0]['keypoint'][1, 5, 7],
                                  x_train[0, 5, 75 + 21:75 + 24])
    # the inner zero frame is kept
    assert not anns[2]['keypoint'][:, 50].any()


def test_prefix_and_integer_labels(tmp_path):
    rng = np.random.default_rng(1)
    path = tmp_path / 'a.npz'
    np.savez(path, x_train=np.stack([sample(rng, 10, False)]),
             y_train=np.array([4]), x_test=np.stack([sample(rng, 5, True)]),
             y_test=np.array([2]))
    data, _ = convert_ctrgcn_npz(str(path), benchmark='xview',
                                 prefix='ntu60_')
    assert data['split'] == {'xview_train': ['ntu60_train_000000'],
                             'xview_val': ['ntu60_val_000000']}
    assert [a['label'] for a in data['annotations']] == [4, 2]


def test_missing_arrays_error_names_them(tmp_path):
    path = tmp_path / 'broken.npz'
    np.savez(path, x_train=np.zeros((1, 300, 150)), y_train=np.zeros((1, 2)))
    with pytest.raises(ConversionError) as e:
        convert_ctrgcn_npz(str(path), benchmark='xsub')
    msg = str(e.value)
    assert 'x_test' in msg and 'y_test' in msg and str(path) in msg
    assert 'x_train' not in msg.split('expected')[0]


def test_bad_shapes_and_files(tmp_path):
    path = tmp_path / 'shape.npz'
    np.savez(path, x_train=np.zeros((2, 300, 3, 25, 2)),
             y_train=np.zeros((2, 5)), x_test=np.zeros((1, 300, 150)),
             y_test=np.zeros((1, 5)))
    with pytest.raises(ConversionError, match='x_train has shape'):
        convert_ctrgcn_npz(str(path))
    with pytest.raises(ConversionError, match='not found'):
        convert_ctrgcn_npz(str(tmp_path / 'none.npz'))
    (tmp_path / 'junk.npz').write_bytes(b'not a zip')
    with pytest.raises(ConversionError, match='not a readable npz'):
        convert_ctrgcn_npz(str(tmp_path / 'junk.npz'))


def test_bad_samples_skipped(tmp_path):
    rng = np.random.default_rng(2)
    good = sample(rng, 20, False)
    nan = sample(rng, 20, False)
    nan[3, 4] = np.nan
    x_train = np.stack([good, nan, np.zeros((300, 150), np.float32), good])
    y_train = one_hot([0, 1, 2, 3], 5)
    y_train[3] = [0, 1, 1, 0, 0]  # not one-hot
    x_test = np.stack([good, good])
    y_test = np.array([[0, 0, 0, 0, 1], [0, 0, 0, 0, 0]], np.float32)
    path = tmp_path / 'bad.npz'
    np.savez(path, x_train=x_train, y_train=y_train, x_test=x_test,
             y_test=y_test)
    data, summary = convert_ctrgcn_npz(str(path), benchmark='xsub')
    assert [a['frame_dir'] for a in data['annotations']] == [
        'train_000000', 'val_000000']
    assert 'train_000001' in summary.skipped['NaN values'][0]
    assert 'train_000002' in summary.skipped['empty sample'][0]
    bad = summary.skipped['bad label']
    assert 'train_000003' in bad[0] and 'val_000001' in bad[1]
    # a label past --num-classes
    data, summary = convert_ctrgcn_npz(str(path), benchmark='xsub',
                                       num_classes=4)
    (msg,) = summary.skipped['label out of range']
    assert 'val_000000' in msg and 'label 4' in msg
