"""The one reader of mmengine work-dir logs.

mmengine's ``LoggerHook`` writes, for each run started in a work dir, a
timestamp folder ``<work_dir>/<YYYYMMDD_HHMMSS>/`` holding

- ``vis_data/scalars.json``: one JSON object a line. A training line has
  ``iter`` (the global iteration, equal to ``step``), ``epoch`` in an
  epoch-based loop, ``lr`` and the loss terms; a validation line has the
  metrics and ``step`` (the epoch, or the iteration in an iteration-based
  loop) and no ``iter``;
- ``<YYYYMMDD_HHMMSS>.json``: the metrics of a ``runner.test()``.

A resumed run starts a new timestamp folder. :func:`read_scalar_log` joins
the folders in time order into one record: entries of a later run replace
those of earlier runs from its resume point on (the earlier run's entries
past that point belong to an abandoned trajectory), and the validations
from before the resume are kept.
"""
import json
import os
import os.path as osp
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

Entry = Dict[str, Any]

__all__ = ['ScalarLog', 'read_scalar_log', 'timestamp_dirs']

TIMESTAMP = re.compile(r'^\d{8}_\d{6}$')
# Keys of a training line that place it in time rather than measure it.
POSITION_KEYS = ('step', 'iter', 'epoch')


def timestamp_dirs(work_dir: str) -> List[str]:
    """The run folders ``<work_dir>/<YYYYMMDD_HHMMSS>``, oldest first.

    Args:
        work_dir (str): A work dir written by mmengine's runner.

    Returns:
        list[str]: Paths of the timestamp folders, in time order.
    """
    if not osp.isdir(work_dir):
        raise FileNotFoundError(f'work dir {work_dir!r} does not exist')
    names = sorted(n for n in os.listdir(work_dir) if TIMESTAMP.match(n)
                   and osp.isdir(osp.join(work_dir, n)))
    return [osp.join(work_dir, n) for n in names]


def read_json_lines(path: str) -> List[Entry]:
    """The records of a ``scalars.json``; a cut-off last line is skipped.

    A run killed while mmengine appends a line leaves a partial last line;
    an unreadable line anywhere else means the file is not a scalar log.

    Args:
        path (str): Path of a ``vis_data/scalars.json``.

    Returns:
        list[dict]: One dict per line, in file order.
    """
    with open(path) as f:
        lines = [line for line in f.read().split('\n') if line.strip()]
    entries = []
    for number, line in enumerate(lines, start=1):
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError as error:
            if number == len(lines):
                break
            raise ValueError(f'{path}, line {number}: not a JSON object '
                             f'({error})') from error
    return entries


