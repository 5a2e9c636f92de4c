"""Attention written out as in the MAMP reference, the benchmarks' baseline.

The reference code computes ``softmax(q @ k^T * scale) @ v`` and so keeps a
token-by-token matrix per head (750 x 750 for a 120-frame, 25-joint person)
alive for the backward pass. :func:`with_written_out_attention` returns a copy
of a model whose attention layers compute exactly that, with the same
weights, so that the fused attention of
:class:`~stars_mmaction.models.utils.transformer_block.MultiheadSelfAttention`
can be compared with it side by side (speed, memory, outputs).
"""
import copy

import torch
import torch.nn as nn
from torch import Tensor

from stars_mmaction.models.utils.transformer_block import \
    MultiheadSelfAttention


class WrittenOutAttention(nn.Module):
    """Self-attention that materialises the attention matrix.

    Parameter names (``qkv``, ``proj``) and shapes are those of
    :class:`MultiheadSelfAttention`, so state dicts load either way.

    Args:
        dim (int): Token width.
        num_heads (int): Number of heads. Defaults to 8.
        qkv_bias (bool): Whether ``qkv`` has a bias. Defaults to True.
        attn_drop (float): Dropout on attention weights. Defaults to 0.
        proj_drop (float): Dropout after ``proj``. Defaults to 0.
    """

    def __init__(self,
                 dim: int,
                 num_heads: int = 8,
                 qkv_bias: bool = True,
                 attn_drop: float = 0.,
                 proj_drop: float = 0.) -> None:
        super().__init__()
        if dim % num_heads != 0:
            raise ValueError(f'dim={dim} must be divisible by '
                             f'num_heads={num_heads}')
        self.num_heads = num_heads
        self.scale = (dim // num_heads)**-0.5
        self.qkv = nn.Linear(dim, dim * 3, bias=qkv_bias)
        self.attn_drop = nn.Dropout(attn_drop)
        self.proj = nn.Linear(dim, dim)
        self.proj_drop = nn.Dropout(proj_drop)

    @classmethod
    def from_fused(cls,
                   fused: MultiheadSelfAttention) -> 'WrittenOutAttention':
        """A written-out copy of ``fused`` with copies of its weights.

        Args:
            fused (MultiheadSelfAttention): The attention layer to copy.

        Returns:
            WrittenOutAttention: The same function, written out.
        """
        dim = fused.qkv.in_features
        # The new layers' random initialisation is overwritten below; keep
        # it from advancing the global RNG, so that a run with the copy draws
        # the same random numbers (inputs, masks) as one with the original.
        with torch.random.fork_rng(devices=[]):
            written_out = cls(dim, fused.num_heads, fused.qkv.bias is not None,
                              fused.attn_drop, fused.proj_drop.p)
        written_out.to(fused.qkv.weight)  # same device and dtype
        written_out.load_state_dict(copy.deepcopy(fused.state_dict()))
        for src, dst in zip(fused.parameters(), written_out.parameters()):
            dst.requires_grad_(src.requires_grad)
        return written_out.train(fused.training)

    def forward(self, x: Tensor) -> Tensor:
        """Attend over the tokens of each sequence, as the reference does.

        Args:
            x (Tensor): Tokens of shape (B, L, C).

        Returns:
            Tensor: Tokens of shape (B, L, C).
        """
        B, L, C = x.shape
        qkv = self.qkv(x).reshape(B, L, 3, self.num_heads,
                                  C // self.num_heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        attn = (q @ k.transpose(-2, -1)) * self.scale
        attn = self.attn_drop(attn.softmax(dim=-1))
        x = (attn @ v).transpose(1, 2).reshape(B, L, C)
        return self.proj_drop(self.proj(x))


def with_written_out_attention(model: nn.Module) -> nn.Module:
    """A deep copy of ``model`` whose attention layers are written out.

    Every :class:`MultiheadSelfAttention` in the copy (encoder and decoder
    blocks alike) is replaced by a :class:`WrittenOutAttention` holding the
    same weights; everything else, ``requires_grad`` flags and train/eval
    mode included, is copied unchanged. ``model`` itself is not modified.

    Args:
        model (nn.Module): E.g. a ``MAMPEncoder`` or a whole
            ``STARSRecognizer``.

    Returns:
        nn.Module: The copy with written-out attention.

    Raises:
        ValueError: If ``model`` holds no ``MultiheadSelfAttention``.
    """
    if isinstance(model, MultiheadSelfAttention):
        return WrittenOutAttention.from_fused(model)
    copied = copy.deepcopy(model)
    targets = [(name, module) for name, module in copied.named_modules()
               if isinstance(module, MultiheadSelfAttention)]
    if not targets:
        raise ValueError(
            f'{type(model).__name__} has no MultiheadSelfAttention layer '
            'to write out')
    for name, module in targets:
        parent_name, _, attr = name.rpartition('.')
        parent = copied.get_submodule(parent_name) if parent_name else copied
        setattr(parent, attr, WrittenOutAttention.from_fused(module))
    return copied
