"""MoCo's shuffled BatchNorm: keys computed on a batch mixed across ranks."""
from typing import Callable, Tuple

import torch
from mmengine.dist import all_gather, broadcast, get_dist_info
from torch import Tensor


def _gather(x: Tensor) -> Tensor:
    """Rows of every rank, in rank order (the same size on every rank)."""
    if get_dist_info()[1] == 1:
        return x
    return torch.cat(all_gather(x.contiguous()))


@torch.no_grad()
def shuffle_across_ranks(x: Tensor) -> Tuple[Tensor, Tensor]:
    """A random slice of the global batch for this rank, and the undo index.

    Rank 0 draws one permutation of the gathered rows and broadcasts it;
    rank ``r`` keeps block ``r`` of the permuted rows. With one process it
    permutes the local batch.

    Args:
        x (Tensor): This rank's rows (B, ...), the same B on every rank.

    Returns:
        tuple[Tensor, Tensor]: The shuffled rows (B, ...) and the index that
        :func:`unshuffle_across_ranks` needs.
    """
    rank, world_size = get_dist_info()
    gathered = _gather(x)
    order = torch.randperm(gathered.shape[0], device=x.device)
    broadcast(order, src=0)
    return gathered[order.view(world_size, -1)[rank]], torch.argsort(order)


@torch.no_grad()
def unshuffle_across_ranks(x: Tensor, undo: Tensor) -> Tensor:
    """This rank's rows of the global batch back in their original order.

    Args:
        x (Tensor): Outputs (B, ...) of the shuffled rows of this rank.
        undo (Tensor): Index returned by :func:`shuffle_across_ranks`.

    Returns:
        Tensor: Outputs (B, ...) aligned with the rows before shuffling.
    """
    rank, world_size = get_dist_info()
    return _gather(x)[undo.view(world_size, -1)[rank]]


@torch.no_grad()
def forward_shuffled(module: Callable[[Tensor], Tensor], x: Tensor) -> Tensor:
    """``module(x)`` with the batch shuffled across ranks for BatchNorm.

    MoCo's shuffle-BN: the key encoder's BatchNorm statistics come from a
    random mix of the global batch, so a query and its key never share a
    batch composition that the model could exploit.

    Args:
        module (callable): A row-wise map apart from its BatchNorm layers.
        x (Tensor): This rank's rows (B, ...).

    Returns:
        Tensor: ``module``'s outputs aligned with ``x``.
    """
    shuffled, undo = shuffle_across_ranks(x)
    return unshuffle_across_ranks(module(shuffled), undo)
