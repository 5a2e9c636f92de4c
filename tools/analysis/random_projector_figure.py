"""Supplementary Figure 2: encoder output vs. a random-weight projector.

Extracts the pooled encoder features of a (stage-1) checkpoint, passes them
through an NNCLR head with freshly initialised (reference init) weights,
BatchNorm using the statistics of the whole set, and draws the t-SNE of both
spaces side by side, coloured by class. The titles give the silhouette score
(cosine) of the classes in each space and the share of every sample's 10
nearest neighbours that the random projection keeps: the STARS argument that
a random head keeps the encoder's cluster structure.

Example::

    python tools/analysis/random_projector_figure.py \
        configs/stars/eval/knn_demo-xsub-keypoint-3d.py \
        work_dirs/demo/seed0/mamp/epoch_14.pth --out work_dirs/demo/random_projector.png
"""
import argparse
import os
import os.path as osp
from typing import Dict, Optional, Sequence

import numpy as np
import torch
from feature_extraction import (extract_features, scatter_by_class,
                                tsne_embedding)

from stars_mmaction.models.heads import NNCLRHead


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='t-SNE of encoder features before and after a random '
        'NNCLR projector (supplementary Figure 2)')
    parser.add_argument('config', help='feature config, e.g. '
                        'configs/stars/eval/knn_*.py')
    parser.add_argument('checkpoint', help='encoder checkpoint (stage 1)')
    parser.add_argument('--out', required=True, help='output PNG')
    parser.add_argument(
        '--output', choices=['projection', 'prediction'],
        default='prediction',
        help="head output drawn: 'projection' z = g(y) (BatchNorm) or "
        "'prediction' p = h(g(y)) (default)")
    parser.add_argument('--hidden-channels', type=int, default=4096,
                        help='predictor width (reference 4096)')
    parser.add_argument('--split', help='data split (default: test split)')
    parser.add_argument('--max-samples', type=int, default=5000)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--tsne-iters', type=int, default=1000,
                        help='t-SNE optimisation steps (>= 250)')
    return parser.parse_args(argv)


@torch.no_grad()
def random_projection(feats: np.ndarray, output: str = 'prediction',
                      hidden_channels: int = 4096,
                      seed: int = 0) -> np.ndarray:
    """Features through a randomly initialised NNCLR head.

    Args:
        feats (np.ndarray): Encoder features (N, D).
        output (str): ``'projection'`` or ``'prediction'``.
        hidden_channels (int): Predictor width.
        seed (int): Seed of the random weights.

    Returns:
        np.ndarray: L2-normalised outputs (N, D).
    """
    torch.manual_seed(seed)
    head = NNCLRHead(in_channels=feats.shape[1],
                     hidden_channels=hidden_channels, bank_size=1)
    head.train()  # BatchNorm normalises with the statistics of the set
    z, p = head.project(torch.from_numpy(feats).float())
    return (z if output == 'projection' else p).numpy()


def cluster_stats(feats: np.ndarray, labels: np.ndarray) -> float:
    """Silhouette score of the classes under cosine distance (NaN when
    every sample is its own class)."""
    from sklearn.metrics import silhouette_score
    if not 1 < len(np.unique(labels)) < len(labels):
        return float('nan')
    return float(silhouette_score(feats, labels, metric='cosine'))


def neighbour_overlap(a: np.ndarray, b: np.ndarray, k: int = 10) -> float:
    """Mean share of each sample's k cosine neighbours kept from a to b."""
    def knn(x):
        x = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
        sims = x @ x.T
        np.fill_diagonal(sims, -np.inf)
        return np.argsort(-sims, axis=1)[:, :k]

    na, nb = knn(a), knn(b)
    return float(np.mean([len(set(x) & set(y)) / k for x, y in zip(na, nb)]))


def main(argv: Optional[Sequence[str]] = None) -> Dict[str, float]:
    args = parse_args(argv)
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    feats, labels, names = extract_features(args.config, args.checkpoint,
                                            args.split, args.max_samples,
                                            args.seed)
    projected = random_projection(feats, args.output, args.hidden_channels,
                                  args.seed)
    k = min(10, len(labels) - 1)
    stats = dict(
        silhouette_encoder=cluster_stats(feats, labels),
        silhouette_projected=cluster_stats(projected, labels),
        neighbour_overlap=neighbour_overlap(feats, projected, k))
    fig, axes = plt.subplots(1, 2, figsize=(12, 5.5))
    panels = [(feats, 'encoder output',
               stats['silhouette_encoder']),
              (projected, f'after a random-weight NNCLR head '
               f'({args.output})', stats['silhouette_projected'])]
    for i, (x, title, sil) in enumerate(panels):
        points = tsne_embedding(x, args.seed, max_iter=args.tsne_iters)
        scatter_by_class(axes[i], points, labels,
                         names, legend=i == 1)
        axes[i].set_title(f'{title}\nsilhouette (cosine) {sil:.3f}',
                          fontsize=9)
    fig.suptitle(f'{osp.basename(args.checkpoint)}: {len(labels)} samples; '
                 f'{100 * stats["neighbour_overlap"]:.1f}% of the {k} '
                 'nearest neighbours kept by the random head', fontsize=9)
    fig.tight_layout()
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    fig.savefig(args.out, dpi=120)
    plt.close(fig)
    print(f'figure written to {args.out}; ' + ', '.join(
        f'{k}={v:.3f}' for k, v in stats.items()))
    return stats


if __name__ == '__main__':
    main()
