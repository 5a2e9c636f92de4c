"""Compare encoders by KNN accuracy: one ``tools/test.py`` run per checkpoint.

Each checkpoint is evaluated with the KNN config in ``WORK_DIR/NAME``; the
metrics mmengine writes there (``<timestamp>/<timestamp>.json``) give a table
of top-1 accuracy (%) for the chosen k, printed and written to
``WORK_DIR/knn_table.md`` (and ``knn_table.json``), and drawn as bars in
``WORK_DIR/knn_table.png``.

Example (``make demo``)::

    python tools/analysis/knn_table.py \
        configs/stars/eval/knn_demo-xsub-keypoint-3d.py \
        --checkpoints work_dirs/demo/seed0/mamp/epoch_14.pth \
                      work_dirs/demo/seed0/stars/epoch_3.pth \
        --names stage-1 stage-2 --work-dir work_dirs/demo/knn
"""
import argparse
import json
import os
import os.path as osp
import subprocess
import sys
from typing import Dict, List, Optional, Sequence

from stars_mmaction.evaluation.units import as_percent
from stars_mmaction.utils.scalar_logs import read_scalar_log
from stars_mmaction.utils.tool_launcher import ToolLauncher

TOOLS_DIR = osp.dirname(osp.dirname(osp.abspath(__file__)))


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Tabulate the KNN accuracy of several checkpoints')
    parser.add_argument('config', help='KNN config (configs/stars/eval/knn_*)')
    parser.add_argument('--checkpoints',
                        nargs='+',
                        required=True,
                        help='checkpoints')
    parser.add_argument('--names',
                        nargs='+',
                        help='one row name per checkpoint; default '
                        'the checkpoint paths')
    parser.add_argument('--ks',
                        type=int,
                        nargs='+',
                        default=[1, 10],
                        help='k columns of the table; default 1 10')
    parser.add_argument('--work-dir',
                        default='work_dirs/knn_table',
                        help='parent of the evaluations\' work dirs')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        default=[],
        help='passed to tools/test.py --cfg-options (key=value ...)')
    args = parser.parse_args(argv)
    args.names = args.names or args.checkpoints
    if len(args.names) != len(args.checkpoints):
        parser.error(f'{len(args.names)} --names for '
                     f'{len(args.checkpoints)} --checkpoints')
    if len(set(args.names)) != len(args.names):
        parser.error(f'--names must be unique, got {args.names}')
    missing = [c for c in args.checkpoints if not osp.isfile(c)]
    if missing:
        parser.error(f'checkpoints not found: {missing}')
    return args


def read_test_metrics(work_dir: str) -> Dict[str, float]:
    """The metrics of the latest ``tools/test.py`` run in ``work_dir``."""
    result = read_scalar_log(work_dir).latest_test()
    if result is None:
        raise FileNotFoundError(f'no test metrics (<timestamp>/'
                                f'<timestamp>.json) under {work_dir}')
    return result


def format_table(rows: Dict[str, Dict[str, float]], ks: List[int]) -> str:
    """A Markdown table of KNN top-1 (%) per encoder and k."""
    header = '| encoder | ' + ' | '.join(f'KNN k={k}' for k in ks) + ' |'
    lines = [header, '|---' * (len(ks) + 1) + '|']
    for name, metrics in rows.items():
        cells = []
        for k in ks:
            key = f'knn/top1_k{k}'
            if key not in metrics:
                raise KeyError(f'{name}: no {key} in the metrics '
                               f'{sorted(metrics)}; add k={k} to the '
                               'config\'s test_evaluator.topk_neighbours')
            cells.append(f'{as_percent(key, metrics[key]):.2f}')
        lines.append(f'| {name} | ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines)


def plot_table(rows: Dict[str, Dict[str, float]], ks: List[int],
               path: str) -> None:
    """The table as grouped bars: one group per k, one bar per encoder.

    Args:
        rows (dict): ``{encoder name: metrics}`` as read from the runs.
        ks (list[int]): The values of k, one group each.
        path (str): The PNG to write.
    """
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    width = 0.8 / len(rows)
    fig, ax = plt.subplots(figsize=(1.5 + 1.2 * len(ks), 3.5))
    for i, (name, metrics) in enumerate(rows.items()):
        values = [as_percent(f'knn/top1_k{k}', metrics[f'knn/top1_k{k}'])
                  for k in ks]
        bars = ax.bar([j + (i - (len(rows) - 1) / 2) * width
                       for j in range(len(ks))], values, width, label=name)
        ax.bar_label(bars, fmt='%.1f', fontsize='small')
    ax.set_xticks(range(len(ks)), [f'k={k}' for k in ks])
    ax.set_ylabel('KNN top-1 accuracy (%)')
    ax.set_ylim(0, 100)
    ax.legend(fontsize='small')
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main(argv: Optional[Sequence[str]] = None) -> Dict:
    args = parse_args(argv)
    rows = dict()
    for name, checkpoint in zip(args.names, args.checkpoints):
        work_dir = osp.join(args.work_dir, name.replace('/', '_'))
        extra = ['--cfg-options', *args.cfg_options
                 ] if args.cfg_options else []
        command = ToolLauncher(TOOLS_DIR).test(args.config, checkpoint,
                                               ['--work-dir', work_dir] +
                                               extra)
        print(f'[{name}] ' + ' '.join(command), flush=True)
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            sys.stderr.write(result.stdout[-5000:] + result.stderr[-5000:])
            raise SystemExit(f'KNN evaluation of {checkpoint} failed (exit '
                             f'code {result.returncode})')
        rows[name] = read_test_metrics(work_dir)
    table = format_table(rows, args.ks)
    print(f'KNN top-1 accuracy (%), {args.config}\n{table}')
    os.makedirs(args.work_dir, exist_ok=True)
    with open(osp.join(args.work_dir, 'knn_table.md'), 'w') as f:
        f.write(table + '\n')
    with open(osp.join(args.work_dir, 'knn_table.json'), 'w') as f:
        json.dump(rows, f, indent=2)
    plot_table(rows, args.ks, osp.join(args.work_dir, 'knn_table.png'))
    return rows


if __name__ == '__main__':
    main()
