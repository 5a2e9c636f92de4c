"""Let mmengine 0.10.7 load its own checkpoints under torch >= 2.6.

torch 2.6 made ``weights_only=True`` the default of ``torch.load``; mmengine's
local loader does not pass the flag and fails on the ``HistoryBuffer`` objects
its checkpoints hold (open-mmlab/mmengine#1655). We re-register the local
scheme with a loader that passes ``weights_only=False``, only when the
installed torch defaults to ``weights_only=True``.
"""
import inspect
import os.path as osp
from typing import Any, Optional

import torch
from mmengine.runner.checkpoint import CheckpointLoader
from mmengine.utils import digit_version


def load_from_local_trusted(filename: str,
                            map_location: Optional[Any] = None) -> Any:
    """Load a local checkpoint file written by mmengine or torch.

    Args:
        filename (str): Path of the checkpoint (``file://`` prefix allowed).
        map_location (Any, optional): Passed to ``torch.load``.
            Defaults to None.

    Returns:
        Any: The loaded object.

    Raises:
        FileNotFoundError: When the file does not exist.
    """
    filename = osp.expanduser(filename)
    if filename.startswith('file://'):
        filename = filename[len('file://'):]
    if not osp.isfile(filename):
        raise FileNotFoundError(f'checkpoint file {filename} does not exist')
    return torch.load(filename, map_location=map_location, weights_only=False)


def _torch_defaults_to_weights_only() -> bool:
    if digit_version(torch.__version__) < digit_version('2.6.0'):
        return False
    default = inspect.signature(torch.load).parameters.get('weights_only')
    return default is not None and default.default in (None, True)


def patch_checkpoint_loading() -> bool:
    """Register :func:`load_from_local_trusted` for local paths when needed.

    Returns:
        bool: Whether the loader was replaced.
    """
    if not _torch_defaults_to_weights_only():
        return False
    CheckpointLoader.register_scheme(
        prefixes='', loader=load_from_local_trusted, force=True)
    return True
