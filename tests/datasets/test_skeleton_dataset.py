import pickle

import numpy as np
import pytest

from stars_mmaction.datasets import AnnotationError, SkeletonPoseDataset


def sample(name, label=0, shape=(1, 10, 25, 3)):
    keypoint = np.random.rand(*shape).astype(np.float32)
    return dict(frame_dir=name, label=label, total_frames=shape[1],
                keypoint=keypoint)


def write(tmp_path, content, name='ann.pkl'):
    path = tmp_path / name
    with open(path, 'wb') as f:
        pickle.dump(content, f)
    return str(path)


def dataset(path, **kwargs):
    return SkeletonPoseDataset(path, pipeline=[], **kwargs)


def infos(data):
    return [data.get_data_info(i) for i in range(len(data))]


def annotations(*samples_, split=None):
    names = [s['frame_dir'] for s in samples_]
    return dict(split=split or dict(xsub_train=names), annotations=samples_)


def test_loads_a_valid_split(tmp_path):
    content = annotations(sample('a'), sample('b', 1), sample('c', 2),
                          split=dict(xsub_train=['a', 'c'], xsub_val=['b']))
    data = dataset(write(tmp_path, content), split='xsub_train',
                   num_classes=3)
    assert [d['frame_dir'] for d in infos(data)] == ['a', 'c']
    assert data[0]['keypoint'].shape == (1, 10, 25, 3)


def test_pickle_without_annotations_names_the_file_and_keys(tmp_path):
    path = write(tmp_path, dict(samples=[]))
    with pytest.raises(AnnotationError,
                       match=r"ann\.pkl must hold .*'split' and "
                       r"'annotations'.*\['samples'\]"):
        dataset(path, split='xsub_train')


def test_missing_split_lists_the_available_ones(tmp_path):
    path = write(tmp_path, annotations(sample('a')))
    with pytest.raises(AnnotationError,
                       match=r"split 'xview_train' is not in .*ann\.pkl.*"
                       r"\['xsub_train'\]"):
        dataset(path, split='xview_train')


def test_truncated_pickle_is_reported(tmp_path):
    path = write(tmp_path, annotations(sample('a')))
    with open(path, 'rb') as f:
        head = f.read(200)
    with open(path, 'wb') as f:
        f.write(head)
    with pytest.raises(AnnotationError, match='not a readable pickle.*'
                       'truncated'):
        dataset(path, split='xsub_train')


def test_missing_file_says_how_to_make_one(tmp_path):
    with pytest.raises(FileNotFoundError, match='make_demo_dataset'):
        dataset(str(tmp_path / 'none.pkl'))


def test_missing_relative_file_names_the_folder_it_is_resolved_against(
        tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError) as error:
        dataset('data/demo/demo_3d.pkl')
    assert ('data/demo/demo_3d.pkl does not exist (a relative path, resolved '
            f'against the current folder {tmp_path}') in str(error.value)


@pytest.mark.parametrize('bad, match', [
    (dict(keypoint=np.zeros((10, 25, 3), np.float32)),
     r"'s1' of .*\(M, T, V, C\), got \(10, 25, 3\)"),
    (dict(keypoint=np.zeros((1, 10, 17, 3), np.float32)),
     r"'s1'.*17 joints x 3 coordinates, expected 25 x 3"),
    (dict(keypoint=np.zeros((1, 0, 25, 3), np.float32), total_frames=0),
     r"'s1' of .* is empty"),
    (dict(label=7), r"'s1'.*label 7 out of range.*\[0, 3\)"),
    (dict(total_frames=11), r"'s1'.*total_frames=11 but keypoint has 10"),
])
def test_bad_samples_name_the_sample_and_expectation(tmp_path, bad, match):
    bad_sample = dict(sample('s1'), **bad)
    path = write(tmp_path, annotations(sample('s0'), bad_sample))
    with pytest.raises(AnnotationError, match=match):
        dataset(path, split='xsub_train', num_classes=3)


def test_nan_coordinates_name_the_frames(tmp_path):
    bad = sample('s1')
    bad['keypoint'][0, 4, 3, 1] = np.nan
    bad['keypoint'][0, 6, 0, 0] = np.inf
    path = write(tmp_path, annotations(bad))
    with pytest.raises(AnnotationError,
                       match=r"'s1'.*NaN or infinite.*frames \[4, 6\]"):
        dataset(path, split='xsub_train')


def test_subset_is_seeded_and_sized(tmp_path):
    content = annotations(*[sample(f's{i}', i % 4) for i in range(200)])
    path = write(tmp_path, content)
    first = dataset(path, split='xsub_train', subset_ratio=0.1,
                    subset_seed=3)
    again = dataset(path, split='xsub_train', subset_ratio=0.1,
                    subset_seed=3)
    other = dataset(path, split='xsub_train', subset_ratio=0.1,
                    subset_seed=4)
    names = [d['frame_dir'] for d in infos(first)]
    assert len(names) == 20
    assert names == [d['frame_dir'] for d in infos(again)]
    assert names != [d['frame_dir'] for d in infos(other)]
    balanced = dataset(path, split='xsub_train', subset_ratio=0.1,
                       class_balanced=True)
    labels = [d['label'] for d in infos(balanced)]
    assert sorted(np.bincount(labels).tolist()) == [5, 5, 5, 5]


def test_class_selection_and_relabel(tmp_path):
    content = annotations(*[sample(f's{i}', i % 4) for i in range(8)])
    data = dataset(write(tmp_path, content), split='xsub_train',
                   classes=[3, 1], relabel=True)
    assert [d['label'] for d in infos(data)] == [1, 0, 1, 0]
