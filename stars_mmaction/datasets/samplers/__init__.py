from .epoch_index_sampler import (EpochIndexSampler, EpochSampleIndex,
                                  sample_random_state)

__all__ = ['EpochIndexSampler', 'EpochSampleIndex', 'sample_random_state']
