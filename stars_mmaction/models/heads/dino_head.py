"""DINO head for the tuning-strategy ablation (supplementary Tables 2, 3)."""
from typing import Dict, List, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmaction.registry import MODELS
from mmengine.model import ExponentialMovingAverage

from ..losses import KoLeoLoss, chunked_koleo, sinkhorn_knopp
from .base_contrastive_head import BaseContrastiveHead


class DINOProjector(nn.Module):
    """DINO's projection head: MLP, L2-normalised bottleneck, prototypes.

    ``Linear -> GELU -> Linear -> GELU -> Linear(bottleneck)``, normalise,
    then prototypes whose weight rows are L2-normalised in the forward pass
    (DINO's weight-normalised last layer with its norm fixed at 1).

    Args:
        in_channels (int): Input dimension.
        hidden_channels (int): MLP hidden width.
        bottleneck_channels (int): Bottleneck dimension.
        num_prototypes (int): Output dimension.
    """

    def __init__(self, in_channels: int, hidden_channels: int,
                 bottleneck_channels: int, num_prototypes: int) -> None:
        super().__init__()
        self.mlp = nn.Sequential(
            nn.Linear(in_channels, hidden_channels), nn.GELU(),
            nn.Linear(hidden_channels, hidden_channels), nn.GELU(),
            nn.Linear(hidden_channels, bottleneck_channels))
        self.prototypes = nn.Linear(
            bottleneck_channels, num_prototypes, bias=False)
        for m in self.mlp:
            if isinstance(m, nn.Linear):
                nn.init.trunc_normal_(m.weight, std=0.02)
                nn.init.zeros_(m.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits (N, num_prototypes) of features (N, in_channels)."""
        z = F.normalize(self.mlp(x), dim=-1)
        return F.linear(z, F.normalize(self.prototypes.weight, dim=1))


@MODELS.register_module()
class DINOHead(BaseContrastiveHead):
    """Self-distillation loss of DINO with Sinkhorn-Knopp centering.

    The student (online encoder + ``projector``) sees every view, the
    teacher (momentum encoder + ``teacher_projector``, EMA of the student)
    only the ``num_global_views`` global views. Teacher targets are
    Sinkhorn-Knopp assignments of the teacher logits at
    ``teacher_temperature``; student predictions are
    ``log_softmax(logits / student_temperature)``; the loss averages the
    cross-entropy over every (teacher view i, student view j) pair with
    ``i != j``. The KoLeo regulariser (weight ``koleo_weight``) acts on the
    student's encoder features of each global view. The teacher projector
    follows ``t = momentum * t + (1 - momentum) * s`` every step (mmengine's
    ``ExponentialMovingAverage`` with ``momentum=1 - momentum``).

    Args:
        in_channels (int): Encoder feature dimension. Defaults to 256.
        hidden_channels (int): Projector MLP width. Defaults to 2048.
        bottleneck_channels (int): Projector bottleneck. Defaults to 256.
        num_prototypes (int): Prototypes (output dimension). Defaults to
            4096.
        student_temperature (float): Defaults to 0.1.
        teacher_temperature (float): Defaults to 0.04.
        momentum (float): Teacher momentum (DINO convention). Defaults to
            0.996.
        num_global_views (int): Leading views that are global (seen by the
            teacher). Defaults to 2.
        sinkhorn_iters (int): Sinkhorn-Knopp rounds. Defaults to 3.
        sinkhorn_global_batch (bool): Sinkhorn-Knopp over the global batch;
            False balances each rank's batch alone (the STARS code).
            Defaults to True.
        koleo_weight (float): KoLeo weight, 0 disables it. Defaults to 0.1.
        koleo_input (str): ``'encoder'``: KoLeo of the encoder features of
            each global view, averaged over views. ``'head'`` (the STARS
            code): KoLeo of the student's head outputs of the global views,
            stacked view after view, split into ``koleo_chunks`` chunks and
            summed. Defaults to ``'encoder'``.
        koleo_chunks (int): Chunks for ``koleo_input='head'`` (the code
            uses 4 with 2 global views: half a batch each). Defaults to 4.
        projector (dict, optional): Config of another projector producing
            the logits (e.g. ``NormalizedLinearProjector``, the STARS code's
            single ``Linear(256, 128)``); replaces the MLP above. Defaults to
            None.
        init_cfg (dict, optional): mmengine init config. Defaults to None.
    """

    def __init__(self,
                 in_channels: int = 256,
                 hidden_channels: int = 2048,
                 bottleneck_channels: int = 256,
                 num_prototypes: int = 4096,
                 student_temperature: float = 0.1,
                 teacher_temperature: float = 0.04,
                 momentum: float = 0.996,
                 num_global_views: int = 2,
                 sinkhorn_iters: int = 3,
                 sinkhorn_global_batch: bool = True,
                 koleo_weight: float = 0.1,
                 koleo_input: str = 'encoder',
                 koleo_chunks: int = 4,
                 projector: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if not 0 < momentum < 1:
            raise ValueError(f'momentum must be in (0, 1), got {momentum}')
        if student_temperature <= 0 or teacher_temperature <= 0:
            raise ValueError('temperatures must be > 0, got '
                             f'{student_temperature}, {teacher_temperature}')
        if num_global_views < 2:
            raise ValueError('DINO needs num_global_views >= 2, got '
                             f'{num_global_views}')
        self.in_channels = in_channels
        self.student_temperature = student_temperature
        self.teacher_temperature = teacher_temperature
        self.momentum = momentum
        self.num_global_views = num_global_views
        self.sinkhorn_iters = sinkhorn_iters
        self.sinkhorn_global_batch = sinkhorn_global_batch
        if koleo_input not in ('encoder', 'head') or koleo_chunks < 1:
            raise ValueError("koleo_input must be 'encoder' or 'head' and "
                             f'koleo_chunks >= 1, got {koleo_input!r} and '
                             f'{koleo_chunks}')
        self.koleo_weight = koleo_weight
        self.koleo_input = koleo_input
        self.koleo_chunks = koleo_chunks
        if projector is not None:
            self.projector = MODELS.build(projector)
        else:
            self.projector = DINOProjector(in_channels, hidden_channels,
                                           bottleneck_channels,
                                           num_prototypes)
        self.teacher_projector = ExponentialMovingAverage(
            self.projector, momentum=1. - momentum)
        self.koleo = KoLeoLoss()

    def distillation_loss(self, teacher_probs: torch.Tensor,
                          student_logits: torch.Tensor) -> torch.Tensor:
        """Mean CE over (teacher i, student j != i) pairs.

        Args:
            teacher_probs (Tensor): (B, G, K) targets of the global views.
            student_logits (Tensor): (B, S, K) logits of all views, the
                first G global.

        Returns:
            Tensor: The scalar loss.
        """
        log_probs = F.log_softmax(
            student_logits.float() / self.student_temperature, dim=-1)
        total, pairs = 0., 0
        for i in range(teacher_probs.shape[1]):
            for j in range(log_probs.shape[1]):
                if i == j:
                    continue
                total = total + torch.sum(
                    -teacher_probs[:, i] * log_probs[:, j], dim=-1).mean()
                pairs += 1
        return total / pairs

    requires_momentum_feats = True

    def loss(self,
             feats: torch.Tensor,
             data_samples: List,
             momentum_feats: Optional[torch.Tensor] = None
             ) -> Dict[str, torch.Tensor]:
        """DINO + KoLeo losses; updates the teacher projector.

        Args:
            feats (Tensor): Student encoder features (B, S, in_channels) of
                all views, the first ``num_global_views`` global.
            data_samples (list[ActionDataSample]): The batch's samples.
            momentum_feats (Tensor): Teacher (momentum) encoder features of
                the global views (B, num_global_views, in_channels).
                Required.

        Returns:
            dict[str, Tensor]: ``loss_dino``, ``loss_koleo`` (when
            ``koleo_weight > 0``) and the diagnostic ``teacher_entropy``.
        """
        self.check_batch(feats, data_samples, momentum_feats)
        teacher_feats = momentum_feats
        g = self.num_global_views
        b = feats.shape[0]
        if feats.dim() != 3 or feats.shape[1] < g or \
                feats.shape[2] != self.in_channels or \
                tuple(teacher_feats.shape) != (b, g, self.in_channels):
            raise ValueError(
                f'DINOHead expects student features (B, S >= {g}, '
                f'{self.in_channels}) and teacher features (B, {g}, '
                f'{self.in_channels}), got {tuple(feats.shape)} and '
                f'{tuple(teacher_feats.shape)}')
        with torch.no_grad():
            self.teacher_projector.update_parameters(self.projector)
            teacher_logits = self.teacher_projector(teacher_feats.flatten(
                0, 1))
            teacher_probs = sinkhorn_knopp(
                teacher_logits, self.teacher_temperature,
                self.sinkhorn_iters,
                self.sinkhorn_global_batch).view(b, g, -1)
            entropy = -(teacher_probs * torch.log(teacher_probs + 1e-12)).sum(
                dim=-1).mean()
        student_logits = self.projector(feats.flatten(0, 1)).view(
            b, feats.shape[1], -1)
        losses = dict(
            loss_dino=self.distillation_loss(teacher_probs, student_logits),
            teacher_entropy=entropy)
        if self.koleo_weight > 0:
            losses['loss_koleo'] = self.koleo_weight * self.koleo_term(
                feats[:, :g], student_logits[:, :g])
        return losses

    def koleo_term(self, feats: torch.Tensor,
                   logits: torch.Tensor) -> torch.Tensor:
        """Unweighted KoLeo of the global views, per ``koleo_input``.

        Args:
            feats (Tensor): Student encoder features (B, G, in_channels).
            logits (Tensor): Student head outputs (B, G, K).

        Returns:
            Tensor: The scalar loss.
        """
        if self.koleo_input == 'head':
            rows = logits.transpose(0, 1).flatten(0, 1)  # view after view
            return chunked_koleo(self.koleo, rows, self.koleo_chunks)
        g = feats.shape[1]
        return sum(self.koleo(feats[:, i]) for i in range(g)) / g
