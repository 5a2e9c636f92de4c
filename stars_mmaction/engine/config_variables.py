"""Check that a config's documented variables reach every key they feed.

mmengine resolves a config variable (``clip_len = 120`` and every
``model=dict(..., num_frames=clip_len)`` that uses it) when the file is
parsed. ``--cfg-options clip_len=24``, or ``clip_len = 24`` in a child
config, therefore changes only the variable: the keys it fed keep the old
value and the run silently uses them. :func:`find_unfed_variables` finds
such keys; :class:`~stars_mmaction.engine.hooks.ConfigVariablesCheckHook`
raises before training or testing starts.

A key counts as fed when it equals its variable, or when it was itself set
on its own: on the command line, or in a child config that left the
variable alone (``train_cfg = dict(max_epochs=2)``).
"""
from typing import Any, Dict, Iterator, List, Sequence, Tuple

__all__ = [
    'DOCUMENTED_VARIABLES', 'DATALOADER_KEYS', 'variable_places',
    'find_unfed_variables', 'format_unfed_variables'
]

# Variable -> what it feeds (README, "Retargeting a config to your data").
DOCUMENTED_VARIABLES = {
    'clip_len': 'every ValidFrameCropResize.clip_len, model.backbone.'
    'num_frames, model.mamp_head.decoder.num_frames, '
    'model.data_preprocessor.clip_len (batched data path)',
    'ann_file': 'every data set ann_file',
    'num_classes': 'every data set, evaluator and cls_head num_classes',
    'label_map': 'every evaluator label_map',
    'train_split': 'train_dataloader and the KNN bank_dataloader split',
    'test_split': 'val_dataloader and test_dataloader split',
    'stage1_checkpoint': 'model.backbone.init_cfg.checkpoint',
    'encoder_checkpoint': 'model.backbone.init_cfg.checkpoint',
    'stage_a_checkpoint': 'load_from',
    'max_epochs': 'train_cfg.max_epochs',
}
DATALOADER_KEYS = ('train_dataloader', 'val_dataloader', 'test_dataloader',
                   'test_cfg.bank_dataloader')
_MISSING = object()


def _as_dict(cfg: Any) -> Any:
    """A plain dict view of an mmengine ``Config`` (not a dict subclass)."""
    if not isinstance(cfg, dict) and hasattr(cfg, 'to_dict'):
        return cfg.to_dict()
    return cfg


def _get(cfg: Any, key: str) -> Any:
    """Value at a dotted key (list indices as numbers), or ``_MISSING``."""
    node = cfg
    for part in key.split('.'):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, (list, tuple)) and part.isdigit() and int(
                part) < len(node):
            node = node[int(part)]
        else:
            return _MISSING
    return node


def _dicts(node: Any, key: str) -> Iterator[Tuple[str, dict]]:
    """Every dict under ``node`` (itself included) with its dotted key."""
    if isinstance(node, dict):
        yield key, node
        items = node.items()
    elif isinstance(node, (list, tuple)):
        items = ((str(i), v) for i, v in enumerate(node))
    else:
        return
    for name, value in items:
        yield from _dicts(value, f'{key}.{name}')


def _datasets(cfg: Any) -> Iterator[Tuple[str, str, dict]]:
    """``(dataloader key, dataset key, dataset)`` of the annotation data."""
    for loader in DATALOADER_KEYS:
        dataset = _get(cfg, f'{loader}.dataset')
        for key, node in _dicts(dataset, f'{loader}.dataset'):
            if 'ann_file' in node:
                yield loader, key, node


def _evaluators(cfg: Any) -> Iterator[Tuple[str, dict]]:
    for name in ('val_evaluator', 'test_evaluator'):
        node = _get(cfg, name)
        if isinstance(node, dict):
            yield name, node
        elif isinstance(node, (list, tuple)):
            for i, item in enumerate(node):
                if isinstance(item, dict):
                    yield f'{name}.{i}', item


