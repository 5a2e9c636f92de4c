from .batch_shuffle import (forward_shuffled, shuffle_across_ranks,
                            unshuffle_across_ranks)
from .distributed import gather_batch, gather_with_grad
from .nn_memory_bank import NNMemoryBank
from .partial_tuning import (freeze_untuned_layers, is_layer_tuned,
                             num_tuned_blocks)
from .projectors import BNMLPProjector, NormalizedLinearProjector

__all__ = [
    'BNMLPProjector', 'NormalizedLinearProjector', 'NNMemoryBank',
    'forward_shuffled', 'freeze_untuned_layers', 'gather_batch',
    'gather_with_grad', 'is_layer_tuned', 'num_tuned_blocks',
    'shuffle_across_ranks', 'unshuffle_across_ranks'
]
