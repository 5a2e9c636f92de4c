"""MoCo head for the tuning-strategy ablation (supplementary Table 6)."""
from typing import Dict, List, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmaction.registry import MODELS
from mmengine.model import ExponentialMovingAverage

from ..utils.nn_memory_bank import NNMemoryBank
from .base_contrastive_head import BaseContrastiveHead

from ..utils.batch_shuffle import forward_shuffled


@MODELS.register_module()
class MoCoHead(BaseContrastiveHead):
    """Projector, momentum projector, key queue and InfoNCE loss of MoCo.

    For two views of each sample, the query ``q = g(y0)`` comes from the
    online encoder and projector, the key ``k = g_m(y1_m)`` from their
    momentum (EMA) copies (``y1_m`` is the momentum encoder's feature of
    view 1, computed by ``MomentumSTARSRecognizer``). Both are
    L2-normalised and

    ``L = CE([q . k, q . queue^T] / temperature, 0)``

    (MoCo v2). ``symmetric=True`` adds the swapped term (query view 1, key
    view 0) and averages. After the loss the keys of the global batch are
    enqueued in ``memory_bank``, the FIFO queue NNCLR uses
    (:class:`NNMemoryBank`: buffers saved in checkpoints, pointer kept on
    the device). Projector ``g``: ``Linear(in, hidden) -> BN -> ReLU ->
    Linear(hidden, out)``; its momentum copy follows
    ``g_m = momentum * g_m + (1 - momentum) * g`` every step (mmengine's
    ``ExponentialMovingAverage`` with ``momentum=1 - momentum``).

    Args:
        in_channels (int): Encoder feature dimension. Defaults to 256.
        hidden_channels (int): Projector hidden width. Defaults to 2048.
        out_channels (int): Key dimension. Defaults to 128.
        queue_size (int): Number of queued keys. Defaults to 32768.
        temperature (float): InfoNCE temperature. Defaults to 0.07.
        momentum (float): Momentum of the key projector (MoCo convention).
            Defaults to 0.999.
        symmetric (bool): Average the loss over both query views.
            Defaults to False.
        projector (dict, optional): Config of another projector (e.g.
            ``BNMLPProjector``, the reference code's head); its
            ``out_channels`` must equal ``out_channels``. Defaults to None
            (the MLP above).
        shuffle_keys (bool): Compute the keys on a batch shuffled across
            ranks (MoCo's shuffle-BN). Defaults to False.
        loss_weight (float): Factor on ``loss_moco``. Defaults to 1.0.
        init_cfg (dict, optional): mmengine init config. Defaults to None.
    """

    def __init__(self,
                 in_channels: int = 256,
                 hidden_channels: int = 2048,
                 out_channels: int = 128,
                 queue_size: int = 32768,
                 temperature: float = 0.07,
                 momentum: float = 0.999,
                 symmetric: bool = False,
                 loss_weight: float = 1.,
                 projector: Optional[dict] = None,
                 shuffle_keys: bool = False,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if not 0 < momentum < 1:
            raise ValueError(f'momentum must be in (0, 1), got {momentum}')
        if temperature <= 0 or queue_size < 1:
            raise ValueError('temperature must be > 0 and queue_size >= 1, '
                             f'got {temperature} and {queue_size}')
        self.in_channels = in_channels
        self.temperature = temperature
        self.momentum = momentum
        self.symmetric = symmetric
        self.loss_weight = loss_weight
        self.shuffle_keys = shuffle_keys
        if projector is not None:
            self.projector = MODELS.build(projector)
            built_out = getattr(self.projector, 'out_channels', None)
            if built_out != out_channels:
                raise ValueError(
                    f'MoCoHead: projector {projector.get("type")} has '
                    f'out_channels={built_out}, expected out_channels='
                    f'{out_channels} (the queue dimension)')
        else:
            self.projector = nn.Sequential(
                nn.Linear(in_channels, hidden_channels),
                nn.BatchNorm1d(hidden_channels), nn.ReLU(inplace=True),
                nn.Linear(hidden_channels, out_channels))
        self.momentum_projector = ExponentialMovingAverage(
            self.projector, momentum=1. - momentum)
        self.memory_bank = NNMemoryBank(queue_size, out_channels)

    @torch.no_grad()
    def project_keys(self, feats: torch.Tensor) -> torch.Tensor:
        """Momentum projector of key features, shuffled across ranks when
        ``shuffle_keys``."""
        if self.shuffle_keys:
            return forward_shuffled(self.momentum_projector, feats)
        return self.momentum_projector(feats)

    def infonce(self, q: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
        """``CE([q.k, q.queue] / T, 0)`` of normalised ``q`` and ``k``."""
        positive = (q * k).sum(dim=1, keepdim=True)
        # A copy: the keys enqueued after the loss overwrite the bank.
        negative = q @ self.memory_bank.bank.clone().t().to(q.dtype)
        logits = torch.cat([positive, negative], dim=1) / self.temperature
        labels = torch.zeros(q.shape[0], dtype=torch.long, device=q.device)
        return F.cross_entropy(logits, labels)

    requires_momentum_feats = True

    def loss(self,
             feats: torch.Tensor,
             data_samples: List,
             momentum_feats: Optional[torch.Tensor] = None
             ) -> Dict[str, torch.Tensor]:
        """InfoNCE loss; updates the momentum projector and the queue.

        Args:
            feats (Tensor): Online encoder features (B, 2, in_channels).
            data_samples (list[ActionDataSample]): The batch's samples;
                their ``sample_idx`` is stored with the keys.
            momentum_feats (Tensor): Momentum encoder features of the same
                views (B, 2, in_channels). Required.

        Returns:
            dict[str, Tensor]: ``loss_moco`` and the diagnostic
            ``moco_acc`` (fraction of queries whose positive scores
            highest).
        """
        self.check_batch(feats, data_samples, momentum_feats)
        expected = (feats.shape[0], 2, self.in_channels)
        if tuple(feats.shape) != expected or \
                tuple(momentum_feats.shape) != expected:
            raise ValueError(
                f'MoCoHead expects online and momentum features of shape '
                f'(B, 2, {self.in_channels}) (two augmented views: '
                f'SkeletonMultiView num_views=2), got '
                f'{tuple(feats.shape)} and {tuple(momentum_feats.shape)}')
        # Query views, and the key view of each; without ``symmetric`` only
        # view 0 is projected (BatchNorm sees that view's batch alone).
        pairs = [(0, 1), (1, 0)] if self.symmetric else [(0, 1)]
        with torch.no_grad():
            self.momentum_projector.update_parameters(self.projector)
            keys = [
                F.normalize(self.project_keys(momentum_feats[:, k]), dim=1)
                for _, k in pairs
            ]
        queries = [
            F.normalize(self.projector(feats[:, q]), dim=1) for q, _ in pairs
        ]
        loss = sum(self.infonce(q, k)
                   for q, k in zip(queries, keys)) / len(pairs)
        with torch.no_grad():
            positive = (queries[0] * keys[0]).sum(dim=1)
            hardest = (queries[0] @ self.memory_bank.bank.t()).max(
                dim=1).values
            acc = (positive > hardest).float().mean()
        ids, labels = self._sample_meta(data_samples, keys[0].device)
        self.memory_bank.enqueue(keys[0], ids, labels)
        return dict(loss_moco=loss * self.loss_weight, moco_acc=acc)
