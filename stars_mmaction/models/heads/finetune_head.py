"""The fine-tuning classifier of MAMP and STARS."""
from typing import Dict, Optional

from mmaction.models.heads import BaseHead
from mmaction.registry import MODELS
from torch import Tensor, nn


@MODELS.register_module()
class FinetuneHead(BaseHead):
    """Per-joint features -> MLP classifier, the fine-tuning head of MAMP.

    Dropout on the tokens (N, M, C, T, V), mean over time, the features of
    all joints concatenated (joint-major, V * C), mean over persons, then
    ``Linear(V * C, hidden) -> BatchNorm1d -> ReLU -> Linear(hidden,
    num_classes)`` (MotionBERT's action head, used by the MAMP and STARS
    references). Label smoothing is ``BaseHead``'s ``label_smooth_eps``.

    Args:
        num_classes (int): Number of classes.
        in_channels (int): Token width (the encoder's ``embed_dims``).
        num_joints (int): Joints per person. Defaults to 25.
        hidden_dims (int): Width of the hidden layer. Defaults to 2048.
        dropout_ratio (float): Dropout on the tokens. Defaults to 0.3.
        loss_cls (dict): Classification loss. Defaults to
            ``dict(type='CrossEntropyLoss')``.
        **kwargs: Passed to ``BaseHead`` (``label_smooth_eps``,
            ``average_clips``, ``topk``, ...).
    """

    def __init__(self,
                 num_classes: int,
                 in_channels: int,
                 num_joints: int = 25,
                 hidden_dims: int = 2048,
                 dropout_ratio: float = 0.3,
                 loss_cls: Dict = dict(type='CrossEntropyLoss'),
                 init_cfg: Optional[Dict] = None,
                 **kwargs) -> None:
        super().__init__(num_classes,
                         in_channels,
                         loss_cls,
                         init_cfg=init_cfg,
                         **kwargs)
        self.num_joints = num_joints
        self.dropout = nn.Dropout(dropout_ratio)
        self.fc1 = nn.Linear(num_joints * in_channels, hidden_dims)
        self.bn = nn.BatchNorm1d(hidden_dims)
        self.relu = nn.ReLU(inplace=True)
        self.fc_cls = nn.Linear(hidden_dims, num_classes)

    def forward(self, x: Tensor, **kwargs) -> Tensor:
        """Classify encoder tokens.

        Args:
            x (Tensor): Tokens of shape (N, M, C, T, V).

        Returns:
            Tensor: Class scores of shape (N, num_classes).
        """
        if x.dim() != 5 or x.shape[2] != self.in_channels or \
                x.shape[4] != self.num_joints:
            raise ValueError(f'FinetuneHead expects tokens of shape (N, M, '
                             f'{self.in_channels}, T, {self.num_joints}), got '
                             f'{tuple(x.shape)}')
        N, M = x.shape[:2]
        x = self.dropout(x).mean(dim=3)  # (N, M, C, V)
        x = x.transpose(2, 3).reshape(N, M, -1).mean(dim=1)  # (N, V * C)
        return self.fc_cls(self.relu(self.bn(self.fc1(x))))
