"""Where a transform draws its random numbers from."""
from typing import Dict, Optional, Union

import numpy as np

# Key of the per-sample ``np.random.Generator`` that
# ``SkeletonPoseDataset`` adds when the sampler tags the index with the
# epoch (``EpochIndexSampler``).
SAMPLE_RNG_KEY = 'sample_rng'


class GlobalNumpyRandom:
    """The few ``np.random.Generator`` methods, drawn from numpy's global
    state: what a transform uses without a per-sample generator."""

    @staticmethod
    def random() -> float:
        return np.random.rand()

    @staticmethod
    def integers(low: int, high: int) -> int:
        return np.random.randint(low, high)

    @staticmethod
    def uniform(low: float, high: float, size: Optional[int] = None):
        return np.random.uniform(low, high, size)


RandomSource = Union[np.random.Generator, GlobalNumpyRandom]


def sample_rng(results: Dict) -> RandomSource:
    """The sample's generator, or numpy's global state when it has none.

    Args:
        results (dict): The transform's input.

    Returns:
        np.random.Generator or GlobalNumpyRandom: Source of randomness.
    """
    rng = results.get(SAMPLE_RNG_KEY)
    return GlobalNumpyRandom() if rng is None else rng
