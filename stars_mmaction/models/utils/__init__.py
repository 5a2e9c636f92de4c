from .batch_shuffle import (forward_shuffled, shuffle_across_ranks,
                            unshuffle_across_ranks)
from .checkpoint_mapping import (CheckpointMappingError, ours_to_reference,
                                 reference_to_ours)
from .nn_memory_bank import NNMemoryBank
from .projectors import BNMLPProjector, NormalizedLinearProjector
from .reference_attention import (WrittenOutAttention,
                                  with_written_out_attention)

__all__ = [
    'BNMLPProjector', 'NormalizedLinearProjector', 'forward_shuffled',
    'shuffle_across_ranks', 'unshuffle_across_ranks',
    'CheckpointMappingError', 'ours_to_reference', 'reference_to_ours',
    'NNMemoryBank', 'WrittenOutAttention',
    'with_written_out_attention'
]
