"""Wrong KNN and few-shot settings, refused by tools/test.py before any
feature is extracted (extraction takes minutes at NTU scale)."""
import pytest

from corpus_tools import (FEWSHOT_CONFIG, KNN_CONFIG, assert_refused,
                          evaluate)


@pytest.fixture(autouse=True)
def no_extraction(monkeypatch):
    """Fail the case if any feature is extracted before the error."""
    from stars_mmaction.engine import FeatureTestLoop, KNNTestLoop

    def extracted(*args, **kwargs):
        raise AssertionError('features were extracted before the error')

    monkeypatch.setattr(KNNTestLoop, 'extract_bank', extracted)
    monkeypatch.setattr(FeatureTestLoop, 'run_iter', extracted)


# name: (topk_neighbours, extra config line, expected message)
KNN_CASES = {
    'k_larger_than_the_bank': (
        (1, 100), '', r'k=100 exceeds the 42 samples of the training split '
        'used as KNN bank'),
    'k_zero': ((0, 1), '', r'k must be a positive int, got 0'),
    'k_as_float': ((1.5, ), '', r'k must be a positive int, got 1.5'),
    'no_k': ((), '', r'the list of k \(numbers of neighbours\) is empty'),
    'weighting_typo': (
        (1, ), "test_evaluator['weighting'] = 'exponential'",
        r"KNNMetric weighting must be one of \('uniform', 'exp'\), got "
        r"'exponential'"),
    'zero_temperature': (
        (1, ), "test_evaluator['temperature'] = 0",
        r'KNNMetric needs temperature > 0 and batch_size >= 1, got 0 and'),
    'device_typo': ((1, ), "test_evaluator['device'] = 'gpu'",
                    r"device must be 'auto', 'cpu' or 'cuda', got 'gpu'"),
    'confusion_k_not_evaluated': (
        (1, 5), "test_evaluator['confusion_k'] = [10]",
        r'confusion_k \[10\] must be among topk_neighbours \[1, 5\]'),
    'dump_features_without_out_dir': (
        (1, ), "test_evaluator['dump_features'] = True",
        r'confusion_k and dump_features need out_dir'),
    'metric_without_a_bank': (
        (1, ), "test_evaluator = dict(_delete_=True, type='AccMetric')",
        r'KNNTestLoop needs a metric with `set_bank`, e.g. KNNMetric'),
}


@pytest.mark.parametrize('case', list(KNN_CASES))
def test_broken_knn_setting(case, tmp_path, monkeypatch, demo_ann_file,
                            stage1_checkpoint):
    ks, extra, pattern = KNN_CASES[case]
    config = tmp_path / 'knn.py'
    config.write_text(
        KNN_CONFIG.format(ann_file=demo_ann_file, ks=ks) + '\n' + extra)
    err = evaluate(monkeypatch, config, stage1_checkpoint, tmp_path / 'work')
    assert_refused(err, pattern)


# name: (extra config line, expected message)
FEWSHOT_CASES = {
    # classes set here: the test data (conftest's demo_ann_file) holds
    # classes 0..6 with 2 test samples each, whatever the demo config's
    # novel classes are
    'more_shots_than_samples': (
        "test_dataloader['dataset']['classes'] = [0, 1, 2, 3]\n"
        'test_evaluator = dict(shots=[1, 5])',
        r'FewShotMetric shots=\[1, 5\]: a 5-shot episode needs at least 6 '
        r'samples per class \(one as query\); classes with fewer'),
    'zero_shots': ('test_evaluator = dict(shots=[0])',
                   r'shots must be positive ints, got \[0\]'),
    'zero_episodes': ('test_evaluator = dict(num_episodes=0)',
                      r'num_episodes must be >= 1, got 0'),
    'one_novel_class': (
        "test_dataloader['dataset']['classes'] = [3]",
        r'few-shot evaluation needs at least 2 classes in the test split, '
        r'got labels \[3\]'),
}


@pytest.mark.parametrize('case', list(FEWSHOT_CASES))
def test_broken_fewshot_setting(case, tmp_path, monkeypatch, demo_ann_file,
                                stage1_checkpoint):
    extra, pattern = FEWSHOT_CASES[case]
    config = tmp_path / 'fewshot.py'
    config.write_text(
        FEWSHOT_CONFIG.format(ann_file=demo_ann_file) + '\n' + extra)
    err = evaluate(monkeypatch, config, stage1_checkpoint, tmp_path / 'work')
    assert_refused(err, pattern)
