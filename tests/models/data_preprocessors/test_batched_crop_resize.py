import numpy as np
import pytest
import torch

from stars_mmaction.datasets.transforms import ValidFrameCropResize
from stars_mmaction.datasets.transforms.crop_resize import num_valid_frames
from stars_mmaction.models.data_preprocessors import (crop_resize,
                                                      crop_windows,
                                                      uniform_from_keys)

# Lengths below, at and above min_crop and clip_len.
LENGTHS = (1, 2, 9, 16, 40, 63, 64, 65, 120, 121, 199, 300)


def padded_batch(lengths, max_frames=300, seed=0):
    """Two persons (the second absent in odd samples), zero tails."""
    rng = np.random.default_rng(seed)
    batch = np.zeros((len(lengths), 2, max_frames, 25, 3), np.float32)
    for i, length in enumerate(lengths):
        batch[i, :, :length] = rng.normal(size=(2, length, 25, 3))
        if i % 2:
            batch[i, 1] = 0
    return batch


@pytest.mark.parametrize('p', [0.95, 1.0, 0.5])
def test_deterministic_crop_equals_per_sample_transform(p):
    batch = padded_batch(LENGTHS)
    transform = ValidFrameCropResize(clip_len=24, p_interval=(p, ))
    valid = torch.tensor([num_valid_frames(x) for x in batch])
    assert valid.tolist() == list(LENGTHS)
    start, length = crop_windows(valid, (p, ), 64)
    out = crop_resize(torch.from_numpy(batch), start, length, 24)
    for i, sample in enumerate(batch):
        expected = transform(dict(keypoint=sample[:, :LENGTHS[i] + 5]))
        torch.testing.assert_close(
            out[i], torch.from_numpy(expected['keypoint']), rtol=1e-6,
            atol=1e-6)


def test_centre_crop_window_by_hand():
    start, length = crop_windows(torch.tensor([100, 41, 1]), (0.95, ), 64)
    # int(0.05 * 100 / 2) = 2, int(0.05 * 41 / 2) = int(1.025) = 1, 0.
    assert start.tolist() == [2, 1, 0] and length.tolist() == [96, 39, 1]


def test_random_window_matches_the_per_sample_distribution():
    n, valid_len = 6000, 200
    keys = torch.arange(n) * 104729 + 17
    valid = torch.full((n, ), valid_len)
    start, length = crop_windows(valid, (0.5, 1.0), 64,
                                 uniform_from_keys(keys, 0),
                                 uniform_from_keys(keys, 1))
    transform = ValidFrameCropResize(p_interval=(0.5, 1.0), min_crop=64)
    rng = np.random.default_rng(0)
    windows = [transform.crop_window(valid_len, rng) for _ in range(n)]
    ref_length = np.array([w.stop - w.start for w in windows])
    ref_start = np.array([w.start for w in windows])
    assert length.min() >= 100 and length.max() <= 200
    assert ref_length.min() >= 100 and ref_length.max() <= 200
    # floor(200 p), p ~ U[0.5, 1): mean 149.5, std 100 / sqrt(12) = 28.9.
    assert abs(length.double().mean() - 149.5) < 1.5
    assert abs(ref_length.mean() - 149.5) < 1.5
    assert abs(length.double().std() - 28.87) < 1.0
    assert (start + length <= valid).all() and (start >= 0).all()
    # Start uniform over [0, valid - length]: its fraction is U[0, 1].
    fraction = (start.double() + 0.5) / (valid - length + 1)
    ref_fraction = (ref_start + 0.5) / (valid_len - ref_length + 1)
    assert abs(fraction.mean() - 0.5) < 0.015
    assert abs(ref_fraction.mean() - 0.5) < 0.015
    assert abs(fraction.std() - ref_fraction.std()) < 0.01
    # Short sequences are used whole, as min_crop clamps to valid.
    start, length = crop_windows(torch.tensor([50, 64]), (0.5, 1.0), 64,
                                 torch.tensor([0.1, 0.0]),
                                 torch.tensor([0.99, 0.99]))
    assert length.tolist() == [50, 64] and start.tolist() == [0, 0]


def test_random_crop_resizes_its_window():
    batch = torch.from_numpy(padded_batch((150, 90)))
    valid = torch.tensor([150, 90])
    start, length = crop_windows(valid, (0.5, 1.0), 64,
                                 torch.tensor([0.3, 0.7]),
                                 torch.tensor([0.6, 0.2]))
    # floor(150 * 0.65) = 97 at floor(0.6 * 54) = 32; floor(90 * 0.85) = 76
    # at floor(0.2 * 15) = 3.
    assert length.tolist() == [97, 76] and start.tolist() == [32, 3]
    out = crop_resize(batch, start, length, 16)
    transform = ValidFrameCropResize(clip_len=16, p_interval=(1.0, ))
    expected = transform(dict(keypoint=batch[0, :, 32:129].numpy()))
    torch.testing.assert_close(out[0], torch.from_numpy(
        expected['keypoint']), rtol=1e-6, atol=1e-6)
