"""Collect the metrics of work dirs into one Markdown table with the paper's.

Each work dir is one evaluation run of ``tools/test.py`` (KNN, few-shot) or
``tools/train.py`` (linear, fine-tune, semi-supervised). The protocol and
data set come from the config mmengine dumps into the work dir (e.g.
``linear_4xb64-100e_ntu60-xsub-keypoint-3d.py``); the method (MAMP or STARS)
from the evaluated checkpoint's path, or from ``WORK_DIR@METHOD``. Metrics:
the newest test result (``<timestamp>/<timestamp>.json``), else the last
validation record (``<timestamp>/vis_data/scalars.json``). Published numbers
are those of design notes section 6 (top-1 %).

Example::

    python tools/analysis/report.py work_dirs/knn_stars work_dirs/linear_stars@STARS \
        --out work_dirs/report.md
"""
import argparse
import glob
import json
import os
import os.path as osp
import re
from typing import Dict, List, Optional, Sequence, Tuple

from mmengine.config import Config

from stars_mmaction.evaluation.units import as_percent

# (method, protocol, data set) -> published top-1 (%).
PUBLISHED: Dict[Tuple[str, str, str], float] = {}
for _method, _protocol, _values in [
    ('STARS', 'linear', (87.1, 90.9, 79.9, 80.8)),
    ('STARS', 'knn_k1', (79.9, 88.6, 67.6, 67.7)),
    ('STARS', 'finetune', (93.0, 97.5, 89.9, 91.4)),
    ('MAMP', 'linear', (85.0, 89.0, 78.1, 79.5)),
    ('MAMP', 'knn_k1', (63.1, 80.3, None, None)),
]:
    for _dataset, _value in zip(
            ('ntu60-xsub', 'ntu60-xview', 'ntu120-xsub', 'ntu120-xset'),
            _values):
        if _value is not None:
            PUBLISHED[(_method, _protocol, _dataset)] = _value
PUBLISHED.update({
    ('STARS', 'semi1p', 'ntu60-xsub'): 69.1,
    ('STARS', 'semi10p', 'ntu60-xsub'): 88.0,
    ('STARS', 'semi1p', 'ntu60-xview'): 72.9,
    ('STARS', 'semi10p', 'ntu60-xview'): 91.8,
    ('MAMP', 'semi1p', 'ntu60-xsub'): 66.0,
    ('MAMP', 'semi10p', 'ntu60-xsub'): 88.0,
    ('MAMP', 'semi1p', 'ntu60-xview'): 68.7,
    ('MAMP', 'semi10p', 'ntu60-xview'): 91.5,
    ('MAMP', 'fewshot_1shot', 'ntu120-xsub'): 47.6,
    ('MAMP', 'fewshot_2shot', 'ntu120-xsub'): 44.4,
    ('MAMP', 'fewshot_5shot', 'ntu120-xsub'): 48.4,
    ('STARS', 'fewshot_1shot', 'ntu120-xsub'): 63.5,
    ('STARS', 'fewshot_2shot', 'ntu120-xsub'): 62.2,
    ('STARS', 'fewshot_5shot', 'ntu120-xsub'): 65.7,
    ('STARS', 'knn_k10', 'ntu60-xsub'): 83.7,  # Table 10, alpha = 0.2
})
PROTOCOLS = ('semi10p', 'semi1p', 'linear', 'finetune', 'knn', 'fewshot')
DATASET = re.compile(r'(ntu60|ntu120|pku1|pku2|demo)-(xsub|xview|xset)')


def _stamps(work_dir: str) -> List[str]:
    return sorted(d for d in glob.glob(osp.join(work_dir, '*'))
                  if osp.isdir(d) and osp.basename(d)[:8].isdigit())


def dumped_config(work_dir: str) -> str:
    """The config mmengine dumped into ``work_dir`` (the newest)."""
    configs = sorted(glob.glob(osp.join(work_dir, '*.py')),
                     key=osp.getmtime)
    if not configs:
        raise FileNotFoundError(f'{work_dir}: no dumped config (*.py); is '
                                'it a tools/train.py or tools/test.py work '
                                'dir?')
    return configs[-1]


def read_metrics(work_dir: str) -> Dict[str, float]:
    """Newest test metrics, else the last validation record."""
    for stamp in reversed(_stamps(work_dir)):
        path = osp.join(stamp, osp.basename(stamp) + '.json')
        if osp.isfile(path):
            with open(path) as f:
                record = json.load(f)
            metrics = {k: v for k, v in record.items() if '/' in k}
            if metrics:
                return metrics
    last: Dict[str, float] = {}
    last_step = -1
    for stamp in _stamps(work_dir):
        path = osp.join(stamp, 'vis_data', 'scalars.json')
        if not osp.isfile(path):
            continue
        with open(path) as f:
            for line in f:
                record = json.loads(line)
                metrics = {k: v for k, v in record.items() if '/' in k}
                if metrics and record.get('step', 0) >= last_step:
                    last, last_step = metrics, record.get('step', 0)
    if not last:
        raise ValueError(f'{work_dir}: no test result or validation record')
    return last


