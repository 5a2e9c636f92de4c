"""Run a semi-supervised config with several seeds and report mean +- std.

Each seed trains ``tools/train.py CONFIG`` in ``WORK_DIR/seed_S`` with
``--seed S`` and ``train_dataloader.dataset.subset_seed=S`` (so each run
draws its own labelled subset, the same on every rank), then the validation
top-1 of each run (last and best evaluation) is read from every
``<timestamp>/vis_data/scalars.json`` of its work dir (a resumed run keeps
its validations from before the resume). The table goes to stdout and to
``WORK_DIR/summary.md``; the numbers to ``WORK_DIR/summary.json``. Both also
say which subset draw the runs used, how many distinct labelled samples and
how many optimiser steps each run had.

``--subset-draw per_rank`` reproduces the reference code's multi-GPU draw
for comparison: rank ``r`` draws its own subset with seed ``0 + r`` and
every run uses subset seed 0 (``--seed S`` still seeds training), so a run
trains on about ``gpus x`` the nominal labelled data.

Example::

    python tools/semi_supervised.py \
        configs/stars/eval/semi1p_finetune_4xb12-100e_ntu60-xsub-keypoint-3d.py \
        --seeds 0 1 2 3 4 --gpus 4 --checkpoint work_dirs/stars/epoch_10.pth
"""
import argparse
import json
import os
import os.path as osp
import subprocess
from typing import Dict, List, Optional, Sequence

import numpy as np
from mmengine.config import Config, DictAction

from stars_mmaction.datasets.subset_report import (format_labelled,
                                                   labelled_data,
                                                   run_subset_seed)
from stars_mmaction.evaluation.units import as_percent
from stars_mmaction.utils.scalar_logs import read_scalar_log
from stars_mmaction.utils.tool_launcher import ToolLauncher

TOOLS_DIR = osp.dirname(osp.abspath(__file__))


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Train a semi-supervised config with several seeds and '
        'report the mean and std of the validation accuracy')
    parser.add_argument('config', help='semi-supervised train config')
    parser.add_argument(
        '--seeds',
        type=int,
        nargs='+',
        default=[0, 1, 2, 3, 4],
        help='seeds of the runs (subset and training); default 0 1 2 3 4')
    parser.add_argument(
        '--checkpoint',
        help='pre-trained encoder (sets model.backbone.init_cfg.checkpoint)')
    parser.add_argument('--work-dir',
                        help='parent of the runs\' work dirs; default '
                        'work_dirs/<config name>')
    parser.add_argument(
        '--gpus',
        type=int,
        default=1,
        help='processes per run; > 1 launches tools/dist_train.sh '
        '(torchrun)')
    parser.add_argument(
        '--subset-draw',
        choices=('shared', 'per_rank'),
        default='shared',
        help='shared (default): one subset per seed for all ranks; '
        'per_rank: the reference code\'s draw, a different subset per rank '
        'and subset seed 0 for every run (for comparisons)')
    parser.add_argument('--metric',
                        default='acc/top1',
                        help='validation metric to report')
    parser.add_argument(
        '--summarize-only',
        action='store_true',
        help='do not train; summarise the runs already in the work dir')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        default=[],
        help='passed to tools/train.py --cfg-options (key=value ...)')
    parser.add_argument(
        '--train-args',
        nargs=argparse.REMAINDER,
        default=[],
        help='further tools/train.py arguments, e.g. --amp (must come last)')
    args = parser.parse_args(argv)
    if len(set(args.seeds)) != len(args.seeds):
        parser.error(f'--seeds has duplicates: {args.seeds}')
    if args.gpus < 1:
        parser.error(f'--gpus must be >= 1, got {args.gpus}')
    return args


def train_command(args: argparse.Namespace, seed: int,
                  work_dir: str) -> List[str]:
    """The command line that trains one seed."""
    subset_seed = run_subset_seed(seed, args.subset_draw)
    options = [f'train_dataloader.dataset.subset_seed={subset_seed}']
    if args.subset_draw != 'shared':
        options.append(
            f'train_dataloader.dataset.subset_draw={args.subset_draw}')
    if args.checkpoint:
        options.append(f'model.backbone.init_cfg.checkpoint={args.checkpoint}')
    options += args.cfg_options
    return launcher_of(args).train(args.config, [
        '--work-dir', work_dir, '--seed',
        str(seed), *args.train_args, '--cfg-options', *options
    ])


