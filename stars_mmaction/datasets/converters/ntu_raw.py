"""NTU RGB+D 60/120 raw ``.skeleton`` files -> mmaction2 3D skeleton pickle.

File format and names: :mod:`.ntu_skeleton_file`.

Conversion choices (tested in ``tests/datasets/converters``):

* Bodies are tracked by ``bodyID`` across frames. Each body's activity is
  the sum over x, y and z of the variance of its joint coordinates over all
  the frames in which it is tracked (the motion criterion of the NTU
  preprocessing used by CTR-GCN). The (at most) two most active bodies are
  kept, most active first; ties keep the order of first appearance.
  ``M`` = number of kept bodies (1 or 2).
* In a frame where a kept body is absent, that body's joints are zero.
* Leading and trailing frames in which none of the kept bodies appears are
  dropped; empty frames in between are kept as zeros, so timing is
  preserved. ``total_frames`` is the length after this trimming.
* Coordinates are the camera-space ``x y z`` (metres), not normalised.
* ``label`` = action id - 1.
"""
import os
import os.path as osp
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np

from .ntu_skeleton_file import (NUM_JOINTS, strip_ext, parse_ntu_name,
                                read_ntu_skeleton)
from .summary import (ConversionError, ConversionSummary, SampleSkipped,
                      build_pickle, make_annotation)

__all__ = [
    'NTU60_XSUB_TRAIN_SUBJECTS', 'NTU60_XVIEW_TRAIN_CAMERAS',
    'NTU120_XSUB_TRAIN_SUBJECTS', 'parse_ntu_name', 'read_ntu_skeleton',
    'ntu_keypoint_from_frames', 'load_missing_list', 'ntu_split_names',
    'convert_ntu_raw', 'find_skeleton_files'
]

NTU60_XSUB_TRAIN_SUBJECTS = (1, 2, 4, 5, 8, 9, 13, 14, 15, 16, 17, 18, 19,
                             25, 27, 28, 31, 34, 35, 38)
NTU60_XVIEW_TRAIN_CAMERAS = (2, 3)
NTU120_XSUB_TRAIN_SUBJECTS = NTU60_XSUB_TRAIN_SUBJECTS + (
    45, 46, 47, 49, 50, 52, 53, 54, 55, 56, 57, 58, 59, 70, 74, 78, 80, 81,
    82, 83, 84, 85, 86, 89, 91, 92, 93, 94, 95, 97, 98, 100, 103)

NUM_CLASSES = {'ntu60': 60, 'ntu120': 120}
MAX_BODIES = 2


def ntu_keypoint_from_frames(frames: Sequence[Sequence[Tuple[str, np.ndarray]]],
                             max_bodies: int = MAX_BODIES) -> np.ndarray:
    """Select the most active bodies and build the ``(M, T, 25, 3)`` array.

    See the module docstring for the rules. Returns an array with ``M = 0``
    when no body appears in any frame.
    """
    tracks: Dict[str, Dict[int, np.ndarray]] = {}
    order: List[str] = []
    for t, bodies in enumerate(frames):
        for slot, (body_id, xyz) in enumerate(bodies):
            key = body_id
            if key in tracks and t in tracks[key]:
                # the same ID twice in one frame: keep them apart
                key = f'{body_id}#{slot}'
            if key not in tracks:
                tracks[key] = {}
                order.append(key)
            tracks[key][t] = xyz
    if not order:
        return np.zeros((0, 0, NUM_JOINTS, 3), dtype=np.float32)

    def activity(key):
        joints = np.stack(list(tracks[key].values())).reshape(-1, 3)
        return float(np.var(joints, axis=0).sum())

    ranked = sorted(range(len(order)),
                    key=lambda i: (-activity(order[i]), i))
    kept = [order[i] for i in ranked[:max_bodies]]
    present = sorted(set(t for key in kept for t in tracks[key]))
    first, last = present[0], present[-1]
    keypoint = np.zeros((len(kept), last - first + 1, NUM_JOINTS, 3),
                        dtype=np.float32)
    for m, key in enumerate(kept):
        for t, xyz in tracks[key].items():
            keypoint[m, t - first] = xyz
    return keypoint


def load_missing_list(path: Optional[str]) -> List[str]:
    """Sample names (without extension) of the official missing-skeleton
    list: one per line, with or without ``.skeleton``; blank lines and
    ``#`` comments are ignored."""
    if path is None:
        return []
    if not osp.isfile(path):
        raise ConversionError(f'missing-skeleton list not found: {path}')
    names = []
    with open(path, 'r') as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            if line:
                names.append(strip_ext(line))
    return names


def ntu_split_names(benchmark: str) -> Tuple[str, str]:
    """The two benchmarks of ``'ntu60'`` or ``'ntu120'``."""
    if benchmark == 'ntu60':
        return ('xsub', 'xview')
    if benchmark == 'ntu120':
        return ('xsub', 'xset')
    raise ConversionError(f'unknown benchmark {benchmark!r} '
                          "(expected 'ntu60' or 'ntu120')")


