from .checkpoint_mapping import (CheckpointMappingError, ours_to_reference,
                                 reference_to_ours)
from .distributed import gather_batch, gather_with_grad
from .nn_memory_bank import NNMemoryBank
from .partial_tuning import (freeze_untuned_layers, is_layer_tuned,
                             num_tuned_blocks)

__all__ = [
    'CheckpointMappingError', 'ours_to_reference', 'reference_to_ours',
    'NNMemoryBank', 'freeze_untuned_layers', 'gather_batch',
    'gather_with_grad', 'is_layer_tuned', 'num_tuned_blocks'
]
