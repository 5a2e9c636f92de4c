"""The linear-evaluation classifier of MAMP and STARS."""
from typing import Dict, Optional

from mmaction.models.heads import BaseHead
from mmaction.registry import MODELS
from mmengine.model.weight_init import trunc_normal_
from torch import Tensor, nn


@MODELS.register_module()
class BNLinearHead(BaseHead):
    """Mean-pooled feature -> ``BatchNorm1d(affine=False)`` -> linear.

    The head of the linear protocol: the encoder's tokens (N, M, C, T, V)
    are averaged over persons, time and joints, standardised by a BatchNorm
    without affine parameters (as MAE's linear probe) and classified by one
    linear layer. Loss, prediction and ``AccMetric`` come from mmaction2's
    ``BaseHead``.

    Args:
        num_classes (int): Number of classes.
        in_channels (int): Feature width (the encoder's ``embed_dims``).
        loss_cls (dict): Classification loss. Defaults to
            ``dict(type='CrossEntropyLoss')``.
        bn_eps (float): Epsilon of the BatchNorm. Defaults to 1e-6.
        init_std (float): Std of the linear layer's truncated-normal
            initialisation. Defaults to 0.01.
        **kwargs: Passed to ``BaseHead`` (``average_clips``, ``topk``, ...).
    """

    def __init__(self,
                 num_classes: int,
                 in_channels: int,
                 loss_cls: Dict = dict(type='CrossEntropyLoss'),
                 bn_eps: float = 1e-6,
                 init_std: float = 0.01,
                 init_cfg: Optional[Dict] = None,
                 **kwargs) -> None:
        super().__init__(num_classes,
                         in_channels,
                         loss_cls,
                         init_cfg=init_cfg,
                         **kwargs)
        self.init_std = init_std
        self.bn = nn.BatchNorm1d(in_channels, affine=False, eps=bn_eps)
        self.fc_cls = nn.Linear(in_channels, num_classes)

    def init_weights(self) -> None:
        """Truncated-normal weights and zero bias for the linear layer."""
        trunc_normal_(self.fc_cls.weight, std=self.init_std)
        nn.init.zeros_(self.fc_cls.bias)

    def forward(self, x: Tensor, **kwargs) -> Tensor:
        """Classify encoder tokens.

        Args:
            x (Tensor): Tokens of shape (N, M, C, T, V).

        Returns:
            Tensor: Class scores of shape (N, num_classes).
        """
        if x.dim() != 5:
            raise ValueError('BNLinearHead expects tokens of shape (N, M, C, '
                             f'T, V), got {tuple(x.shape)}')
        return self.fc_cls(self.bn(x.mean(dim=(1, 3, 4))))
