"""Seeded sample and class subsets for the label-scarce protocols."""
from typing import Dict, List, Sequence

import numpy as np


def select_subset(annotations: List[Dict],
                  ratio: float,
                  seed: int,
                  class_balanced: bool = False) -> List[Dict]:
    """Keep ``ratio`` of the samples, the same ones on every rank.

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
        list[dict]: The kept samples, in their original order.
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
    return [annotations[i] for i in sorted(keep)]


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
