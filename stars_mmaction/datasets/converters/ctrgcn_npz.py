"""CTR-GCN / MAMP ``.npz`` files -> mmaction2 3D skeleton pickle.

The npz holds ``x_train``, ``y_train``, ``x_test``, ``y_test``; ``x`` is
``(N, T, 150)`` with ``T = 300`` padded frames and 150 = 2 persons x 25
joints x 3 (person-major, then joint, then xyz), ``y`` is one-hot
``(N, num_class)`` (1-D integer labels are accepted too).

Conversion rules:

* trailing all-zero frames (zero for both persons) are padding and are
  dropped: ``total_frames`` = index of the last non-zero frame + 1; all-zero
  frames before it are kept;
* the second person is dropped (``M = 1``) when it is zero over the kept
  frames;
* ``frame_dir`` is ``train_000123`` / ``val_000045`` (index in ``x_train`` /
  ``x_test``), optionally with a prefix; the splits are
  ``<benchmark>_train`` and ``<benchmark>_val``.

The inverse, for tests, is ``ctrgcn_array_from_annotation`` in
``tests/skeleton_fixtures.py``.
"""
import os.path as osp
from typing import Optional, Tuple

import numpy as np

from .summary import (ConversionError, ConversionSummary, build_pickle,
                      make_annotation)

__all__ = ['REQUIRED_NPZ_KEYS', 'load_ctrgcn_npz', 'convert_ctrgcn_npz',
           'ctrgcn_sample_to_keypoint']

REQUIRED_NPZ_KEYS = ('x_train', 'y_train', 'x_test', 'y_test')
NUM_PERSONS = 2
NUM_JOINTS = 25
NUM_COORDS = 3


def load_ctrgcn_npz(path: str) -> dict:
    """Load and check the four arrays.

    Raises:
        ConversionError: file missing or unreadable, arrays missing (the
            message names them and the file), or wrong shapes.
    """
    if not osp.isfile(path):
        raise ConversionError(f'npz file not found: {path}')
    try:
        npz = np.load(path, allow_pickle=False)
    except Exception as e:  # zipfile / pickle errors of all kinds
        raise ConversionError(f'{path}: not a readable npz file ({e})') \
            from None
    if not hasattr(npz, 'files'):  # np.load of a .npy: a bare array
        raise ConversionError(f'{path}: expected an .npz archive, got a '
                              'single array')
    with npz:
        missing = [k for k in REQUIRED_NPZ_KEYS if k not in npz.files]
        if missing:
            raise ConversionError(
                f'{path}: missing array(s) {", ".join(missing)} (expected '
                f'{", ".join(REQUIRED_NPZ_KEYS)}; found '
                f'{", ".join(npz.files) or "none"})')
        arrays = {k: npz[k] for k in REQUIRED_NPZ_KEYS}
    per = NUM_PERSONS * NUM_JOINTS * NUM_COORDS
    for part in ('train', 'test'):
        x, y = arrays[f'x_{part}'], arrays[f'y_{part}']
        if x.ndim != 3 or x.shape[2] != per:
            raise ConversionError(
                f'{path}: x_{part} has shape {x.shape}, expected '
                f'(N, T, {per})')
        if y.ndim not in (1, 2) or y.shape[0] != x.shape[0]:
            raise ConversionError(
                f'{path}: y_{part} has shape {y.shape}, expected '
                f'({x.shape[0]}, num_class) or ({x.shape[0]},)')
    return arrays


def ctrgcn_sample_to_keypoint(x: np.ndarray) -> Optional[np.ndarray]:
    """``(T, 150)`` -> ``(M, T_valid, 25, 3)`` float32, or ``None`` when the
    sample is all zero."""
    x = np.asarray(x)
    nonzero = np.flatnonzero(np.any(x != 0, axis=1))
    if nonzero.size == 0:
        return None
    valid = int(nonzero[-1]) + 1
    kp = x[:valid].reshape(valid, NUM_PERSONS, NUM_JOINTS, NUM_COORDS)
    kp = kp.transpose(1, 0, 2, 3)
    if not np.any(kp[1] != 0):
        kp = kp[:1]
    return np.ascontiguousarray(kp, dtype=np.float32)


def _labels(y: np.ndarray):
    """Per sample: ``(label, None)`` or ``(None, why)``."""
    out = []
    if y.ndim == 1:
        for v in y:
            if not np.isfinite(v) or v != int(v):
                out.append((None, f'label {v!r} is not an integer'))
            else:
                out.append((int(v), None))
        return out
    for row in y:
        ones = np.flatnonzero(row == 1)
        if len(ones) != 1 or np.count_nonzero(row) != 1:
            out.append((None, 'label row is not one-hot (nonzero entries at '
                        f'{np.flatnonzero(row).tolist()[:5]})'))
        else:
            out.append((int(ones[0]), None))
    return out


def convert_ctrgcn_npz(path: str,
                       benchmark: str = 'xsub',
                       num_classes: Optional[int] = None,
                       prefix: str = '',
                       progress: bool = False,
                       summary: Optional[ConversionSummary] = None
                       ) -> Tuple[dict, ConversionSummary]:
    """Convert one CTR-GCN/MAMP npz.

    Args:
        path: the ``.npz`` file.
        benchmark: split prefix, e.g. ``'xsub'`` -> ``xsub_train`` /
            ``xsub_val``.
        num_classes: if given, labels must lie in ``[0, num_classes)``;
            by default the width of the one-hot ``y`` arrays.
        prefix: prepended to the synthetic ``frame_dir`` names.
        progress: show a tqdm progress bar.
    """
    from tqdm import tqdm
    summary = summary or ConversionSummary(f'CTR-GCN npz {path}')
    if not benchmark or not str(benchmark).isidentifier():
        raise ConversionError(f'invalid benchmark name {benchmark!r}')
    arrays = load_ctrgcn_npz(path)
    annotations = []
    split = {f'{benchmark}_train': [], f'{benchmark}_val': []}
    total = sum(arrays[f'x_{p}'].shape[0] for p in ('train', 'test'))
    bar = tqdm(total=total, desc='npz samples', disable=not progress,
               unit='sample')
    for part, out_part in (('train', 'train'), ('test', 'val')):
        x, y = arrays[f'x_{part}'], arrays[f'y_{part}']
        width = num_classes or (y.shape[1] if y.ndim == 2 else None)
        labels = _labels(y)
        for i in range(x.shape[0]):
            bar.update(1)
            name = f'{prefix}{out_part}_{i:06d}'
            label, why = labels[i]
            if why is not None:
                summary.skip('bad label', f'{name} (y_{part}[{i}]): {why}')
                continue
            if label < 0 or (width is not None and label >= width):
                summary.skip(
                    'label out of range',
                    f'{name} (y_{part}[{i}]): label {label} outside '
                    f'0..{(width or 0) - 1}')
                continue
            if not np.all(np.isfinite(x[i])):
                summary.skip('NaN values',
                             f'{name} (x_{part}[{i}]): NaN or infinite '
                             'coordinates')
                continue
            kp = ctrgcn_sample_to_keypoint(x[i])
            if kp is None:
                summary.skip('empty sample',
                             f'{name} (x_{part}[{i}]): all frames are zero')
                continue
            annotations.append(make_annotation(name, label, kp))
            split[f'{benchmark}_{out_part}'].append(name)
            summary.add_written()
    bar.close()
    return build_pickle(annotations, split, summary), summary
