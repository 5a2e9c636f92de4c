"""Run a semi-supervised config with several seeds and report mean +- std.

Each seed trains ``tools/train.py CONFIG`` in ``WORK_DIR/seed_S`` with
``--seed S`` and ``train_dataloader.dataset.subset_seed=S`` (so each run
draws its own labelled subset, the same on every rank), then the validation
top-1 of each run (last and best evaluation) is read from mmengine's
``vis_data/scalars.json``. The table goes to stdout and to
``WORK_DIR/summary.md``; the numbers to ``WORK_DIR/summary.json``.

Example::

    python tools/semi_supervised.py \
        configs/stars/eval/semi1p_finetune_4xb12-100e_ntu60-xsub-keypoint-3d.py \
        --seeds 0 1 2 3 4 --gpus 4 --checkpoint work_dirs/stars/epoch_10.pth
"""
import argparse
import glob
import json
import os
import os.path as osp
import subprocess
import sys
from typing import Dict, List, Optional, Sequence

import numpy as np

from stars_mmaction.evaluation.units import as_percent

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
        help='processes per run; > 1 launches torch.distributed.run')
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
    train_py = osp.join(TOOLS_DIR, 'train.py')
    if args.gpus > 1:
        launcher = [
            sys.executable, '-m', 'torch.distributed.run',
            f'--nproc_per_node={args.gpus}',
            f'--master_port={29500 + seed % 1000}', train_py
        ]
        tail = ['--launcher', 'pytorch']
    else:
        launcher, tail = [sys.executable, train_py], []
    options = [f'train_dataloader.dataset.subset_seed={seed}']
    if args.checkpoint:
        options.append(f'model.backbone.init_cfg.checkpoint={args.checkpoint}')
    options += args.cfg_options
    return [
        *launcher, args.config, '--work-dir', work_dir, '--seed',
        str(seed), *tail, *args.train_args, '--cfg-options', *options
    ]


def read_val_metric(work_dir: str, metric: str) -> List[float]:
    """Every validation value of ``metric`` of the latest run in work_dir.

    Args:
        work_dir (str): The run's work dir.
        metric (str): Metric name, e.g. ``'acc/top1'``.

    Returns:
        list[float]: The values in order of evaluation.
    """
    logs = sorted(
        glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json')))
    if not logs:
        raise FileNotFoundError(
            f'no vis_data/scalars.json under {work_dir}: did the run train?')
    values = []
    with open(logs[-1]) as f:
        for line in f:
            entry = json.loads(line)
            if metric in entry:
                values.append(float(entry[metric]))
    if not values:
        raise ValueError(
            f'{logs[-1]} has no validation {metric!r}; is val_dataloader '
            'set and was the run validated (train_cfg.val_interval)?')
    return values


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
            result = subprocess.run(command, env=dict(os.environ))
            if result.returncode != 0:
                raise SystemExit(f'seed {seed} failed (exit code '
                                 f'{result.returncode}); log in {seed_dir}')
        per_seed[seed] = [  # percent, the project's unit
            as_percent(args.metric, v)
            for v in read_val_metric(seed_dir, args.metric)
        ]
    summary = summarize(per_seed)
    summary.update(config=args.config, metric=args.metric, unit='percent')
    table = format_table(summary, args.metric, args.config)
    print(table)
    os.makedirs(work_dir, exist_ok=True)
    with open(osp.join(work_dir, 'summary.json'), 'w') as f:
        json.dump(summary, f, indent=2)
    with open(osp.join(work_dir, 'summary.md'), 'w') as f:
        f.write(table + '\n')
    return summary


if __name__ == '__main__':
    main()
