"""Masked motion prediction: the decoder, its target and its loss."""
from typing import Dict, Optional, Sequence, Union

from mmaction.registry import MODELS
from mmengine.model import BaseModule
from torch import Tensor

from ..utils.skeleton_patches import frame_motion, patchify


@MODELS.register_module()
class MAMPHead(BaseModule):
    """Predict the motion of masked tokens (MAMP) or their coordinates (MAE).

    Args:
        decoder (dict): Config of the decoder, e.g. ``MAMPDecoder``.
        target (str): ``'motion'`` (MAMP: ``x[t + 1] - x[t]``, last frame 0)
            or ``'coordinates'`` (the naive-MAE ablation).
            Defaults to ``'motion'``.
        norm_target (bool): Normalise each target patch by its mean and
            (unbiased) variance over its values. Defaults to True.
        t_patch_size (int): Frames per token. Defaults to 4.
        loss_weight (float): Weight of ``loss_mamp``. Defaults to 1.
        init_cfg (dict or list[dict], optional): Initialisation config.
            Defaults to None.
    """

    TARGETS = ('motion', 'coordinates')

    def __init__(self,
                 decoder: dict,
                 target: str = 'motion',
                 norm_target: bool = True,
                 t_patch_size: int = 4,
                 loss_weight: float = 1.,
                 init_cfg: Optional[Union[dict, Sequence[dict]]] = None
                 ) -> None:
        super().__init__(init_cfg=init_cfg)
        if target not in self.TARGETS:
            raise ValueError(f'MAMPHead target must be one of {self.TARGETS}, '
                             f'got {target!r}')
        self.decoder = MODELS.build(decoder)
        self.target = target
        self.norm_target = norm_target
        self.t_patch_size = t_patch_size
        self.loss_weight = loss_weight

    def construct_target(self, x: Tensor) -> Tensor:
        """Patchified (and per-patch normalised) prediction target.

        Args:
            x (Tensor): Person sequences of shape (B, T, V, C).

        Returns:
            Tensor: Targets of shape (B, T' * V, t_patch_size * C).
        """
        if self.target == 'motion':
            x = frame_motion(x)
        target = patchify(x, self.t_patch_size)
        if self.norm_target:
            mean = target.mean(dim=-1, keepdim=True)
            var = target.var(dim=-1, keepdim=True)
            target = (target - mean) / (var + 1e-6)**.5
        return target

    def loss(self, kept: Tensor, mask: Tensor, ids_restore: Tensor,
             x: Tensor) -> Dict[str, Tensor]:
        """Decode the kept tokens and score the masked ones.

        Args:
            kept (Tensor): Encoded kept tokens (B, L_keep, D).
            mask (Tensor): 1 for masked tokens, shape (B, L).
            ids_restore (Tensor): Index (B, L) restoring token order.
            x (Tensor): The unmasked person sequences (B, T, V, C).

        Returns:
            Dict[str, Tensor]: ``loss_mamp``: mean over masked tokens of the
            per-token mean squared error (the training loss), and two
            diagnostics that are logged, not back-propagated (their names
            lack ``'loss'``): ``mse_real``, the same mean over the masked
            tokens of real persons only (not all-zero padding), and
            ``mse_zero_floor``, what predicting zero scores there. A
            ``mse_real`` that stays at ``mse_zero_floor`` has learnt nothing.
        """
        B, T, V, _ = x.shape
        pred = self.decoder(kept, ids_restore, (T // self.t_patch_size, V))
        target = self.construct_target(x)
        per_token = ((pred - target)**2).mean(dim=-1)
        loss = (per_token * mask).sum() / mask.sum()
        return dict(
            loss_mamp=loss * self.loss_weight,
            **self.real_person_diagnostics(per_token, target, mask, x))

    @staticmethod
    def real_person_diagnostics(per_token: Tensor, target: Tensor,
                                mask: Tensor, x: Tensor) -> Dict[str, Tensor]:
        """Masked error and its trivial floor over real persons.

        Args:
            per_token (Tensor): Per-token squared error (B, L).
            target (Tensor): Targets (B, L, t_patch_size * C).
            mask (Tensor): 1 for masked tokens, shape (B, L).
            x (Tensor): The person sequences (B, T, V, C); a person whose
                coordinates are all zero is padding.

        Returns:
            Dict[str, Tensor]: Detached ``mse_real`` and ``mse_zero_floor``.
        """
        real = (x.detach().flatten(1) != 0).any(dim=1)
        weight = mask.detach() * real[:, None].to(mask.dtype)
        count = weight.sum().clamp(min=1)
        zero_pred = (target.detach()**2).mean(dim=-1)
        return dict(
            mse_real=(per_token.detach() * weight).sum() / count,
            mse_zero_floor=(zero_pred * weight).sum() / count)
