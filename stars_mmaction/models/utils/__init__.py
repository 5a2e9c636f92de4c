from .distributed import gather_batch, gather_with_grad
from .nn_memory_bank import NNMemoryBank
from .partial_tuning import (freeze_untuned_layers, is_layer_tuned,
                             num_tuned_blocks)

__all__ = [
    'NNMemoryBank', 'freeze_untuned_layers', 'gather_batch',
    'gather_with_grad', 'is_layer_tuned', 'num_tuned_blocks'
]
