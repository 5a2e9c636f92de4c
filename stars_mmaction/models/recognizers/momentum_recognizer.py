"""STARS recognizer with a momentum (EMA) encoder: MoCo / DINO tuning."""
from typing import Dict, Optional, Sequence, Tuple, Union

import torch
from mmaction.registry import MODELS
from mmaction.utils import SampleList
from mmengine.model import ExponentialMovingAverage
from torch import Tensor

from .stars_recognizer import STARSRecognizer


@MODELS.register_module()
class MomentumSTARSRecognizer(STARSRecognizer):
    """An online encoder, its momentum copy and a MoCo or DINO head.

    The momentum encoder (MoCo's key encoder, DINO's teacher) is mmengine's
    ``ExponentialMovingAverage`` of ``backbone``, updated before every
    training step as ``m = momentum * m + (1 - momentum) * online`` (the
    first update copies the online weights, i.e. the loaded stage-1
    checkpoint). It encodes the input clips (the global views) without
    gradient. With ``num_local_views > 0`` the online encoder also encodes
    local views: each a random temporal window of a random global view
    keeping ``local_crop_ratio`` (e.g. 40-80%) of its frames, resized back
    to the clip length; the momentum encoder never sees them.

    The contrastive head's ``loss(feats, data_samples, momentum_feats)``
    (:class:`BaseContrastiveHead`) receives pooled features
    (B, V [+ locals], D) and, for a head that ``requires_momentum_feats``,
    (B, V, D). Prediction (KNN, few-shot) uses the online encoder.

    Args:
        backbone (dict): Config of the encoder.
        contrastive_head (dict): ``MoCoHead`` or ``DINOHead`` config (any
            :class:`BaseContrastiveHead`).
        momentum (float): Momentum of the encoder (MoCo 0.999, DINO
            0.996). Defaults to 0.999.
        num_local_views (int): Local views for the online encoder.
            Defaults to 0.
        local_crop_ratio (Tuple[float, float]): Range of the kept fraction
            of frames of a local view. Defaults to (0.4, 0.8).
        data_preprocessor (dict, optional): Defaults to None.
        init_cfg (dict or list[dict], optional): Defaults to None.
    """

    provides_momentum_feats = True

    def __init__(self,
                 backbone: dict,
                 contrastive_head: dict,
                 momentum: float = 0.999,
                 num_local_views: int = 0,
                 local_crop_ratio: Tuple[float, float] = (0.4, 0.8),
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[Union[dict, Sequence[dict]]] = None
                 ) -> None:
        if not contrastive_head:
            raise ValueError('MomentumSTARSRecognizer needs a '
                             'contrastive_head (MoCoHead or DINOHead)')
        super().__init__(
            backbone=backbone,
            contrastive_head=contrastive_head,
            data_preprocessor=data_preprocessor,
            init_cfg=init_cfg)
        if not 0 < momentum < 1:
            raise ValueError(f'momentum must be in (0, 1), got {momentum}')
        low, high = local_crop_ratio
        if num_local_views < 0 or not 0 < low <= high <= 1:
            raise ValueError(
                'num_local_views must be >= 0 and local_crop_ratio a range '
                f'in (0, 1], got {num_local_views} and {local_crop_ratio}')
        self.momentum = momentum
        self.num_local_views = num_local_views
        self.local_crop_ratio = (low, high)
        self.momentum_backbone = ExponentialMovingAverage(
            self.backbone, momentum=1. - momentum)

    def _pooled(self, encoder, clips: Tensor) -> Tensor:
        """Mean over persons and tokens of ``encoder`` on (B, V, ...)."""
        tokens = encoder(self.flatten_clips(clips))  # (N, M, D, T', V)
        return tokens.mean(dim=(1, 3, 4)).reshape(*clips.shape[:2], -1)

    def make_local_views(self, inputs: Tensor) -> Tensor:
        """Random temporal trims of the global views, resized to length T.

        Args:
            inputs (Tensor): Global views (B, V, M, T, J, C).

        Returns:
            Tensor: Local views (B, num_local_views, M, T, J, C).
        """
        b, v, m, t, j, c = inputs.shape
        low, high = self.local_crop_ratio
        device = inputs.device
        rows = torch.arange(b, device=device)
        views = []
        for _ in range(self.num_local_views):
            clips = inputs[rows, torch.randint(v, (b, ), device=device)]
            keep = (torch.empty(b, device=device).uniform_(low, high) *
                    t).round().clamp(2, t)  # (B, ) frames kept
            start = (torch.rand(b, device=device) *
                     (t - keep + 1)).floor()
            # Linear resize of the window [start, start + keep) to t frames
            # (F.interpolate's align_corners=False sampling, per sample).
            pos = (torch.arange(t, device=device) + 0.5) * (
                keep[:, None] / t) - 0.5
            pos = pos.clamp(min=0.)
            pos = torch.minimum(pos, keep[:, None] - 1) + start[:, None]
            left = pos.floor().long()
            right = torch.minimum(left + 1, (start + keep - 1).long()[:,
                                                                      None])
            frac = (pos - left).view(b, 1, t, 1, 1).to(inputs.dtype)

            def frames(idx):
                return clips.gather(
                    2, idx.view(b, 1, t, 1, 1).expand(b, m, t, j, c))

            views.append(frames(left) * (1 - frac) + frames(right) * frac)
        return torch.stack(views, dim=1)

    def loss(self, inputs: Tensor,
             data_samples: SampleList) -> Dict[str, Tensor]:
        """Head loss of the online and momentum features.

        Args:
            inputs (Tensor): Global views (B, V, M, T, J, C).
            data_samples (List[ActionDataSample]): The batch's samples.

        Returns:
            Dict[str, Tensor]: The head's losses and diagnostics.
        """
        feats = self._pooled(self.backbone, inputs)
        if self.num_local_views:
            local = self.make_local_views(inputs)
            feats = torch.cat([feats, self._pooled(self.backbone, local)],
                              dim=1)
        with torch.no_grad():
            self.momentum_backbone.update_parameters(self.backbone)
            momentum_feats = None
            if self.contrastive_head.requires_momentum_feats:
                momentum_feats = self._pooled(self.momentum_backbone, inputs)
        return self.contrastive_head.loss(
            feats, data_samples, momentum_feats=momentum_feats)
