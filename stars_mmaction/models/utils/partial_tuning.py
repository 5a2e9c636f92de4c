"""Partial tuning: which layers of a layered encoder train (STARS stage 2).

The encoder freezes its untuned layers when it is built, before mmengine's
runner wraps the model in DDP, so DDP never registers them (no
``find_unused_parameters``) and no gradient is computed for them. The layer
numbering is mmpretrain's layer-decay protocol (``get_layer_depth``): the
embeddings are layer 0, block ``i`` is layer ``i + 1`` and the final norm is
layer ``depth + 1``.
"""
import math
from typing import Callable, List, Tuple

import torch.nn as nn
from mmengine.logging import MMLogger


def num_tuned_blocks(depth: int, tune_ratio: float) -> int:
    """Number of tuned blocks: ``floor(depth * tune_ratio + 0.5)``.

    Rounds half up and logs a warning when ``depth * tune_ratio`` is not an
    integer.

    Args:
        depth (int): Number of transformer blocks.
        tune_ratio (float): Proportion of the blocks tuned, in [0, 1].

    Returns:
        int: The number of tuned blocks, the last ones of the encoder.

    Raises:
        ValueError: If ``tune_ratio`` is not a number in [0, 1].
    """
    if isinstance(tune_ratio, bool) or \
            not isinstance(tune_ratio, (int, float)) or \
            not 0 <= tune_ratio <= 1:
        raise ValueError(f'tune_ratio must be a number in [0, 1] (the '
                         f'proportion of encoder blocks tuned), got '
                         f'{tune_ratio!r}')
    exact = depth * tune_ratio
    n_tuned = int(math.floor(exact + 0.5))
    if abs(exact - n_tuned) > 1e-6:
        MMLogger.get_current_instance().warning(
            f'tune_ratio={tune_ratio} x depth {depth} = {exact:g} blocks; '
            f'rounded to {n_tuned}')
    return n_tuned


def is_layer_tuned(layer_id: int, depth: int, n_tuned: int) -> bool:
    """Whether layer ``layer_id`` trains when the last ``n_tuned`` of
    ``depth`` blocks are tuned.

    Block ``i`` (layer ``i + 1``) trains iff ``i >= depth - n_tuned``; the
    final norm (layer ``depth + 1``) iff ``n_tuned > 0``; the embeddings
    (layer 0) only when every block trains.

    Args:
        layer_id (int): Layer in the ``get_layer_depth`` sense.
        depth (int): Number of blocks.
        n_tuned (int): Number of tuned blocks.

    Returns:
        bool: True for a tuned layer.
    """
    if n_tuned == depth:
        return True
    return n_tuned > 0 and layer_id >= depth + 1 - n_tuned


def freeze_untuned_layers(named_parameters: List[Tuple[str, nn.Parameter]],
                          layer_of: Callable[[str], int], depth: int,
                          n_tuned: int) -> List[str]:
    """Set ``requires_grad=False`` on the parameters of untuned layers.

    Args:
        named_parameters (list[tuple[str, Parameter]]): The encoder's
            ``named_parameters()``.
        layer_of (Callable[[str], int]): Layer id of a parameter name.
        depth (int): Number of blocks.
        n_tuned (int): Number of tuned blocks.

    Returns:
        list[str]: The names of the parameters frozen.
    """
    frozen = []
    for name, param in named_parameters:
        if not is_layer_tuned(layer_of(name), depth, n_tuned):
            param.requires_grad_(False)
            frozen.append(name)
    return frozen
