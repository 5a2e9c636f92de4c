"""Sinkhorn-Knopp centering of teacher outputs (SwAV, DINOv2)."""
import torch
import torch.distributed as torch_dist
from mmengine.dist import get_dist_info


@torch.no_grad()
def sinkhorn_knopp(logits: torch.Tensor,
                   temperature: float,
                   num_iters: int = 3,
                   global_batch: bool = True) -> torch.Tensor:
    """Balanced soft assignments of samples to prototypes.

    Computes ``Q = exp(logits / temperature)`` and alternately normalises
    its prototype sums (each prototype gets ``1 / K`` of the mass) and its
    sample sums (each sample gets ``1 / B``), as DINOv2's
    ``sinkhorn_knopp_teacher``; the result is rescaled so that every row
    (sample) sums to 1. Under DDP the prototype sums run over the global
    batch unless ``global_batch=False`` (each rank balances its own batch,
    as the STARS reference code does).

    Args:
        logits (Tensor): Teacher logits of shape (B, K).
        temperature (float): Teacher temperature (DINO: 0.04).
        num_iters (int): Normalisation rounds. Defaults to 3.
        global_batch (bool): Balance over the batches of all ranks.
            Defaults to True.

    Returns:
        Tensor: Assignments of shape (B, K); rows sum to 1, and after the
        last round each column sums to about ``B_global / K`` over the
        global batch.
    """
    if logits.dim() != 2:
        raise ValueError('sinkhorn_knopp expects logits of shape (B, K), '
                         f'got {tuple(logits.shape)}')
    if temperature <= 0 or num_iters < 1:
        raise ValueError(f'temperature must be > 0 and num_iters >= 1, got '
                         f'{temperature} and {num_iters}')
    world_size = get_dist_info()[1] if global_batch else 1
    distributed = world_size > 1 and torch_dist.is_initialized()
    # Subtracting the global max keeps exp() finite; the normalisations
    # cancel the constant.
    scaled = logits.float() / temperature
    top = scaled.max()
    if distributed:
        torch_dist.all_reduce(top, op=torch_dist.ReduceOp.MAX)
    q = torch.exp(scaled - top).t()  # (K, B)
    num_samples = q.shape[1] * world_size
    num_prototypes = q.shape[0]

    total = q.sum()
    if distributed:
        torch_dist.all_reduce(total)
    q /= total
    for _ in range(num_iters):
        rows = q.sum(dim=1, keepdim=True)
        if distributed:
            torch_dist.all_reduce(rows)
        q /= rows
        q /= num_prototypes
        q /= q.sum(dim=0, keepdim=True)
        q /= num_samples
    q *= num_samples
    return q.t()
