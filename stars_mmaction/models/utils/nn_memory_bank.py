"""First-in-first-out memory bank: NNCLR's neighbours, MoCo's negatives."""
from typing import Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

from .distributed import gather_batch


class NNMemoryBank(nn.Module):
    """A queue of L2-normalised projections with their sample indices.

    The one FIFO queue of the contrastive heads: ``NNCLRHead`` looks up
    nearest neighbours in it, ``MoCoHead`` keeps its negative keys in it.

    Everything lives in persistent buffers, so the bank is part of the
    model's ``state_dict`` and mmengine checkpoints (``--resume``) restore it
    exactly:

    - ``bank`` (size, dim): the projections, random and normalised at start.
    - ``ptr`` (long scalar): where the next batch is written.
    - ``sample_idx`` (size,): the data set index of each entry, -1 for the
      random start entries.
    - ``label`` (size,): the class label of each entry, -1 when unknown
      (diagnostics only).

    Args:
        size (int): Number of entries. Any positive value; it need not be a
            multiple of the batch size. Defaults to 32768.
        dim (int): Projection dimension. Defaults to 256.
    """

    def __init__(self, size: int = 32768, dim: int = 256) -> None:
        super().__init__()
        if int(size) <= 0 or int(dim) <= 0:
            raise ValueError(f'NNMemoryBank needs size > 0 and dim > 0, got '
                             f'size={size}, dim={dim}')
        self.size, self.dim = int(size), int(dim)
        self.register_buffer('bank', F.normalize(torch.randn(size, dim),
                                                 dim=1))
        self.register_buffer('ptr', torch.zeros((), dtype=torch.long))
        self.register_buffer('sample_idx',
                             torch.full((size, ), -1, dtype=torch.long))
        self.register_buffer('label', torch.full((size, ),
                                                 -1,
                                                 dtype=torch.long))

    @torch.no_grad()
    def nearest_neighbour(
            self, z: torch.Tensor,
            sample_idx: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """Return the bank rows most similar to ``z`` and their indices.

        Entries that hold the same sample as the query (same sample index)
        get similarity -1, so a sample is never its own neighbour.

        Args:
            z (Tensor): Normalised queries, (B, dim).
            sample_idx (Tensor): Sample index of each query, (B, ).

        Returns:
            tuple[Tensor, Tensor]: The neighbours (B, dim), detached, and
            their row indices in the bank (B, ).
        """
        if z.dim() != 2 or z.shape[1] != self.dim:
            raise ValueError(f'expected queries of shape (B, {self.dim}), '
                             f'got {tuple(z.shape)}')
        bank = self.bank
        similarity = z.detach().to(bank.dtype) @ bank.T
        own = sample_idx.to(self.sample_idx.device)[:, None] == \
            self.sample_idx[None, :]
        similarity = similarity.masked_fill(own, -1.)
        idx = similarity.argmax(dim=1)
        return bank[idx].clone(), idx

    @torch.no_grad()
    def enqueue(self,
                z: torch.Tensor,
                sample_idx: torch.Tensor,
                label: Optional[torch.Tensor] = None) -> None:
        """Write the projections of all ranks at the pointer (FIFO).

        The local batch is gathered from every rank (the local batch alone
        when not distributed) and written in rank order, wrapping around
        the end. The pointer stays on the device: no host synchronisation.

        Args:
            z (Tensor): Normalised projections of this rank, (B, dim).
            sample_idx (Tensor): Their sample indices, (B, ).
            label (Tensor, optional): Their class labels, (B, ); -1 when
                None.
        """
        if label is None:
            label = torch.full_like(sample_idx, -1)
        z = gather_batch(z.to(self.bank.dtype))
        ids = gather_batch(sample_idx.long())
        labels = gather_batch(label.long())
        n = z.shape[0]
        if n > self.size:
            raise ValueError(
                f'the gathered batch ({n} entries) is larger than the memory '
                f'bank (size {self.size}); use a bank of at least {n} entries')
        # Computed on the device: no host synchronisation.
        rows = (self.ptr + torch.arange(n, device=self.bank.device)) % \
            self.size
        self.bank[rows] = z.to(self.bank.device)
        self.sample_idx[rows] = ids.to(self.bank.device)
        self.label[rows] = labels.to(self.bank.device)
        self.ptr.copy_((self.ptr + n) % self.size)

    def extra_repr(self) -> str:
        return f'size={self.size}, dim={self.dim}'
