"""The project's one unit for accuracies: percent, as the papers.

The plugin's metrics (``knn/*``, ``fewshot/*``) report percent. mmaction2's
stock ``AccMetric`` (``acc/top1``, ``acc/top5``, ``acc/mean1`` of the linear,
fine-tuning and semi-supervised configs) and the heads' in-training
accuracies (``nn_acc``, ``contrast_acc``, ``moco_acc``) log fractions: the
first is mmaction2's metric, kept as it is so logs compare with mmaction2's
own, and the project's tools convert both with :func:`as_percent` whenever
they print, tabulate or plot.
"""
__all__ = ['FRACTION_PREFIXES', 'as_percent', 'is_accuracy']

# Metric names whose logged values are fractions in [0, 1].
FRACTION_PREFIXES = ('acc/', )
FRACTION_SUFFIXES = ('_acc', )
PERCENT_PREFIXES = ('knn/', 'fewshot/')


def is_accuracy(key: str) -> bool:
    """Whether ``key`` names an accuracy (in either unit)."""
    return (key.startswith(FRACTION_PREFIXES + PERCENT_PREFIXES)
            or key.endswith(FRACTION_SUFFIXES))


def as_percent(key: str, value: float) -> float:
    """A logged value of ``key`` in the project's unit (percent).

    Args:
        key (str): The metric name as logged, e.g. ``'acc/top1'``.
        value (float): The logged value.

    Returns:
        float: ``100 * value`` for metrics logged as fractions, else
        ``value``.
    """
    if key.startswith(FRACTION_PREFIXES) or key.endswith(FRACTION_SUFFIXES):
        return 100. * value
    return value
