import numpy as np
import torch

from stars_mmaction.datasets.transforms import (RandomSkeletonMirror,
                                                RandomSkeletonRotation)
from stars_mmaction.datasets.transforms.spatial import rotation_matrix
from stars_mmaction.models.data_preprocessors import (mirror,
                                                      mirror_permutation,
                                                      rotate,
                                                      rotation_matrices)


class FixedDraws:
    """A generator stand-in returning given numbers."""

    def __init__(self, angles=None, random=0.0):
        self.angles, self.value = angles, random

    def uniform(self, low, high, size):
        return np.asarray(self.angles)

    def random(self):
        return self.value


def clips(batch=3, seed=0):
    x = torch.from_numpy(np.random.default_rng(seed).normal(
        size=(batch, 2, 8, 25, 3)).astype(np.float32))
    x[:, 1, 5:] = 0  # an absent person in the last frames
    return x


def test_rotation_matrices_equal_the_per_sample_ones():
    angles = torch.tensor([[0.1, -0.2, 0.3], [0.0, 0.0, 0.0],
                           [-0.3, 0.25, -0.05]], dtype=torch.float64)
    for row, matrix in zip(angles, rotation_matrices(angles)):
        np.testing.assert_allclose(matrix.numpy(),
                                   rotation_matrix(row.numpy()), atol=1e-15)


def test_rotate_equals_per_sample_rotation_and_keeps_zeros():
    x = clips()
    angles = torch.tensor([[0.1, -0.2, 0.3], [0.2, 0.1, -0.1],
                           [-0.3, 0.25, -0.05]])
    out = rotate(x, angles)
    transform = RandomSkeletonRotation(0.3)
    for i in range(3):
        expected = transform({
            'keypoint': x[i].numpy(),
            'sample_rng': FixedDraws(angles[i].double().numpy())
        })['keypoint']
        torch.testing.assert_close(out[i], torch.from_numpy(expected),
                                   rtol=1e-6, atol=1e-6)
    assert not out[:, 1, 5:].any()


def test_mirror_equals_per_sample_mirror_where_flipped():
    x = clips()
    permutation = mirror_permutation(25, RandomSkeletonMirror().flip_pairs)
    out = mirror(x, torch.tensor([True, False, True]), permutation, 0)
    expected = RandomSkeletonMirror(prob=1.0)({
        'keypoint': x[0].numpy().copy(),
        'sample_rng': FixedDraws()
    })['keypoint']
    assert torch.equal(out[0], torch.from_numpy(expected))
    assert torch.equal(out[1], x[1])
    # Joint 4 (left shoulder) takes joint 8's values, x negated.
    assert torch.equal(out[2, :, :, 4, 0], -x[2, :, :, 8, 0])
    assert torch.equal(out[2, :, :, 4, 1:], x[2, :, :, 8, 1:])
