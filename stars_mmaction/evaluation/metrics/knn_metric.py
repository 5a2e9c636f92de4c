"""KNN accuracy of the pooled encoder feature (``data_sample.feature``)."""
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch
from mmaction.registry import METRICS
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger
from torch import Tensor

from ..functional import (check_neighbour_counts, confusion_matrix,
                          knn_predict, load_class_names,
                          write_confusion_matrix)
from .feature_record import feature_record


@METRICS.register_module()
class KNNMetric(BaseMetric):
    """Top-1 accuracy of a k-nearest-neighbour vote over training features.

    The test split's features are collected by :meth:`process` (gathered
    from every rank in dataset order by mmengine); the training split's
    features (the bank) are handed over by :meth:`set_bank`, which
    :class:`~stars_mmaction.engine.KNNTestLoop` calls before the test split
    runs. Metrics are ``knn/top1_k{k}`` in percent, as the papers (the
    project's unit, :mod:`stars_mmaction.evaluation.units`).

    Args:
        topk_neighbours (Sequence[int]): Values of k. Defaults to
            (1, 2, 5, 10, 20, 40).
        weighting (str): ``'uniform'`` (majority vote) or ``'exp'``
            (votes weighed by ``exp(similarity / temperature)``). Defaults
            to ``'uniform'``.
        temperature (float): Temperature of the ``'exp'`` weighting.
            Defaults to 0.07.
        batch_size (int): Test rows per similarity block. Defaults to 1024.
        device (str): ``'auto'`` (GPU when there is one), ``'cpu'`` or
            ``'cuda'``. Defaults to ``'auto'``.
        num_classes (int, optional): Number of classes. Defaults to None
            (the largest label + 1).
        out_dir (str, optional): Where the confusion matrices and features
            are written. Defaults to None (nothing written).
        confusion_k (Sequence[int]): For each of these k, write
            ``confusion_k{k}.csv`` and ``.png`` to ``out_dir``. Defaults to
            () (none).
        label_map (str, optional): Class names for the confusion plots, one
            per line. Defaults to None (class indices).
        dump_features (bool): Write ``features.npz`` (``train_features``,
            ``train_labels``, ``test_features``, ``test_labels``) to
            ``out_dir``. Defaults to False.
        collect_device (str): ``'cpu'`` or ``'gpu'``, for gathering results
            across ranks. Defaults to ``'cpu'``.
        prefix (str, optional): Metric name prefix. Defaults to ``'knn'``.
    """
    default_prefix = 'knn'

    def __init__(self,
                 topk_neighbours: Sequence[int] = (1, 2, 5, 10, 20, 40),
                 weighting: str = 'uniform',
                 temperature: float = 0.07,
                 batch_size: int = 1024,
                 device: str = 'auto',
                 num_classes: Optional[int] = None,
                 out_dir: Optional[str] = None,
                 confusion_k: Sequence[int] = (),
                 label_map: Optional[str] = None,
                 dump_features: bool = False,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.topk_neighbours = [int(k) for k in topk_neighbours]
        check_neighbour_counts(self.topk_neighbours, num_train=2**62)
        unknown = set(confusion_k) - set(self.topk_neighbours)
        if unknown:
            raise ValueError(f'confusion_k {sorted(unknown)} must be among '
                             f'topk_neighbours {self.topk_neighbours}')
        if (confusion_k or dump_features) and out_dir is None:
            raise ValueError('confusion_k and dump_features need out_dir')
        if device not in ('auto', 'cpu', 'cuda'):
            raise ValueError(
                f"device must be 'auto', 'cpu' or 'cuda', got {device!r}")
        self.weighting = weighting
        self.temperature = temperature
        self.batch_size = batch_size
        self.device = device
        self.num_classes = num_classes
        self.out_dir = out_dir
        self.confusion_k = list(confusion_k)
        self.label_map = label_map
        self.dump_features = dump_features
        self.bank_feats: Optional[Tensor] = None
        self.bank_labels: Optional[Tensor] = None

    def set_bank(self, feats: Tensor, labels: Tensor) -> None:
        """Store the training split's features and labels.

        Args:
            feats (Tensor): Features of shape (N, D).
            labels (Tensor): Labels of shape (N, ).
        """
        if feats.shape[0] == 0:
            raise ValueError('the KNN bank (training split) is empty')
        check_neighbour_counts(self.topk_neighbours, feats.shape[0])
        self.bank_feats = feats
        self.bank_labels = labels

    def process(self, data_batch: Dict, data_samples: Sequence[Dict]) -> None:
        """Keep the feature and label of every test sample.

        Args:
            data_batch (dict): The batch from the dataloader.
            data_samples (Sequence[dict]): Outputs of the model, each with
                ``feature`` and ``gt_label``.
        """
        self.results.extend(
            feature_record(data_sample, 'KNNMetric')
            for data_sample in data_samples)

    def compute_metrics(self, results: List[Dict]) -> Dict[str, float]:
        """Vote over the bank for every test sample.

        Args:
            results (list[dict]): The gathered outputs of :meth:`process`.

        Returns:
            dict[str, float]: ``top1_k{k}`` for each k.
        """
        if self.bank_feats is None:
            raise RuntimeError(
                'KNNMetric has no bank: run it with `test_cfg = dict(type='
                "'KNNTestLoop', bank_dataloader=...)`, which extracts the "
                'training split first')
        if not results:
            raise ValueError('the KNN test split is empty')
        test_feats = torch.stack([r['feature'] for r in results])
        test_labels = torch.tensor([r['label'] for r in results])
        device = self.device
        if device == 'auto':
            device = 'cuda' if torch.cuda.is_available() else 'cpu'
        num_classes = self.num_classes or int(
            max(self.bank_labels.max(), test_labels.max())) + 1
        preds = knn_predict(self.bank_feats.to(device),
                            self.bank_labels.to(device),
                            test_feats.to(device),
                            ks=self.topk_neighbours,
                            num_classes=num_classes,
                            weighting=self.weighting,
                            temperature=self.temperature,
                            batch_size=self.batch_size)
        metrics = dict()
        for k, pred in preds.items():
            pred = pred.cpu()
            metrics[f'top1_k{k}'] = 100. * (
                pred == test_labels).float().mean().item()
            if k in self.confusion_k:
                self._write_confusion(k, pred.numpy(), test_labels.numpy(),
                                      num_classes)
        if self.dump_features:
            self._dump_features(test_feats, test_labels)
        return metrics

    def _write_confusion(self, k: int, preds: np.ndarray, labels: np.ndarray,
                         num_classes: int) -> None:
        stem = osp.join(self.out_dir, f'confusion_k{k}')
        write_confusion_matrix(
            confusion_matrix(preds, labels, num_classes),
            load_class_names(self.label_map, num_classes),
            stem + '.csv',
            stem + '.png',
            title=f'KNN confusion matrix (k={k}, {self.weighting} vote)')
        MMLogger.get_current_instance().info(
            f'KNN confusion matrix written to {stem}.csv and {stem}.png')

    def _dump_features(self, test_feats: Tensor, test_labels: Tensor) -> None:
        os.makedirs(self.out_dir, exist_ok=True)
        path = osp.join(self.out_dir, 'features.npz')
        np.savez(path,
                 train_features=self.bank_feats.cpu().numpy(),
                 train_labels=self.bank_labels.cpu().numpy(),
                 test_features=test_feats.numpy(),
                 test_labels=test_labels.numpy())
        MMLogger.get_current_instance().info(f'KNN features written to {path}')
