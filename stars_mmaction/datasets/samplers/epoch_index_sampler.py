"""Augmentation randomness drawn from (seed, epoch, sample index)."""
from contextlib import contextmanager
from typing import Iterator

import numpy as np
from mmaction.registry import DATA_SAMPLERS
from mmengine.dataset import DefaultSampler


class EpochSampleIndex(int):
    """A dataset index that also carries the epoch and the sampler's seed.

    It is an ``int``, so any dataset can use it as a plain index; a dataset
    that knows it (:class:`~stars_mmaction.datasets.SkeletonPoseDataset`)
    draws the sample's augmentations from :func:`sample_random_state`.

    Args:
        index (int): Index into the dataset.
        epoch (int): Training epoch.
        seed (int): Seed of the sampler (the run's seed).
    """
    epoch: int
    seed: int

    def __new__(cls, index: int, epoch: int, seed: int) -> 'EpochSampleIndex':
        obj = super().__new__(cls, index)
        obj.epoch = int(epoch)
        obj.seed = int(seed)
        return obj

    def __reduce__(self):
        # Sent to data workers by pickle: keep the tags.
        return EpochSampleIndex, (int(self), self.epoch, self.seed)

    def __repr__(self) -> str:
        return (f'EpochSampleIndex({int(self)}, epoch={self.epoch}, '
                f'seed={self.seed})')


@contextmanager
def sample_random_state(index: EpochSampleIndex) -> Iterator[
        np.random.Generator]:
    """A generator for one sample, and numpy's global state seeded alike.

    Both are functions of ``(seed, epoch, index)`` only, not of the data
    worker that runs the sample, so the augmentations of a sample are the
    same with any number of workers, persistent or not, and after a resume.
    numpy's global state is seeded too (for transforms that do not read the
    generator, e.g. mmaction2's) and restored on exit.

    Args:
        index (EpochSampleIndex): The tagged index.

    Yields:
        np.random.Generator: The sample's generator.
    """
    sequence = np.random.SeedSequence(
        [index.seed & (2**64 - 1), index.epoch, int(index)])
    saved = np.random.get_state()
    np.random.seed(sequence.spawn(1)[0].generate_state(1)[0])
    try:
        yield np.random.default_rng(sequence)
    finally:
        np.random.set_state(saved)


@DATA_SAMPLERS.register_module()
class EpochIndexSampler(DefaultSampler):
    """mmengine's ``DefaultSampler`` yielding :class:`EpochSampleIndex`.

    Same order as ``DefaultSampler`` (shuffled by ``seed + epoch``); each
    index is tagged with the epoch and seed so that the dataset seeds the
    sample's augmentations from them instead of from the data worker's
    random state, which is not part of a checkpoint. With it a resumed run
    is bit-exact also with ``persistent_workers=True``.

    Args:
        dataset (Sized): The dataset.
        shuffle (bool): Whether to shuffle. Defaults to True.
        seed (int, optional): Seed of the order and the augmentations.
            Defaults to None (a random seed shared by all ranks).
        round_up (bool): Pad to a multiple of the world size. Defaults to
            True.
    """

    def __iter__(self) -> Iterator[EpochSampleIndex]:
        return (EpochSampleIndex(index, self.epoch, self.seed)
                for index in super().__iter__())
