"""Pick a readable checkpoint to resume from and check checkpoint paths.

``tools/train.py`` uses these before any training step: ``--resume``
without a path skips a truncated or corrupt last checkpoint and takes the
previous one (with a warning that names both), ``--resume PATH`` and the
checkpoints a config names (``init_cfg.checkpoint``, ``load_from``) must be
readable, and a resumed checkpoint must hold exactly the model's weights.
"""
import glob
import logging
import os.path as osp
import re
from typing import Any, Dict, List, Mapping, Optional, Tuple

import torch
from mmengine.config import Config
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmengine.runner.checkpoint import _load_checkpoint
from torch import nn

from .runner.checkpoint_keys import check_checkpoint_keys

CHECKPOINT_NAME = re.compile(r'^(epoch|iter)_(\d+)\.pth$')


class CheckpointFileError(ValueError):
    """A checkpoint file is missing, unreadable or not what was expected."""


def load_checkpoint_file(path: str, what: str = 'checkpoint') -> Dict:
    """Load a checkpoint on the CPU with an error that names the file.

    Args:
        path (str): The file.
        what (str): How to name it in errors, e.g. the config key.
            Defaults to ``'checkpoint'``.

    Returns:
        dict: The loaded checkpoint.

    Raises:
        CheckpointFileError: When the file does not exist, cannot be
            unpickled (truncated, corrupt, not written by ``torch.save``) or
            does not hold a dict.
    """
    if not osp.isfile(path):
        raise CheckpointFileError(f'{what} {path} does not exist')
    try:
        checkpoint = _load_checkpoint(path, map_location='cpu')
    except Exception as err:  # torch raises many types for broken files
        raise CheckpointFileError(
            f'{what} {path} is not a readable checkpoint ('
            f'{type(err).__name__}: {str(err).splitlines()[0][:200]}); '
            'expected a file saved by torch.save, e.g. by tools/train.py; it '
            'may be truncated (the run was killed while saving) or not a '
            'checkpoint at all') from err
    if not isinstance(checkpoint, Mapping):
        raise CheckpointFileError(
            f'{what} {path} holds a {type(checkpoint).__name__}, expected a '
            'dict with a state_dict')
    return dict(checkpoint)


def load_training_checkpoint(path: str) -> Dict:
    """Load a checkpoint that ``--resume`` can continue from.

    Args:
        path (str): The file.

    Returns:
        dict: The loaded checkpoint.

    Raises:
        CheckpointFileError: When it is unreadable or lacks ``state_dict``
            or ``meta.epoch`` / ``meta.iter`` (a bare weights file, e.g. a
            converted one, cannot be resumed: use ``load_from``).
    """
    checkpoint = load_checkpoint_file(path, 'resume checkpoint')
    meta = checkpoint.get('meta')
    if not isinstance(checkpoint.get('state_dict'), Mapping) or \
            not isinstance(meta, Mapping) or 'epoch' not in meta or \
            'iter' not in meta:
        raise CheckpointFileError(
            f'resume checkpoint {path} is not a training checkpoint: '
            "expected keys 'state_dict' and 'meta' (with 'epoch' and 'iter'), "
            f'got keys {sorted(map(str, checkpoint))}; to start from its '
            'weights use load_from instead of --resume')
    return checkpoint


def resume_candidates(work_dir: str) -> List[str]:
    """Checkpoints of ``work_dir``, newest first.

    The file named in ``work_dir/last_checkpoint`` (mmengine's record) comes
    first, then ``epoch_*.pth`` and ``iter_*.pth`` by modification time and
    number.

    Args:
        work_dir (str): The run's work directory.

    Returns:
        list[str]: Paths.
    """
    candidates = []
    record = osp.join(work_dir, 'last_checkpoint')
    if osp.isfile(record):
        with open(record) as f:
            last = f.read().strip()
        if last:
            candidates.append(last)
    saved = []
    for path in glob.glob(osp.join(work_dir, '*.pth')):
        match = CHECKPOINT_NAME.match(osp.basename(path))
        if match:
            saved.append((osp.getmtime(path), int(match.group(2)), path))
    for _, _, path in sorted(saved, reverse=True):
        if not any(osp.samefile(path, c) for c in candidates if osp.exists(c)):
            candidates.append(path)
    return candidates


