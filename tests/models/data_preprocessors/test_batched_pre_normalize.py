import numpy as np
import torch

from stars_mmaction.datasets.transforms import FastPreNormalize3D
from stars_mmaction.datasets.transforms.crop_resize import num_valid_frames
from stars_mmaction.models.data_preprocessors import (keep_frames,
                                                      pre_normalize,
                                                      valid_frames)

MAX_FRAMES = 40


def samples(seed=0):
    """Raw sequences: one person; two; the second with more frames (the
    persons swap); the first absent in the middle; a trailing empty tail."""
    rng = np.random.default_rng(seed)

    def seq(persons, frames):
        return rng.normal(size=(persons, frames, 25, 3)).astype(np.float32)

    one = seq(1, 30)
    two = seq(2, 25)
    swapped = seq(2, 36)
    swapped[0, 20:] = 0
    gap = seq(2, 33)
    gap[0, 5:9] = 0
    gap[1, 12:] = 0
    tail = seq(2, 40)
    tail[:, 31:] = 0
    return [one, two, swapped, gap, tail]


def padded(keypoint):
    out = np.zeros((2, MAX_FRAMES, 25, 3), np.float32)
    out[:keypoint.shape[0], :keypoint.shape[1]] = keypoint
    return out


def test_equals_per_sample_pre_normalize_and_valid_count():
    raw = samples()
    batch = torch.from_numpy(np.stack([padded(x) for x in raw]))
    out = pre_normalize(batch)
    transform = FastPreNormalize3D(align_spine=False, align_shoulder=False)
    for i, keypoint in enumerate(raw):
        expected = padded(transform(dict(keypoint=keypoint.copy()))[
            'keypoint'])
        assert torch.equal(out[i], torch.from_numpy(expected)), i
        assert valid_frames(out[i:i + 1]).item() == num_valid_frames(
            expected)
    # The first kept frame's centre joint is the origin.
    assert not out[:, 0, 0, 1].any()
    # The swapped sample: 36 frames of the second person lead.
    assert valid_frames(out[2:3]).item() == 36


def test_keep_frames_moves_kept_frames_forward_in_order():
    x = torch.arange(6.).reshape(1, 1, 6, 1, 1) + 1
    keep = torch.tensor([[False, True, False, True, True, False]])
    moved, kept = keep_frames(x, keep)
    assert moved.flatten().tolist() == [2., 4., 5., 0., 0., 0.]
    assert kept.tolist() == [3]
