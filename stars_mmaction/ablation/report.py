"""A sweep's results: CSV and Markdown tables and a plot."""
import csv
import json
import math
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence

from ..evaluation.units import as_percent
from .steps import Step, how_it_ran
from .sweep import BASELINE, EPOCHS_KEY, Sweep


def collect_results(sweep: Sweep,
                    steps: Sequence[Step]) -> Dict[str, Dict[str, float]]:
    """``{variant: {evaluation name: value in %}}`` of the finished steps."""
    results: Dict[str, Dict[str, float]] = {}
    for step in steps:
        if step.kind != 'eval' or not step.done:
            continue
        with open(step.done_files[0]) as f:
            value = json.load(f)['value']
        results.setdefault(step.variant,
                           {})[step.evaluation.name] = (as_percent(
                               step.evaluation.metric, value))
    return results


def _cell(value: Optional[float]) -> str:
    return '–' if value is None or math.isnan(value) else f'{value:.2f}'


def table_rows(sweep: Sweep,
               results: Dict[str, Dict[str, float]]) -> List[List[str]]:
    """Rows: the stage-1 baseline, then one per value."""
    names = [ev.name for ev in sweep.evaluations]
    rows = [[BASELINE, 'stage-1 checkpoint (baseline)'] +
            [_cell(results.get(BASELINE, {}).get(n)) for n in names]]
    for value in sweep.values:
        got = results.get(str(value), {})
        rows.append([str(value), how_it_ran(sweep, value)] +
                    [_cell(got.get(n)) for n in names])
    return rows


def describe_mode(sweep: Sweep) -> str:
    """One sentence saying how the sweep's tuning ran."""
    if sweep.mode == 'checkpoints':
        return (f'Ran as ONE {max(sweep.values)}-epoch tuning run saving '
                f'checkpoints at epochs {sorted(sweep.values)} (constant '
                'learning rate, so the epoch-e checkpoint is an e-epoch run).')
    return (f'Ran as one tuning run per value of `{sweep.key}` '
            f'({sweep.max_epochs if sweep.key != EPOCHS_KEY else "its"} '
            'epochs).')


def write_table(sweep: Sweep, results: Dict[str, Dict[str, float]]) -> Dict:
    """Write ``<work_dir>/<name>.csv`` and ``.md``; return their paths."""
    os.makedirs(sweep.work_dir, exist_ok=True)
    header = [sweep.key, 'run'
              ] + [f'{ev.label} (%)' for ev in sweep.evaluations]
    rows = table_rows(sweep, results)
    csv_path = osp.join(sweep.work_dir, f'{sweep.name}.csv')
    with open(csv_path, 'w', newline='') as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    md_path = osp.join(sweep.work_dir, f'{sweep.name}.md')
    lines = [
        f'# Sweep `{sweep.name}`: `{sweep.key}`', '',
        f'Config: `{sweep.path}`; stage-1 checkpoint: '
        f'`{sweep.stage1_checkpoint}`.', '',
        describe_mode(sweep)
    ]
    if sweep.note:
        lines += ['', sweep.note.strip()]
    lines += [
        '',
        'Metrics: ' + '; '.join(f'{ev.label} = `{ev.metric}` of `{ev.config}`'
                                for ev in sweep.evaluations) + '.', ''
    ]
    lines.append('| ' + ' | '.join(header) + ' |')
    lines.append('|' + '---|' * len(header))
    lines += ['| ' + ' | '.join(r) + ' |' for r in rows]
    with open(md_path, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    return dict(csv=csv_path, md=md_path)


def plot(sweep: Sweep, results: Dict[str, Dict[str, float]]) -> str:
    """One PNG: each metric against the value, baseline as a dashed line."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    evs = sweep.evaluations
    fig, axes = plt.subplots(1,
                             len(evs),
                             figsize=(4.2 * len(evs), 3.6),
                             squeeze=False)
    numeric = all(isinstance(v, (int, float)) for v in sweep.values)
    xs = sweep.values if numeric else list(range(len(sweep.values)))
    for ax, ev in zip(axes[0], evs):
        ys = [
            results.get(str(v), {}).get(ev.name, math.nan)
            for v in sweep.values
        ]
        ax.plot(xs, ys, marker='o', label='STARS tuning')
        base = results.get(BASELINE, {}).get(ev.name)
        if base is not None:
            ax.axhline(base,
                       color='gray',
                       linestyle='--',
                       label='stage 1 (baseline)')
        if sweep.xscale == 'log' and numeric and min(xs) > 0:
            ax.set_xscale('log', base=2)
        ax.set_xticks(xs)
        ax.set_xticklabels([str(v) for v in sweep.values])
        ax.set_xlabel(sweep.key.rsplit('.', 1)[-1])
        ax.set_ylabel(f'{ev.label} (%)')
        ax.set_title(ev.label)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle(f'{sweep.name}: {describe_mode(sweep)}', fontsize=8)
    fig.tight_layout()
    path = osp.join(sweep.work_dir, f'{sweep.name}.png')
    os.makedirs(sweep.work_dir, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
