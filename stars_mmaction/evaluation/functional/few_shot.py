"""Seeded few-shot episodes classified by the nearest support feature."""
from typing import Dict, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor


def sample_episode(labels: np.ndarray, shot: int,
                   rng: np.random.Generator) -> Tuple[np.ndarray, np.ndarray]:
    """Draw ``shot`` support samples per class; the rest are queries.

    Every class present in ``labels`` takes part (N-way with N the number of
    classes), so the support and query sets partition the samples.

    Args:
        labels (np.ndarray): Labels of shape (S, ).
        shot (int): Support samples per class, >= 1.
        rng (np.random.Generator): Source of randomness.

    Returns:
        Tuple[np.ndarray, np.ndarray]: Sorted support and query indices.
    """
    if shot < 1:
        raise ValueError(f'shot must be >= 1, got {shot}')
    support = []
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        if len(members) <= shot:
            raise ValueError(
                f'class {int(label)} has {len(members)} samples: a '
                f'{shot}-shot episode needs at least one more as query')
        support.append(rng.choice(members, shot, replace=False))
    support = np.sort(np.concatenate(support))
    query = np.setdiff1d(np.arange(len(labels)), support)
    return support, query


def episode_rng(seed: int, shot: int, episode: int) -> np.random.Generator:
    """The generator of one episode, reproducible on its own.

    Args:
        seed (int): Seed of the whole evaluation.
        shot (int): Support samples per class.
        episode (int): Episode index.

    Returns:
        np.random.Generator: A generator seeded by the three numbers.
    """
    return np.random.default_rng([seed, shot, episode])


def nearest_support_accuracy(feats: Tensor, labels: Tensor,
                             support: np.ndarray, query: np.ndarray) -> float:
    """Accuracy of labelling each query by its most similar support sample.

    Args:
        feats (Tensor): L2-normalised features of shape (S, D).
        labels (Tensor): Labels of shape (S, ).
        support (np.ndarray): Support indices.
        query (np.ndarray): Query indices.

    Returns:
        float: Fraction of queries labelled correctly.
    """
    support_t = torch.as_tensor(support, device=feats.device)
    query_t = torch.as_tensor(query, device=feats.device)
    sims = feats[query_t] @ feats[support_t].T
    preds = labels[support_t][sims.argmax(dim=1)]
    return (preds == labels[query_t]).float().mean().item()


def few_shot_accuracies(feats: Tensor,
                        labels: Tensor,
                        shots: Sequence[int] = (1, 2, 5),
                        num_episodes: int = 200,
                        seed: int = 0) -> Dict[int, np.ndarray]:
    """Nearest-support accuracy of many seeded episodes for each shot.

    Args:
        feats (Tensor): Features of shape (S, D) (normalised here).
        labels (Tensor): Labels of shape (S, ).
        shots (Sequence[int]): Support samples per class. Defaults to
            (1, 2, 5).
        num_episodes (int): Episodes per shot. Defaults to 200.
        seed (int): Seed of the episodes. Defaults to 0.

    Returns:
        Dict[int, np.ndarray]: For each shot, the accuracies of its episodes.
    """
    if feats.dim() != 2 or feats.shape[0] != labels.shape[0]:
        raise ValueError(f'expected features (S, D) and labels (S, ), got '
                         f'{tuple(feats.shape)} and {tuple(labels.shape)}')
    if feats.shape[0] == 0:
        raise ValueError('the few-shot split has no samples')
    if num_episodes < 1:
        raise ValueError(f'num_episodes must be >= 1, got {num_episodes}')
    feats = F.normalize(feats, dim=1)
    labels_np = labels.cpu().numpy()
    if len(np.unique(labels_np)) < 2:
        raise ValueError('few-shot evaluation needs at least 2 classes, got '
                         f'labels {np.unique(labels_np).tolist()}')
    results = dict()
    for shot in shots:
        results[shot] = np.array([
            nearest_support_accuracy(
                feats, labels,
                *sample_episode(labels_np, shot,
                                episode_rng(seed, shot, episode)))
            for episode in range(num_episodes)
        ])
    return results
