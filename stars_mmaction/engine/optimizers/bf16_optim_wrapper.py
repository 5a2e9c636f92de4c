"""bfloat16 autocast for devices where mmengine's AmpOptimWrapper refuses."""
from contextlib import contextmanager
from typing import Iterator

import torch
from mmaction.registry import OPTIM_WRAPPERS
from torch import nn

from .paramwise_clip_optim_wrapper import ParamwiseClipOptimWrapper


@OPTIM_WRAPPERS.register_module()
class BF16AutocastOptimWrapper(ParamwiseClipOptimWrapper):
    """Optimizer wrapper that runs forward passes under bfloat16 autocast.

    mmengine's ``AmpOptimWrapper`` only runs on accelerators; bfloat16 has
    float32's exponent range, so it needs no loss scaling and works on CPU
    (and GPU) with this plain wrapper. ``tools/train.py --amp`` selects it
    when no GPU is present, or when the config clips per parameter (see
    :class:`ParamwiseClipOptimWrapper`, whose options it shares).
    """

    @contextmanager
    def optim_context(self, model: nn.Module) -> Iterator:
        """Autocast to bfloat16 on the device of the model's parameters."""
        device = next(model.parameters()).device.type
        with super().optim_context(model), torch.autocast(
                device_type=device, dtype=torch.bfloat16):
            yield
