"""The checkpoint checks of a run, called by ``RunLifecycleHook``."""
import logging
import os.path as osp
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

from mmengine.hooks import CheckpointHook
from mmengine.logging import print_log
from torch import nn

from .atomic_save import BACKEND_NAME
from .keys import (CheckpointMismatchError, check_checkpoint_keys,
                   checkpoint_state_dict)
from .reader import CheckpointFileError, load_checkpoint_file
from .resume import find_resume_checkpoint, load_training_checkpoint


def init_cfg_checkpoints(node: Any, key: str) -> List[Tuple[str, str]]:
    """(config key, path) of every ``init_cfg`` checkpoint below ``node``."""
    found = []
    if isinstance(node, Mapping):
        for name, value in node.items():
            sub = f'{key}.{name}'
            if name != 'init_cfg':
                found += init_cfg_checkpoints(value, sub)
                continue
            inits = value if isinstance(value, (list, tuple)) else [value]
            for i, init in enumerate(inits):
                if isinstance(init, Mapping) and init.get('checkpoint'):
                    where = (sub if isinstance(value, Mapping) else
                             f'{sub}[{i}]')
                    found.append((f'{where}.checkpoint', init['checkpoint']))
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            found += init_cfg_checkpoints(value, f'{key}[{i}]')
    return found


def check_config_checkpoints(entries: Iterable[Tuple[str, str]]) -> None:
    """Read (and keep for mmengine) the local checkpoints a config names.

    Args:
        entries (Iterable[tuple[str, str]]): (config key, path) pairs, e.g.
            from :func:`init_cfg_checkpoints` and ``('load_from', path)``.
            URLs and other remote paths are left to mmengine.

    Raises:
        CheckpointFileError: Naming the config key, the file and the
            problem.
    """
    for key, path in entries:
        if not isinstance(path, str) or '://' in path:
            continue
        if not osp.isfile(path):
            raise CheckpointFileError(
                f'{key}: checkpoint {path} does not exist; train the '
                'previous stage first (for stage 2, the stage-1 config '
                'configs/stars/mamp_*.py) or point the config at an '
                f'existing file, e.g. --cfg-options {key}=PATH')
        load_checkpoint_file(path, f'{key}: checkpoint', keep=True)


def select_resume_checkpoint(work_dir: str,
                             load_from: Optional[str]) -> Optional[str]:
    """The checkpoint to resume from (read once, kept for mmengine).

    Args:
        work_dir (str): The run's work directory.
        load_from (str, optional): ``--resume PATH``; None searches
            ``work_dir``.

    Returns:
        str or None: The path; None when ``work_dir`` holds no checkpoint
        (a warning says that training starts from scratch).
    """
    if load_from:
        load_training_checkpoint(load_from, keep=True)
        return load_from
    found = find_resume_checkpoint(work_dir)
    if found is None:
        print_log(
            f'--resume: no checkpoint (epoch_*.pth, iter_*.pth) found in '
            f'{work_dir}; training starts from scratch',
            logger='current',
            level=logging.WARNING)
        return None
    return found[0]


def _model_state(model: nn.Module) -> Dict:
    return model.state_dict()


def _unprefixed(checkpoint: Mapping) -> Dict:
    # mmengine strips DDP's 'module.' before loading; compare the same keys
    return {(k[len('module.'):] if k.startswith('module.') else k): v
            for k, v in checkpoint_state_dict(checkpoint).items()}


def check_resumed_keys(model: nn.Module, checkpoint: Mapping,
                       path: str) -> None:
    """Refuse to resume a model from another model's checkpoint.

    Raises:
        CheckpointMismatchError: Listing missing, unexpected and mismatched
            keys.
    """
    check_checkpoint_keys(_model_state(model), _unprefixed(checkpoint),
                          prefix='', source=f'resume checkpoint {path}')


def check_tested_keys(model: nn.Module, checkpoint: Mapping,
                      path: str) -> None:
    """Refuse to test a model that the checkpoint does not fully set.

    mmengine loads the checkpoint of ``tools/test.py`` non-strictly: an
    encoder checkpoint leaves a classifier head at random weights and the
    test reports chance accuracy. Extra checkpoint keys (e.g. the
    pre-training heads, for KNN) are allowed.

    Raises:
        CheckpointMismatchError: Listing the weights the checkpoint lacks
            (or holds with another shape) and saying which file to give.
    """
    state, model_state = _unprefixed(checkpoint), _model_state(model)
    missing = sorted(set(model_state) - set(state))
    mismatched = sorted(
        f'{k} {tuple(state[k].shape)} vs {tuple(model_state[k].shape)}'
        for k in set(state) & set(model_state)
        if hasattr(state[k], 'shape') and
        state[k].shape != model_state[k].shape)
    if not (missing or mismatched):
        return
    modules = sorted({k.split('.')[0] for k in missing})
    lines = [f'checkpoint {path} does not hold the whole model to test:']
    if missing:
        lines.append(f'missing {len(missing)} weights of {modules}: '
                     f'{missing[:8]}{" ..." if len(missing) > 8 else ""}')
    if mismatched:
        lines.append(f'shape mismatch (checkpoint vs model) {mismatched[:8]}')
    lines.append(
        'an encoder checkpoint (stage 1 or 2) evaluates with the KNN or '
        'few-shot configs, or trains a linear / fine-tune config through '
        'model.backbone.init_cfg.checkpoint; tools/test.py on such a config '
        'needs the checkpoint its training wrote, e.g. '
        'work_dirs/CONFIG_NAME/best_acc_top1_epoch_*.pth or epoch_*.pth')
    raise CheckpointMismatchError('\n  '.join(lines))


def use_atomic_saves(hooks: Iterable[Any]) -> None:
    """Let every local ``CheckpointHook`` save through the atomic backend.

    Hooks given ``backend_args`` or ``file_client_args`` by the user, or an
    ``out_dir`` URL, are left alone.
    """
    for hook in hooks:
        if not isinstance(hook, CheckpointHook):
            continue
        if hook.backend_args is None and hook.file_client_args is None and \
                '://' not in str(hook.out_dir or ''):
            hook.backend_args = dict(backend=BACKEND_NAME)

