"""Write checkpoints atomically: a full disk never leaves a partial file.

mmengine serialises a checkpoint in memory and hands the bytes to the file
backend's ``put``, which for local paths writes ``epoch_N.pth`` in place: a
full disk leaves a truncated file that looks like a real checkpoint and
raises an ``OSError`` that does not name it. :class:`AtomicLocalBackend`
writes to a temporary file in the same folder, flushes it to disk
(``fsync``), then renames it over the target, so the target is either the
whole new checkpoint or untouched. The run lifecycle hook gives it to every
``CheckpointHook`` that saves to a local folder.
"""
import errno
import os
import os.path as osp
from pathlib import Path
from typing import Union

import mmengine
from mmengine.fileio import LocalBackend, register_backend

BACKEND_NAME = 'atomic_local'


class CheckpointSaveError(OSError):
    """A checkpoint could not be written; the target file is unchanged."""


def _write_synced(data: bytes, path: str) -> None:
    with open(path, 'wb') as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def _sync_folder(folder: str) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # e.g. folders cannot be opened on this system
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomically(data: bytes, filepath: Union[str, Path]) -> None:
    """Write ``data`` to ``filepath`` through a synced temporary file.

    Args:
        data (bytes): The file content.
        filepath (str or Path): The target.

    Raises:
        CheckpointSaveError: Naming the file and the cause (e.g. no space
            left on the device); no temporary file is left behind.
    """
    filepath = str(filepath)
    folder = osp.dirname(osp.abspath(filepath))
    mmengine.mkdir_or_exist(folder)
    temp = osp.join(folder, f'.{osp.basename(filepath)}.{os.getpid()}.tmp')
    try:
        _write_synced(data, temp)
        os.replace(temp, filepath)
    except OSError as err:
        if osp.exists(temp):
            os.remove(temp)
        cause = err.strerror or str(err)
        hint = (f'; free space in {folder} (or set a work dir on another '
                'disk) and resume with --resume'
                if err.errno in (errno.ENOSPC, errno.EDQUOT) else '')
        raise CheckpointSaveError(
            err.errno, f'could not save checkpoint {filepath}: {cause} '
            f'({len(data)} bytes); the file was not written (no partial '
            f'checkpoint is left){hint}', filepath) from err
    _sync_folder(folder)


@register_backend(BACKEND_NAME)
class AtomicLocalBackend(LocalBackend):
    """mmengine's ``LocalBackend`` whose ``put`` is atomic.

    Select it with ``backend_args=dict(backend='atomic_local')``.
    """

    def put(self, obj: bytes, filepath: Union[str, Path]) -> None:
        """Write bytes to ``filepath`` atomically.

        Args:
            obj (bytes): Data to write.
            filepath (str or Path): The target file.
        """
        write_atomically(obj, filepath)
