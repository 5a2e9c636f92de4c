"""Seeded sample and class subsets for the label-scarce protocols."""
from typing import Dict, List, Sequence

import numpy as np


SUBSET_DRAWS = ('shared', 'per_rank')


def subset_indices(annotations: List[Dict],
                   ratio: float,
                   seed: int,
                   class_balanced: bool = False) -> List[int]:
    """Sorted indices of a seeded ``ratio`` of the samples.

    The draw depends only on ``seed`` and the annotations, never on the rank
    or the global random state. At least one sample (per class when
    ``class_balanced``) is kept.

    Args:
        annotations (list[dict]): Samples with a ``label``.
        ratio (float): Fraction to keep, in (0, 1].
        seed (int): Seed of the draw.
        class_balanced (bool): Draw ``ratio`` of each class separately.
            Defaults to False.

    Returns:
        list[int]: Indices into ``annotations``, ascending.
    """
    rng = np.random.default_rng(seed)
    if class_balanced:
        labels = np.array([a['label'] for a in annotations])
        keep = []
        for label in np.unique(labels):
            members = np.flatnonzero(labels == label)
            count = max(1, int(round(len(members) * ratio)))
            keep.extend(rng.choice(members, count, replace=False))
    else:
        count = max(1, int(round(len(annotations) * ratio)))
        keep = rng.choice(len(annotations), count, replace=False)
    return sorted(int(i) for i in keep)


def select_subset(annotations: List[Dict],
                  ratio: float,
                  seed: int,
                  class_balanced: bool = False) -> List[Dict]:
    """Keep ``ratio`` of the samples, the same ones on every rank.

    Args:
        annotations (list[dict]): Samples with a ``label``.
        ratio (float): Fraction to keep, in (0, 1].
        seed (int): Seed of the draw.
        class_balanced (bool): Draw ``ratio`` of each class separately.
            Defaults to False.

    Returns:
        list[dict]: The kept samples (:func:`subset_indices`), in their
        original order.
    """
    return [
        annotations[i]
        for i in subset_indices(annotations, ratio, seed, class_balanced)
    ]


def rank_subset_seed(seed: int, draw: str, rank: int) -> int:
    """Seed of the subset that ``rank`` draws.

    ``'shared'`` (ours): every rank draws with ``seed``, so a run trains on
    exactly ``ratio`` of the data. ``'per_rank'`` (the reference code's
    multi-GPU semi-supervised runs): rank ``r`` draws its own subset with
    ``seed + r``.

    Args:
        seed (int): The run's subset seed.
        draw (str): ``'shared'`` or ``'per_rank'``.
        rank (int): The process rank.

    Returns:
        int: The seed for :func:`select_subset`.
    """
    if draw not in SUBSET_DRAWS:
        raise ValueError(f'subset_draw must be one of {SUBSET_DRAWS}, got '
                         f'{draw!r}')
    return seed + rank if draw == 'per_rank' else seed


def count_distinct_labelled(annotations: List[Dict],
                            ratio: float,
                            seed: int,
                            world_size: int,
                            draw: str = 'shared',
                            class_balanced: bool = False) -> int:
    """Distinct labelled samples of a run: the union of its ranks' subsets.

    Args:
        annotations (list[dict]): The full training split.
        ratio (float): Fraction each rank keeps.
        seed (int): The run's subset seed.
        world_size (int): Number of ranks.
        draw (str): ``'shared'`` or ``'per_rank'``. Defaults to
            ``'shared'``.
        class_balanced (bool): As in :func:`select_subset`.

    Returns:
        int: Number of distinct samples over all ranks' subsets.
    """
    seeds = {rank_subset_seed(seed, draw, r) for r in range(world_size)}
    union = set()
    for rank_seed in seeds:
        union.update(
            subset_indices(annotations, ratio, rank_seed, class_balanced))
    return len(union)


def select_classes(annotations: List[Dict],
                   classes: Sequence[int],
                   relabel: bool = False) -> List[Dict]:
    """Keep the samples whose label is in ``classes``.

    Args:
        annotations (list[dict]): Samples with a ``label``.
        classes (Sequence[int]): Labels to keep.
        relabel (bool): Replace each label by its position in ``classes``.
            Defaults to False.

    Returns:
        list[dict]: The kept samples, in their original order.
    """
    position = {int(c): i for i, c in enumerate(classes)}
    kept = []
    for annotation in annotations:
        if int(annotation['label']) in position:
            if relabel:
                annotation = dict(
                    annotation, label=position[int(annotation['label'])])
            kept.append(annotation)
    if not kept:
        raise ValueError(f'no sample has a label in {list(classes)}')
    return kept


def count_optimizer_steps(subset_size: int, world_size: int,
                          batch_size: int, max_epochs: int,
                          drop_last: bool = False) -> int:
    """Optimiser steps of an epoch-based run on ``subset_size`` samples.

    mmengine's ``DefaultSampler`` gives each rank ``ceil(subset_size /
    world_size)`` samples per epoch (padding by repetition); the data loader
    makes batches of ``batch_size`` from them, the last one partial unless
    ``drop_last``.

    Args:
        subset_size (int): Samples in each rank's data set.
        world_size (int): Number of ranks.
        batch_size (int): Batch per rank.
        max_epochs (int): Epochs.
        drop_last (bool): The loader drops a last partial batch.

    Returns:
        int: Steps over the whole run.
    """
    per_rank = -(-subset_size // world_size)
    per_epoch = (per_rank // batch_size if drop_last else -(-per_rank //
                                                             batch_size))
    return per_epoch * max_epochs
