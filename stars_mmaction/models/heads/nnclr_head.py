"""NNCLR head of STARS contrastive tuning (stage 2)."""
from typing import Dict, List, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmaction.registry import MODELS
from mmengine.dist import get_dist_info
from mmengine.utils.dl_utils.parrots_wrapper import _BatchNorm

from ..utils.distributed import gather_with_grad
from ..utils.nn_memory_bank import NNMemoryBank
from .base_contrastive_head import BaseContrastiveHead

LOSS_FORMS = ('reference', 'symmetric', 'one_view')


@MODELS.register_module()
class NNCLRHead(BaseContrastiveHead):
    """Projector, predictor, memory bank and loss of STARS tuning.

    Projector ``g`` = ``BatchNorm1d(in_channels)``; predictor ``h`` =
    ``Linear(in, hidden, bias=False) -> BN -> ReLU -> Linear(hidden, in)``
    (module names as in the reference ``PretrainHead``: ``projector.0``,
    ``predictor.{0,1,3}``). For a view, ``z = g(y)``, ``p = h(z)``, both
    L2-normalised; ``nn`` is the nearest neighbour of ``z`` in the memory
    bank (same sample excluded), and

    ``L(nn, p) = CE(nn @ p_all.T / temperature, rank * B + arange(B))``

    where ``p_all`` are the predictions of the global batch, gathered from
    all ranks with gradients.

    Loss forms (``loss_form``); every form's value with two views is the
    symmetric ``0.5 * (L(nn0, p1) + L(nn1, p0))`` and with one view (identical
    views, the reference setting without augmentation) ``L(nn0, p0)``,
    computed once:

    - ``'reference'`` (default): the reference code's loss. View 1 passes
      through a no-grad un-shuffle there, so ``p1`` carries no gradient and
      the gradient is ``0.5 * grad L(nn1, p0)``: half the one-view gradient
      with identical views, and only the second term's with two views. The
      per-parameter gradient clip then acts on that gradient. With two
      views, ``grad_views`` is 1, so ``STARSRecognizer`` computes view 1's
      features without an autograd graph.
    - ``'symmetric'``: the same value with the gradient of both terms
      (``0.5 * (grad L(nn0, p1) + grad L(nn1, p0))``; with identical views
      ``grad L(nn0, p0)``).
    - ``'one_view'`` (paper, Algorithm 1): ``L(nn0, p0)`` with its full
      gradient on a single view; it refuses two views rather than ignore
      one.

    After the loss, only the view-0 projections ``z0`` (detached, normalised)
    are enqueued, gathered from all ranks inside the bank.

    Under DDP convert the BatchNorm layers to SyncBN (``sync_bn = 'torch'``
    in the config); mmengine's runner does it.

    Args:
        in_channels (int): Feature (and projection) dimension. Defaults to
            256.
        hidden_channels (int): Hidden width of the predictor. Defaults to
            4096.
        temperature (float): Softmax temperature. Defaults to 0.07.
        bank_size (int): Memory bank entries. Defaults to 32768.
        loss_form (str): ``'reference'``, ``'symmetric'`` or
            ``'one_view'``. Defaults to ``'reference'``.
        loss_weight (float): Factor on ``loss_nnclr``. Defaults to 1.0.
        init_cfg (dict or list[dict], optional): mmengine init config. None
            (default) applies the reference initialisation: Linear weights
            N(0, 0.02) with zero biases, BN weights N(1, 0.02) with zero
            biases.
    """

    def __init__(self,
                 in_channels: int = 256,
                 hidden_channels: int = 4096,
                 temperature: float = 0.07,
                 bank_size: int = 32768,
                 loss_form: str = 'reference',
                 loss_weight: float = 1.0,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if loss_form not in LOSS_FORMS:
            raise ValueError(f'loss_form must be one of {LOSS_FORMS}, got '
                             f'{loss_form!r}')
        if temperature <= 0:
            raise ValueError(f'temperature must be > 0, got {temperature}')
        self.in_channels = in_channels
        self.temperature = temperature
        self.loss_form = loss_form
        self.loss_weight = loss_weight
        self.projector = nn.Sequential(nn.BatchNorm1d(in_channels))
        self.predictor = nn.Sequential(
            nn.Linear(in_channels, hidden_channels, bias=False),
            nn.BatchNorm1d(hidden_channels), nn.ReLU(inplace=True),
            nn.Linear(hidden_channels, in_channels))
        self.memory_bank = NNMemoryBank(bank_size, in_channels)
        self._reference_init()

    def _reference_init(self) -> None:
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, 0., 0.02)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, _BatchNorm) and m.affine:
                nn.init.normal_(m.weight, 1., 0.02)
                nn.init.zeros_(m.bias)

    def init_weights(self) -> None:
        """Reference initialisation, or ``init_cfg`` when one is given."""
        if self.init_cfg is not None:
            super().init_weights()
        else:
            self._reference_init()
            self._is_init = True

    @property
    def grad_views(self) -> Optional[int]:
        """1 for the reference form: its view-1 term carries no gradient."""
        return 1 if self.loss_form == 'reference' else None

    def project(self, y: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """Return normalised projection ``z`` and prediction ``p`` of ``y``."""
        z = self.projector(y)
        p = self.predictor(z)
        return F.normalize(z, dim=1), F.normalize(p, dim=1)

    def contrastive_loss(self, nn_feat: torch.Tensor,
                         p: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """``L(nn, p)`` over the global batch and its top-1 accuracy."""
        rank, _ = get_dist_info()
        p_all = gather_with_grad(p)
        logits = nn_feat.to(p_all.dtype) @ p_all.T / self.temperature
        b = nn_feat.shape[0]
        labels = torch.arange(rank * b, (rank + 1) * b, device=p.device)
        loss = F.cross_entropy(logits, labels)
        acc = (logits.detach().argmax(dim=1) == labels).float().mean()
        return loss, acc

    def _check(self, feats: torch.Tensor, data_samples: list,
               momentum_feats: Optional[torch.Tensor]) -> None:
        self.check_batch(feats, data_samples, momentum_feats)
        if feats.dim() != 3 or feats.shape[2] != self.in_channels or \
                feats.shape[1] not in (1, 2):
            raise ValueError(f'NNCLRHead expects features of shape (B, V, '
                             f'{self.in_channels}) with V in (1, 2), got '
                             f'{tuple(feats.shape)}')
        if self.loss_form == 'one_view' and feats.shape[1] != 1:
            raise ValueError(
                "loss_form='one_view' (Algorithm 1) uses a single view, got "
                f'{feats.shape[1]} views; use one view or '
                "loss_form='reference' or 'symmetric'")
        global_batch = feats.shape[0] * get_dist_info()[1]
        if global_batch > self.memory_bank.size:
            raise ValueError(
                f'the memory bank (bank_size={self.memory_bank.size}) is '
                f'smaller than the global batch ({global_batch}); use '
                f'bank_size >= {global_batch}')

    def two_view_loss(
            self, feats1: torch.Tensor, ids: torch.Tensor,
            nn0: torch.Tensor,
            p0: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """``0.5 * (L(nn0, p1) + L(nn1, p0))`` and its accuracy.

        Args:
            feats1 (Tensor): View-1 features, (B, in_channels).
            ids (Tensor): Sample indices, excluded from the lookup.
            nn0 (Tensor): Nearest neighbours of the view-0 projections.
            p0 (Tensor): Normalised view-0 predictions.

        Returns:
            Tuple[Tensor, Tensor]: The loss and the mean top-1 accuracy.
        """
        if self.loss_form == 'reference':
            # The reference's view 1 carries no gradient (no-grad un-shuffle).
            with torch.no_grad():
                z1, p1 = self.project(feats1)
        else:
            z1, p1 = self.project(feats1)
        nn1, _ = self.memory_bank.nearest_neighbour(z1, ids)
        loss_a, acc_a = self.contrastive_loss(nn0, p1)
        loss_b, acc_b = self.contrastive_loss(nn1, p0)
        return 0.5 * (loss_a + loss_b), 0.5 * (acc_a + acc_b)

    def loss(self,
             feats: torch.Tensor,
             data_samples: List,
             momentum_feats: Optional[torch.Tensor] = None
             ) -> Dict[str, torch.Tensor]:
        """Compute the NNCLR loss and update the memory bank.

        Args:
            feats (Tensor): Pooled encoder features, (B, V, in_channels),
                V = 1 (identical views) or 2.
            data_samples (list[ActionDataSample]): Their ``metainfo`` holds
                ``sample_idx`` (the data set index, used to exclude the
                sample itself from the lookup); ``gt_label``, when present,
                only feeds the ``nn_acc`` diagnostic.
            momentum_feats (Tensor, optional): Not used: NNCLR has no
                momentum encoder. Defaults to None.

        Returns:
            dict[str, Tensor]: ``loss_nnclr``; diagnostics ``contrast_acc``
            (top-1 accuracy of the contrastive logits) and ``nn_acc``
            (fraction of nearest neighbours with the query's label).
        """
        self._check(feats, data_samples, momentum_feats)
        ids, labels = self._sample_meta(data_samples, feats.device)
        z0, p0 = self.project(feats[:, 0])
        nn0, rows0 = self.memory_bank.nearest_neighbour(z0, ids)
        if feats.shape[1] == 1:
            loss, acc = self.contrastive_loss(nn0, p0)
            if self.loss_form == 'reference':
                # 0.5 * (L(nn0, p0) without gradient + L(nn0, p0)): the
                # value of both identical terms, the gradient of one.
                loss = 0.5 * (loss.detach() + loss)
        else:
            loss, acc = self.two_view_loss(feats[:, 1], ids, nn0, p0)
        nn_label = self.memory_bank.label[rows0]
        nn_acc = ((nn_label == labels) & (labels >= 0)).float().mean()
        self.memory_bank.enqueue(z0.detach(), ids, labels)
        return dict(loss_nnclr=loss * self.loss_weight,
                    contrast_acc=acc,
                    nn_acc=nn_acc)