def describe(config_path: str) -> Tuple[str, str, str]:
    """(protocol, data set, evaluated checkpoint) of a dumped config."""
    name = osp.basename(config_path)
    protocol = next((p for p in PROTOCOLS if name.startswith(p)), 'other')
    match = DATASET.search(name)
    dataset = match.group(0) if match else '?'
    cfg = Config.fromfile(config_path, import_custom_modules=False)
    checkpoint = cfg.get('load_from') or ''
    init_cfg = cfg.get('model', {}).get('backbone', {}).get('init_cfg')
    if protocol != 'knn' and protocol != 'fewshot' and \
            isinstance(init_cfg, dict) and init_cfg.get('checkpoint'):
        checkpoint = init_cfg['checkpoint']
    return protocol, dataset, checkpoint or ''


def infer_method(checkpoint: str) -> str:
    """STARS or MAMP from a checkpoint path, '?' when it says neither."""
    text = checkpoint.lower()
    if 'stars' in text:
        return 'STARS'
    if 'mamp' in text:
        return 'MAMP'
    return '?'


def metric_rows(protocol: str,
                metrics: Dict[str, float]) -> List[Tuple[str, str, float]]:
    """(protocol key for PUBLISHED, label, value %) of a run's metrics."""
    def natural(key: str) -> list:
        return [int(t) if t.isdigit() else t for t in re.split(r'(\d+)', key)]

    rows = []
    for key in sorted(metrics, key=natural):
        group, name = key.split('/', 1)
        if group == 'knn' and name.startswith('top1_k'):
            k = name[len('top1_k'):]
            rows.append((f'knn_k{k}', f'KNN k={k}', key))
        elif group == 'fewshot' and name.endswith('shot'):
            rows.append((f'fewshot_{name}', f'few-shot {name}', key))
        elif group == 'fewshot' and name == 'avg':
            rows.append(('fewshot_avg', 'few-shot avg', key))
        elif group == 'acc' and name == 'top1':
            rows.append((protocol, f'{protocol} top-1', key))
    return [(p, label, as_percent(k, metrics[k])) for p, label, k in rows]


def collect(specs: Sequence[str]) -> List[Dict]:
    """One row per (work dir, metric).

    Args:
        specs (Sequence[str]): ``WORK_DIR`` or ``WORK_DIR@METHOD``.

    Returns:
        list[dict]: Rows with run, method, protocol, dataset, metric, ours,
        paper.
    """
    rows = []
    for spec in specs:
        work_dir, _, method = spec.partition('@')
        protocol, dataset, checkpoint = describe(dumped_config(work_dir))
        method = method or infer_method(checkpoint)
        for key, label, value in metric_rows(protocol,
                                             read_metrics(work_dir)):
            rows.append(
                dict(run=osp.basename(osp.normpath(work_dir)),
                     method=method, protocol=protocol, dataset=dataset,
                     metric=label, ours=value,
                     paper=PUBLISHED.get((method, key, dataset))))
    return rows


def markdown(rows: List[Dict]) -> str:
    """The Markdown table (top-1 %, Δ = ours - paper)."""
    lines = [
        '| run | method | data set | metric | ours (%) | paper (%) | Δ |',
        '|---|---|---|---|---|---|---|'
    ]
    for r in rows:
        paper = '–' if r['paper'] is None else f"{r['paper']:.1f}"
        delta = '–' if r['paper'] is None else \
            f"{r['ours'] - r['paper']:+.1f}"
        lines.append(f"| {r['run']} | {r['method']} | {r['dataset']} | "
                     f"{r['metric']} | {r['ours']:.2f} | {paper} | {delta} |")
    return '\n'.join(lines) + '\n'


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Tabulate the metrics of work dirs next to the paper')
    parser.add_argument('work_dirs', nargs='+',
                        help='WORK_DIR or WORK_DIR@METHOD (METHOD: MAMP or '
                        'STARS, when the checkpoint path does not say)')
    parser.add_argument('--out', help='also write the table here')
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> str:
    args = parse_args(argv)
    table = markdown(collect(args.work_dirs))
    print(table)
    if args.out:
        os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
        with open(args.out, 'w') as f:
            f.write(table)
    return table


if __name__ == '__main__':
    main()
