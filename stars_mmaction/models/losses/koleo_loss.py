"""KoLeo regulariser: spreads features apart (Sablayrolles et al., 2018)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmaction.registry import MODELS


@MODELS.register_module()
class KoLeoLoss(nn.Module):
    """Kozachenko-Leonenko entropy estimator, as used in DINOv2.

    ``L = -mean_i log(min_{j != i} ||x_i - x_j|| + eps)`` over the
    L2-normalised rows of ``x``: the loss falls as every feature moves away
    from its nearest neighbour in the batch.

    Args:
        eps (float): Added to the distances before the log. Defaults to
            1e-8.
        loss_weight (float): Factor on the loss. Defaults to 1.0.
    """

    def __init__(self, eps: float = 1e-8, loss_weight: float = 1.) -> None:
        super().__init__()
        self.eps = eps
        self.loss_weight = loss_weight

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Compute the loss of features ``x`` (B, D), B >= 2."""
        if x.dim() != 2 or x.shape[0] < 2:
            raise ValueError('KoLeoLoss expects features of shape (B, D) '
                             f'with B >= 2, got {tuple(x.shape)}')
        x = F.normalize(x.float(), dim=1, eps=self.eps)
        with torch.no_grad():
            sims = x @ x.t()
            sims.fill_diagonal_(-2.)  # never one's own neighbour
            nearest = sims.argmax(dim=1)
        distances = (x - x[nearest]).norm(dim=1)
        return -torch.log(distances + self.eps).mean() * self.loss_weight


def chunked_koleo(koleo: KoLeoLoss, rows: torch.Tensor,
                  num_chunks: int) -> torch.Tensor:
    """Sum of ``koleo`` over ``rows.chunk(num_chunks)`` (the STARS code).

    The reference DINO tuning applies KoLeo to the student's head outputs of
    the global views, stacked view after view, split into ``2 x views``
    chunks (half a batch each) and summed, not averaged.

    Args:
        koleo (KoLeoLoss): The per-chunk loss.
        rows (Tensor): Features (N, D).
        num_chunks (int): Chunks, each of at least 2 rows.

    Returns:
        Tensor: The summed loss.
    """
    chunks = rows.chunk(num_chunks)
    if len(chunks) != num_chunks or min(len(c) for c in chunks) < 2:
        raise ValueError(
            f'KoLeo over {num_chunks} chunks needs at least '
            f'{2 * num_chunks} rows, got {rows.shape[0]}')
    return sum(koleo(chunk) for chunk in chunks)
