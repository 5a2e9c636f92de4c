"""Batched k-nearest-neighbour classification of encoder features."""
from typing import Dict, Optional, Sequence

import torch
import torch.nn.functional as F
from torch import Tensor

WEIGHTINGS = ('uniform', 'exp')


def check_neighbour_counts(ks: Sequence[int], num_train: int) -> None:
    """Raise ``ValueError`` unless every k is in ``[1, num_train]``.

    Args:
        ks (Sequence[int]): Numbers of neighbours.
        num_train (int): Size of the training (bank) set.
    """
    if len(ks) == 0:
        raise ValueError('the list of k (numbers of neighbours) is empty')
    for k in ks:
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise ValueError(f'k must be a positive int, got {k!r}')
        if k > num_train:
            raise ValueError(f'k={k} exceeds the {num_train} samples of the '
                             'training split used as KNN bank')


def knn_predict(train_feats: Tensor,
                train_labels: Tensor,
                test_feats: Tensor,
                ks: Sequence[int] = (1, 2, 5, 10, 20, 40),
                num_classes: Optional[int] = None,
                weighting: str = 'uniform',
                temperature: float = 0.07,
                batch_size: int = 1024) -> Dict[int, Tensor]:
    """Classify test features by a vote of their nearest training features.

    Features are L2-normalised and compared by cosine similarity. Test rows
    are processed ``batch_size`` at a time, so the similarity matrix never
    exceeds ``batch_size x num_train`` (NTU-120: 1024 x 63k floats, 250 MB).
    The computation runs on the device of ``train_feats``.

    With ``weighting='uniform'`` each of the k neighbours has one vote, as in
    ``sklearn.neighbors.KNeighborsClassifier(metric='cosine')``: a tie
    between classes goes to the smallest label. ``'exp'`` weighs a neighbour
    by ``exp(similarity / temperature)`` (the weighted KNN of InstDisc and
    the STARS reference).

    Args:
        train_feats (Tensor): Bank features of shape (N, D).
        train_labels (Tensor): Bank labels of shape (N, ), ints >= 0.
        test_feats (Tensor): Query features of shape (Q, D).
        ks (Sequence[int]): Numbers of neighbours, each in [1, N].
            Defaults to (1, 2, 5, 10, 20, 40).
        num_classes (int, optional): Number of classes. Defaults to None
            (the largest bank label + 1).
        weighting (str): ``'uniform'`` or ``'exp'``. Defaults to
            ``'uniform'``.
        temperature (float): Temperature of the ``'exp'`` weighting.
            Defaults to 0.07.
        batch_size (int): Test rows per similarity block. Defaults to 1024.

    Returns:
        Dict[int, Tensor]: For each k, the predicted labels (Q, ).
    """
    if train_feats.dim() != 2 or test_feats.dim() != 2:
        raise ValueError('features must be 2-D (num_samples, dims), got '
                         f'bank {tuple(train_feats.shape)} and queries '
                         f'{tuple(test_feats.shape)}')
    if train_feats.shape[1] != test_feats.shape[1]:
        raise ValueError(f'bank features have {train_feats.shape[1]} dims '
                         f'but queries have {test_feats.shape[1]}')
    if train_labels.shape != train_feats.shape[:1]:
        raise ValueError(f'{train_feats.shape[0]} bank features but labels '
                         f'of shape {tuple(train_labels.shape)}')
    if train_feats.shape[0] == 0:
        raise ValueError('the KNN bank (training split) is empty')
    if test_feats.shape[0] == 0:
        raise ValueError('the KNN query set (test split) is empty')
    if weighting not in WEIGHTINGS:
        raise ValueError(f'weighting must be one of {WEIGHTINGS}, got '
                         f'{weighting!r}')
    if batch_size < 1:
        raise ValueError(f'batch_size must be >= 1, got {batch_size}')
    check_neighbour_counts(ks, train_feats.shape[0])
    device = train_feats.device
    train_labels = train_labels.to(device=device, dtype=torch.long)
    if num_classes is None:
        num_classes = int(train_labels.max()) + 1
    bank = F.normalize(train_feats, dim=1)
    max_k = max(ks)
    preds = {k: [] for k in ks}
    for start in range(0, test_feats.shape[0], batch_size):
        queries = F.normalize(test_feats[start:start + batch_size].to(bank),
                              dim=1)
        sims, idx = (queries @ bank.T).topk(max_k, dim=1)  # sorted, desc.
        labels = train_labels[idx]
        if weighting == 'uniform':
            weights = torch.ones_like(sims)
        else:
            weights = (sims / temperature).exp()
        for k in ks:
            votes = sims.new_zeros(len(queries), num_classes)
            votes.scatter_add_(1, labels[:, :k], weights[:, :k])
            # argmax returns the first maximum: ties go to the smallest label.
            preds[k].append(votes.argmax(dim=1))
    return {k: torch.cat(p) for k, p in preds.items()}
