"""The metrics the evaluation runs of a sweep logged."""
from ..utils.scalar_logs import read_scalar_log


def read_test_metric(work_dir: str, metric: str) -> float:
    """``metric`` of the newest ``tools/test.py`` run of ``work_dir`` that
    logged it (``<timestamp>/<timestamp>.json``).

    Args:
        work_dir (str): The evaluation's work dir.
        metric (str): Metric name, e.g. ``'knn/top1_k10'``.

    Returns:
        float: The value as logged.
    """
    for result in reversed(read_scalar_log(work_dir).tests):
        if metric in result:
            return float(result[metric])
    raise ValueError(f'no test result with metric {metric!r} under '
                     f'{work_dir}/<timestamp>/<timestamp>.json')


def read_train_metric(work_dir: str, metric: str) -> float:
    """The last validation value of ``metric`` of a ``tools/train.py`` run.

    Every timestamp folder counts (a resumed run has several).

    Args:
        work_dir (str): The evaluation's work dir.
        metric (str): Metric name, e.g. ``'acc/top1'``.

    Returns:
        float: The value of the latest validation, as logged.
    """
    return read_scalar_log(work_dir).last_val(metric)
