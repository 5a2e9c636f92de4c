from .nn_memory_bank import NNMemoryBank

__all__ = ['NNMemoryBank']
