"""Token layout shared by the MAMP encoder, decoder and head."""
from torch import Tensor, nn


class JointsEmbedding(nn.Module):
    """One token per joint and segment of ``t_patch_size`` frames.

    Args:
        in_channels (int): Coordinates per joint. Defaults to 3.
        embed_dims (int): Token width. Defaults to 256.
        t_patch_size (int): Frames per segment. Defaults to 4.
    """

    def __init__(self,
                 in_channels: int = 3,
                 embed_dims: int = 256,
                 t_patch_size: int = 4) -> None:
        super().__init__()
        self.proj = nn.Conv2d(
            in_channels,
            embed_dims,
            kernel_size=(t_patch_size, 1),
            stride=(t_patch_size, 1))

    def forward(self, x: Tensor) -> Tensor:
        """Embed (B, T, V, C) sequences into (B, T', V, D) tokens."""
        return self.proj(x.permute(0, 3, 1, 2)).permute(0, 2, 3, 1)


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


def check_sequence(x: Tensor, num_frames: int, num_joints: int,
                   in_channels: int, t_patch_size: int) -> None:
    """Refuse (B, T, V, C) sequences the encoder was not built for.

    Args:
        x (Tensor): Sequences of shape (B, T, V, C).
        num_frames (int): Most frames the encoder takes.
        num_joints (int): Joints per person.
        in_channels (int): Coordinates per joint.
        t_patch_size (int): Frames per token; T must be a multiple.
    """
    _, T, V, C = x.shape
    if C != in_channels or V != num_joints:
        raise ValueError(
            f'MAMPEncoder was built for {num_joints} joints x {in_channels} '
            f'coordinates, got {V} joints x {C} coordinates')
    if T % t_patch_size or T > num_frames:
        raise ValueError(
            f'MAMPEncoder was built for at most {num_frames} frames in '
            f'segments of {t_patch_size}, got {T} frames; resize clips with '
            '`ValidFrameCropResize(clip_len=...)`')
