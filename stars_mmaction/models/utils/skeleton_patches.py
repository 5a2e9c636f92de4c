"""Token layout shared by the MAMP encoder, decoder and head."""
from torch import Tensor


def patchify(x: Tensor, t_patch_size: int) -> Tensor:
    """Cut skeleton sequences into one token per joint and temporal segment.

    Args:
        x (Tensor): Sequences of shape (B, T, V, C), T divisible by
            ``t_patch_size``.
        t_patch_size (int): Frames per segment.

    Returns:
        Tensor: Patches of shape (B, T / t_patch_size * V,
        t_patch_size * C), ordered time-major like the encoder's tokens,
        each patch holding its frames in time order.
    """
    B, T, V, C = x.shape
    if T % t_patch_size != 0:
        raise ValueError(f'sequence length {T} is not divisible by the '
                         f'temporal patch size {t_patch_size}')
    x = x.reshape(B, T // t_patch_size, t_patch_size, V, C)
    x = x.permute(0, 1, 3, 2, 4)  # (B, T', V, t_patch_size, C)
    return x.reshape(B, T // t_patch_size * V, t_patch_size * C)


def frame_motion(x: Tensor) -> Tensor:
    """Frame-level motion ``x[t + 1] - x[t]``, zero for the last frame.

    Args:
        x (Tensor): Sequences of shape (B, T, V, C).

    Returns:
        Tensor: Motion of the same shape.
    """
    motion = x.new_zeros(x.shape)
    motion[:, :-1] = x[:, 1:] - x[:, :-1]
    return motion
