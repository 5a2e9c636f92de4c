"""Load checkpoint files with ``torch.load(weights_only=True)``.

Unpickling a ``.pth`` file with ``weights_only=False`` can run any code the
file names, so a checkpoint from a shared drive could take over the machine
as soon as a config points at it. Every checkpoint read by a process that
imported ``stars_mmaction`` goes through :func:`torch_load_safely`: torch's
restricted unpickler plus :data:`ALLOWED_GLOBALS`, exactly the objects that
mmengine's checkpoints (message hub, numpy metadata) and ours hold besides
tensors. A file that asks for anything else is refused with an error naming
the file and the globals. Full unpickling is an explicit opt-in, per file:
``trusted_checkpoints = ['PATH', ...]`` in the config or
``--trust-checkpoint PATH`` of ``tools/train.py`` / ``tools/test.py``; it is
logged each time it is used.
"""
import builtins
import logging
import os.path as osp
from typing import Any, Iterable, List, Optional, Sequence, Set

import numpy as np
import torch
from mmengine.logging import print_log
from mmengine.logging.history_buffer import HistoryBuffer


class CheckpointFileError(ValueError):
    """A checkpoint file is missing, unreadable or not what was expected."""


class UnsafeCheckpointError(CheckpointFileError):
    """A checkpoint asks the unpickler for a global outside the allow-list."""


try:  # numpy >= 2 renamed numpy.core to numpy._core
    from numpy._core import multiarray
except ImportError:
    from numpy.core import multiarray


def _numpy_dtype_classes() -> List[type]:
    # numpy >= 1.25 pickles a dtype with its class, e.g. Float32DType; only
    # plain value types are allowed (no object or structured dtypes).
    dtypes = getattr(np, 'dtypes', None)
    if dtypes is None:
        return []
    found = {
        getattr(dtypes, name) for name in dir(dtypes)
        if name.endswith('DType') and not name.startswith(('Object', 'Void'))
    }
    return sorted((c for c in found if isinstance(c, type)),
                  key=lambda c: c.__name__)


ALLOWED_GLOBALS: List[Any] = [
    # numpy arrays and scalars in mmengine's message hub and dataset meta
    multiarray._reconstruct,
    multiarray.scalar,
    np.ndarray,
    np.dtype,
    *_numpy_dtype_classes(),
    # numpy pickles some scalar types as getattr(module, name); torch's
    # restricted unpickler only calls allowed globals, so the attribute
    # fetched cannot be called unless it is allowed too.
    builtins.getattr,
    # mmengine's message hub keeps the logged scalars in HistoryBuffers
    HistoryBuffer,
]

_trusted: Set[str] = set()


def _real(path: str) -> str:
    return osp.realpath(osp.expanduser(path))


def set_trusted_checkpoints(paths: Optional[Iterable[str]]) -> None:
    """Allow full unpickling of exactly these files (the user's opt-in).

    Args:
        paths (Iterable[str], optional): Checkpoint paths the user trusts;
            None or empty trusts none. Replaces the previous list.
    """
    if isinstance(paths, str):
        paths = [paths]
    _trusted.clear()
    _trusted.update(_real(p) for p in paths or ())


def is_trusted(path: str) -> bool:
    """Whether the user opted in to fully unpickle ``path``."""
    return _real(path) in _trusted


def _name(obj: Any) -> str:
    return f'{obj.__module__}.{obj.__qualname__}'


def unsafe_globals(path: str,
                   allowed: Optional[Sequence[Any]] = None) -> List[str]:
    """Globals a checkpoint needs beyond torch's and the allow-list.

    Read without executing anything from the file.

    Args:
        path (str): The checkpoint.
        allowed (Sequence, optional): The allow-list. Defaults to
            :data:`ALLOWED_GLOBALS`.

    Returns:
        list[str]: ``module.name`` of each refused global; empty for a
        safe file and for a file that cannot be read at all.
    """
    try:
        found = torch.serialization.get_unsafe_globals_in_checkpoint(path)
    except Exception:  # unreadable: the load error says more
        return []
    names = {_name(g) for g in (ALLOWED_GLOBALS if allowed is None else
                                allowed)}
    # numpy's own module names differ between versions (core / _core)
    names |= {n.replace('numpy._core', 'numpy.core') for n in names}
    names |= {n.replace('numpy.core', 'numpy._core') for n in names}
    return sorted(set(found) - names)


def _refuse(path: str, names: List[str],
            what: str) -> UnsafeCheckpointError:
    return UnsafeCheckpointError(
        f'{what} {path} was refused: unpickling it needs {names}, which '
        'stars_mmaction does not allow (it loads checkpoints with '
        'torch.load(weights_only=True) and only these globals besides '
        'tensors: numpy arrays, dtypes and scalars, builtins.getattr, '
        "mmengine's HistoryBuffer). Such a file can run code when loaded. "
        'Only if you trust it, opt in to full unpickling of this file: '
        f"--trust-checkpoint {path} (tools/train.py, tools/test.py) or "
        f"--cfg-options \"trusted_checkpoints=['{path}']\" (any tool)")


def torch_load_safely(path: str,
                      map_location: Any = None,
                      extra_globals: Sequence[Any] = (),
                      what: str = 'checkpoint',
                      mmap: bool = False) -> Any:
    """``torch.load`` with the allow-list; full unpickling only if trusted.

    Args:
        path (str): A local checkpoint file.
        map_location (Any): Passed to ``torch.load``. Defaults to None.
        extra_globals (Sequence): More allowed globals for this load (e.g.
            ``argparse.Namespace`` for the published MAMP files).
            Defaults to ().
        what (str): How to name the file in errors, e.g. a config key.
            Defaults to ``'checkpoint'``.
        mmap (bool): Map the tensors' storage instead of reading it (only
            the pickled structure is read now). Defaults to False.

    Returns:
        Any: The unpickled object.

    Raises:
        UnsafeCheckpointError: When the file needs another global and is not
            trusted; nothing from the file has been executed.
    """
    allowed = ALLOWED_GLOBALS + list(extra_globals)
    try:
        with torch.serialization.safe_globals(allowed):
            return torch.load(path, map_location=map_location,
                              weights_only=True, mmap=mmap or None)
    except Exception as err:  # torch raises several types here
        if mmap and 'mmap' in str(err):  # a legacy (non-zip) file
            return torch_load_safely(path, map_location, extra_globals, what)
        names = unsafe_globals(path, allowed)
        if not names:  # not an allow-list refusal: a damaged file, etc.
            raise
        if not is_trusted(path):
            raise _refuse(path, names, what) from None
    print_log(
        f'loading {path} with full unpickling (weights_only=False): it is '
        'listed in trusted_checkpoints / --trust-checkpoint; it may run code',
        logger='current',
        level=logging.WARNING)
    return torch.load(path, map_location=map_location, weights_only=False)
