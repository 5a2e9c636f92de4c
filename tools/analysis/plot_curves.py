"""Plot the training curves of mmengine work dirs as PNGs.

Usage::

    python tools/analysis/plot_curves.py work_dirs/demo/mamp work_dirs/demo/stars \\
        --out-dir work_dirs/demo/curves

Each work dir is read with :func:`stars_mmaction.utils.read_scalar_log`, so a
resumed run (several timestamp folders) is one curve. Written, when the runs
logged them (one panel per scalar, one line per work dir):

- ``losses.png``: every loss term against the iteration;
- ``lr.png``: the learning rate(s) (``lr``, ``base_lr``) against the
  iteration;
- ``train_metrics.png``: other training scalars (e.g. STARS' ``nn_acc``);
- ``val_metrics.png``: the validation metrics against the epoch (the
  iteration for iteration-based training).

Accuracies are drawn in percent (see ``stars_mmaction.evaluation.units``).
Needs only matplotlib (mmaction2's ``analyze_logs.py plot_curve`` also needs
seaborn).
"""
import argparse
import math
import os
import os.path as osp
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402

from stars_mmaction.evaluation.units import as_percent, is_accuracy  # noqa
from stars_mmaction.utils import ScalarLog, read_scalar_log  # noqa: E402

# Bookkeeping scalars that are no curve of the model.
NOT_CURVES = ('time', 'data_time', 'memory', 'eta', 'grad_norm_max')
Series = Callable[[ScalarLog, str], Tuple[List[int], List[float]]]
Lines = Dict[str, List[Tuple[str, List[int], List[float]]]]


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Plot losses, lr and metrics of mmengine work dirs')
    parser.add_argument('work_dirs', nargs='+', help='mmengine work dirs')
    parser.add_argument('--out-dir', required=True, help='folder of the PNGs')
    parser.add_argument(
        '--names', nargs='+', help='legend names (default: folder names)')
    return parser.parse_args(argv)


def group_keys(log: ScalarLog) -> dict:
    """The training scalars of a log by panel group."""
    keys = [k for k in log.train_keys() if k not in NOT_CURVES]
    losses = [k for k in keys if 'loss' in k]
    # lr, base_lr; <optimizer>.lr with several optimizers
    lrs = [k for k in keys if k.split('.')[-1] in ('lr', 'base_lr')]
    others = [k for k in keys if k not in losses and k not in lrs]
    vals = [k for k in log.val_keys() if k not in NOT_CURVES]
    return dict(losses=losses, lr=lrs, train_metrics=others, val_metrics=vals)


def label(key: str) -> str:
    return f'{key} (%)' if is_accuracy(key) else key


def collect_lines(logs: List[ScalarLog], names: List[str], keys: List[str],
                  series: Series) -> Lines:
    """``{key: [(work dir name, xs, ys in the project's unit)]}``.

    Args:
        logs (list[ScalarLog]): The joined logs.
        names (list[str]): Their legend names.
        keys (list[str]): Scalars to draw.
        series (callable): ``ScalarLog.train_series`` or ``val_series``.

    Returns:
        dict: The lines of each panel; a work dir without the key has none.
    """
    lines: Lines = {}
    for key in keys:
        lines[key] = []
        for log, name in zip(logs, names):
            try:
                xs, ys = series(log, key)
            except ValueError:  # this work dir did not log the key
                continue
            lines[key].append((name, xs, [as_percent(key, y) for y in ys]))
    return lines


def plot_panels(lines: Lines, xlabel: str, path: str) -> None:
    """One panel per key, one line per work dir that logged it."""
    cols = min(3, len(lines))
    rows = math.ceil(len(lines) / cols)
    fig, axes = plt.subplots(
        rows, cols, figsize=(4.5 * cols, 3.2 * rows), squeeze=False)
    # Name the work dir of every line once several are drawn.
    legend = len({line[0] for panel in lines.values() for line in panel}) > 1
    for ax, (key, key_lines) in zip(axes.flat, lines.items()):
        for name, xs, ys in key_lines:
            ax.plot(xs, ys, marker='.' if len(xs) < 30 else None, label=name)
        ax.set_title(label(key))
        ax.set_xlabel(xlabel)
        ax.grid(alpha=0.3)
        if legend:
            ax.legend(fontsize='small')
    for ax in list(axes.flat)[len(lines):]:
        ax.axis('off')
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main(argv: Optional[Sequence[str]] = None) -> List[str]:
    """Write the PNGs; return their paths."""
    args = parse_args(argv)
    names = args.names or [osp.basename(osp.normpath(w))
                           for w in args.work_dirs]
    if len(names) != len(args.work_dirs):
        raise ValueError(f'--names has {len(names)} names for '
                         f'{len(args.work_dirs)} work dirs')
    logs = [read_scalar_log(w) for w in args.work_dirs]
    groups = {}
    for log in logs:
        for group, keys in group_keys(log).items():
            groups.setdefault(group, [])
            groups[group] += [k for k in keys if k not in groups[group]]
    by_epoch = all(log.by_epoch for log in logs)
    panels = dict(
        losses=(ScalarLog.train_series, 'iteration'),
        lr=(ScalarLog.train_series, 'iteration'),
        train_metrics=(ScalarLog.train_series, 'iteration'),
        val_metrics=(ScalarLog.val_series,
                     'epoch' if by_epoch else 'iteration'))
    os.makedirs(args.out_dir, exist_ok=True)
    written = []
    for group, (series, xlabel) in panels.items():
        if not groups.get(group):
            print(f'{group}: nothing logged, no plot')
            continue
        path = osp.join(args.out_dir, f'{group}.png')
        plot_panels(collect_lines(logs, names, groups[group], series),
                    xlabel, path)
        print(f'{group}: {", ".join(groups[group])} -> {path}')
        written.append(path)
    return written


if __name__ == '__main__':
    main()
