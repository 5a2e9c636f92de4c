"""PKU-MMD phase I / II skeletons + labels -> per-action clips in an
mmaction2 3D skeleton pickle.

Inputs:

* skeleton files ``<video>.txt``: one frame per line, 150 floats = 2
  persons x 25 joints x (x, y, z); the second person is zero when absent;
* label files ``<video>.txt``: one action per line,
  ``label,start,end[,confidence]`` with 1-based action labels;
* split files (``cross-subject.txt``, ``cross-view.txt``) listing training
  and validation videos, either in the official layout::

      Training videos:
      0002-L, 0002-M, ...
      Validataion videos:
      0291-L, ...

  or the simple one ``train: a, b, c`` / ``val: d, e``.

Each label line becomes one clip ``keypoint[:, start:end + 1]`` (``start`` and
``end`` index the skeleton file's lines from 0, ``end`` inclusive) with
``label - 1`` as label and ``frame_dir = '<video>_<k>'`` where ``k`` is the
0-based index of the action line in the label file (three digits). The second
person is dropped (``M = 1``) when it is zero over the whole clip.
"""
import os
import os.path as osp
import re
from typing import Dict, List, Optional, Tuple

import numpy as np

from .summary import (ConversionError, ConversionSummary, SampleSkipped,
                      build_pickle, make_annotation)

__all__ = ['PKU_NUM_CLASSES', 'parse_pku_split_file', 'read_pku_skeleton',
           'read_pku_labels', 'convert_pku_mmd']

PKU_NUM_CLASSES = {1: 51, 2: 41}
NUM_PERSONS = 2
NUM_JOINTS = 25
VALUES_PER_FRAME = NUM_PERSONS * NUM_JOINTS * 3

_HEADER_RE = re.compile(
    r'^\s*(?P<key>[A-Za-z]+)(\s+videos?)?\s*:\s*(?P<rest>.*)$')
_TRAIN_KEYS = ('train', 'training')
_VAL_KEYS = ('val', 'validation', 'validataion', 'test', 'testing')


def _video_name(token: str) -> str:
    token = token.strip().strip('"\'')
    if token.endswith('.txt'):
        token = token[:-4]
    return token


def parse_pku_split_file(path: str) -> Tuple[List[str], List[str]]:
    """``(train_videos, val_videos)`` of a PKU-MMD split file (both layouts
    of the module docstring).

    Raises:
        ConversionError: missing file, names before any header, an unknown
            header, a video in both lists, or an empty list.
    """
    if not osp.isfile(path):
        raise ConversionError(f'split file not found: {path}')
    lists: Dict[str, List[str]] = {'train': [], 'val': []}
    current = None
    with open(path, 'r') as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            m = _HEADER_RE.match(line)
            if m is not None:
                key = m.group('key').lower()
                if key in _TRAIN_KEYS:
                    current = 'train'
                elif key in _VAL_KEYS:
                    current = 'val'
                else:
                    raise ConversionError(
                        f'{path}: line {lineno}: unknown section '
                        f'{m.group("key")!r} (expected training or '
                        'validation videos)')
                rest = m.group('rest')
            else:
                rest = line
            names = [_video_name(t) for t in re.split(r'[,\s]+', rest)]
            names = [n for n in names if n]
            if names and current is None:
                raise ConversionError(
                    f'{path}: line {lineno}: video names before a '
                    '"Training videos:" / "train:" header')
            if current is not None:
                lists[current].extend(names)
    both = sorted(set(lists['train']) & set(lists['val']))
    if both:
        raise ConversionError(
            f'{path}: videos in both the training and the validation list: '
            f'{both[:10]}')
    for key in ('train', 'val'):
        if not lists[key]:
            raise ConversionError(f'{path}: no {key} videos found')
    return lists['train'], lists['val']


def read_pku_skeleton(path: str) -> np.ndarray:
    """``(T, 150)`` float64 array of one skeleton file.

    Raises:
        SampleSkipped: a line without 150 numbers (message names the file
            and the line).
    """
    rows = []
    with open(path, 'r') as f:
        lines = f.read().splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    for lineno, line in enumerate(lines, 1):
        tokens = line.replace(',', ' ').split()
        if len(tokens) != VALUES_PER_FRAME:
            raise SampleSkipped(
                'malformed skeleton file',
                f'{path}: line {lineno}: expected {VALUES_PER_FRAME} values, '
                f'got {len(tokens)}')
        try:
            rows.append(np.array(tokens, dtype=np.float64))
        except ValueError:
            raise SampleSkipped(
                'malformed skeleton file',
                f'{path}: line {lineno}: non-numeric value') from None
    if not rows:
        raise SampleSkipped('malformed skeleton file',
                            f'{path}: no frames')
    return np.stack(rows)


