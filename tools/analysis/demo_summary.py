"""Summarise the runs of ``tools/demo.py``: KNN table over seeds, stage-1 loss.

Reads, for every seed, ``WORK_DIR/seed<S>/knn/knn_table.json`` (written by
``tools/analysis/knn_table.py``) and the stage-1 log
``WORK_DIR/seed<S>/mamp/<timestamp>/vis_data/scalars.json``, then writes
``WORK_DIR/summary.json``, ``summary.md`` and ``summary.png`` (bar chart
with error bars) and prints the table, with the gain of stage 1 over
random and of stage 2 over stage 1 (paired per seed, and whether the means
differ by more than the larger spread between seeds)::

    python tools/analysis/demo_summary.py --work-dir work_dirs/demo

``summary.json``: ``{"random": {"knn_k1": [% per seed], "knn_k10": [...]},
"stage-1": {...}, "stage-2": {...}, "stage1_loss": x,
"stage1_loss_floor": y}``, where the stage-1 loss is ``mse_real`` (the
masked loss over real, non-padded persons) and its floor ``mse_zero_floor``
(the same loss of predicting zero), each the mean of the last epoch's logged
values, averaged over seeds.
"""
import argparse
import glob
import json
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from stars_mmaction.evaluation.units import as_percent

ROWS = ('random', 'stage-1', 'stage-2')
KS = (1, 10)


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Summarise the demo runs of several seeds')
    parser.add_argument('--work-dir', default='work_dirs/demo')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    return parser.parse_args(argv)


def read_knn(seed_dir: str) -> Dict[str, Dict[str, float]]:
    """KNN top-1 (%) per row and k of one seed.

    Args:
        seed_dir (str): ``WORK_DIR/seed<S>``.

    Returns:
        dict: ``{row: {'knn_k1': %, 'knn_k10': %}}``.
    """
    path = osp.join(seed_dir, 'knn', 'knn_table.json')
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path} not found: run tools/demo.py first')
    with open(path) as f:
        metrics = json.load(f)
    missing = [row for row in ROWS if row not in metrics]
    if missing:
        raise KeyError(f'{path}: no rows {missing} (has {sorted(metrics)})')
    return {
        row: {
            f'knn_k{k}': as_percent(f'knn/top1_k{k}',
                                    metrics[row][f'knn/top1_k{k}'])
            for k in KS
        }
        for row in ROWS
    }


def read_stage1_diagnostics(mamp_dir: str) -> Tuple[float, float]:
    """Last-epoch means of ``mse_real`` and ``mse_zero_floor``.

    Args:
        mamp_dir (str): The stage-1 work dir.

    Returns:
        tuple[float, float]: The stage-1 loss over real persons and its
        trivial floor.
    """
    paths = sorted(
        glob.glob(osp.join(mamp_dir, '*', 'vis_data', 'scalars.json')))
    if not paths:
        raise FileNotFoundError(f'no */vis_data/scalars.json under {mamp_dir}')
    with open(paths[-1]) as f:
        records = [json.loads(line) for line in f if line.strip()]
    records = [r for r in records if 'mse_real' in r]
    if not records:
        raise KeyError(f'{paths[-1]}: no mse_real logged (MAMPHead logs it)')
    last_epoch = max(r['epoch'] for r in records)
    last = [r for r in records if r['epoch'] == last_epoch]
    return (float(np.mean([r['mse_real'] for r in last])),
            float(np.mean([r['mse_zero_floor'] for r in last])))


def summarise(work_dir: str, seeds: Sequence[int]) -> Dict:
    """The ``summary.json`` content of the given seeds' runs."""
    per_seed = [read_knn(osp.join(work_dir, f'seed{s}')) for s in seeds]
    summary = {
        row: {key: [round(knn[row][key], 2) for knn in per_seed]
              for key in per_seed[0][row]}
        for row in ROWS
    }
    losses = [
        read_stage1_diagnostics(osp.join(work_dir, f'seed{s}', 'mamp'))
        for s in seeds
    ]
    summary['stage1_loss'] = round(float(np.mean([l for l, _ in losses])), 4)
    summary['stage1_loss_floor'] = round(
        float(np.mean([f for _, f in losses])), 4)
    return summary


def mean_std(values: List[float]) -> Tuple[float, float]:
    """Mean and sample standard deviation (0 for a single value)."""
    std = float(np.std(values, ddof=1)) if len(values) > 1 else 0.
    return float(np.mean(values)), std