def variable_places(cfg: Any, name: str) -> List[str]:
    """The dotted keys that documented variable ``name`` feeds in ``cfg``.

    Args:
        cfg (dict): The whole config.
        name (str): One of :data:`DOCUMENTED_VARIABLES`.

    Returns:
        list[str]: Existing keys, usable with ``--cfg-options``.
    """
    cfg = _as_dict(cfg)
    places = []
    if name == 'clip_len':
        for _, key, dataset in _datasets(cfg):
            for sub, node in _dicts(dataset.get('pipeline'),
                                    f'{key}.pipeline'):
                if node.get('type') == 'ValidFrameCropResize':
                    places.append(f'{sub}.clip_len')
        places += ['model.backbone.num_frames',
                   'model.mamp_head.decoder.num_frames',
                   'model.data_preprocessor.clip_len']
    elif name in ('ann_file', 'num_classes'):
        places += [f'{key}.{name}' for _, key, _ in _datasets(cfg)]
    if name in ('num_classes', 'label_map'):
        places += [f'{key}.{name}' for key, _ in _evaluators(cfg)]
        places.append(f'model.cls_head.{name}')
    if name in ('train_split', 'test_split'):
        loaders = (('train_dataloader', 'test_cfg.bank_dataloader')
                   if name == 'train_split' else
                   ('val_dataloader', 'test_dataloader'))
        places += [f'{key}.split' for loader, key, _ in _datasets(cfg)
                   if loader in loaders]
    if name in ('stage1_checkpoint', 'encoder_checkpoint'):
        places.append('model.backbone.init_cfg.checkpoint')
    elif name == 'stage_a_checkpoint':
        places.append('load_from')
    elif name == 'max_epochs':
        places.append('train_cfg.max_epochs')
    return [key for key in places if _get(cfg, key) is not _MISSING]


def _explicit(name: str, key: str, levels: Sequence[Tuple[Any, Any]]) -> bool:
    """Whether ``key`` was set on its own at some level, variable kept.

    ``levels`` run from the most derived: (run, file), (file, its bases),
    (base file, its bases), ... At the first level that changes the variable
    or the key: a changed key with the variable kept is explicit; a changed
    variable is not (its key kept the old value).
    """
    for child, parent in levels:
        if name not in parent and _get(parent, key) is _MISSING:
            # Both first set in the same file (e.g. one without ``_base_``,
            # such as the config mmengine dumps into the work dir): its
            # author chose both values, no base value was left behind.
            return True
        variable_changed = child.get(name, _MISSING) != parent.get(
            name, _MISSING)
        key_changed = _get(child, key) != _get(parent, key)
        if variable_changed:
            return False
        if key_changed:
            return True
    return False


def find_unfed_variables(
        cfg: Any,
        levels: Sequence[Tuple[Any, Any]] = ()
) -> Dict[str, List[Tuple[str, Any]]]:
    """Documented variables whose value does not reach a key they feed.

    A key that differs from its variable is reported unless it was set on
    its own (:func:`_explicit`): on the command line, or in a config file
    that kept the variable (``train_cfg = dict(max_epochs=2)`` in a child).

    Args:
        cfg (dict): The config of the run (command-line options merged).
        levels (Sequence[tuple]): ``(child, parent)`` pairs from the most
            derived: the run and its file parsed without command-line
            options, the file and its ``_base_`` merged, and so on along
            the first base. Defaults to none: every key must equal its
            variable.

    Returns:
        dict[str, list[tuple[str, Any]]]: For each such variable, the keys
        and their values.
    """
    cfg = _as_dict(cfg)
    levels = [(_as_dict(c), _as_dict(p)) for c, p in levels]
    unfed = {}
    for name in DOCUMENTED_VARIABLES:
        if name not in cfg:
            continue
        value = cfg[name]
        stale = [(key, _get(cfg, key))
                 for key in variable_places(cfg, name)
                 if _get(cfg, key) != value
                 and not _explicit(name, key, levels)]
        if stale:
            unfed[name] = stale
    return unfed


def format_unfed_variables(cfg: Any,
                           unfed: Dict[str, List[Tuple[str, Any]]],
                           source: str = 'the config') -> str:
    """An error message that names each key and a command that fixes it.

    Args:
        cfg (dict): The config of the run.
        unfed (dict): The result of :func:`find_unfed_variables`.
        source (str): The config file, for the message.

    Returns:
        str: The message.
    """
    lines = [
        f'{source}: config variables do not reach the keys they feed. '
        'mmengine resolves a variable when the file is parsed, so changing '
        'it with --cfg-options or in a child config leaves these keys at '
        'their old values:'
    ]
    options = []
    for name, stale in unfed.items():
        keys = ', '.join(f'{key}={value!r}' for key, value in stale)
        lines.append(f'  {name}={cfg[name]!r} but {keys}')
        value = cfg[name]
        shown = value if isinstance(value, str) else repr(value)
        options += [f'{key}={shown}' for key, _ in stale]
    lines.append('Set those keys as well (or only them), e.g. '
                 f'--cfg-options {" ".join(options)} ; in a child config, '
                 'assign them from the variable (README, "Retargeting a '
                 'config to your data").')
    return '\n'.join(lines)
