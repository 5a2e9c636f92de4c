import numpy as np
import pytest
from mmaction.datasets.transforms import PreNormalize3D

from stars_mmaction.datasets.transforms import FastPreNormalize3D


def skeleton_with_gaps(empty_0, empty_1, num_frames=12):
    rng = np.random.default_rng(0)
    skeleton = rng.normal(size=(2, num_frames, 25, 3)).astype(np.float32)
    skeleton[0, list(empty_0)] = 0
    skeleton[1, list(empty_1)] = 0
    skeleton[0, 5, 3] = 0  # one missing joint: its frame stays
    return skeleton


@pytest.mark.parametrize('empty_0,empty_1', [((0, 4), (7, )),
                                             ((2, 3, 9), (1, )),
                                             ((), range(12))])
@pytest.mark.parametrize('align', [False, True])
def test_same_output_as_mmaction(empty_0, empty_1, align):
    skeleton = skeleton_with_gaps(empty_0, empty_1)
    kwargs = dict(align_spine=align, align_shoulder=align)
    stock = PreNormalize3D(**kwargs)(
        dict(keypoint=skeleton.copy(), total_frames=12))
    fast = FastPreNormalize3D(**kwargs)(
        dict(keypoint=skeleton.copy(), total_frames=12))
    assert fast['total_frames'] == stock['total_frames']
    assert fast['keypoint'].dtype == stock['keypoint'].dtype
    np.testing.assert_array_equal(fast['keypoint'], stock['keypoint'])
    np.testing.assert_array_equal(fast['body_center'], stock['body_center'])


def test_keeps_the_person_with_more_frames_first_by_hand():
    skeleton = np.zeros((2, 4, 25, 3), dtype=np.float32)
    skeleton[0, 0] = 1.  # person 0 in frame 0 only
    skeleton[1, 1:] = 2.  # person 1 in frames 1-3
    skeleton[1, 1:, 1] = 3.  # their centre joint
    out = FastPreNormalize3D(align_spine=False, align_shoulder=False)(
        dict(keypoint=skeleton, total_frames=4))
    assert out['total_frames'] == 3 and out['keypoint'].shape[:2] == (2, 3)
    np.testing.assert_array_equal(out['body_center'], [3., 3., 3.])
    np.testing.assert_array_equal(out['keypoint'][0, :, 0], -1.)
    np.testing.assert_array_equal(out['keypoint'][1], 0.)  # person 0 gone


def test_all_zero_input_unchanged():
    results = dict(keypoint=np.zeros((1, 3, 25, 3)), total_frames=3)
    assert FastPreNormalize3D()(results) is results
    assert results['total_frames'] == 3
