"""The metrics the evaluation runs of a sweep logged."""
import json
import os
import os.path as osp
from typing import List


def _timestamp_dirs(work_dir: str) -> List[str]:
    if not osp.isdir(work_dir):
        return []
    return sorted(
        osp.join(work_dir, d) for d in os.listdir(work_dir)
        if osp.isdir(osp.join(work_dir, d)) and d[:8].isdigit())


def read_test_metric(work_dir: str, metric: str) -> float:
    """The metric logged by ``tools/test.py`` (newest run of ``work_dir``).

    mmengine writes ``<work_dir>/<timestamp>/<timestamp>.json``.
    """
    for run in reversed(_timestamp_dirs(work_dir)):
        path = osp.join(run, osp.basename(run) + '.json')
        if osp.isfile(path):
            with open(path) as f:
                record = json.load(f)
            if metric in record:
                return float(record[metric])
    raise ValueError(f'no test result with metric {metric!r} under '
                     f'{work_dir}/<timestamp>/<timestamp>.json')


def read_train_metric(work_dir: str, metric: str) -> float:
    """The last validation value of ``metric`` logged by ``tools/train.py``.

    Reads every ``<work_dir>/<timestamp>/vis_data/scalars.json`` (a resumed
    run has several) and returns the value of the latest epoch.
    """
    best = None
    for run in _timestamp_dirs(work_dir):
        path = osp.join(run, 'vis_data', 'scalars.json')
        if not osp.isfile(path):
            continue
        with open(path) as f:
            for line in f:
                record = json.loads(line)
                if metric in record:
                    step = record.get('step', 0)
                    if best is None or step >= best[0]:
                        best = (step, float(record[metric]))
    if best is None:
        raise ValueError(f'no validation record with metric {metric!r} '
                         f'under {work_dir}/<timestamp>/vis_data/'
                         'scalars.json')
    return best[1]
