import numpy as np
import pytest

from stars_mmaction.datasets.transforms import ValidFrameCropResize
from stars_mmaction.datasets.transforms.crop_resize import (num_valid_frames,
                                                            resize_frames)


def ramp(num_persons, valid, padded=None, joints=25):
    """Skeletons whose every coordinate equals the frame index + 1."""
    frames = np.arange(1, valid + 1, dtype=np.float32)
    keypoint = np.broadcast_to(frames[None, :, None, None],
                               (num_persons, valid, joints, 3)).copy()
    if padded:
        keypoint = np.concatenate(
            [keypoint, np.zeros((num_persons, padded - valid, joints, 3),
                                np.float32)], axis=1)
    return keypoint


def test_valid_frames_ignore_trailing_padding():
    assert num_valid_frames(ramp(2, 37, padded=300)) == 37
    assert num_valid_frames(np.zeros((1, 5, 25, 3))) == 0


def test_resize_is_linear_interpolation_like_the_reference():
    import torch
    import torch.nn.functional as F
    keypoint = np.random.rand(2, 37, 25, 3).astype(np.float32)
    ours = resize_frames(keypoint, 120)
    # the reference: bilinear over (C*V*M, T) with align_corners=False
    ref = torch.from_numpy(keypoint).permute(3, 1, 2, 0)  # C, T, V, M
    ref = ref.permute(0, 2, 3, 1).reshape(1, 1, 3 * 25 * 2, 37)
    ref = F.interpolate(ref, size=(3 * 25 * 2, 120), mode='bilinear',
                        align_corners=False)
    ref = ref.reshape(3, 25, 2, 120).permute(2, 3, 1, 0).numpy()
    assert np.allclose(ours, ref, atol=1e-6)


def test_centre_crop_drops_the_ends_then_resizes():
    transform = ValidFrameCropResize(clip_len=10, p_interval=(0.9, ))
    out = transform(dict(keypoint=ramp(1, 100, padded=150)))
    assert out['keypoint'].shape == (1, 10, 25, 3)
    assert out['total_frames'] == 10
    # The reference computes int((1 - 0.9) * 100 / 2) = int(4.999...) = 4 in
    # floating point: frames 5..96 (92 of them), resized linearly.
    bias = int((1 - 0.9) * 100 / 2)
    assert bias == 4
    window = np.arange(1 + bias, 101 - bias, dtype=np.float32)
    positions = (np.arange(10) + 0.5) * len(window) / 10 - 0.5
    assert np.allclose(out['keypoint'][0, :, 0, 0],
                       np.interp(positions, np.arange(len(window)), window))


def test_random_crop_length_is_clamped_to_min_crop_and_valid():
    np.random.seed(0)
    transform = ValidFrameCropResize(clip_len=120, p_interval=(0.5, 1))
    for valid in (100, 300):
        for _ in range(50):
            window = transform.crop_window(valid)
            length = window.stop - window.start
            assert min(64, valid) <= length <= valid
            assert length >= int(np.floor(valid * 0.5))
            assert 0 <= window.start and window.stop <= valid


@pytest.mark.parametrize('valid', [1, 10, 63])
def test_sequences_shorter_than_the_minimum_crop_are_used_whole(valid):
    transform = ValidFrameCropResize(clip_len=120, p_interval=(0.5, 1))
    out = transform(dict(keypoint=ramp(2, valid, padded=valid + 5)))
    assert out['keypoint'].shape == (2, 120, 25, 3)
    assert out['keypoint'].min() == 1 and out['keypoint'].max() == valid


def test_single_person_and_long_sequences():
    transform = ValidFrameCropResize(clip_len=120, p_interval=(0.95, ))
    out = transform(dict(keypoint=ramp(1, 300)))
    assert out['keypoint'].shape == (1, 120, 25, 3)
    assert out['keypoint'].dtype == np.float32


def test_empty_sequence_names_the_sample():
    transform = ValidFrameCropResize()
    with pytest.raises(ValueError, match="'S001A002'.*no frame"):
        transform(dict(keypoint=np.zeros((1, 10, 25, 3)),
                       frame_dir='S001A002'))


@pytest.mark.parametrize('p_interval', [(0., ), (0.9, 0.5), (0.5, 1.2),
                                        (0.1, 0.2, 0.3)])
def test_bad_p_interval_is_refused(p_interval):
    with pytest.raises(ValueError, match='p_interval'):
        ValidFrameCropResize(p_interval=p_interval)
