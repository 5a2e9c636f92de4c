import numpy as np
import pytest
import torch
from mmaction.structures import ActionDataSample

from stars_mmaction.evaluation import FewShotMetric, few_shot_accuracies


def samples(feats, labels):
    out = []
    for feat, label in zip(feats, labels):
        sample = ActionDataSample().set_gt_label(int(label))
        sample.set_field(feat, 'feature')
        out.append(sample.to_dict())
    return out


def test_mean_std_per_shot_and_average():
    labels = torch.arange(70) % 7 + 60
    feats = torch.randn(
        70, 16) + 2 * torch.nn.functional.one_hot(labels - 60, 16).float()
    metric = FewShotMetric(shots=(1, 5), num_episodes=20, seed=3)
    metric.process({}, samples(feats, labels))
    results = metric.evaluate(70)
    expected = few_shot_accuracies(feats, labels, (1, 5), 20, seed=3)
    # percent, the project's unit
    assert results['fewshot/1shot'] == pytest.approx(100 * expected[1].mean())
    assert results['fewshot/5shot_std'] == pytest.approx(
        100 * expected[5].std())
    assert results['fewshot/avg'] == pytest.approx(
        100 * np.mean([expected[1].mean(), expected[5].mean()]))
    assert results['fewshot/5shot'] > results['fewshot/1shot'] > 100 / 7


def test_classes_filter_and_errors():
    metric = FewShotMetric(shots=(1, ), num_episodes=2, classes=[5, 6])
    metric.process({}, samples(torch.randn(6, 4), [0, 0, 5, 5, 6, 6]))
    assert set(metric.evaluate(6)) == {
        'fewshot/1shot', 'fewshot/1shot_std', 'fewshot/avg'
    }
    metric = FewShotMetric(shots=(1, ), classes=[9])
    metric.process({}, samples(torch.randn(2, 4), [0, 1]))
    with pytest.raises(ValueError, match='no sample of classes'):
        metric.evaluate(2)
    with pytest.raises(ValueError, match='shots'):
        FewShotMetric(shots=(0, ))