def read_pku_labels(path: str):
    """Yield ``(k, lineno, fields or None, error or None)`` for each
    non-blank line; ``fields = (label, start, end)`` as integers."""
    with open(path, 'r') as f:
        lines = f.read().splitlines()
    k = 0
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(',')]
        try:
            if len(parts) not in (3, 4):
                raise ValueError
            label, start, end = (int(p) for p in parts[:3])
            if len(parts) == 4:
                float(parts[3])
        except ValueError:
            yield k, lineno, None, (
                f'{path}: line {lineno}: expected '
                f'"label,start,end,confidence", got {line.strip()!r}')
        else:
            yield k, lineno, (label, start, end), None
        k += 1


def _list_txt(folder: str) -> Dict[str, str]:
    if not osp.isdir(folder):
        raise ConversionError(f'folder not found: {folder}')
    return {name[:-4]: osp.join(folder, name)
            for name in sorted(os.listdir(folder)) if name.endswith('.txt')}


def convert_pku_mmd(skeleton_dir: str,
                    label_dir: str,
                    xsub_split: Optional[str] = None,
                    xview_split: Optional[str] = None,
                    phase: int = 1,
                    num_classes: Optional[int] = None,
                    progress: bool = False,
                    summary: Optional[ConversionSummary] = None):
    """Convert PKU-MMD videos to per-action clips.

    Args:
        skeleton_dir: folder of ``<video>.txt`` skeleton files.
        label_dir: folder of ``<video>.txt`` label files; every label file
            is one video to convert.
        xsub_split, xview_split: split files (``cross-subject.txt``,
            ``cross-view.txt``); splits of a missing file are not written.
        phase: 1 (51 classes) or 2 (41 classes); sets ``num_classes``
            unless given.
        progress: show a tqdm progress bar.

    Returns:
        ``(data, summary)``.
    """
    from tqdm import tqdm
    if num_classes is None:
        if phase not in PKU_NUM_CLASSES:
            raise ConversionError(f'unknown PKU-MMD phase {phase!r}')
        num_classes = PKU_NUM_CLASSES[phase]
    summary = summary or ConversionSummary(f'PKU-MMD phase {phase}')
    splits = {}
    for bench, path in (('xsub', xsub_split), ('xview', xview_split)):
        if path is not None:
            splits[bench] = parse_pku_split_file(path)
    if not splits:
        summary.note('no split file given: the pickle has no splits')

    labels = _list_txt(label_dir)
    skeletons = _list_txt(skeleton_dir)
    if not labels:
        raise ConversionError(f'no label files (*.txt) in {label_dir}')

    annotations = []
    video_of = {}
    for video, label_path in tqdm(labels.items(), desc='PKU-MMD videos',
                                  disable=not progress, unit='video'):
        entries = list(read_pku_labels(label_path))
        if video not in skeletons:
            summary.skip('no skeleton file',
                         f'{video}: no {video}.txt in {skeleton_dir} '
                         f'({len(entries)} action(s))')
            continue
        try:
            skel = read_pku_skeleton(skeletons[video])
        except SampleSkipped as e:
            summary.skip(e.category,
                         f'{e.message} ({len(entries)} action(s) of '
                         f'{video})')
            continue
        num_frames = skel.shape[0]
        for k, lineno, fields, err in entries:
            name = f'{video}_{k:03d}'
            where = f'{name} ({label_path}, line {lineno})'
            if err is not None:
                summary.skip('malformed label line', err)
                continue
            label, start, end = fields
            if not 1 <= label <= num_classes:
                summary.skip('label out of range',
                             f'{where}: label {label} outside '
                             f'1..{num_classes}')
                continue
            if start < 0 or end < start or end >= num_frames:
                summary.skip('frame range out of bounds',
                             f'{where}: frames {start}..{end} not within '
                             f'the {num_frames} frames of {video}')
                continue
            clip = skel[start:end + 1]
            if not np.all(np.isfinite(clip)):
                summary.skip('NaN values',
                             f'{where}: NaN or infinite coordinates')
                continue
            if not np.any(clip != 0):
                summary.skip('empty clip', f'{where}: all frames are zero')
                continue
            kp = clip.reshape(-1, NUM_PERSONS, NUM_JOINTS, 3)
            kp = kp.transpose(1, 0, 2, 3)
            if not np.any(kp[1] != 0):
                kp = kp[:1]
            annotations.append(make_annotation(name, label - 1, kp))
            video_of[name] = video
            summary.add_written()

    split = {}
    for bench, (train, val) in splits.items():
        train, val = set(train), set(val)
        split[f'{bench}_train'] = [
            a['frame_dir'] for a in annotations
            if video_of[a['frame_dir']] in train]
        split[f'{bench}_val'] = [
            a['frame_dir'] for a in annotations
            if video_of[a['frame_dir']] in val]
        outside = sorted({v for v in video_of.values()
                          if v not in train and v not in val})
        if outside:
            summary.note(f'{len(outside)} video(s) in neither {bench} list '
                         f'(their clips are in no {bench} split): '
                         f'{outside[:10]}')
    return build_pickle(annotations, split, summary), summary
