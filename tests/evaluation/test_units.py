"""stars_mmaction.evaluation.units: accuracies in percent."""
import pytest

from stars_mmaction.evaluation.units import as_percent, is_accuracy


@pytest.mark.parametrize('key, logged, percent', [
    ('acc/top1', 0.845, 84.5),  # mmaction2's AccMetric: a fraction
    ('acc/mean1', 0.5, 50.0),
    ('nn_acc', 0.25, 25.0),  # a head's in-training accuracy
    ('knn/top1_k10', 84.5, 84.5),  # the plugin's metrics: percent
    ('fewshot/avg', 62.0, 62.0),
    ('loss', 0.3, 0.3),
])
def test_as_percent(key, logged, percent):
    assert as_percent(key, logged) == pytest.approx(percent)


def test_is_accuracy():
    assert all(map(is_accuracy, ['acc/top5', 'knn/top1_k1', 'fewshot/1shot',
                                 'contrast_acc']))
    assert not any(map(is_accuracy, ['loss_nnclr', 'lr', 'time']))
