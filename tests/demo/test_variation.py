import numpy as np

from stars_mmaction.demo.body import REST_OFFSETS
from stars_mmaction.demo.variation import (camera_transform, sample_subject,
                                           smooth_noise)


def lag1_autocorrelation(series):
    series = series - series.mean(axis=0)
    return (series[1:] * series[:-1]).sum(0) / (series**2).sum(0)


def test_smooth_noise_is_temporally_correlated():
    rng = np.random.default_rng(0)
    noise = smooth_noise(rng, (4000, 3), std=.5, smoothness=4.)
    assert noise.shape == (4000, 3)
    np.testing.assert_allclose(noise.std(axis=0), .5, rtol=.1)
    # a Gaussian kernel of std s gives lag-1 correlation exp(-1 / (4 s^2))
    np.testing.assert_allclose(lag1_autocorrelation(noise),
                               np.exp(-1 / 64), atol=.01)
    white = rng.standard_normal((4000, 3))
    assert np.abs(lag1_autocorrelation(white)).max() < .05


def test_subjects_differ_in_body_posture_and_speed():
    first = sample_subject(np.random.default_rng(1))
    second = sample_subject(np.random.default_rng(2))
    assert first.offsets.shape == REST_OFFSETS.shape
    assert not np.allclose(first.offsets, second.offsets)
    assert first.posture != second.posture and first.speed != second.speed


def test_camera_keeps_shapes_and_distances():
    positions = np.random.default_rng(0).standard_normal((2, 5, 25, 3))
    seen = camera_transform(np.random.default_rng(3), positions)
    assert seen.shape == positions.shape
    np.testing.assert_allclose(
        np.linalg.norm(seen[0, 0, 1] - seen[0, 0, 0]),
        np.linalg.norm(positions[0, 0, 1] - positions[0, 0, 0]))
    assert 2. < seen[..., 2].mean() < 4.  # a few metres from the camera
