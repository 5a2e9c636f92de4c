"""t-SNE of encoder features coloured by class, as a PNG.

The features are those of the KNN / few-shot protocols (pooled encoder
output, centre crop 0.95) of the config's test split.

Example::

    python tools/analysis/tsne.py configs/stars/eval/knn_demo-xsub-keypoint-3d.py \
        work_dirs/demo/stars/epoch_10.pth --out work_dirs/demo/tsne_stars.png
"""
import argparse
import os
import os.path as osp
from typing import Optional, Sequence

from feature_extraction import (extract_features, scatter_by_class,
                                tsne_embedding)


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
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> str:
    args = parse_args(argv)
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    feats, labels, names = extract_features(args.config, args.checkpoint,
                                            args.split, args.max_samples,
                                            args.seed)
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
