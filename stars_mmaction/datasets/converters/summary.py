"""Shared pieces of the data-set converters: errors, the conversion summary
and the writing of the mmaction2 skeleton annotation pickle.

The pickle follows mmaction2's ``PoseDataset`` layout::

    {'split': {name: [frame_dir, ...]},
     'annotations': [{'frame_dir': str, 'label': int, 'total_frames': int,
                      'keypoint': float32 array (M, T, V, C)}]}
"""
import os
import os.path as osp
import pickle
import sys
from collections import OrderedDict
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np


class ConversionError(ValueError):
    """The whole input is unusable (e.g. an npz without the expected arrays).

    The command-line tools print the message and exit with a non-zero code.
    """


class SampleSkipped(ValueError):
    """One sample is unusable; the converter skips it and the summary reports
    ``category`` and the message (which names the file and, where it applies,
    the line)."""

    def __init__(self, category: str, message: str):
        super().__init__(message)
        self.category = category
        self.message = message


class ConversionSummary:
    """Counts of written and skipped samples, and why each skip happened."""

    def __init__(self, title: str = 'conversion'):
        self.title = title
        self.written = 0
        self.skipped: 'OrderedDict[str, List[str]]' = OrderedDict()
        self.notes: List[str] = []
        self.split_sizes: Dict[str, int] = {}

    def add_written(self, n: int = 1) -> None:
        self.written += n

    def skip(self, category: str, message: str) -> None:
        self.skipped.setdefault(category, []).append(message)

    def note(self, message: str) -> None:
        self.notes.append(message)

    @property
    def num_skipped(self) -> int:
        return sum(len(v) for v in self.skipped.values())

    def format(self, max_per_category: int = 20) -> str:
        lines = [f'{self.title}: {self.written} samples written, '
                 f'{self.num_skipped} skipped']
        for name, size in self.split_sizes.items():
            lines.append(f'  split {name}: {size}')
        for category, messages in self.skipped.items():
            lines.append(f'  skipped ({category}): {len(messages)}')
            for msg in messages[:max_per_category]:
                lines.append(f'    - {msg}')
            if len(messages) > max_per_category:
                lines.append(
                    f'    ... and {len(messages) - max_per_category} more')
        for note in self.notes:
            lines.append(f'  note: {note}')
        return '\n'.join(lines)

    def __str__(self) -> str:
        return self.format()


def make_annotation(frame_dir: str, label: int,
                    keypoint: np.ndarray) -> dict:
    """One mmaction2 annotation; ``keypoint`` is (M, T, V, C)."""
    keypoint = np.ascontiguousarray(keypoint, dtype=np.float32)
    assert keypoint.ndim == 4, keypoint.shape
    return dict(
        frame_dir=frame_dir,
        label=int(label),
        total_frames=int(keypoint.shape[1]),
        keypoint=keypoint)


def build_pickle(annotations: Sequence[dict],
                 split: Dict[str, Sequence[str]],
                 summary: Optional[ConversionSummary] = None) -> dict:
    """Assemble the pickle content and check that every split member exists
    and every ``frame_dir`` is unique."""
    names = [a['frame_dir'] for a in annotations]
    if len(set(names)) != len(names):
        seen, dup = set(), []
        for n in names:
            if n in seen:
                dup.append(n)
            seen.add(n)
        raise ConversionError(f'duplicate frame_dir values: {dup[:10]}')
    known = set(names)
    out_split = {}
    for key, members in split.items():
        members = list(members)
        unknown = [m for m in members if m not in known]
        if unknown:
            raise ConversionError(
                f'split {key!r} names samples that are not in the '
                f'annotations: {unknown[:10]}')
        out_split[key] = members
        if summary is not None:
            summary.split_sizes[key] = len(members)
    return dict(split=out_split, annotations=list(annotations))


def dump_pickle(data: dict, path: str) -> None:
    """Write ``data`` to ``path`` (parent folders are created)."""
    parent = osp.dirname(osp.abspath(path))
    os.makedirs(parent, exist_ok=True)
    with open(path, 'wb') as f:
        pickle.dump(data, f, protocol=4)


def convert_and_dump(convert: Callable[[], Tuple[dict, 'ConversionSummary']],
                     path: str) -> int:
    """Run a converter, print its summary and write its pickle.

    What the ``tools/data/*_to_pkl.py`` commands do once their arguments
    are parsed.

    Args:
        convert (callable): Returns the pickle's data and the summary.
        path (str): The output ``.pkl``.

    Returns:
        int: The exit status: 0, or 1 after printing a
        :class:`ConversionError` (nothing is written then).
    """
    try:
        data, summary = convert()
    except ConversionError as e:
        print(f'error: {e}', file=sys.stderr)
        return 1
    dump_pickle(data, path)
    print(summary.format())
    print(f'wrote {path}')
    return 0


def load_pickle(path: str) -> dict:
    with open(path, 'rb') as f:
        return pickle.load(f)
