"""The self-supervised recognizer shared by every stage of STARS."""
from typing import Dict, List, Optional, Sequence, Union

import torch
from mmaction.registry import MODELS
from mmaction.utils import SampleList
from mmengine.model import BaseModel
from torch import Tensor


@MODELS.register_module()
class STARSRecognizer(BaseModel):
    """An encoder with self-supervised heads whose losses add up.

    Stage 1 (MAMP) configures ``mamp_head``, stage 2 (STARS tuning)
    ``contrastive_head``, and the "MAMP + NNCLR" ablation both. In predict
    mode it returns the pooled encoder feature of each sample (in
    ``data_sample.feature``) for the KNN and few-shot protocols.

    Args:
        backbone (dict): Config of the encoder, e.g. ``MAMPEncoder``.
        mamp_head (dict, optional): Config of the masked-prediction head.
            Defaults to None.
        contrastive_head (dict, optional): Config of the contrastive head, a
            :class:`BaseContrastiveHead` that needs no momentum features
            (``NNCLRHead``). Defaults to None.
        data_preprocessor (dict, optional): Defaults to mmaction2's
            ``ActionDataPreprocessor``, which only stacks the batch.
        init_cfg (dict or list[dict], optional): Initialisation config.
            Defaults to None.
    """

    def __init__(self,
                 backbone: dict,
                 mamp_head: Optional[dict] = None,
                 contrastive_head: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[Union[dict, Sequence[dict]]] = None
                 ) -> None:
        # Built from mmaction's registry so that no default scope is needed.
        super().__init__(
            data_preprocessor=MODELS.build(
                data_preprocessor or dict(type='ActionDataPreprocessor')),
            init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        self.mamp_head = MODELS.build(mamp_head) if mamp_head else None
        mask_ratio = getattr(self.backbone, 'mask_ratio', None)
        if self.mamp_head is not None and mask_ratio is not None and \
                not 0 < mask_ratio < 1:
            # No masked token: the masked-prediction loss would be 0 / 0.
            raise ValueError(
                f'model.backbone.mask_ratio={mask_ratio}: masked prediction '
                '(model.mamp_head) needs 0 < mask_ratio < 1')
        self.contrastive_head = (
            MODELS.build(contrastive_head) if contrastive_head else None)
        self._check_contrastive_head()

    #: Whether :meth:`loss` gives the head momentum-encoder features.
    provides_momentum_feats = False

    def _check_contrastive_head(self) -> None:
        head = self.contrastive_head
        if head is None:
            return
        if not callable(getattr(head, 'loss', None)):
            raise TypeError(f'contrastive_head {type(head).__name__} has no '
                            '`loss(feats, data_samples, momentum_feats)`')
        if getattr(head, 'requires_momentum_feats', False) and \
                not self.provides_momentum_feats:
            raise ValueError(
                f'contrastive_head {type(head).__name__} needs a momentum '
                f'encoder, which {type(self).__name__} does not have: use '
                "type='MomentumSTARSRecognizer'")

    @property
    def with_mamp_head(self) -> bool:
        return self.mamp_head is not None

    @property
    def with_contrastive_head(self) -> bool:
        return self.contrastive_head is not None

    @staticmethod
    def flatten_clips(inputs: Tensor) -> Tensor:
        """Merge the batch and clip axes of mmaction2's skeleton layout.

        Args:
            inputs (Tensor): Clips of shape (B, num_clips, M, T, V, C).

        Returns:
            Tensor: Clips of shape (B * num_clips, M, T, V, C).
        """
        if inputs.dim() != 6:
            raise ValueError(
                'STARSRecognizer expects skeleton inputs of shape (B, '
                'num_clips, M, T, V, C) as packed by FormatGCNInput and '
                f'PackActionInputs, got shape {tuple(inputs.shape)}')
        return inputs.flatten(0, 1)

    def extract_feat(self, inputs: Tensor) -> Tensor:
        """Pooled encoder feature: the mean over persons and tokens.

        Args:
            inputs (Tensor): Clips of shape (B, num_clips, M, T, V, C).

        Returns:
            Tensor: Features of shape (B, num_clips, D).
        """
        tokens = self.backbone(self.flatten_clips(inputs))  # (N, M, D, T', V)
        return tokens.mean(dim=(1, 3, 4)).reshape(*inputs.shape[:2], -1)

    def extract_view_feat(self, inputs: Tensor) -> Tensor:
        """Pooled features of the contrastive head's views.

        The views past the head's ``grad_views`` go through the encoder
        without an autograd graph: the head's loss carries no gradient
        through them (the reference NNCLR loss's view 1), so a graph would
        only cost a backward pass of zeros, about a third of a two-view
        step. The encoder treats every clip on its own (LayerNorm only), so
        the features are those of one pass over all the views.

        Args:
            inputs (Tensor): Views of shape (B, V, M, T, J, C).

        Returns:
            Tensor: Features of shape (B, V, D).
        """
        num_grad = getattr(self.contrastive_head, 'grad_views', None)
        if num_grad is None or num_grad >= inputs.shape[1] or \
                not torch.is_grad_enabled():
            return self.extract_feat(inputs)
        feats = self.extract_feat(inputs[:, :num_grad])
        with torch.no_grad():
            rest = self.extract_feat(inputs[:, num_grad:])
        return torch.cat([feats, rest], dim=1)

    def loss(self, inputs: Tensor,
             data_samples: SampleList) -> Dict[str, Tensor]:
        """Sum of the heads' losses.

        Args:
            inputs (Tensor): Clips of shape (B, num_clips, M, T, V, C); with
                a contrastive head, the clips are its views.
            data_samples (List[ActionDataSample]): The batch's samples.

        Returns:
            Dict[str, Tensor]: Every head's losses and diagnostics.
        """
        losses = dict()
        if self.with_mamp_head:
            clips = self.flatten_clips(inputs)
            kept, mask, ids_restore = self.backbone(clips, mask=True)
            losses.update(
                self.mamp_head.loss(kept, mask, ids_restore,
                                    clips.flatten(0, 1)))
        if self.with_contrastive_head:
            losses.update(
                self.contrastive_head.loss(
                    self.extract_view_feat(inputs), data_samples))
        return losses

    def predict(self, inputs: Tensor,
                data_samples: SampleList) -> SampleList:
        """Attach the clip-averaged pooled feature to every sample.

        Args:
            inputs (Tensor): Clips of shape (B, num_clips, M, T, V, C).
            data_samples (List[ActionDataSample]): The batch's samples.

        Returns:
            List[ActionDataSample]: The samples, each with ``feature`` (D,).
        """
        feats = self.extract_feat(inputs).mean(dim=1)
        for data_sample, feat in zip(data_samples, feats):
            data_sample.set_field(feat, 'feature')
        return data_samples

    def forward(self,
                inputs: Tensor,
                data_samples: Optional[SampleList] = None,
                mode: str = 'tensor') -> Union[Tensor, Dict, List]:
        """Dispatch to ``extract_feat``, ``loss`` or ``predict``.

        Args:
            inputs (Tensor): Clips of shape (B, num_clips, M, T, V, C).
            data_samples (List[ActionDataSample], optional): The batch's
                samples. Defaults to None.
            mode (str): ``'tensor'``, ``'loss'`` or ``'predict'``.
                Defaults to ``'tensor'``.

        Returns:
            Tensor, dict or list: Features, losses or samples.
        """
        if mode == 'tensor':
            return self.extract_feat(inputs)
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        raise ValueError(f'Invalid mode {mode!r}: expected "tensor", "loss" '
                         'or "predict"')
