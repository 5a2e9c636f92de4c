"""Activation checkpointing of transformer blocks, whole or selective."""
from functools import partial
from typing import Any

import torch
from torch import Tensor, nn
from torch.utils.checkpoint import (CheckpointPolicy, checkpoint,
                                    create_selective_checkpoint_contexts)

CP_SCOPES = ('block', 'mlp', 'selective')

_aten = torch.ops.aten
# Fused attention kernels, and bmm for attention written out.
_ATTENTION_OPS = frozenset(
    getattr(_aten, name).default for name in (
        'bmm', '_scaled_dot_product_flash_attention_for_cpu',
        '_scaled_dot_product_flash_attention',
        '_scaled_dot_product_efficient_attention',
        '_scaled_dot_product_cudnn_attention') if hasattr(_aten, name))
# The matmuls of linear layers, with the position of their (K, M) operand.
_MATMULS = {_aten.mm.default: 1, _aten.addmm.default: 2}


def check_cp_scope(cp_scope: str) -> None:
    """Refuse an unknown activation-checkpointing scope."""
    if cp_scope not in CP_SCOPES:
        raise ValueError(f'cp_scope must be one of {CP_SCOPES}, got '
                         f'{cp_scope!r}')


def builds_graph(block: nn.Module, x: Tensor) -> bool:
    """Whether running ``block`` on ``x`` records anything for backward.

    False for a frozen block fed by frozen layers (the untuned part of the
    encoder in STARS tuning), which checkpointing would only slow down.
    """
    return torch.is_grad_enabled() and (x.requires_grad or any(
        p.requires_grad for p in block.parameters()))


def keep_widening_outputs(ctx: Any, op: Any, *args: Any,
                          **kwargs: Any) -> CheckpointPolicy:
    """The ``'selective'`` policy: what to keep of a block's forward pass.

    Kept: attention outputs and the outputs of the matmuls that widen the
    tokens (qkv, the MLP's first layer), the costly part of a block.
    Recomputed: layer norms, GELU, residual adds and the square or narrowing
    projections (``proj``: about a twentieth of a block's forward work; the
    MLP's second layer is never recomputed, as no gradient needs its output
    and recomputation stops once the needed tensors are back).
    """
    if op in _ATTENTION_OPS:
        return CheckpointPolicy.MUST_SAVE
    if op in _MATMULS:
        rows, cols = args[_MATMULS[op]].shape
        if rows < cols:
            return CheckpointPolicy.MUST_SAVE
    return CheckpointPolicy.PREFER_RECOMPUTE


def run_blocks(blocks: nn.ModuleList,
               x: Tensor,
               with_cp: bool = False,
               cp_scope: str = 'block') -> Tensor:
    """Apply ``blocks`` in turn, optionally with activation checkpointing.

    Checkpointing only applies to blocks that build a graph: frozen blocks
    fed by frozen layers run plainly.

    Args:
        blocks (nn.ModuleList): Blocks with ``forward_attention`` and
            ``forward_mlp`` halves (:class:`TransformerBlock`).
        x (Tensor): Tokens of shape (B, L, C).
        with_cp (bool): Recompute activations in the backward pass instead
            of storing them (saves memory at large batch). Defaults to False.
        cp_scope (str): What is recomputed. ``'block'``: the whole block,
            least memory, one more forward pass of time. ``'mlp'``: its MLP
            half, whose 4x-wide hidden activations are most of a block's
            memory. ``'selective'``: PyTorch's selective checkpointing with
            :func:`keep_widening_outputs`: layer norms, GELU, residual adds
            and the output projection are recomputed, the rest kept; in
            STARS tuning on CPU it saves about 30% of the step's tensor
            memory for 0-10% more time.
            Defaults to ``'block'``.

    Returns:
        Tensor: Tokens of shape (B, L, C).
    """
    for block in blocks:
        if not (with_cp and builds_graph(block, x)):
            x = block(x)
        elif cp_scope == 'block':
            x = checkpoint(block, x, use_reentrant=False)
        elif cp_scope == 'mlp':
            x = checkpoint(block.forward_mlp,
                           block.forward_attention(x),
                           use_reentrant=False)
        else:
            x = checkpoint(block,
                           x,
                           use_reentrant=False,
                           context_fn=partial(
                               create_selective_checkpoint_contexts,
                               keep_widening_outputs))
    return x
