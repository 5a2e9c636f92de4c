"""Broken samples (keypoints, labels, frame counts), through tools/train.py.

Each case changes the first training sample of the demo data; the error
must name the file and that sample and come before any training step.
"""
import numpy as np
import pytest

from corpus_tools import (assert_refused, broken_sample, demo_data,
                          stage1_config, train, write_pickle)


def set_coordinate(value, frame=3):

    def change(keypoint):
        keypoint = keypoint.copy()
        keypoint[0, frame, 5, 1] = value
        return keypoint

    return change


def persons(count):
    return lambda k: np.concatenate([k] + [k[:1]] * (count - len(k)))[:count]


# name: (changes of the sample, expected message (regex))
CASES = {
    'keypoint_rank_3': (dict(keypoint=lambda k: k[0]),
                        r'keypoint must be an array of shape \(M, T, V, C\),'
                        r' got \(\d+, 25, 3\)'),
    'keypoint_as_a_list': (dict(keypoint=lambda k: k.tolist()),
                           r'keypoint must be an array of shape \(M, T, V, '
                           r'C\), got list'),
    'wrong_joint_count': (dict(keypoint=lambda k: k[:, :, :17]),
                          r'keypoint has 17 joints x 3 coordinates, '
                          r'expected 25 x 3'),
    'too_many_joints': (dict(keypoint=lambda k: np.concatenate(
        [k, k[:, :, :2]], axis=2)), r'keypoint has 27 joints x 3 '
        r'coordinates, expected 25 x 3'),
    'two_dimensional_keypoints': (dict(keypoint=lambda k: k[..., :2]),
                                  r'keypoint has 25 joints x 2 coordinates,'
                                  r' expected 25 x 3'),
    'four_coordinates': (dict(keypoint=lambda k: np.concatenate(
        [k, k[..., :1]], axis=-1)), r'25 joints x 4 coordinates, expected '
        r'25 x 3'),
    'four_persons': (dict(keypoint=persons(4)),
                     r'keypoint has 4 persons, expected at most 2 '
                     r'\(max_persons'),
    'three_persons': (dict(keypoint=persons(3)),
                      r'keypoint has 3 persons, expected at most 2'),
    'nan_coordinates': (dict(keypoint=set_coordinate(np.nan)),
                        r'keypoint has NaN or infinite coordinates in '
                        r'frames \[3\]'),
    'inf_coordinates': (dict(keypoint=set_coordinate(np.inf)),
                        r'keypoint has NaN or infinite coordinates in '
                        r'frames \[3\]'),
    'nan_in_the_first_frame': (dict(keypoint=set_coordinate(np.nan, 0)),
                               r'NaN or infinite coordinates in frames '
                               r'\[0\]'),
    'empty_sequence': (dict(keypoint=lambda k: k[:, :0], total_frames=0),
                       r'is empty: keypoint shape \(\d+, 0, 25, 3\), '
                       r'expected M, T >= 1'),
    'no_person': (dict(keypoint=lambda k: k[:0]),
                  r'is empty: keypoint shape \(0, \d+, 25, 3\)'),
    'all_zero_joints': (dict(keypoint=lambda k: np.zeros_like(k)),
                        r'every joint of every frame is zero, expected at '
                        r'least one non-zero joint'),
    'label_out_of_range': (dict(label=14), r'label 14 out of range, '
                           r'expected an int in \[0, 12\)'),
    'negative_label': (dict(label=-1), r'label -1 out of range'),
    'label_as_float': (dict(label=3.0), r'label 3.0 out of range, expected '
                       r'an int'),
    'label_as_string': (dict(label='wave'), r"label 'wave' out of range, "
                        r'expected an int'),
    'sample_without_keypoint': (dict(keypoint=None),
                                r"has no 'keypoint' key"),
    'sample_without_label': (dict(label=None), r"has no 'label' key"),
    'total_frames_mismatch': (dict(total_frames=lambda t: t + 5),
                              r'total_frames=\d+ but keypoint has \d+ '
                              r'frames'),
}


@pytest.mark.parametrize('case', list(CASES))
def test_broken_sample(case, tmp_path, monkeypatch, demo_ann_file):
    changes, pattern = CASES[case]
    data = broken_sample(demo_data(demo_ann_file), **changes)
    ann_file = write_pickle(tmp_path / f'{case}.pkl', data)
    err = train(monkeypatch, stage1_config(tmp_path, ann_file),
                tmp_path / 'work')
    assert_refused(err, pattern, tmp_path / 'work')
    assert str(ann_file) in str(err)  # names the file
    first = data['split']['xsub_train'][0]
    assert f'sample {first!r}' in str(err)  # and the sample