def launcher_of(args: argparse.Namespace) -> ToolLauncher:
    """``tools/train.py`` on one process, ``dist_train.sh`` on several."""
    return ToolLauncher(TOOLS_DIR, 'pytorch' if args.gpus > 1 else 'none',
                        args.gpus)


def count_labelled(args: argparse.Namespace) -> Optional[Dict[int, Dict]]:
    """Distinct labelled samples and optimiser steps of each seed's run,
    from the config with ``--cfg-options``; None if a file is missing."""
    try:
        cfg = Config.fromfile(args.config)
        if args.cfg_options:
            options = argparse.ArgumentParser()
            options.add_argument('--o', nargs='+', action=DictAction)
            cfg.merge_from_dict(
                options.parse_args(['--o', *args.cfg_options]).o)
        return labelled_data(cfg, args.seeds, args.gpus, args.subset_draw)
    except FileNotFoundError as err:
        print(f'labelled data not counted: {err}')
        return None


def read_val_metric(work_dir: str, metric: str) -> List[float]:
    """Every validation value of ``metric`` in ``work_dir``, in order.

    All timestamp folders count (:func:`read_scalar_log`): a resumed run
    keeps its validations from before the resume.

    Args:
        work_dir (str): The run's work dir.
        metric (str): Metric name, e.g. ``'acc/top1'``.

    Returns:
        list[float]: The values in order of evaluation.
    """
    return read_scalar_log(work_dir).val_series(metric)[1]


def summarize(per_seed: Dict[int, List[float]]) -> Dict:
    """Last and best value of each seed, their mean and (population) std.

    Args:
        per_seed (dict[int, list[float]]): Validation values of each seed.

    Returns:
        dict: ``runs`` (seed, last, best) and ``last``/``best`` mean, std.
    """
    runs = [
        dict(seed=seed, last=values[-1], best=max(values))
        for seed, values in per_seed.items()
    ]
    summary = dict(runs=runs)
    for key in ('last', 'best'):
        numbers = np.array([run[key] for run in runs])
        summary[key] = dict(mean=float(numbers.mean()),
                            std=float(numbers.std()))
    return summary


def format_table(summary: Dict, metric: str, config: str) -> str:
    """A Markdown table of the runs and their mean +- std (in %)."""
    lines = [
        f'Semi-supervised {metric} (%) of {config}', '',
        f'| seed | last | best |', '|---|---|---|'
    ]
    for run in summary['runs']:
        lines.append(f'| {run["seed"]} | {run["last"]:.2f} | '
                     f'{run["best"]:.2f} |')
    lines.append('| mean ± std | ' + ' | '.join(
        f'{summary[k]["mean"]:.2f} ± {summary[k]["std"]:.2f}'
        for k in ('last', 'best')) + ' |')
    return '\n'.join(lines)


def main(argv: Optional[Sequence[str]] = None) -> Dict:
    args = parse_args(argv)
    work_dir = args.work_dir or osp.join(
        'work_dirs',
        osp.splitext(osp.basename(args.config))[0])
    per_seed = dict()
    for seed in args.seeds:
        seed_dir = osp.join(work_dir, f'seed_{seed}')
        if not args.summarize_only:
            command = train_command(args, seed, seed_dir)
            print(f'[seed {seed}] ' + ' '.join(command), flush=True)
            result = subprocess.run(command, env=launcher_of(args).env())
            if result.returncode != 0:
                raise SystemExit(f'seed {seed} failed (exit code '
                                 f'{result.returncode}); log in {seed_dir}')
        per_seed[seed] = [  # percent, the project's unit
            as_percent(args.metric, v)
            for v in read_val_metric(seed_dir, args.metric)
        ]
    summary = summarize(per_seed)
    summary.update(config=args.config, metric=args.metric, unit='percent',
                   subset_draw=args.subset_draw, gpus=args.gpus,
                   labelled=count_labelled(args))
    table = format_table(summary, args.metric, args.config) + '\n\n' + \
        format_labelled(args.subset_draw, args.gpus, summary['labelled'])
    print(table)
    os.makedirs(work_dir, exist_ok=True)
    with open(osp.join(work_dir, 'summary.json'), 'w') as f:
        json.dump(summary, f, indent=2)
    with open(osp.join(work_dir, 'summary.md'), 'w') as f:
        f.write(table + '\n')
    return summary


if __name__ == '__main__':
    main()
