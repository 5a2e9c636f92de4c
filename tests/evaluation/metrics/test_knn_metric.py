import numpy as np
import pytest
import torch
from mmaction.structures import ActionDataSample

from stars_mmaction.evaluation import KNNMetric, knn_predict


def samples(feats, labels):
    out = []
    for feat, label in zip(feats, labels):
        sample = ActionDataSample().set_gt_label(int(label))
        sample.set_field(feat, 'feature')
        out.append(sample.to_dict())
    return out


def test_metrics_are_top1_per_k_and_match_knn_predict():
    bank, bank_labels = torch.randn(50, 8), torch.randint(0, 4, (50, ))
    test, test_labels = torch.randn(30, 8), torch.randint(0, 4, (30, ))
    metric = KNNMetric(topk_neighbours=(1, 5, 10), num_classes=4)
    metric.set_bank(bank, bank_labels)
    metric.process({}, samples(test[:16], test_labels[:16]))
    metric.process({}, samples(test[16:], test_labels[16:]))
    results = metric.evaluate(30)
    preds = knn_predict(bank, bank_labels, test, ks=(1, 5, 10))
    assert sorted(results) == ['knn/top1_k1', 'knn/top1_k10', 'knn/top1_k5']
    for k in (1, 5, 10):
        expected = (preds[k] == test_labels).float().mean().item()
        assert results[f'knn/top1_k{k}'] == pytest.approx(100 * expected)


def test_identical_bank_and_test_give_perfect_1nn():
    feats, labels = torch.randn(20, 8), torch.randint(0, 5, (20, ))
    metric = KNNMetric(topk_neighbours=(1, ))
    metric.set_bank(feats, labels)
    metric.process({}, samples(feats, labels))
    assert metric.evaluate(20) == {'knn/top1_k1': 100.0}


def test_writes_confusion_matrix_and_features(tmp_path):
    feats, labels = torch.randn(20, 8), torch.arange(20) % 3
    metric = KNNMetric(topk_neighbours=(1, 2),
                       out_dir=str(tmp_path),
                       confusion_k=(2, ),
                       dump_features=True)
    metric.set_bank(feats, labels)
    metric.process({}, samples(feats[:6], labels[:6]))
    metric.evaluate(6)
    assert (tmp_path / 'confusion_k2.csv').exists()
    assert (tmp_path / 'confusion_k2.png').exists()
    dump = np.load(tmp_path / 'features.npz')
    assert dump['train_features'].shape == (20, 8)
    assert dump['test_labels'].tolist() == labels[:6].tolist()


def test_bad_configuration_and_missing_bank_are_errors():
    with pytest.raises(ValueError, match='positive'):
        KNNMetric(topk_neighbours=(0, 1))
    with pytest.raises(ValueError, match='among topk_neighbours'):
        KNNMetric(topk_neighbours=(1, ), confusion_k=(10, ), out_dir='x')
    with pytest.raises(ValueError, match='need out_dir'):
        KNNMetric(topk_neighbours=(1, ), dump_features=True)
    metric = KNNMetric(topk_neighbours=(1, 10))
    with pytest.raises(ValueError, match='k=10 exceeds the 5 samples'):
        metric.set_bank(torch.randn(5, 4), torch.zeros(5, dtype=torch.long))
    metric.process({}, samples(torch.randn(2, 4), [0, 1]))
    with pytest.raises(RuntimeError, match='KNNTestLoop'):
        metric.evaluate(2)
