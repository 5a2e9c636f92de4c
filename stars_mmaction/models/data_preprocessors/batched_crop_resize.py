"""``ValidFrameCropResize`` for a padded batch, in torch on any device."""
from typing import Optional, Sequence, Tuple

import torch
from torch import Tensor


def crop_windows(valid: Tensor,
                 p_interval: Sequence[float],
                 min_crop: int,
                 u_ratio: Optional[Tensor] = None,
                 u_start: Optional[Tensor] = None) -> Tuple[Tensor, Tensor]:
    """Start and length of every sample's crop among its valid frames.

    The formulas of ``ValidFrameCropResize.crop_window`` in float64: a
    centre crop dropping ``int((1 - p) * valid / 2)`` frames at each end, or
    ``clamp(floor(valid * p), min_crop, valid)`` frames with ``p = low +
    u_ratio * (high - low)`` starting at ``floor(u_start * (valid - length
    + 1))`` (uniform over the possible starts).

    Args:
        valid (Tensor): Valid frames per sample, int64 (B,).
        p_interval (Sequence[float]): ``(p,)`` or ``(low, high)``.
        min_crop (int): Shortest random crop.
        u_ratio (Tensor, optional): Uniform [0, 1) numbers (B,) of the crop
            ratio; needed for a random crop.
        u_start (Tensor, optional): Uniform [0, 1) numbers (B,) of the
            start; needed for a random crop.

    Returns:
        tuple[Tensor, Tensor]: ``start`` and ``length``, int64 (B,).
    """
    frames = valid.to(torch.float64)
    if len(p_interval) == 1:
        bias = torch.floor((1 - p_interval[0]) * frames / 2).long()
        return bias, valid - 2 * bias
    if u_ratio is None or u_start is None:
        raise ValueError('a random crop needs u_ratio and u_start')
    low, high = p_interval
    p = u_ratio * (high - low) + low
    length = torch.floor(frames * p).long().clamp(min=min_crop)
    length = torch.minimum(length, valid)
    starts = valid - length + 1
    start = torch.floor(u_start * starts.to(torch.float64)).long()
    return torch.minimum(start, starts - 1), length


def resize_indices(length: Tensor,
                   clip_len: int) -> Tuple[Tensor, Tensor, Tensor]:
    """Source frames and weights of a linear resize of ``length`` frames
    to ``clip_len``, as ``F.interpolate(mode='linear',
    align_corners=False)``'s CPU kernel computes them for float32.

    Args:
        length (Tensor): Frames of each window, int64 (B,).
        clip_len (int): Frames of the output.

    Returns:
        tuple[Tensor, Tensor, Tensor]: The left and right source frames
        (int64, (B, clip_len)) and the right frame's weight (float32).
    """
    # The kernel computes the scale in float32 and the source position with
    # one fused multiply-add: exact in float64, then rounded once.
    scale = (length.to(torch.float32) / clip_len).to(torch.float64)
    target = torch.arange(clip_len, device=length.device,
                          dtype=torch.float64) + 0.5
    source = (scale[:, None] * target - 0.5).to(torch.float32).clamp(min=0)
    left = source.long()
    weight = (source - left).clamp(0, 1)
    last = (length - 1)[:, None]
    right = torch.where(left < last, left + 1, left)
    return left, right, weight


def crop_resize(keypoint: Tensor, start: Tensor, length: Tensor,
                clip_len: int) -> Tensor:
    """Crop frames ``[start, start + length)`` of every sample and resize
    them linearly to ``clip_len`` frames.

    Equal (up to float rounding) to ``resize_frames`` on each sample's
    window: the two source frames of every output frame are gathered and
    mixed with the interpolation weights.

    Args:
        keypoint (Tensor): Padded sequences (B, M, T, V, C).
        start (Tensor): First frame of each window, int64 (B,).
        length (Tensor): Frames of each window, int64 (B,).
        clip_len (int): Frames of the output.

    Returns:
        Tensor: Clips of shape (B, M, clip_len, V, C).
    """
    left, right, weight = resize_indices(length, clip_len)
    by_frame = keypoint.transpose(1, 2)  # (B, T, M, V, C)
    rows = torch.arange(keypoint.shape[0], device=keypoint.device)[:, None]
    first = by_frame[rows, left + start[:, None]]
    second = by_frame[rows, right + start[:, None]]
    weight = weight.to(keypoint.dtype)[:, :, None, None, None]
    resized = first * (1 - weight) + second * weight
    return resized.transpose(1, 2)
