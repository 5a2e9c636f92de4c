from .checkpoint_mapping import (CheckpointMappingError, ours_to_reference,
                                 reference_to_ours)
from .nn_memory_bank import NNMemoryBank
from .reference_attention import (WrittenOutAttention,
                                  with_written_out_attention)
from .strict_pretrained_init import (CheckpointMismatchError,
                                     StrictPretrainedInit, load_strict,
                                     read_state_dict)

__all__ = [
    'CheckpointMappingError', 'ours_to_reference', 'reference_to_ours',
    'CheckpointMismatchError', 'NNMemoryBank', 'StrictPretrainedInit',
    'load_strict', 'read_state_dict', 'WrittenOutAttention',
    'with_written_out_attention'
]
