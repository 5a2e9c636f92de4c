"""t-SNE of encoder features coloured by class, as a PNG.

The features are those of the KNN / few-shot protocols (pooled encoder
output, centre crop 0.95) of the config's test split. By default: a random
subset of up to ``--max-samples`` over all classes, L2-normalised (the
cosine geometry KNN uses). ``--reference-selection`` selects as the STARS
reference plot does: the first 100 test samples of each of 15 fixed NTU-60
classes (0-based labels 1, 2, 5, 10, 15, 18, 20, 22, 25, 28, 30, 40, 50, 55,
57), raw features, ``random_state=42``, ``init='pca'``, perplexity 30.

Example::

    python tools/analysis/tsne.py configs/stars/eval/knn_demo-xsub-keypoint-3d.py \
        work_dirs/demo/stars/epoch_10.pth --out work_dirs/demo/tsne_stars.png
    python tools/analysis/tsne.py configs/stars/eval/knn_ntu60-xsub-keypoint-3d.py \
        work_dirs/stars_4xb32-10e_ntu60-xsub-keypoint-3d/epoch_10.pth \
        --reference-selection --out work_dirs/tsne_reference.png
"""
import argparse
import os
import os.path as osp
from typing import List, Optional, Sequence

import numpy as np
from feature_extraction import (extract_features, scatter_by_class,
                                split_labels, tsne_embedding)

# The classes of the reference's t-SNE plot (0-based NTU-60 labels).
REFERENCE_CLASSES = (1, 2, 5, 10, 15, 18, 20, 22, 25, 28, 30, 40, 50, 55, 57)


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='t-SNE of encoder features coloured by class')
    parser.add_argument('config', help='feature config, e.g. '
                        'configs/stars/eval/knn_*.py')
    parser.add_argument('checkpoint', help='stage-1 or stage-2 checkpoint')
    parser.add_argument('--out', required=True, help='output PNG')
    parser.add_argument('--split', help='data split (default: the '
                        "config's test split)")
    parser.add_argument('--max-samples', type=int, default=5000,
                        help='random subset size (default 5000)')
    parser.add_argument('--perplexity', type=float, default=30.)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--tsne-iters', type=int, default=1000,
                        help='t-SNE optimisation steps (>= 250)')
    parser.add_argument('--title', help='figure title')
    parser.add_argument(
        '--reference-selection', action='store_true',
        help='the reference plot\'s samples and settings: the first '
        '--per-class test samples of each of --classes, raw features, '
        'random_state 42, perplexity 30 (overrides --seed, --perplexity, '
        '--max-samples)')
    parser.add_argument('--classes', type=int, nargs='+',
                        default=list(REFERENCE_CLASSES),
                        help='labels for --reference-selection (default: '
                        'the reference\'s 15 NTU-60 classes)')
    parser.add_argument('--per-class', type=int, default=100,
                        help='first samples per class for '
                        '--reference-selection (default 100)')
    return parser.parse_args(argv)


def first_per_class(labels: np.ndarray, classes: Sequence[int],
                    per_class: int) -> List[int]:
    """Indices of the first ``per_class`` samples of each of ``classes``.

    As the reference plot walks the test set in order, keeping a sample
    while its class has fewer than ``per_class``.

    Args:
        labels (np.ndarray): Labels of the split, in data set order.
        classes (Sequence[int]): Labels to keep.
        per_class (int): Samples per class.

    Returns:
        list[int]: Indices in data set order.
    """
    if per_class < 1 or len(set(classes)) != len(classes):
        raise ValueError('per_class must be >= 1 and classes distinct, got '
                         f'{per_class} and {list(classes)}')
    taken = {int(c): 0 for c in classes}
    keep = []
    for index, label in enumerate(labels.tolist()):
        if taken.get(label, per_class) < per_class:
            taken[label] += 1
            keep.append(index)
    if not keep:
        raise ValueError(f'no test sample has a label in {list(classes)}')
    return keep


def main(argv: Optional[Sequence[str]] = None) -> str:
    args = parse_args(argv)
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    if args.reference_selection:
        indices = first_per_class(split_labels(args.config, args.split),
                                  args.classes, args.per_class)
        feats, labels, names = extract_features(args.config,
                                                args.checkpoint,
                                                args.split,
                                                indices=indices)
        points = tsne_embedding(feats, 42, 30., args.tsne_iters,
                                normalize=False)
    else:
        feats, labels, names = extract_features(args.config,
                                                args.checkpoint, args.split,
                                                args.max_samples, args.seed)
        points = tsne_embedding(feats, args.seed, args.perplexity,
                                args.tsne_iters)
    fig, ax = plt.subplots(figsize=(7, 5.5))
    scatter_by_class(ax, points, labels, names)
    ax.set_title(args.title or f't-SNE of {osp.basename(args.checkpoint)} '
                 f'({len(labels)} samples)', fontsize=9)
    fig.tight_layout()
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    fig.savefig(args.out, dpi=120)
    plt.close(fig)
    print(f't-SNE of {len(labels)} features written to {args.out}')
    return args.out


if __name__ == '__main__':
    main()
