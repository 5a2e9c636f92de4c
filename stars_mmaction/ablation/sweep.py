"""The ``sweep`` dict of an ablation sweep config, parsed and checked.

A sweep config is a stage-2 (STARS tuning) config that inherits the base
tuning config and adds a ``sweep`` dict (see ``configs/stars/sweeps/`` and
``tools/ablate.py``).
"""
import os.path as osp
from dataclasses import dataclass, field
from typing import Any, Dict, List

from mmengine.config import Config

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


def get_key(cfg: Config, key: str) -> Any:
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
        get_key(cfg, key)
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
    return Sweep(path=path,
                 name=raw['name'],
                 key=key,
                 values=values,
                 mode=mode,
                 stage1_checkpoint=raw['stage1_checkpoint'],
                 evaluations=evaluations,
                 work_dir=work_dir,
                 baseline_work_dir=raw.get('baseline_work_dir')
                 or osp.join(work_dir, BASELINE),
                 note=raw.get('note', ''),
                 init_checkpoint_key=raw.get(
                     'init_checkpoint_key',
                     'model.backbone.init_cfg.checkpoint'),
                 xscale=raw.get('xscale', 'linear'),
                 max_epochs=int(cfg.train_cfg.max_epochs))
