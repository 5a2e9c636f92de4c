import numpy as np
import pytest

from stars_mmaction.datasets import EpochSampleIndex, sample_random_state
from stars_mmaction.datasets.transforms import PadRawSkeleton
from stars_mmaction.datasets.transforms.crop_resize import num_valid_frames
from stars_mmaction.datasets.transforms.sample_rng import SAMPLE_RNG_KEY


def sequence(frames=40, valid=30, persons=2, seed=0):
    keypoint = np.random.default_rng(seed).normal(
        size=(persons, frames, 25, 3)).astype(np.float32)
    keypoint[:, valid:] = 0
    return keypoint


def test_pads_with_zeros_and_counts_valid_frames():
    keypoint = sequence(40, 30)
    keypoint[:, 10] = 0  # an empty frame inside: counted out, as ever
    results = PadRawSkeleton(max_frames=64)(
        dict(keypoint=keypoint.astype(np.float64), frame_dir='a'))
    out = results['keypoint']
    assert out.shape == (2, 64, 25, 3) and out.dtype == np.float32
    np.testing.assert_array_equal(out[:, :40], keypoint)
    assert not out[:, 40:].any()
    assert results['valid_len'] == 29 == num_valid_frames(keypoint)
    assert results['total_frames'] == 64
    assert 0 <= results['aug_key'] < 2**63 - 1


def test_key_is_a_function_of_seed_epoch_and_index():
    def key(index, epoch, seed):
        with sample_random_state(EpochSampleIndex(index, epoch, seed)) as rng:
            return PadRawSkeleton(64)(
                {'keypoint': sequence(), SAMPLE_RNG_KEY: rng})['aug_key']

    assert key(3, 1, 7) == key(3, 1, 7)
    others = {key(4, 1, 7), key(3, 2, 7), key(3, 1, 8)}
    assert key(3, 1, 7) not in others and len(others) == 3


def test_too_long_sample_names_frame_dir_and_both_lengths():
    with pytest.raises(ValueError, match=r"'S001A' has 70 frames.*"
                       r"max_frames=64"):
        PadRawSkeleton(64)(dict(keypoint=sequence(70, 70), frame_dir='S001A'))


def test_refuses_formatted_input_and_empty_samples():
    with pytest.raises(ValueError, match='before FormatGCNInput'):
        PadRawSkeleton(64)(dict(keypoint=sequence()[None], frame_dir='a'))
    with pytest.raises(ValueError, match="'b' has no frame"):
        PadRawSkeleton(64)(dict(keypoint=sequence(40, 0), frame_dir='b'))
    with pytest.raises(ValueError, match='max_frames'):
        PadRawSkeleton(0)
