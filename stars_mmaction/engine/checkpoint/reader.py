"""Read each checkpoint file once, safely, with errors that name it.

A run looks at some checkpoints before mmengine loads them (the resume
fallback reads the candidates; the lifecycle hook checks the stage-1
checkpoint). :func:`read_checkpoint` keeps what it read, keyed by the
file's real path, modification time and size, and the loader registered
with mmengine's ``CheckpointLoader`` for local files hands that object over
(and forgets it), so the file is read from disk once. A changed file (new
mtime or size) is read again.
"""
import os
import os.path as osp
from collections import OrderedDict
from typing import Any, Dict, Mapping, Tuple

import torch
from mmengine.runner.checkpoint import CheckpointLoader

from .safe_load import (CheckpointFileError, UnsafeCheckpointError,
                        torch_load_safely)

# At most this many checkpoints are kept between a check and the load.
CACHE_SIZE = 2
_cache: 'OrderedDict[Tuple, Any]' = OrderedDict()


def _key(path: str) -> Tuple[str, int, int]:
    stat = os.stat(path)
    return osp.realpath(path), stat.st_mtime_ns, stat.st_size


def _to_device(obj: Any, device: Any) -> Any:
    if isinstance(obj, torch.Tensor):
        return obj.to(device)
    if isinstance(obj, dict):
        for key, value in obj.items():
            obj[key] = _to_device(value, device)
    elif isinstance(obj, list):
        obj[:] = [_to_device(value, device) for value in obj]
    return obj


def _local_path(filename: str) -> str:
    filename = osp.expanduser(str(filename))
    if filename.startswith('file://'):
        filename = filename[len('file://'):]
    return filename


def read_checkpoint(path: str,
                    what: str = 'checkpoint',
                    keep: bool = False,
                    map_location: Any = 'cpu',
                    mmap: bool = False) -> Any:
    """Load a local checkpoint (from the cache when it was kept).

    Args:
        path (str): The file.
        what (str): How to name it in errors, e.g. ``'resume checkpoint'``
            or a config key. Defaults to ``'checkpoint'``.
        keep (bool): Keep the object for the next read of the same file
            (mmengine's), instead of forgetting it. Defaults to False.
        map_location (Any): As ``torch.load``'s. Defaults to ``'cpu'``.
        mmap (bool): Map the tensors instead of reading them, e.g. to look
            at the ``meta`` of several checkpoints. Defaults to False.

    Returns:
        Any: The unpickled object.

    Raises:
        FileNotFoundError: When the file does not exist.
        CheckpointFileError: When the file cannot be unpickled
            (truncated, corrupt, not written by ``torch.save``);
            :class:`UnsafeCheckpointError` when it needs globals that are
            not allowed.
    """
    path = _local_path(path)
    if not osp.isfile(path):
        raise FileNotFoundError(f'{what} {path} does not exist')
    key = _key(path)
    # a kept object is on the CPU; a device name moves it, other maps
    # (callables, dicts) read the file again
    if key in _cache and (map_location is None or
                          isinstance(map_location, (str, torch.device))):
        checkpoint = _cache[key] if keep else _cache.pop(key)
        if map_location in (None, 'cpu'):
            return checkpoint
        return _to_device(checkpoint, map_location)
    if osp.getsize(path) == 0:
        raise CheckpointFileError(
            f'{what} {path} is not a readable checkpoint (the file is '
            'empty); expected a file saved by torch.save, e.g. by '
            'tools/train.py; the run may have been killed while saving')
    try:
        checkpoint = torch_load_safely(path, map_location=map_location,
                                       what=what, mmap=mmap)
    except UnsafeCheckpointError:
        raise
    except Exception as err:  # torch raises many types for broken files
        first = (str(err).splitlines() or [''])[0][:200]
        raise CheckpointFileError(
            f'{what} {path} is not a readable checkpoint ('
            f'{type(err).__name__}: {first}); '
            'expected a file saved by torch.save, e.g. by tools/train.py; it '
            'may be truncated (the run was killed while saving) or not a '
            'checkpoint at all') from err
    if keep and map_location in (None, 'cpu'):
        keep_checkpoint(path, checkpoint)
    return checkpoint


def keep_checkpoint(path: str, checkpoint: Any) -> None:
    """Keep ``checkpoint``, read from ``path``, for the next read of it.

    Args:
        path (str): The file it was read from (on the CPU).
        checkpoint (Any): What was read.
    """
    _cache[_key(_local_path(path))] = checkpoint
    while len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)


def forget_checkpoints() -> None:
    """Drop every kept checkpoint."""
    _cache.clear()


def load_checkpoint_file(path: str,
                         what: str = 'checkpoint',
                         keep: bool = False,
                         mmap: bool = False) -> Dict:
    """:func:`read_checkpoint` of a file that must hold a dict.

    Args:
        path (str): The file.
        what (str): How to name it in errors. Defaults to ``'checkpoint'``.
        keep (bool): See :func:`read_checkpoint`. Defaults to False.
        mmap (bool): See :func:`read_checkpoint`. Defaults to False.

    Returns:
        dict: The loaded checkpoint (the kept object itself when ``keep``).
    """
    checkpoint = read_checkpoint(path, what, keep=keep, mmap=mmap)
    if not isinstance(checkpoint, Mapping):
        raise CheckpointFileError(
            f'{what} {path} holds a {type(checkpoint).__name__}, expected a '
            'dict with a state_dict')
    return checkpoint


def load_from_local_safely(filename: str, map_location: Any = None) -> Any:
    """mmengine's loader for local paths: safe, each file read once.

    Args:
        filename (str): Path of the checkpoint (``file://`` prefix allowed).
        map_location (Any): Where tensors go. Defaults to None.

    Returns:
        Any: The loaded object.
    """
    return read_checkpoint(filename, map_location=map_location)


def register_safe_local_loader() -> None:
    """Make mmengine load every local checkpoint with
    :func:`load_from_local_safely` (``load_from``, ``--resume``,
    ``init_cfg``, ``tools/test.py``)."""
    CheckpointLoader.register_scheme(
        prefixes='', loader=load_from_local_safely, force=True)
