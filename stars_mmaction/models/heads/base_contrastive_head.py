"""The interface of the heads a recognizer holds as ``contrastive_head``."""
from abc import abstractmethod
from typing import Dict, List, Optional, Tuple

import torch

from mmengine.model import BaseModule
from torch import Tensor


class BaseContrastiveHead(BaseModule):
    """A self-supervised head on pooled encoder features.

    Every head under ``contrastive_head`` (``NNCLRHead``, ``MoCoHead``,
    ``DINOHead``) takes the same call, so a recognizer calls any of them the
    same way:
    ``loss(feats, data_samples, momentum_feats=None) -> dict of losses``.
    A head whose loss needs the momentum encoder's features (MoCo's keys,
    DINO's teacher) sets :attr:`requires_momentum_feats`; recognizers
    without a momentum encoder (``STARSRecognizer``) refuse it when they are
    built, and ``MomentumSTARSRecognizer`` computes those features only for
    such a head.
    """

    #: Whether :meth:`loss` needs ``momentum_feats``.
    requires_momentum_feats: bool = False

    #: How many leading views of ``feats`` the loss back-propagates
    #: through; None: all of them. A recognizer may compute the features of
    #: the other views without an autograd graph.
    grad_views: Optional[int] = None

    @abstractmethod
    def loss(self,
             feats: Tensor,
             data_samples: List,
             momentum_feats: Optional[Tensor] = None) -> Dict[str, Tensor]:
        """Losses and diagnostics of one batch; updates the head's state.

        Args:
            feats (Tensor): Online encoder features (B, V, in_channels) of
                the V views of each sample.
            data_samples (list[ActionDataSample]): The batch's samples.
            momentum_feats (Tensor, optional): Momentum encoder features of
                the global views (B, V_global, in_channels). Defaults to
                None.

        Returns:
            dict[str, Tensor]: Losses (keys starting with ``loss``) and
            diagnostics.
        """

    def check_batch(self, feats: Tensor, data_samples: List,
                    momentum_feats: Optional[Tensor]) -> None:
        """Refuse a call that does not match the interface.

        Args:
            feats (Tensor): Online features, (B, V, C).
            data_samples (list): The batch's samples, B of them.
            momentum_feats (Tensor, optional): Momentum features.
        """
        name = type(self).__name__
        if self.requires_momentum_feats and momentum_feats is None:
            raise ValueError(
                f'{name} needs the momentum encoder\'s features: use it '
                "under type='MomentumSTARSRecognizer'")
        if len(data_samples) != feats.shape[0]:
            raise ValueError(f'{name} got {feats.shape[0]} features but '
                             f'{len(data_samples)} data samples')

    @staticmethod
    def _sample_meta(
            data_samples: list,
            device: torch.device) -> Tuple[torch.Tensor, torch.Tensor]:
        """Sample indices (-2 - i when absent: never excluded) and labels."""
        ids, labels = [], []
        for i, ds in enumerate(data_samples):
            ids.append(int(ds.metainfo.get('sample_idx', -2 - i)))
            label = ds.gt_label if 'gt_label' in ds else None
            labels.append(-1 if label is None or label.numel() != 1 else int(
                label.reshape(-1)[0]))
        return (torch.tensor(ids, dtype=torch.long, device=device),
                torch.tensor(labels, dtype=torch.long, device=device))
