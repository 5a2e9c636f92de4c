from .bf16_optim_wrapper import BF16AutocastOptimWrapper
from .layer_decay_constructor import LayerDecayOptimWrapperConstructor
from .paramwise_clip_optim_wrapper import ParamwiseClipOptimWrapper

__all__ = [
    'BF16AutocastOptimWrapper', 'LayerDecayOptimWrapperConstructor',
    'ParamwiseClipOptimWrapper'
]
