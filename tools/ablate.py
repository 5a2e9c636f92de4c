# Copyright (c) stars_mmaction contributors.
"""Run one ablation sweep of STARS tuning and tabulate and plot its results.

A sweep config is a stage-2 (STARS tuning) config that inherits the base
tuning config and adds a ``sweep`` dict (see ``configs/stars/sweeps/``)::

    sweep = dict(
        name='tune-ratio',                 # names the table and plot files
        key='model.backbone.tune_ratio',   # varied config key
        values=[0.0, 0.25, 0.5, 0.75, 1.0],
        mode='separate',                   # one tuning run per value, or
                                           # 'checkpoints': ONE run of
                                           # max(values) epochs saving at
                                           # every value (key must be
                                           # 'train_cfg.max_epochs')
        stage1_checkpoint='work_dirs/.../epoch_400.pth',
        evaluations=[dict(name='knn_k10', tool='test', metric='knn/top1_k10',
                          config='configs/stars/eval/knn_....py'), ...],
        work_dir='work_dirs/sweeps/...',
        baseline_work_dir=None,            # default <work_dir>/stage1
        note='')                           # printed above the table

Every tuning run goes through ``tools/train.py`` (``tools/dist_train.sh``
with ``--launcher pytorch``) with the sweep config itself and
``--cfg-options <key>=<value> <init_checkpoint_key>=<stage1_checkpoint>``;
every evaluation through ``tools/test.py`` (KNN, few-shot: ``tool='test'``)
or ``tools/train.py`` (linear: ``tool='train'``, the encoder checkpoint set
through ``checkpoint_key``). The stage-1 checkpoint is evaluated too, as the
baseline. A finished step leaves its result (a checkpoint, or
``result.json``) and is skipped when the sweep runs again, so a killed sweep
resumes (an interrupted training run resumes from its last checkpoint).
Writes ``<work_dir>/<name>.csv``, ``<name>.md`` and ``<name>.png``.

Examples::

    python tools/ablate.py configs/stars/sweeps/stars_tune-ratio_demo-xsub-keypoint-3d.py
    python tools/ablate.py configs/stars/sweeps/stars_tune-epochs_ntu60-xsub-keypoint-3d.py \
        --launcher pytorch --gpus 8
    python tools/ablate.py SWEEP_CONFIG --dry-run
"""
import argparse
import shlex
from pathlib import Path
from typing import Dict, Optional, Sequence

from stars_mmaction.ablation import (collect_results, describe_mode,
                                     evaluation_steps, load_sweep, plot,
                                     run_step, tuning_steps, write_table)
from stars_mmaction.utils.tool_launcher import ToolLauncher


TOOLS_DIR = Path(__file__).resolve().parent


def make_launcher(launcher: str = 'none',
                  gpus: int = 1,
                  seed: Optional[int] = 0) -> ToolLauncher:
    """The launcher of this repository's tools, ``--seed`` on every run.

    Args:
        launcher (str): ``'none'`` or ``'pytorch'``. Defaults to ``'none'``.
        gpus (int): Processes per run. Defaults to 1.
        seed (int, optional): ``--seed`` of the training runs; None: random.
            Defaults to 0.

    Returns:
        ToolLauncher: The launcher.
    """
    return ToolLauncher(TOOLS_DIR, launcher, gpus, seed)


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Run an ablation sweep of STARS tuning: tuning runs, '
        'evaluations, table and plot')
    parser.add_argument('sweep_config', help='sweep config file')
    parser.add_argument(
        '--dry-run', action='store_true',
        help='print the runs (and which are done) without running them')
    parser.add_argument(
        '--launcher', choices=['none', 'pytorch'], default='none',
        help="'pytorch' runs tools/dist_train.sh / dist_test.sh (torchrun)")
    parser.add_argument(
        '--gpus', type=int, default=1,
        help='processes (GPUs) per run with --launcher pytorch')
    parser.add_argument(
        '--seed', type=int, default=0,
        help='--seed of every training run (default 0; -1: random)')
    parser.add_argument(
        '--verbose', action='store_true',
        help='stream the tools\' output instead of writing it to '
        'ablate_*.log in each run\'s work dir')
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> Dict[str, str]:
    args = parse_args(argv)
    sweep = load_sweep(args.sweep_config)
    launcher = make_launcher(args.launcher, args.gpus,
                             None if args.seed < 0 else args.seed)
    steps = tuning_steps(sweep, launcher) + evaluation_steps(sweep, launcher)
    todo = [s for s in steps if not s.done]
    print(f'sweep {sweep.name!r}: {sweep.key} in {sweep.values}; '
          f'{describe_mode(sweep)}')
    print(f'{len(steps)} runs, {len(steps) - len(todo)} already done')
    for i, step in enumerate(steps, 1):
        status = 'done' if step.done else 'todo'
        label = step.evaluation.name if step.evaluation else 'tuning'
        print(f'[{i}/{len(steps)}] {status} {step.kind} {step.variant} '
              f'{label}: {shlex.join(step.cmd)}', flush=True)
        if args.dry_run or step.done:
            continue
        run_step(step, launcher, verbose=args.verbose)
    if args.dry_run:
        return {}
    results = collect_results(sweep, steps)
    paths = write_table(sweep, results)
    paths['png'] = plot(sweep, results)
    for kind, path in paths.items():
        print(f'{kind}: {path}')
    return paths


if __name__ == '__main__':
    main()
