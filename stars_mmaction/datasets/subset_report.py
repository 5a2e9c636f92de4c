"""What a semi-supervised run trained on: draw, distinct samples, steps."""
from typing import Dict, Optional, Sequence

from mmaction.registry import DATASETS
from mmengine.config import Config
from mmengine.registry import DefaultScope

from .subsets import (count_distinct_labelled, count_optimizer_steps,
                      rank_subset_seed, subset_indices)

DRAWS = dict(
    shared='one subset per seed, the same on every rank (ours)',
    per_rank='a different subset per rank (rank r: subset seed + r), '
    'subset seed 0 for every run (the reference code)')


def run_subset_seed(seed: int, draw: str) -> int:
    """The subset seed of a run: its seed, or 0 for the reference draw."""
    rank_subset_seed(seed, draw, 0)  # checks draw
    return seed if draw == 'shared' else 0


def labelled_data(cfg: Config, seeds: Sequence[int], world_size: int,
                  draw: str) -> Dict[int, Dict]:
    """Distinct labelled samples and optimiser steps of each seed's run.

    Args:
        cfg (Config): A semi-supervised config (``train_dataloader.dataset``
            sets ``subset_ratio``), with the run's overrides merged.
        seeds (Sequence[int]): The runs' seeds.
        world_size (int): Ranks per run.
        draw (str): ``'shared'`` or ``'per_rank'``.

    Returns:
        dict[int, dict]: Per seed ``subset_seed``, ``distinct`` (union of
        the ranks' subsets), ``split_size`` and ``steps``.
    """
    loader = cfg.train_dataloader
    ratio = loader.dataset.get('subset_ratio')
    if ratio is None:
        raise ValueError('train_dataloader.dataset has no subset_ratio: not '
                         'a semi-supervised config')
    balanced = loader.dataset.get('class_balanced', False)
    with DefaultScope.overwrite_default_scope('mmaction'):
        split = DATASETS.build(
            dict(loader.dataset, subset_ratio=None, pipeline=[],
                 serialize_data=False))
    annotations = split.data_list
    facts = {}
    for seed in seeds:
        subset_seed = run_subset_seed(seed, draw)
        size = len(subset_indices(annotations, ratio, subset_seed, balanced))
        facts[seed] = dict(
            subset_seed=subset_seed,
            split_size=len(annotations),
            distinct=count_distinct_labelled(annotations, ratio, subset_seed,
                                             world_size, draw, balanced),
            steps=count_optimizer_steps(size, world_size, loader.batch_size,
                                        cfg.train_cfg.max_epochs,
                                        loader.get('drop_last', False)))
    return facts


def format_labelled(draw: str, world_size: int,
                    facts: Optional[Dict[int, Dict]]) -> str:
    """A Markdown table of each run's labelled data and optimiser steps.

    Args:
        draw (str): ``'shared'`` or ``'per_rank'``.
        world_size (int): Ranks per run.
        facts (dict, optional): :func:`labelled_data`'s result, or None
            when it could not be computed.

    Returns:
        str: The draw, then one row per seed.
    """
    lines = [f'Subset draw: `{draw}`, {DRAWS[draw]}; {world_size} rank(s).']
    if not facts:
        return '\n'.join(lines + ['Labelled data: not counted (the config '
                                  'or its annotation file is missing).'])
    lines += [
        '', '| seed | subset seed | distinct labelled samples | '
        'optimiser steps |', '|---|---|---|---|'
    ]
    for seed, run in facts.items():
        share = 100 * run['distinct'] / run['split_size']
        lines.append(f'| {seed} | {run["subset_seed"]} | '
                     f'{run["distinct"]} of {run["split_size"]} '
                     f'({share:.2f}%) | {run["steps"]} |')
    return '\n'.join(lines)
