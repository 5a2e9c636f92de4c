"""Gradient clipping of each parameter on its own, as the STARS reference."""
from typing import Optional

import torch
from mmaction.registry import OPTIM_WRAPPERS
from mmengine.optim import OptimWrapper
from torch.optim import Optimizer


@OPTIM_WRAPPERS.register_module()
class ParamwiseClipOptimWrapper(OptimWrapper):
    """Optimizer wrapper that can clip every parameter's gradient separately.

    With ``clip_grad=dict(max_norm=3, per_parameter=True)`` each parameter's
    gradient is scaled to norm at most 3 on its own (STARS tuning), instead
    of mmengine's clipping of the global norm. Without ``per_parameter`` it
    behaves as :class:`mmengine.optim.OptimWrapper`. The logged
    ``grad_norm`` is the global norm before clipping.

    Args:
        optimizer (Optimizer): The optimizer.
        clip_grad (dict, optional): Clipping arguments, see above.
            Defaults to None.
        **kwargs: Passed to :class:`mmengine.optim.OptimWrapper`.
    """

    def __init__(self,
                 optimizer: Optimizer,
                 clip_grad: Optional[dict] = None,
                 **kwargs) -> None:
        clip_grad = dict(clip_grad) if clip_grad else None
        self.per_parameter = bool(clip_grad
                                  and clip_grad.pop('per_parameter', False))
        if self.per_parameter and clip_grad.get('type', 'norm') != 'norm':
            raise ValueError('per_parameter clipping needs type="norm", got '
                             f'{clip_grad["type"]!r}')
        super().__init__(optimizer, clip_grad=clip_grad, **kwargs)

    def _clip_grad(self) -> None:
        if not self.per_parameter:
            return super()._clip_grad()
        params = [
            p for group in self.optimizer.param_groups for p in group['params']
            if p.requires_grad and p.grad is not None
        ]
        if not params:
            return None
        norms = torch.stack([
            torch.nn.utils.clip_grad_norm_(p, **self.clip_grad_kwargs)
            for p in params
        ])
        self.message_hub.update_scalar(f'train/{self.grad_name}',
                                       float(norms.norm()))