def find_resume_checkpoint(work_dir: str) -> Optional[Tuple[str, Dict]]:
    """The newest checkpoint of ``work_dir`` that can be resumed.

    Unreadable ones (truncated, corrupt) are skipped with a warning that
    names the skipped file and the one used.

    Args:
        work_dir (str): The run's work directory.

    Returns:
        tuple[str, dict] or None: Path and loaded checkpoint; None when the
        directory holds no checkpoint (the run starts from scratch).

    Raises:
        CheckpointFileError: When checkpoints exist but none is readable.
    """
    candidates = resume_candidates(work_dir)
    skipped = []
    for path in candidates:
        try:
            checkpoint = load_training_checkpoint(path)
        except CheckpointFileError as err:
            skipped.append((path, str(err)))
            continue
        for bad, reason in skipped:
            print_log(
                f'cannot resume from {bad}: {reason}. Resuming from the '
                f'previous checkpoint {path} instead',
                logger='current',
                level=logging.WARNING)
        return path, checkpoint
    if skipped:
        raise CheckpointFileError(
            f'--resume found no readable checkpoint in {work_dir}:\n  ' +
            '\n  '.join(reason for _, reason in skipped))
    return None


def select_resume_checkpoint(cfg: Config) -> Optional[Dict[str, Any]]:
    """Resolve ``--resume`` before the runner is built.

    For ``--resume`` without a path (``cfg.resume`` and no ``load_from``)
    the newest readable checkpoint of ``cfg.work_dir`` becomes
    ``cfg.load_from``; for ``--resume PATH`` the file must be readable.

    Args:
        cfg (Config): The merged config of ``tools/train.py``.

    Returns:
        dict or None: ``path`` and the checkpoint's ``shapes`` (parameter
        name -> meta tensor) for :func:`check_resume_model`; None when not
        resuming or nothing is there to resume.
    """
    if not cfg.get('resume', False):
        return None
    if cfg.get('load_from'):
        path = cfg.load_from
        checkpoint = load_training_checkpoint(path)
    else:
        found = find_resume_checkpoint(cfg.work_dir)
        if found is None:
            return None
        path, checkpoint = found
        cfg.load_from = path
    shapes = {
        k: torch.empty(v.shape, device='meta')
        for k, v in checkpoint['state_dict'].items() if hasattr(v, 'shape')
    }
    return dict(path=path, shapes=shapes)


def check_resume_model(model: nn.Module, resume: Optional[Dict]) -> None:
    """Refuse to resume a model from another model's checkpoint.

    mmengine loads resumed weights non-strictly (missing and mismatched keys
    are only logged); resuming must restore every weight.

    Args:
        model (nn.Module): The runner's model (wrapped or not).
        resume (dict, optional): :func:`select_resume_checkpoint`'s result.

    Raises:
        CheckpointMismatchError: Listing missing, unexpected and mismatched
            keys.
    """
    if resume is None:
        return
    if is_model_wrapper(model):
        model = model.module
    check_checkpoint_keys(model.state_dict(),
                          resume['shapes'],
                          prefix='',
                          source=f'resume checkpoint {resume["path"]}')


def _init_cfg_checkpoints(node: Any, key: str) -> List[Tuple[str, str]]:
    """(config key, path) of every ``init_cfg`` checkpoint below ``node``."""
    found = []
    if isinstance(node, Mapping):
        for name, value in node.items():
            sub = f'{key}.{name}'
            if name == 'init_cfg':
                for i, init in enumerate(
                        value if isinstance(value, (list,
                                                    tuple)) else [value]):
                    if isinstance(init, Mapping) and init.get('checkpoint'):
                        where = (sub if isinstance(value, Mapping) else
                                 f'{sub}[{i}]')
                        found.append(
                            (f'{where}.checkpoint', init['checkpoint']))
            else:
                found += _init_cfg_checkpoints(value, sub)
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            found += _init_cfg_checkpoints(value, f'{key}[{i}]')
    return found


def check_config_checkpoints(cfg: Config) -> None:
    """Check that the local checkpoint files a config names can be loaded.

    Covers ``init_cfg.checkpoint`` anywhere in ``cfg.model`` (e.g. the
    stage-1 checkpoint of stage 2) and ``load_from`` when not resuming.
    URLs and other remote paths are left to mmengine.

    Args:
        cfg (Config): The merged config.

    Raises:
        CheckpointFileError: Naming the config key, the file and the
            problem.
    """
    entries = _init_cfg_checkpoints(cfg.get('model', {}), 'model')
    if cfg.get('load_from') and not cfg.get('resume', False):
        entries.append(('load_from', cfg.load_from))
    for key, path in entries:
        if not isinstance(path, str) or '://' in path:
            continue
        if not osp.isfile(path):
            raise CheckpointFileError(
                f'{key}: checkpoint {path} does not exist; train the '
                'previous stage first (for stage 2, the stage-1 config '
                'configs/stars/mamp_*.py) or point the config at an '
                'existing file, e.g. --cfg-options '
                f'{key}=PATH')
        load_checkpoint_file(path, f'{key}: checkpoint')
