"""``PreNormalize3D`` (centring only) for a padded batch, in torch."""
from typing import Tuple

import torch
from torch import Tensor

# np.isclose(x, 0)'s default tolerance, as PreNormalize3D tests joints.
ZERO_TOLERANCE = 1e-8


def pre_normalize(keypoint: Tensor) -> Tensor:
    """Keep the main person's frames and centre the sequence, per sample.

    ``PreNormalize3D(align_spine=False, align_shoulder=False)`` (the
    configs' setting) on each zero-padded sample: the person with more
    non-empty frames comes first, only the frames where that person has a
    joint off 0 are kept (in order, moved to the front; the rest become
    zero padding), and every non-zero joint is moved by minus the first kept
    frame's centre joint (joint 1 of 25, else the last).

    Args:
        keypoint (Tensor): Zero-padded sequences (B, M, T, V, C), M <= 2.

    Returns:
        Tensor: The normalised sequences, same shape, zero-padded.
    """
    num_persons = keypoint.shape[1]
    if num_persons > 2:
        raise ValueError(f'PreNormalize3D handles 1 or 2 persons, got '
                         f'{num_persons}')
    nonempty = (keypoint.abs() > ZERO_TOLERANCE).any(dim=4).any(dim=3)
    if num_persons == 2:
        counts = nonempty.sum(dim=2)
        swap = counts[:, 1] > counts[:, 0]
        keypoint = torch.where(swap[:, None, None, None, None],
                               keypoint.flip(1), keypoint)
        nonempty = torch.where(swap[:, None, None], nonempty.flip(1),
                               nonempty)
    keypoint, kept = keep_frames(keypoint, nonempty[:, 0])
    center_joint = 1 if keypoint.shape[3] == 25 else -1
    center = keypoint[:, 0, 0, center_joint]  # (B, C)
    present = (keypoint != 0).any(dim=4, keepdim=True)
    return (keypoint - center[:, None, None, None]) * present


def keep_frames(keypoint: Tensor, keep: Tensor) -> Tuple[Tensor, Tensor]:
    """Move the frames where ``keep`` is set to the front, in order, and
    zero the others.

    Args:
        keypoint (Tensor): Sequences (B, M, T, V, C).
        keep (Tensor): Boolean (B, T).

    Returns:
        tuple[Tensor, Tensor]: The sequences and the number of kept frames
        (int64 (B,)).
    """
    order = torch.sort((~keep).to(torch.uint8), dim=1, stable=True).indices
    rows = torch.arange(keypoint.shape[0], device=keypoint.device)[:, None]
    moved = keypoint.transpose(1, 2)[rows, order].transpose(1, 2)
    kept = keep.sum(dim=1)
    in_front = torch.arange(keypoint.shape[2],
                            device=keypoint.device) < kept[:, None]
    return moved * in_front[:, None, :, None, None], kept


def valid_frames(keypoint: Tensor) -> Tensor:
    """``num_valid_frames`` of every sample: frames whose coordinates do
    not sum to 0, summed over coordinates, persons, then joints.

    Args:
        keypoint (Tensor): Sequences (B, M, T, V, C).

    Returns:
        Tensor: int64 (B,).
    """
    per_frame = keypoint.sum(dim=4).sum(dim=1).sum(dim=2)
    return (per_frame != 0).sum(dim=1)
