"""Pooled encoder features of a data split, shared by the figure tools.

Not a command: ``tsne.py`` and ``random_projector_figure.py`` import it (the
script's own folder is on ``sys.path`` when it runs).
"""
from typing import List, Optional, Sequence, Tuple

import numpy as np
import torch
from mmaction.registry import DATASETS, MODELS
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import Runner

import stars_mmaction  # noqa: F401  (registers the plugin's modules)
from stars_mmaction.engine.checkpoint import (check_checkpoint_keys,
                                              checkpoint_state_dict,
                                              read_checkpoint)


def load_encoder_model(config: str, checkpoint: Optional[str]):
    """Build the config's model and load the encoder weights strictly.

    Args:
        config (str): A feature-protocol config (e.g.
            ``configs/stars/eval/knn_*.py``) whose model has a ``backbone``
            and a ``predict`` mode that sets ``data_sample.feature``.
        checkpoint (str, optional): Stage-1 or stage-2 checkpoint; None
            keeps the random initialisation.

    Returns:
        tuple: ``(cfg, model)``, the model in eval mode.
    """
    cfg = Config.fromfile(config)
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    model = MODELS.build(cfg.model)
    if checkpoint is not None:
        state = checkpoint_state_dict(
            read_checkpoint(checkpoint))
        check_checkpoint_keys(model.backbone.state_dict(), state,
                              'backbone.', source=f'checkpoint {checkpoint}')
        model.backbone.load_state_dict({
            k[len('backbone.'):]: v
            for k, v in state.items() if k.startswith('backbone.')
        })
    return cfg, model.eval()


@torch.no_grad()
def extract_features(config: str,
                     checkpoint: Optional[str],
                     split: Optional[str] = None,
                     max_samples: Optional[int] = None,
                     seed: int = 0,
                     indices: Optional[Sequence[int]] = None
                     ) -> Tuple[np.ndarray, np.ndarray, List[str]]:
    """Features and labels of the config's test split.

    Args:
        config (str): See :func:`load_encoder_model`.
        checkpoint (str, optional): See :func:`load_encoder_model`.
        split (str, optional): Overrides ``test_dataloader.dataset.split``.
            Defaults to None.
        max_samples (int, optional): Keep a random (seeded) subset of at
            most this many samples. Defaults to None (all).
        seed (int): Seed of the subset. Defaults to 0.
        indices (Sequence[int], optional): Encode only these samples of the
            split, in this order (see :func:`split_labels`). Defaults to
            None (all).

    Returns:
        tuple: features (N, D) float32, labels (N,) int64 and the class
        names (from the config's ``label_map`` if any, else the indices).
    """
    cfg, model = load_encoder_model(config, checkpoint)
    loader_cfg = cfg.test_dataloader.copy()
    loader_cfg['num_workers'] = 0
    loader_cfg['persistent_workers'] = False
    if split is not None:
        loader_cfg['dataset']['split'] = split
    if indices is not None:
        loader_cfg['dataset']['indices'] = [int(i) for i in indices]
    loader = Runner.build_dataloader(loader_cfg)
    feats, labels = [], []
    for batch in loader:
        for sample in model.test_step(batch):
            feats.append(sample.feature.float().cpu().numpy())
            labels.append(int(sample.gt_label.item()))
    if not feats:
        raise ValueError(f'{config}: the split is empty')
    feats, labels = np.stack(feats), np.asarray(labels, dtype=np.int64)
    if max_samples is not None and len(labels) > max_samples:
        keep = np.sort(np.random.default_rng(seed).choice(
            len(labels), max_samples, replace=False))
        feats, labels = feats[keep], labels[keep]
    return feats, labels, class_names(cfg, int(labels.max()) + 1)


def split_labels(config: str, split: Optional[str] = None) -> np.ndarray:
    """Labels of the config's test split in data set order (no model).

    Args:
        config (str): See :func:`load_encoder_model`.
        split (str, optional): Overrides ``test_dataloader.dataset.split``.

    Returns:
        np.ndarray: Labels (N,) int64.
    """
    cfg = Config.fromfile(config)
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    dataset_cfg = dict(cfg.test_dataloader.dataset, pipeline=[])
    if split is not None:
        dataset_cfg['split'] = split
    dataset = DATASETS.build(dataset_cfg)
    return np.array([
        int(dataset.get_data_info(i)['label']) for i in range(len(dataset))
    ], dtype=np.int64)


def class_names(cfg: Config, num_classes: int) -> List[str]:
    """Class names from ``test_evaluator.label_map`` or a ``label_map``."""
    path = None
    evaluator = cfg.get('test_evaluator')
    if isinstance(evaluator, dict):
        path = evaluator.get('label_map')
    names = [str(i) for i in range(num_classes)]
    if path:
        try:
            with open(path) as f:
                lines = [line.strip() for line in f if line.strip()]
        except OSError:
            return names
        names[:len(lines)] = lines[:num_classes]
    return names


def tsne_embedding(feats: np.ndarray, seed: int = 0,
                   perplexity: float = 30.,
                   max_iter: int = 1000,
                   normalize: bool = True) -> np.ndarray:
    """2-D t-SNE (PCA initialisation) of the features.

    Args:
        feats (np.ndarray): Features (N, D).
        seed (int): t-SNE seed. Defaults to 0.
        perplexity (float): Capped at (N - 1) / 3. Defaults to 30.
        max_iter (int): Optimisation steps (>= 250). Defaults to 1000.
        normalize (bool): L2-normalise the features first (cosine
            geometry, as KNN); False keeps the raw features, as the
            reference's plot does. Defaults to True.

    Returns:
        np.ndarray: Points (N, 2).
    """
    from sklearn.manifold import TSNE
    if normalize:
        feats = feats / np.maximum(
            np.linalg.norm(feats, axis=1, keepdims=True), 1e-12)
    perplexity = min(perplexity, max(2., (len(feats) - 1) / 3.))
    # Exact gradients are O(N^2) but much faster than Barnes-Hut on small
    # sets (whose threads also contend on a busy CPU).
    method = 'exact' if len(feats) <= 1000 else 'barnes_hut'
    return TSNE(n_components=2, perplexity=perplexity, init='pca',
                max_iter=max_iter, method=method,
                random_state=seed).fit_transform(feats)


def scatter_by_class(ax, points: np.ndarray, labels: np.ndarray,
                     names: List[str], legend: bool = True) -> None:
    """Scatter ``points`` (N, 2) coloured by class on ``ax``."""
    import matplotlib.pyplot as plt
    classes = np.unique(labels)
    cmap = plt.get_cmap('tab20' if len(classes) <= 20 else 'gist_ncar')
    for i, c in enumerate(classes):
        pts = points[labels == c]
        ax.scatter(pts[:, 0], pts[:, 1], s=6,
                   color=cmap(i / max(len(classes) - 1, 1)),
                   label=names[c] if c < len(names) else str(c))
    ax.set_xticks([])
    ax.set_yticks([])
    if legend and len(classes) <= 30:
        ax.legend(fontsize=6, markerscale=2, loc='center left',
                  bbox_to_anchor=(1., 0.5), frameon=False)
