"""``RandomSkeletonRotation`` and ``RandomSkeletonMirror`` for a batch."""
from typing import Sequence, Tuple

import torch
from torch import Tensor


def rotation_matrices(angles: Tensor) -> Tensor:
    """``Rz @ Ry @ Rx`` per sample, with ``rotation_matrix``'s signs.

    Args:
        angles (Tensor): Angles about x, y and z in radians, (B, 3).

    Returns:
        Tensor: Rotation matrices (B, 3, 3) in the angles' dtype.
    """
    cos, sin = angles.cos(), angles.sin()
    one, zero = torch.ones_like(cos[:, 0]), torch.zeros_like(cos[:, 0])

    def stack(*rows: Tuple[Tensor, ...]) -> Tensor:
        return torch.stack([torch.stack(row, dim=-1) for row in rows], dim=-2)

    cx, cy, cz = cos.unbind(-1)
    sx, sy, sz = sin.unbind(-1)
    rx = stack((one, zero, zero), (zero, cx, sx), (zero, -sx, cx))
    ry = stack((cy, zero, -sy), (zero, one, zero), (sy, zero, cy))
    rz = stack((cz, sz, zero), (-sz, cz, zero), (zero, zero, one))
    return rz @ ry @ rx


def rotate(keypoint: Tensor, angles: Tensor) -> Tensor:
    """Rotate every sample's whole sequence by its angles.

    The matrices are built in float64 and cast, as the per-sample transform
    does; absent (all-zero) joints stay zero.

    Args:
        keypoint (Tensor): Clips (B, M, T, V, 3).
        angles (Tensor): Angles about x, y and z, (B, 3).

    Returns:
        Tensor: Rotated clips, same shape and dtype.
    """
    matrices = rotation_matrices(angles.to(torch.float64)).to(keypoint.dtype)
    return torch.einsum('bmtvc,bkc->bmtvk', keypoint, matrices)


def mirror_permutation(num_joints: int,
                       flip_pairs: Sequence[Tuple[int, int]]) -> Tensor:
    """Joint order that swaps every left joint with its right one.

    Args:
        num_joints (int): Joints per person.
        flip_pairs (Sequence[tuple[int, int]]): Left/right pairs.

    Returns:
        Tensor: int64 (num_joints,).
    """
    order = list(range(num_joints))
    for left, right in flip_pairs:
        if max(left, right) >= num_joints:
            raise ValueError(f'flip pair ({left}, {right}) needs more than '
                             f'{num_joints} joints')
        order[left], order[right] = right, left
    return torch.tensor(order)


def mirror(keypoint: Tensor, flip: Tensor, permutation: Tensor,
           axis: int) -> Tensor:
    """Mirror the samples where ``flip`` is set: swap the paired joints and
    negate coordinate ``axis``.

    Args:
        keypoint (Tensor): Clips (B, M, T, V, C).
        flip (Tensor): Boolean (B,).
        permutation (Tensor): From :func:`mirror_permutation`.
        axis (int): The negated coordinate.

    Returns:
        Tensor: The clips, mirrored where ``flip``.
    """
    mirrored = keypoint[:, :, :, permutation.to(keypoint.device)]
    sign = torch.ones(keypoint.shape[-1],
                      dtype=keypoint.dtype,
                      device=keypoint.device)
    sign[axis] = -1
    mirrored = mirrored * sign
    return torch.where(flip[:, None, None, None, None], mirrored, keypoint)
