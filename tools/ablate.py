# Copyright (c) stars_mmaction contributors.
"""Run one ablation sweep of STARS tuning and tabulate and plot its results.

A sweep config is a stage-2 (STARS tuning) config that inherits the base
tuning config and adds a ``sweep`` dict (see ``configs/stars/sweeps/``)::

    sweep = dict(
        name='tune-ratio',                 # names the table and plot files
        key='optim_wrapper.paramwise_cfg.tune_ratio',  # varied config key
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
import csv
import json
import math
import os
import os.path as osp
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

from mmengine.config import Config

from stars_mmaction.evaluation.units import as_percent

TOOLS_DIR = Path(__file__).resolve().parent
MODES = ('separate', 'checkpoints')
TOOLS = ('test', 'train')
EPOCHS_KEY = 'train_cfg.max_epochs'
SWEEP_KEYS = ('name', 'key', 'values', 'mode', 'stage1_checkpoint',
              'evaluations', 'work_dir', 'baseline_work_dir', 'note',
              'init_checkpoint_key', 'xscale')
EVAL_KEYS = ('name', 'tool', 'config', 'metric', 'checkpoint_key', 'label',
             'cfg_options')
BASELINE = 'stage1'


@dataclass
class Evaluation:
    """One evaluation protocol of a sweep.

    Args:
        name (str): Column name, e.g. ``'knn_k10'``.
        tool (str): ``'test'`` (tools/test.py CONFIG CHECKPOINT) or
            ``'train'`` (tools/train.py CONFIG, e.g. linear evaluation).
        config (str): The evaluation config.
        metric (str): The logged metric, e.g. ``'knn/top1_k10'``.
        checkpoint_key (str): Config key that receives the encoder
            checkpoint for ``tool='train'``. Defaults to
            ``'model.backbone.init_cfg.checkpoint'``.
        label (str): Axis / column label. Defaults to ``name``.
        cfg_options (dict): Extra ``--cfg-options`` of this evaluation.
            Defaults to ``{}``.
    """
    name: str
    tool: str
    config: str
    metric: str
    checkpoint_key: str = 'model.backbone.init_cfg.checkpoint'
    label: str = ''
    cfg_options: Dict[str, Any] = field(default_factory=dict)


@dataclass
class Sweep:
    """A parsed and checked ``sweep`` dict (see the module docstring)."""
    path: str
    name: str
    key: str
    values: List[Any]
    mode: str
    stage1_checkpoint: str
    evaluations: List[Evaluation]
    work_dir: str
    baseline_work_dir: str
    note: str
    init_checkpoint_key: str
    xscale: str
    max_epochs: int


@dataclass
class Step:
    """One command of the sweep and where its result lies.

    Args:
        kind (str): ``'tune'`` or ``'eval'``.
        variant (str): ``'stage1'`` or the varied value as text.
        cmd (list[str]): The command.
        work_dir (str): Its work directory (``--work-dir``).
        done_files (list[str]): Files whose existence means it is done.
        evaluation (Evaluation, optional): For ``'eval'`` steps.
        checkpoint (str): The evaluated checkpoint (``'eval'`` steps).
    """
    kind: str
    variant: str
    cmd: List[str]
    work_dir: str
    done_files: List[str]
    evaluation: Optional[Evaluation] = None
    checkpoint: str = ''

    @property
    def done(self) -> bool:
        return all(osp.isfile(f) for f in self.done_files)


def _get_key(cfg: Config, key: str) -> Any:
    node: Any = cfg.to_dict()
    for part in key.split('.'):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(part)
        node = node[part]
    return node


def load_sweep(path: str) -> Sweep:
    """Load and check the ``sweep`` dict of a sweep config.

    Args:
        path (str): The sweep config.

    Returns:
        Sweep: The parsed sweep.
    """
    cfg = Config.fromfile(path)
    if 'sweep' not in cfg:
        raise ValueError(f'{path}: a sweep config needs a `sweep` dict (see '
                         'tools/ablate.py)')
    raw = dict(cfg.sweep)
    unknown = set(raw) - set(SWEEP_KEYS)
    if unknown:
        raise ValueError(f'{path}: unknown sweep keys {sorted(unknown)}; '
                         f'expected some of {SWEEP_KEYS}')
    for required in ('name', 'key', 'values', 'stage1_checkpoint',
                     'evaluations', 'work_dir'):
        if required not in raw:
            raise ValueError(f'{path}: sweep.{required} is required')
    values = list(raw['values'])
    if not values or len(set(map(str, values))) != len(values):
        raise ValueError(f'{path}: sweep.values must be distinct and '
                         f'non-empty, got {values}')
    mode = raw.get('mode', 'separate')
    if mode not in MODES:
        raise ValueError(f'{path}: sweep.mode must be one of {MODES}, got '
                         f'{mode!r}')
    key = raw['key']
    try:
        _get_key(cfg, key)
    except KeyError as err:
        raise ValueError(f'{path}: sweep.key {key!r} is not a key of the '
                         f'config (missing part {err})') from None
    if mode == 'checkpoints':
        if key != EPOCHS_KEY:
            raise ValueError(f"{path}: sweep.mode='checkpoints' varies "
                             f"{EPOCHS_KEY!r}, got key {key!r}")
        if any(not isinstance(v, int) or v < 1 for v in values):
            raise ValueError(f'{path}: epoch values must be ints >= 1, got '
                             f'{values}')
        if cfg.get('param_scheduler'):
            raise ValueError(
                f"{path}: sweep.mode='checkpoints' reads an e-epoch run off "
                'one longer run, which holds only with a constant learning '
                f'rate; the config has param_scheduler='
                f"{cfg.param_scheduler}. Use mode='separate'")
    evaluations = []
    for i, ev in enumerate(raw['evaluations']):
        ev = dict(ev)
        bad = set(ev) - set(EVAL_KEYS)
        missing = {'name', 'tool', 'config', 'metric'} - set(ev)
        if bad or missing:
            raise ValueError(f'{path}: sweep.evaluations[{i}] has unknown '
                             f'keys {sorted(bad)} / misses {sorted(missing)}')
        if ev['tool'] not in TOOLS:
            raise ValueError(f'{path}: sweep.evaluations[{i}].tool must be '
                             f"one of {TOOLS}, got {ev['tool']!r}")
        ev.setdefault('label', ev['name'])
        ev['cfg_options'] = dict(ev.get('cfg_options') or {})
        evaluations.append(Evaluation(**ev))
    if len({e.name for e in evaluations}) != len(evaluations):
        raise ValueError(f'{path}: sweep.evaluations names must be distinct')
    work_dir = raw['work_dir']
    return Sweep(
        path=path,
        name=raw['name'],
        key=key,
        values=values,
        mode=mode,
        stage1_checkpoint=raw['stage1_checkpoint'],
        evaluations=evaluations,
        work_dir=work_dir,
        baseline_work_dir=raw.get('baseline_work_dir') or osp.join(
            work_dir, BASELINE),
        note=raw.get('note', ''),
        init_checkpoint_key=raw.get('init_checkpoint_key',
                                    'model.backbone.init_cfg.checkpoint'),
        xscale=raw.get('xscale', 'linear'),
        max_epochs=int(cfg.train_cfg.max_epochs))


def format_value(value: Any) -> str:
    """Config-option text of a value (``[5,10]`` for lists, no spaces)."""
    if isinstance(value, (list, tuple)):
        return '[' + ','.join(format_value(v) for v in value) + ']'
    return str(value)


def cfg_options(options: Dict[str, Any]) -> List[str]:
    """``--cfg-options`` arguments (none when ``options`` is empty)."""
    if not options:
        return []
    return ['--cfg-options'] + [
        f'{k}={format_value(v)}' for k, v in options.items()
    ]


class Launcher:
    """Builds the commands of the project's tools, single or distributed.

    Args:
        launcher (str): ``'none'`` (python tools/*.py) or ``'pytorch'``
            (bash tools/dist_*.sh, torchrun).
        gpus (int): Processes per run with ``'pytorch'``.
        seed (int, optional): ``--seed`` of every training run (tuning and
            linear evaluation), so that variants differ only in the varied
            value; None leaves the seed random. Defaults to 0.
    """

    def __init__(self,
                 launcher: str = 'none',
                 gpus: int = 1,
                 seed: Optional[int] = 0) -> None:
        if launcher not in ('none', 'pytorch'):
            raise ValueError(f"--launcher must be 'none' or 'pytorch', got "
                             f'{launcher!r}')
        if gpus < 1:
            raise ValueError(f'--gpus must be >= 1, got {gpus}')
        self.launcher = launcher
        self.gpus = gpus
        self.seed = seed

    def train(self, config: str, args: List[str]) -> List[str]:
        if self.seed is not None:
            args = ['--seed', str(self.seed)] + args
        if self.launcher == 'pytorch':
            return ['bash', str(TOOLS_DIR / 'dist_train.sh'), config,
                    str(self.gpus)] + args
        return [sys.executable, str(TOOLS_DIR / 'train.py'), config] + args

    def test(self, config: str, checkpoint: str,
             args: List[str]) -> List[str]:
        if self.launcher == 'pytorch':
            return ['bash', str(TOOLS_DIR / 'dist_test.sh'), config,
                    checkpoint, str(self.gpus)] + args
        return [sys.executable, str(TOOLS_DIR / 'test.py'), config,
                checkpoint] + args


def variant_name(sweep: Sweep, value: Any) -> str:
    """Directory name of a variant, e.g. ``tune_ratio_0.25``."""
    return f"{sweep.key.rsplit('.', 1)[-1]}_{value}"


def tuning_run_dir(sweep: Sweep, value: Any) -> str:
    """Work directory of the tuning run that produces ``value``."""
    if sweep.mode == 'checkpoints':
        return osp.join(sweep.work_dir, f'max_epochs_{max(sweep.values)}')
    return osp.join(sweep.work_dir, variant_name(sweep, value))


def tuned_checkpoint(sweep: Sweep, value: Any) -> str:
    """The stage-2 checkpoint evaluated for ``value``."""
    epoch = value if sweep.key == EPOCHS_KEY else sweep.max_epochs
    return osp.join(tuning_run_dir(sweep, value), f'epoch_{epoch}.pth')


def how_it_ran(sweep: Sweep, value: Any) -> str:
    """The table's "run" text of a variant."""
    if sweep.mode == 'checkpoints':
        return (f'one {max(sweep.values)}-epoch run, checkpoint of epoch '
                f'{value}')
    epochs = value if sweep.key == EPOCHS_KEY else sweep.max_epochs
    return f'own {epochs}-epoch run'


def _resume_args(work_dir: str) -> List[str]:
    """``--resume`` when an interrupted run left a checkpoint."""
    return ['--resume'] if osp.isfile(osp.join(work_dir,
                                               'last_checkpoint')) else []


def tuning_steps(sweep: Sweep, launcher: Launcher) -> List[Step]:
    """The tuning runs of the sweep."""
    steps = []
    if sweep.mode == 'checkpoints':
        run_values = [max(sweep.values)]
    else:
        run_values = sweep.values
    for value in run_values:
        work_dir = tuning_run_dir(sweep, value)
        options = {}
        options[sweep.init_checkpoint_key] = sweep.stage1_checkpoint
        options[sweep.key] = value
        if sweep.mode == 'checkpoints':
            # The listed epochs are kept whatever max_keep_ckpts says.
            options.update({
                'default_hooks.checkpoint.type': 'MilestoneCheckpointHook',
                'default_hooks.checkpoint.milestones': sorted(sweep.values),
                'default_hooks.checkpoint.interval': -1,
            })
            done = [tuned_checkpoint(sweep, v) for v in sweep.values]
        else:
            done = [tuned_checkpoint(sweep, value)]
        cmd = launcher.train(
            sweep.path, ['--work-dir', work_dir] + _resume_args(work_dir) +
            cfg_options(options))
        steps.append(Step('tune', str(value), cmd, work_dir, done))
    return steps


def eval_step(evaluation: Evaluation, checkpoint: str, work_dir: str,
              variant: str, launcher: Launcher) -> Step:
    """The command that evaluates ``checkpoint`` with ``evaluation``."""
    result = osp.join(work_dir, 'result.json')
    if evaluation.tool == 'test':
        cmd = launcher.test(
            evaluation.config, checkpoint, ['--work-dir', work_dir] +
            cfg_options(evaluation.cfg_options))
    else:
        options = dict(evaluation.cfg_options)
        options[evaluation.checkpoint_key] = checkpoint
        cmd = launcher.train(
            evaluation.config, ['--work-dir', work_dir] +
            _resume_args(work_dir) + cfg_options(options))
    return Step('eval', variant, cmd, work_dir, [result], evaluation,
                checkpoint)


def evaluation_steps(sweep: Sweep, launcher: Launcher) -> List[Step]:
    """Baseline (stage 1) and per-variant evaluations."""
    steps = []
    for ev in sweep.evaluations:
        steps.append(
            eval_step(ev, sweep.stage1_checkpoint,
                      osp.join(sweep.baseline_work_dir, 'eval', ev.name),
                      BASELINE, launcher))
    for value in sweep.values:
        checkpoint = tuned_checkpoint(sweep, value)
        root = osp.join(osp.dirname(checkpoint), 'eval')
        if sweep.mode == 'checkpoints':
            root = osp.join(root, f'epoch_{value}')
        for ev in sweep.evaluations:
            steps.append(
                eval_step(ev, checkpoint, osp.join(root, ev.name),
                          str(value), launcher))
    return steps


def _timestamp_dirs(work_dir: str) -> List[str]:
    if not osp.isdir(work_dir):
        return []
    return sorted(
        osp.join(work_dir, d) for d in os.listdir(work_dir)
        if osp.isdir(osp.join(work_dir, d)) and d[:8].isdigit())


def read_test_metric(work_dir: str, metric: str) -> float:
    """The metric logged by ``tools/test.py`` (newest run of ``work_dir``).

    mmengine writes ``<work_dir>/<timestamp>/<timestamp>.json``.
    """
    for run in reversed(_timestamp_dirs(work_dir)):
        path = osp.join(run, osp.basename(run) + '.json')
        if osp.isfile(path):
            with open(path) as f:
                record = json.load(f)
            if metric in record:
                return float(record[metric])
    raise ValueError(f'no test result with metric {metric!r} under '
                     f'{work_dir}/<timestamp>/<timestamp>.json')


def read_train_metric(work_dir: str, metric: str) -> float:
    """The last validation value of ``metric`` logged by ``tools/train.py``.

    Reads every ``<work_dir>/<timestamp>/vis_data/scalars.json`` (a resumed
    run has several) and returns the value of the latest epoch.
    """
    best = None
    for run in _timestamp_dirs(work_dir):
        path = osp.join(run, 'vis_data', 'scalars.json')
        if not osp.isfile(path):
            continue
        with open(path) as f:
            for line in f:
                record = json.loads(line)
                if metric in record:
                    step = record.get('step', 0)
                    if best is None or step >= best[0]:
                        best = (step, float(record[metric]))
    if best is None:
        raise ValueError(f'no validation record with metric {metric!r} '
                         f'under {work_dir}/<timestamp>/vis_data/'
                         'scalars.json')
    return best[1]


def run_step(step: Step, verbose: bool = False) -> None:
    """Run a step; an eval step then writes its ``result.json``."""
    os.makedirs(step.work_dir, exist_ok=True)
    log_path = osp.join(step.work_dir, f'ablate_{step.kind}.log')
    env = dict(os.environ, PYTHON=sys.executable)
    with open(log_path, 'a') as log:
        proc = subprocess.run(
            step.cmd,
            stdout=None if verbose else log,
            stderr=subprocess.STDOUT if not verbose else None,
            env=env)
    if proc.returncode != 0:
        raise RuntimeError(f'command failed with exit code '
                           f'{proc.returncode} (log: {log_path}):\n'
                           f'{shlex.join(step.cmd)}')
    if step.kind == 'eval':
        ev = step.evaluation
        read = read_test_metric if ev.tool == 'test' else read_train_metric
        result = dict(
            evaluation=ev.name,
            metric=ev.metric,
            value=read(step.work_dir, ev.metric),
            checkpoint=step.checkpoint,
            config=ev.config)
        with open(step.done_files[0], 'w') as f:
            json.dump(result, f, indent=2)
    missing = [f for f in step.done_files if not osp.isfile(f)]
    if missing:
        raise RuntimeError(f'{shlex.join(step.cmd)} finished without '
                           f'writing {missing}')


def collect_results(sweep: Sweep,
                    steps: Sequence[Step]) -> Dict[str, Dict[str, float]]:
    """``{variant: {evaluation name: value in %}}`` of the finished steps."""
    results: Dict[str, Dict[str, float]] = {}
    for step in steps:
        if step.kind != 'eval' or not step.done:
            continue
        with open(step.done_files[0]) as f:
            value = json.load(f)['value']
        results.setdefault(step.variant, {})[step.evaluation.name] = (
            as_percent(step.evaluation.metric, value))
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
    header = [sweep.key, 'run'] + [
        f'{ev.label} (%)' for ev in sweep.evaluations
    ]
    rows = table_rows(sweep, results)
    csv_path = osp.join(sweep.work_dir, f'{sweep.name}.csv')
    with open(csv_path, 'w', newline='') as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    md_path = osp.join(sweep.work_dir, f'{sweep.name}.md')
    lines = [f'# Sweep `{sweep.name}`: `{sweep.key}`', '',
             f'Config: `{sweep.path}`; stage-1 checkpoint: '
             f'`{sweep.stage1_checkpoint}`.', '', describe_mode(sweep)]
    if sweep.note:
        lines += ['', sweep.note.strip()]
    lines += ['', 'Metrics: ' + '; '.join(
        f'{ev.label} = `{ev.metric}` of `{ev.config}`'
        for ev in sweep.evaluations) + '.', '']
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
    fig, axes = plt.subplots(1, len(evs), figsize=(4.2 * len(evs), 3.6),
                             squeeze=False)
    numeric = all(isinstance(v, (int, float)) for v in sweep.values)
    xs = sweep.values if numeric else list(range(len(sweep.values)))
    for ax, ev in zip(axes[0], evs):
        ys = [results.get(str(v), {}).get(ev.name, math.nan)
              for v in sweep.values]
        ax.plot(xs, ys, marker='o', label='STARS tuning')
        base = results.get(BASELINE, {}).get(ev.name)
        if base is not None:
            ax.axhline(base, color='gray', linestyle='--',
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
    if args.launcher == 'none' and args.gpus != 1:
        raise ValueError('--gpus needs --launcher pytorch')
    sweep = load_sweep(args.sweep_config)
    launcher = Launcher(args.launcher, args.gpus,
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
        run_step(step, verbose=args.verbose)
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
