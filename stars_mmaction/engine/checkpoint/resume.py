"""Choose the checkpoint that ``--resume`` continues from.

``--resume`` without a path resumes from the checkpoint of the work dir in
use that recorded the most training progress (``meta.iter``), not from the
newest file nor from mmengine's ``last_checkpoint`` record: a copied work
dir (``cp -r``) has fresh modification times, and its record still names
the original folder. Unreadable checkpoints (truncated by a killed job) are
skipped with a warning that names them and the one used. The chosen file is
kept by :mod:`.reader`, so mmengine does not read it a second time.
"""
import glob
import logging
import os.path as osp
import re
from typing import Dict, List, Mapping, Optional, Tuple

from mmengine.logging import print_log

from .reader import (CheckpointFileError, keep_checkpoint,
                     load_checkpoint_file)

CHECKPOINT_NAME = re.compile(r'^(epoch|iter)_(\d+)\.pth$')


def load_training_checkpoint(path: str,
                             keep: bool = False,
                             mmap: bool = False) -> Dict:
    """Load a checkpoint that ``--resume`` can continue from.

    Args:
        path (str): The file.
        keep (bool): Keep it for mmengine's read. Defaults to False.
        mmap (bool): Map its tensors instead of reading them.
            Defaults to False.

    Returns:
        dict: The loaded checkpoint.

    Raises:
        CheckpointFileError: When it is unreadable or lacks ``state_dict``
            or ``meta.epoch`` / ``meta.iter`` (a bare weights file, e.g. a
            converted one, cannot be resumed: use ``load_from``).
    """
    checkpoint = load_checkpoint_file(path, 'resume checkpoint', keep=keep,
                                      mmap=mmap)
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


def _recorded_last(work_dir: str) -> Optional[str]:
    record = osp.join(work_dir, 'last_checkpoint')
    if not osp.isfile(record):
        return None
    with open(record) as f:
        return f.read().strip() or None


def _inside(path: str, folder: str) -> bool:
    return osp.dirname(osp.realpath(path)) == osp.realpath(folder)


def resume_candidates(work_dir: str) -> List[str]:
    """``epoch_*.pth`` and ``iter_*.pth`` of ``work_dir``.

    Args:
        work_dir (str): The run's work directory.

    Returns:
        list[str]: Paths, highest number in the name first (the order they
        are read in; the choice is by recorded progress).

    Raises:
        CheckpointFileError: When ``work_dir`` holds no checkpoint but its
            ``last_checkpoint`` names one in another folder (a copied or
            moved work dir, or a checkpoint hook with ``out_dir``).
    """
    found = []
    for path in glob.glob(osp.join(work_dir, '*.pth')):
        match = CHECKPOINT_NAME.match(osp.basename(path))
        if match:
            found.append((int(match.group(2)), path))
    last = _recorded_last(work_dir)
    if last and not _inside(last, work_dir):
        if not found:
            raise CheckpointFileError(
                f'--resume: {work_dir} holds no checkpoint, but its '
                f'last_checkpoint names {last} in another folder (was the '
                'work dir copied or moved?); resume from that file '
                f'explicitly with --resume {last}, or start afresh without '
                '--resume')
        print_log(
            f'{work_dir}/last_checkpoint names {last}, outside this work '
            "dir (copied or moved?); resuming from this work dir's own "
            'checkpoints instead',
            logger='current',
            level=logging.WARNING)
    return [path for _, path in sorted(found, reverse=True)]


def _progress(checkpoint: Mapping) -> Tuple[int, int]:
    meta = checkpoint['meta']
    return int(meta['iter']), int(meta['epoch'])


def find_resume_checkpoint(work_dir: str) -> Optional[Tuple[str, Dict]]:
    """The checkpoint of ``work_dir`` with the most recorded progress.

    Only the pickled structure of each candidate is read (its tensors are
    memory-mapped, read when used); the chosen one is kept for mmengine's
    read, so its tensors are read from disk once.

    Args:
        work_dir (str): The run's work directory.

    Returns:
        tuple[str, dict] or None: Path and loaded checkpoint; None when the
        directory holds no checkpoint (the run starts from scratch).

    Raises:
        CheckpointFileError: When checkpoints exist but none is readable.
    """
    best: Optional[Tuple[Tuple[int, int], str, Dict]] = None
    skipped = []
    for path in resume_candidates(work_dir):
        try:
            checkpoint = load_training_checkpoint(path, mmap=True)
        except CheckpointFileError as err:
            skipped.append((path, str(err)))
            continue
        if best is None or _progress(checkpoint) > best[0]:
            best = (_progress(checkpoint), path, checkpoint)
    if best is None:
        if skipped:
            raise CheckpointFileError(
                f'--resume found no readable checkpoint in {work_dir}:\n  ' +
                '\n  '.join(reason for _, reason in skipped))
        return None
    (iteration, epoch), path, _ = best
    for bad, reason in skipped:
        print_log(
            f'cannot resume from {bad}: {reason}. Resuming from {path} '
            f'(epoch {epoch}, iter {iteration}) instead',
            logger='current',
            level=logging.WARNING)
    keep_checkpoint(path, best[2])  # mmengine's read takes it
    return path, best[2]
