from .checkpoint_mapping import (CheckpointMappingError, ours_to_reference,
                                 reference_to_ours)
from .nn_memory_bank import NNMemoryBank
from .reference_attention import (WrittenOutAttention,
                                  with_written_out_attention)

__all__ = [
    'CheckpointMappingError', 'ours_to_reference', 'reference_to_ours',
    'NNMemoryBank', 'WrittenOutAttention',
    'with_written_out_attention'
]
