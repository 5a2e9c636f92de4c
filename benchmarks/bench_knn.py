"""KNN evaluation: ours against scikit-learn's cosine KNeighborsClassifier.

The reference evaluation fits one ``KNeighborsClassifier(n_neighbors=k,
metric='cosine')`` per k and predicts the test set; ours is
``stars_mmaction.evaluation.knn_predict(train_feats, train_labels,
test_feats, ks, batch_size)``, which answers every k from one similarity
pass. Both get the same features: 256-d, 60 classes, class centres plus
noise (so that neighbours of different classes compete), float32.

Figures: ``knn/sklearn`` and ``knn/ours`` per size (train x test),
``knn_prediction_agreement`` (fraction of identical predictions over all k;
1.0 means the same answers) and ``knn_speedup_vs_sklearn`` (at the largest
size).

Usage::

    python benchmarks/bench_knn.py [--quick]
"""
import argparse
import sys
import time
from typing import Dict, List, Optional, Sequence, Tuple

from bench_utils import emit, peak_rss_mb, run_isolated

KS = (1, 2, 5, 10, 20, 40)
FULL_SIZES = ((10000, 10000), (40000, 16000))
QUICK_SIZES = ((2000, 1000), )
DIM = 256
NUM_CLASSES = 60
BATCH_SIZE = 1024
REPEATS = 3  # ours is timed as the median of REPEATS calls; sklearn once.


def make_features(num_train: int, num_test: int, seed: int = 0) -> Tuple:
    """Clustered features and labels for a train and a test set."""
    import numpy as np
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((NUM_CLASSES, DIM)).astype(np.float32)

    def draw(n: int) -> Tuple:
        labels = rng.integers(0, NUM_CLASSES, n)
        noise = 3.0 * rng.standard_normal((n, DIM)).astype(np.float32)
        return centres[labels] + noise, labels

    return draw(num_train) + draw(num_test)


def sklearn_predict(train, train_labels, test, ks: Sequence[int]) -> Dict:
    """The reference: one cosine KNeighborsClassifier per k."""
    from sklearn.neighbors import KNeighborsClassifier
    out = {}
    for k in ks:
        knn = KNeighborsClassifier(n_neighbors=k, metric='cosine')
        out[k] = knn.fit(train, train_labels).predict(test)
    return out


def ours_predict(train, train_labels, test, ks: Sequence[int]) -> Dict:
    """``stars_mmaction.evaluation.knn_predict`` on torch tensors."""
    import numpy as np
    import torch

    from stars_mmaction.evaluation import knn_predict
    preds = knn_predict(torch.from_numpy(train),
                        torch.from_numpy(train_labels),
                        torch.from_numpy(test),
                        ks=list(ks),
                        batch_size=BATCH_SIZE)
    if not isinstance(preds, dict):
        preds = dict(zip(ks, preds))
    return {k: np.asarray(torch.as_tensor(preds[k]).cpu()) for k in ks}


def measure(impl: str, num_train: int, num_test: int, quick: bool) -> Dict:
    """Time one implementation on one size (runs in a forked child)."""
    import statistics

    import numpy as np
    train, train_labels, test, test_labels = make_features(num_train, num_test)
    fn = sklearn_predict if impl == 'sklearn' else ours_predict
    repeats = 1 if impl == 'sklearn' else REPEATS
    times, preds = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        preds = fn(train, train_labels, test, KS)
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    accuracy = {
        k: round(float((preds[k] == test_labels).mean()), 4)
        for k in KS
    }
    return dict(name=f'knn/{impl}',
                batch=num_test,
                num_train=num_train,
                num_test=num_test,
                ks=list(KS),
                median_s=round(median, 4),
                min_s=round(min(times), 4),
                max_s=round(max(times), 4),
                steps=repeats,
                seqs_per_s=round(num_test / median, 1),
                peak_memory_mb=round(peak_rss_mb(), 1),
                top1_accuracy=accuracy,
                quick=quick,
                predictions=np.stack([preds[k] for k in KS]).tolist())


def run(quick: bool = False,
        sink: Optional[List[dict]] = None) -> Dict[str, Dict]:
    """Measure both implementations on every size; print the figures.

    Args:
        quick (bool): Only a small size. Defaults to False.
        sink (list, optional): Records are appended to it.

    Returns:
        dict: The records by name.
    """
    import numpy as np
    records: Dict[str, Dict] = {}
    sizes = QUICK_SIZES if quick else FULL_SIZES
    speedup = None
    for num_train, num_test in sizes:
        found = {}
        for impl in ('sklearn', 'ours'):
            record = run_isolated(measure, impl, num_train, num_test, quick)
            found[impl] = np.asarray(record.pop('predictions'))
            emit(record, sink)
            records[f'{record["name"]}@{num_train}x{num_test}'] = record
        agreement = float((found['ours'] == found['sklearn']).mean())
        speedup = (records[f'knn/sklearn@{num_train}x{num_test}']['median_s'] /
                   records[f'knn/ours@{num_train}x{num_test}']['median_s'])
        for name, value in (('knn_prediction_agreement', agreement),
                            ('knn_speedup_at_size', speedup)):
            record = dict(name=name,
                          value=round(value, 4),
                          batch=num_test,
                          num_train=num_train,
                          num_test=num_test,
                          quick=quick)
            emit(record, sink)
            records[f'{name}@{num_train}x{num_test}'] = record
    record = dict(name='knn_speedup_vs_sklearn',
                  value=round(speedup, 4),
                  batch=sizes[-1][1],
                  num_train=sizes[-1][0],
                  num_test=sizes[-1][1],
                  quick=quick)
    emit(record, sink)
    records['knn_speedup_vs_sklearn'] = record
    return records


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--quick',
                        action='store_true',
                        help=f'only {QUICK_SIZES[0][0]} x {QUICK_SIZES[0][1]}')
    args = parser.parse_args(argv)
    run(args.quick)


if __name__ == '__main__':
    sys.exit(main())