def _is_training(ids: Dict[str, int], benchmark: str, protocol: str) -> bool:
    if protocol == 'xsub':
        subjects = (NTU60_XSUB_TRAIN_SUBJECTS if benchmark == 'ntu60' else
                    NTU120_XSUB_TRAIN_SUBJECTS)
        return ids['subject'] in subjects
    if protocol == 'xview':
        return ids['camera'] in NTU60_XVIEW_TRAIN_CAMERAS
    if protocol == 'xset':
        return ids['setup'] % 2 == 0
    raise ValueError(protocol)


def find_skeleton_files(sources: Iterable[str]) -> List[str]:
    """``.skeleton`` files of the given folders (not recursive) and files,
    sorted by file name."""
    files = []
    for src in sources:
        if osp.isdir(src):
            for name in os.listdir(src):
                if name.endswith('.skeleton'):
                    files.append(osp.join(src, name))
        elif osp.isfile(src):
            files.append(src)
        else:
            raise ConversionError(f'input not found: {src}')
    return sorted(files, key=lambda p: (osp.basename(p), p))


def _convert_one(path: str):
    """Worker: ``(path, keypoint or None, (category, message) or None)``."""
    try:
        _, frames = read_ntu_skeleton(path)
        keypoint = ntu_keypoint_from_frames(frames)
        if keypoint.shape[0] == 0:
            raise SampleSkipped('no body',
                                f'{path}: no body in any of its frames')
        return path, keypoint, None
    except SampleSkipped as e:
        return path, None, (e.category, e.message)
    except (OSError, UnicodeDecodeError) as e:
        return path, None, ('unreadable file', f'{path}: {e}')


def convert_ntu_raw(sources: Sequence[str],
                    benchmark: Optional[str] = None,
                    missing_list: Optional[str] = None,
                    max_workers: int = 1,
                    progress: bool = False,
                    summary: Optional[ConversionSummary] = None):
    """Convert raw NTU RGB+D skeleton files.

    Args:
        sources: folders holding ``.skeleton`` files and/or single files.
        benchmark: ``'ntu60'`` or ``'ntu120'``; ``None`` picks ``'ntu120'``
            when an action id exceeds 60, a setup id 17 or a performer id
            40 (ids only NTU-120 has), else ``'ntu60'``.
        missing_list: path of the official missing-skeleton sample list;
            those samples are excluded and reported.
        max_workers: processes used to parse the files.
        progress: show a tqdm progress bar.

    Returns:
        ``(data, summary)``: the pickle content and a
        :class:`ConversionSummary`.
    """
    summary = summary or ConversionSummary('NTU RGB+D raw skeletons')
    files = find_skeleton_files(sources)
    missing = set(load_missing_list(missing_list))

    parsed = []
    for path in files:
        name = strip_ext(path)
        try:
            ids = parse_ntu_name(path)
        except SampleSkipped as e:
            summary.skip(e.category, e.message)
            continue
        if name in missing:
            summary.skip('in missing-skeleton list',
                         f'{name}: listed in {missing_list}')
            continue
        parsed.append((path, name, ids))

    if benchmark is None:
        def largest(key):
            return max((ids[key] for _, _, ids in parsed), default=0)

        # NTU-60 has actions 1-60, setups 1-17 and performers 1-40
        max_action, max_setup = largest('action'), largest('setup')
        max_subject = largest('subject')
        is_120 = max_action > 60 or max_setup > 17 or max_subject > 40
        benchmark = 'ntu120' if is_120 else 'ntu60'
        summary.note(f'benchmark {benchmark} chosen from the largest ids '
                     f'(action {max_action}, setup {max_setup}, performer '
                     f'{max_subject}); pass --benchmark to force it')
    protocols = ntu_split_names(benchmark)
    num_classes = NUM_CLASSES[benchmark]

    todo = []
    for path, name, ids in parsed:
        if not 1 <= ids['action'] <= num_classes:
            summary.skip(
                'label out of range',
                f'{name}: action A{ids["action"]:03d} is outside '
                f'1..{num_classes} of {benchmark}')
            continue
        if not all(ids[k] >= 1 for k in ('setup', 'camera', 'subject')):
            summary.skip('bad file name',
                         f'{name}: setup, camera and performer ids are '
                         '1-based')
            continue
        todo.append((path, name, ids))

    results = _run(_convert_one, [p for p, _, _ in todo], max_workers,
                   progress, desc='NTU skeletons')

    annotations = []
    split = {f'{p}_{part}': [] for p in protocols for part in ('train', 'val')}
    for (path, name, ids), (_, keypoint, err) in zip(todo, results):
        if err is not None:
            summary.skip(*err)
            continue
        annotations.append(make_annotation(name, ids['action'] - 1,
                                           keypoint))
        for p in protocols:
            part = 'train' if _is_training(ids, benchmark, p) else 'val'
            split[f'{p}_{part}'].append(name)
        summary.add_written()
    data = build_pickle(annotations, split, summary)
    return data, summary


def _run(func, items, max_workers, progress, desc):
    """``[func(x) for x in items]``, in order, optionally in processes."""
    from tqdm import tqdm
    bar = tqdm(total=len(items), desc=desc, disable=not progress,
               unit='file')
    out = []
    if max_workers and max_workers > 1 and len(items) > 1:
        import multiprocessing as mp
        with mp.Pool(max_workers) as pool:
            for res in pool.imap(func, items, chunksize=16):
                out.append(res)
                bar.update(1)
    else:
        for item in items:
            out.append(func(item))
            bar.update(1)
    bar.close()
    return out
