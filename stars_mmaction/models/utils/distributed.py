"""Gathering the batches of every rank, with and without gradients."""
import torch
import torch.distributed as torch_dist
from mmengine.dist import all_gather, get_dist_info


class _AllGatherWithGrad(torch.autograd.Function):
    """Concatenate a tensor of equal shape from every rank, with gradients.

    The backward pass sums the gradient of the gathered tensor over all
    ranks and returns this rank's slice, so each rank receives the gradient
    that every rank's loss sends to its own rows. Uses only ``all_gather``
    and ``all_reduce``, which every backend (gloo included) supports.
    """

    @staticmethod
    def forward(ctx, x: torch.Tensor) -> torch.Tensor:
        world_size = torch_dist.get_world_size()
        ctx.rank, ctx.batch = torch_dist.get_rank(), x.shape[0]
        out = [torch.empty_like(x) for _ in range(world_size)]
        torch_dist.all_gather(out, x.contiguous())
        return torch.cat(out)

    @staticmethod
    def backward(ctx, grad: torch.Tensor) -> torch.Tensor:
        grad = grad.contiguous()
        torch_dist.all_reduce(grad, op=torch_dist.ReduceOp.SUM)
        start = ctx.rank * ctx.batch
        return grad[start:start + ctx.batch]


def gather_with_grad(x: torch.Tensor) -> torch.Tensor:
    """Gather ``x`` (B, ...) from all ranks in rank order, keeping gradients.

    Every rank must pass the same batch size.

    Args:
        x (Tensor): This rank's batch, (B, ...).

    Returns:
        Tensor: The global batch (world_size * B, ...); ``x`` itself when not
        distributed.
    """
    if get_dist_info()[1] == 1:
        return x
    return _AllGatherWithGrad.apply(x)


@torch.no_grad()
def gather_batch(x: torch.Tensor) -> torch.Tensor:
    """Gather ``x`` (B, ...) from all ranks in rank order, without gradients.

    Args:
        x (Tensor): This rank's batch, (B, ...).

    Returns:
        Tensor: The global batch, detached; ``x`` detached when not
        distributed.
    """
    return torch.cat(all_gather(x.detach().contiguous()))