def format_gain(summary: Dict, better: str, worse: str, key: str) -> str:
    """One cell of the gains table: ``better`` over ``worse`` at ``key``.

    Args:
        summary (dict): The ``summary.json`` content.
        better (str): The row expected to score higher.
        worse (str): The row it is compared with.
        key (str): ``'knn_k1'`` or ``'knn_k10'``.

    Returns:
        str: The paired gain (the per-seed differences' mean ± std) and
        whether the difference of the two rows' means exceeds the larger of
        their standard deviations (``clears spread`` or ``within spread``).
    """
    high, low = summary[better][key], summary[worse][key]
    gain = mean_std([h - l for h, l in zip(high, low)])
    (high_mean, high_std), (low_mean, low_std) = mean_std(high), mean_std(low)
    clears = high_mean - low_mean > max(high_std, low_std)
    return '{:+.2f} ± {:.2f}, {}'.format(
        *gain, 'clears spread' if clears else 'within spread')


def table_header(first: str) -> List[str]:
    """The header lines of a markdown table: ``first``, then one column per
    k."""
    return ['| ' + ' | '.join([first] + [f'KNN k={k}' for k in KS]) + ' |',
            '|---' * (len(KS) + 1) + '|']


def format_table(summary: Dict) -> str:
    """Markdown tables of KNN top-1 (mean ± std over seeds) and of the gains
    between the encoders, and the stage-1 loss against its floor."""
    num_seeds = len(summary[ROWS[0]]['knn_k1'])
    lines = [
        f'KNN top-1 accuracy (%), mean ± std over {num_seeds} seeds',
        '', *table_header('encoder')
    ]
    for row in ROWS:
        cells = ['{:.2f} ± {:.2f}'.format(*mean_std(summary[row][f'knn_k{k}']))
                 for k in KS]
        lines.append(f'| {row} | ' + ' | '.join(cells) + ' |')
    # The paired gain shows what a seed's stage 2 adds to its own stage 1;
    # "clears spread" is the unpaired test: the means differ by more than
    # the larger standard deviation between seeds.
    lines += [
        '', 'Gain in points: mean ± std of the per-seed difference; whether '
        'the means differ by more than the larger std', '',
        *table_header('gain')
    ]
    for better, worse in zip(ROWS[1:], ROWS[:-1]):
        cells = [format_gain(summary, better, worse, f'knn_k{k}') for k in KS]
        lines.append(f'| {better} over {worse} | ' + ' | '.join(cells) + ' |')
    lines += [
        '', f'stage-1 loss over real persons (last epoch): '
        f'{summary["stage1_loss"]:.4f}; trivial floor (predict zero): '
        f'{summary["stage1_loss_floor"]:.4f}'
    ]
    return '\n'.join(lines)


def plot(summary: Dict, path: str) -> None:
    """Bar chart of the table: one group per k, one bar per encoder, the
    seeds' standard deviation as error bars."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(6, 4))
    width = .8 / len(ROWS)
    for i, row in enumerate(ROWS):
        stats = [mean_std(summary[row][f'knn_k{k}']) for k in KS]
        positions = np.arange(len(KS)) + (i - (len(ROWS) - 1) / 2) * width
        bars = ax.bar(positions, [m for m, _ in stats], width,
                      yerr=[s for _, s in stats], capsize=4, label=row)
        ax.bar_label(bars, [f'{m:.1f}' for m, _ in stats], padding=6,
                     fontsize=8)
    ax.set_xticks(np.arange(len(KS)), [f'KNN k={k}' for k in KS])
    ax.set_ylabel('top-1 accuracy (%)')
    ax.set_ylim(0, 105)
    num_seeds = len(summary[ROWS[0]]['knn_k1'])
    ax.set_title(f'Demo data, xsub_val: mean ± std over {num_seeds} seeds\n'
                 f'stage-1 loss {summary["stage1_loss"]:.3f} '
                 f'(floor {summary["stage1_loss_floor"]:.3f})', fontsize=10)
    ax.legend(loc='lower center', ncol=len(ROWS))
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def write_summary(work_dir: str, seeds: Sequence[int]) -> Dict:
    """Write ``summary.json``, ``summary.md`` and ``summary.png`` and print
    the table."""
    summary = summarise(work_dir, seeds)
    table = format_table(summary)
    with open(osp.join(work_dir, 'summary.json'), 'w') as f:
        json.dump(summary, f, indent=2)
    with open(osp.join(work_dir, 'summary.md'), 'w') as f:
        f.write(table + '\n')
    plot(summary, osp.join(work_dir, 'summary.png'))
    print(table)
    print(f'written: {osp.join(work_dir, "summary.json")}, summary.md, '
          'summary.png')
    return summary


def main(argv: Optional[Sequence[str]] = None) -> Dict:
    args = parse_args(argv)
    return write_summary(args.work_dir, args.seeds)


if __name__ == '__main__':
    main()
