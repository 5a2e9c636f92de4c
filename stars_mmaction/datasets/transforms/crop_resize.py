"""The reference's valid-frame crop, resized to a fixed clip length."""
from typing import Dict, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform

from .sample_rng import RandomSource, sample_rng


def num_valid_frames(keypoint: np.ndarray) -> int:
    """The number of frames whose coordinates are not all zero.

    The reference feeders' count: ``(data.sum(C).sum(M).sum(V) != 0).sum()``
    over all persons. The crop then covers the first that many frames, so
    trailing padding is excluded; an all-zero frame inside the sequence
    (no person present) shortens the window by one at its end, as in the
    reference.

    Args:
        keypoint (np.ndarray): Skeletons of shape (M, T, V, C).

    Returns:
        int: The number of valid frames.
    """
    per_frame = keypoint.sum(axis=3).sum(axis=0).sum(axis=1)
    return int(np.count_nonzero(per_frame != 0))


def resize_frames(keypoint: np.ndarray, clip_len: int) -> np.ndarray:
    """Linearly resample a sequence to ``clip_len`` frames.

    Same as the reference's ``F.interpolate(mode='bilinear',
    align_corners=False)`` over the time axis.

    Args:
        keypoint (np.ndarray): Skeletons of shape (M, T, V, C).
        clip_len (int): Frames of the output.

    Returns:
        np.ndarray: Skeletons of shape (M, clip_len, V, C), float32.
    """
    M, T, V, C = keypoint.shape
    seq = torch.from_numpy(np.ascontiguousarray(keypoint, dtype=np.float32))
    seq = seq.permute(0, 2, 3, 1).reshape(1, M * V * C, T)
    seq = F.interpolate(seq, size=clip_len, mode='linear', align_corners=False)
    return seq.reshape(M, V, C, clip_len).permute(0, 3, 1, 2).numpy()


def check_p_interval(p_interval: Sequence[float],
                     name: str = 'p_interval') -> Tuple[float, ...]:
    """A crop interval as floats: ``(p,)`` or ``(low, high)`` in (0, 1].

    Args:
        p_interval (Sequence[float]): The interval.
        name (str): Its key, for the error. Defaults to ``'p_interval'``.

    Returns:
        tuple[float, ...]: The interval.
    """
    p_interval = tuple(float(p) for p in p_interval)
    if len(p_interval) not in (1, 2) or not all(
            0 < p <= 1 for p in p_interval) or sorted(p_interval) != list(
                p_interval):
        raise ValueError(f'{name} must be (p,) or (low, high) with '
                         f'0 < low <= high <= 1, got {p_interval}')
    return p_interval


@TRANSFORMS.register_module()
class ValidFrameCropResize(BaseTransform):
    """Crop the valid frames and resize them to ``clip_len`` (MAMP's feeder).

    Training (two values in ``p_interval``) crops a random window of
    ``clamp(floor(valid * p), min_crop, valid)`` frames, ``p ~ U[p_interval]``,
    at a random start. Testing (one value ``p``) takes the centre crop that
    drops ``(1 - p) / 2`` of the valid frames at each end. Sequences shorter
    than ``min_crop`` are used whole. The window is then linearly resized to
    ``clip_len`` frames.

    Required Keys:
        - keypoint (M, T, V, C)

    Modified Keys:
        - keypoint (M, clip_len, V, C)
        - total_frames

    Args:
        clip_len (int): Frames of the output. Defaults to 120.
        p_interval (Sequence[float]): ``(low, high)`` for a random crop or
            ``(p,)`` for a centre crop. Defaults to ``(0.5, 1.0)``.
        min_crop (int): Minimum length of a random crop. Defaults to 64.
    """

    def __init__(self,
                 clip_len: int = 120,
                 p_interval: Sequence[float] = (0.5, 1.0),
                 min_crop: int = 64) -> None:
        p_interval = check_p_interval(p_interval)
        if clip_len < 1 or min_crop < 1:
            raise ValueError(f'clip_len ({clip_len}) and min_crop '
                             f'({min_crop}) must be positive')
        self.clip_len = clip_len
        self.p_interval = p_interval
        self.min_crop = min_crop

    def crop_window(self,
                    valid: int,
                    rng: Optional[RandomSource] = None) -> slice:
        """Frames of the crop among ``valid`` frames.

        Args:
            valid (int): Number of valid frames.
            rng (np.random.Generator, optional): Source of the random crop.
                Defaults to None (numpy's global state).
        """
        if len(self.p_interval) == 1:
            bias = int((1 - self.p_interval[0]) * valid / 2)
            return slice(bias, valid - bias)
        rng = sample_rng({}) if rng is None else rng
        low, high = self.p_interval
        p = rng.random() * (high - low) + low
        length = min(max(int(np.floor(valid * p)), self.min_crop), valid)
        start = rng.integers(0, valid - length + 1)
        return slice(start, start + length)

    def transform(self, results: Dict) -> Dict:
        keypoint = results['keypoint']
        valid = num_valid_frames(keypoint)
        if valid == 0:
            raise ValueError(
                f'sample {results.get("frame_dir", "?")!r} has no frame with '
                'a non-zero joint: expected at least one valid frame')
        window = keypoint[:, self.crop_window(valid, sample_rng(results))]
        results['keypoint'] = resize_frames(window, self.clip_len)
        results['total_frames'] = self.clip_len
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(clip_len={self.clip_len}, '
                f'p_interval={self.p_interval}, min_crop={self.min_crop})')