@dataclass
class ScalarLog:
    """One work dir's joined log.

    Args:
        work_dir (str): The work dir read.
        runs (list[str]): Its timestamp folders, oldest first.
        train (list[dict]): Training lines, ordered by ``step``.
        val (list[dict]): Validation lines, ordered by ``step``.
        tests (list[dict]): ``runner.test()`` results, oldest first.
    """
    work_dir: str
    runs: List[str] = field(default_factory=list)
    train: List[Entry] = field(default_factory=list)
    val: List[Entry] = field(default_factory=list)
    tests: List[Entry] = field(default_factory=list)

    @property
    def by_epoch(self) -> bool:
        """Whether training was epoch based (validation step = epoch)."""
        return any('epoch' in entry for entry in self.train)

    def train_keys(self) -> List[str]:
        """Names of the logged training scalars (loss terms, lr, ...)."""
        return _keys(self.train)

    def val_keys(self) -> List[str]:
        """Names of the logged validation scalars (metrics, time)."""
        return _keys(self.val)

    def train_series(self,
                     key: str,
                     by: str = 'iter') -> Tuple[List[int], List[float]]:
        """A training scalar against the iteration, or its epoch means.

        Args:
            key (str): Scalar name, e.g. ``'loss'`` or ``'lr'``.
            by (str): ``'iter'``: every logged value at its global
                iteration; ``'epoch'``: the mean of each epoch's values.

        Returns:
            tuple[list[int], list[float]]: Positions and values.
        """
        entries = [e for e in self.train if key in e]
        if not entries:
            raise ValueError(self._missing(key, 'training', self.train_keys()))
        if by == 'iter':
            return ([e['step'] for e in entries],
                    [float(e[key]) for e in entries])
        if by != 'epoch':
            raise ValueError(f"by must be 'iter' or 'epoch', got {by!r}")
        if not self.by_epoch:
            raise ValueError(f'{self.work_dir}: training was iteration '
                             "based (no 'epoch' in its log); use by='iter'")
        per_epoch: Dict[int, List[float]] = {}
        for entry in entries:
            per_epoch.setdefault(entry['epoch'], []).append(float(entry[key]))
        epochs = sorted(per_epoch)
        return epochs, [sum(per_epoch[e]) / len(per_epoch[e]) for e in epochs]

    def val_series(self, key: str) -> Tuple[List[int], List[float]]:
        """A validation metric against its step (epoch when by epoch).

        Args:
            key (str): Metric name, e.g. ``'acc/top1'``.

        Returns:
            tuple[list[int], list[float]]: Steps and values, in order.
        """
        entries = [e for e in self.val if key in e]
        if not entries:
            raise ValueError(self._missing(key, 'validation',
                                           self.val_keys()))
        return ([e['step'] for e in entries],
                [float(e[key]) for e in entries])

    def last_val(self, key: str) -> float:
        """The latest validation value of ``key``."""
        return self.val_series(key)[1][-1]

    def latest_test(self) -> Optional[Entry]:
        """The newest ``runner.test()`` result, or None without one."""
        return self.tests[-1] if self.tests else None

    def _missing(self, key: str, mode: str, keys: List[str]) -> str:
        return (f'{self.work_dir}: no {mode} scalar {key!r} in '
                f'<timestamp>/vis_data/scalars.json (logged: {keys})')


def read_scalar_log(work_dir: str) -> ScalarLog:
    """Read and join every run of a work dir.

    Args:
        work_dir (str): A work dir written by mmengine's runner.

    Returns:
        ScalarLog: The joined record.
    """
    log = ScalarLog(work_dir=work_dir, runs=timestamp_dirs(work_dir))
    train: Dict[int, Entry] = {}
    val: Dict[int, Entry] = {}
    for run in log.runs:
        scalars = osp.join(run, 'vis_data', 'scalars.json')
        entries = read_json_lines(scalars) if osp.isfile(scalars) else []
        run_train = [e for e in entries if 'iter' in e]
        run_val = [e for e in entries if 'iter' not in e]
        if run_train:
            _drop_from_resume(train, val, run_train[0])
        train.update((e['step'], e) for e in run_train)
        val.update((e['step'], e) for e in run_val)
        test = osp.join(run, osp.basename(run) + '.json')
        if osp.isfile(test):
            with open(test) as f:
                log.tests.append(json.load(f))
    if not train and not val and not log.tests:
        raise FileNotFoundError(
            f'no <timestamp>/vis_data/scalars.json or '
            f'<timestamp>/<timestamp>.json under {work_dir!r}: did a run '
            'train or test there?')
    log.train = [train[s] for s in sorted(train)]
    log.val = [val[s] for s in sorted(val)]
    return log


def _drop_from_resume(train: Dict[int, Entry], val: Dict[int, Entry],
                      first: Entry) -> None:
    """Forget earlier entries at or after a resumed run's first line."""
    for step in [s for s in train if s >= first['step']]:
        del train[step]
    # A validation step is an epoch in an epoch-based loop: the resumed run
    # redoes the epoch it starts in, so that epoch's old validation goes.
    start = first['epoch'] if 'epoch' in first else first['step']
    for step in [s for s in val if s >= start]:
        del val[step]


def _keys(entries: List[Entry]) -> List[str]:
    keys: Dict[str, None] = {}
    for entry in entries:
        keys.update((k, None) for k in entry if k not in POSITION_KEYS)
    return list(keys)
