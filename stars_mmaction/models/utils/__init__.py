from .nn_memory_bank import NNMemoryBank
from .reference_attention import (WrittenOutAttention,
                                  with_written_out_attention)

__all__ = [
    'NNMemoryBank', 'WrittenOutAttention',
    'with_written_out_attention'
]
