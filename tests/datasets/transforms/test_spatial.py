import numpy as np
import pytest

from stars_mmaction.datasets.transforms import (RandomSkeletonMirror,
                                                RandomSkeletonRotation)
from stars_mmaction.datasets.transforms.spatial import rotation_matrix


def test_rotation_matrix_matches_the_reference_convention():
    ax, ay, az = 0.1, -0.2, 0.3
    rx = np.array([[1, 0, 0], [0, np.cos(ax), np.sin(ax)],
                   [0, -np.sin(ax), np.cos(ax)]])
    ry = np.array([[np.cos(ay), 0, -np.sin(ay)], [0, 1, 0],
                   [np.sin(ay), 0, np.cos(ay)]])
    rz = np.array([[np.cos(az), np.sin(az), 0],
                   [-np.sin(az), np.cos(az), 0], [0, 0, 1]])
    assert np.allclose(rotation_matrix([ax, ay, az]), rz @ ry @ rx)


def test_rotation_preserves_lengths_and_zero_joints():
    np.random.seed(0)
    keypoint = np.random.randn(2, 8, 25, 3).astype(np.float32)
    keypoint[1] = 0  # absent second person
    out = RandomSkeletonRotation(0.3)(dict(keypoint=keypoint.copy()))
    rotated = out['keypoint']
    assert np.allclose(np.linalg.norm(rotated, axis=-1),
                       np.linalg.norm(keypoint, axis=-1), atol=1e-5)
    assert not np.allclose(rotated[0], keypoint[0])
    assert (rotated[1] == 0).all()


def test_rotation_is_one_rotation_per_sequence():
    np.random.seed(1)
    keypoint = np.tile(np.array([1., 0., 0.], np.float32), (1, 5, 25, 1))
    rotated = RandomSkeletonRotation(0.3)(dict(keypoint=keypoint))['keypoint']
    assert np.allclose(rotated, rotated[0, 0, 0])


def test_rotation_per_axis_ranges():
    keypoint = np.random.default_rng(0).standard_normal(
        (1, 4, 25, 3)).astype(np.float32)
    # Zero range about x and z: a turn about the vertical axis alone keeps
    # every height (y) and draws its angle from the y range only.
    about_y = RandomSkeletonRotation((0., 0.8, 0.))
    for seed in range(20):
        results = dict(keypoint=keypoint.copy(),
                       sample_rng=np.random.default_rng(seed))
        rotated = about_y(results)['keypoint']
        assert np.allclose(rotated[..., 1], keypoint[..., 1], atol=1e-6)
        cos_y = (rotated[..., [0, 2]] * keypoint[..., [0, 2]]).sum() / (
            keypoint[..., [0, 2]]**2).sum()
        assert cos_y >= np.cos(0.8) - 1e-5
    # One number is the same range about every axis.
    assert np.array_equal(RandomSkeletonRotation(0.3).max_angles,
                          RandomSkeletonRotation((0.3, ) * 3).max_angles)
    with pytest.raises(ValueError, match='max_angle'):
        RandomSkeletonRotation((0.3, 0.3))
    with pytest.raises(ValueError, match='max_angle'):
        RandomSkeletonRotation((0.3, -0.1, 0.3))


def test_mirror_swaps_left_and_right_and_negates_x():
    keypoint = np.zeros((1, 2, 25, 3), np.float32)
    keypoint[0, :, 4] = [1, 2, 3]  # left shoulder
    keypoint[0, :, 8] = [-1, 2, 3]  # right shoulder
    keypoint[0, :, 3] = [0.5, 1, 1]  # head (unpaired)
    out = RandomSkeletonMirror(prob=1.)(dict(keypoint=keypoint.copy()))
    mirrored = out['keypoint']
    assert np.allclose(mirrored[0, :, 4], [1, 2, 3])  # old right, negated
    assert np.allclose(mirrored[0, :, 8], [-1, 2, 3])
    assert np.allclose(mirrored[0, :, 3], [-0.5, 1, 1])


def test_mirror_twice_is_identity_and_prob_zero_is_a_no_op():
    keypoint = np.random.randn(2, 4, 25, 3).astype(np.float32)
    mirror = RandomSkeletonMirror(prob=1.)
    twice = mirror(mirror(dict(keypoint=keypoint.copy())))['keypoint']
    assert np.allclose(twice, keypoint)
    same = RandomSkeletonMirror(prob=0.)(dict(keypoint=keypoint.copy()))
    assert np.array_equal(same['keypoint'], keypoint)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match='prob'):
        RandomSkeletonMirror(prob=2)
    with pytest.raises(ValueError, match='max_angle'):
        RandomSkeletonRotation(-1)
    with pytest.raises(ValueError, match=r'\(21, 23\)'):
        RandomSkeletonMirror(prob=1.)(dict(
            keypoint=np.zeros((1, 2, 20, 3), np.float32)))
