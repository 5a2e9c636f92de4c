"""Few-shot accuracy of the pooled encoder feature (``data_sample.feature``).
"""
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch
from mmaction.registry import METRICS
from mmengine.evaluator import BaseMetric

from ..functional import few_shot_accuracies
from .feature_record import feature_record


@METRICS.register_module()
class FewShotMetric(BaseMetric):
    """Nearest-support accuracy over seeded N-way K-shot episodes.

    The samples of the evaluated split (restrict it to the novel classes
    with ``SkeletonPoseDataset(classes=...)``) are split per episode into
    ``shot`` support samples per class and queries (all the others); each
    query takes the label of its most similar support feature (cosine).
    Episode ``e`` of shot ``s`` is drawn from ``numpy.random.default_rng(
    [seed, s, e])``, so every number is reproducible. Metrics (percent):
    ``fewshot/{s}shot`` (mean over episodes), ``fewshot/{s}shot_std`` and
    ``fewshot/avg`` (mean over shots, the "Few-shot Avg").

    Args:
        shots (Sequence[int]): Support samples per class. Defaults to
            (1, 2, 5).
        num_episodes (int): Episodes per shot. Defaults to 200.
        seed (int): Seed of the episodes. Defaults to 0.
        classes (Sequence[int], optional): Keep only samples with these
            labels. Defaults to None (every sample).
        device (str): ``'auto'`` (GPU when there is one), ``'cpu'`` or
            ``'cuda'``. Defaults to ``'auto'``.
        collect_device (str): ``'cpu'`` or ``'gpu'``. Defaults to ``'cpu'``.
        prefix (str, optional): Metric name prefix. Defaults to
            ``'fewshot'``.
    """
    default_prefix = 'fewshot'

    def __init__(self,
                 shots: Sequence[int] = (1, 2, 5),
                 num_episodes: int = 200,
                 seed: int = 0,
                 classes: Optional[Sequence[int]] = None,
                 device: str = 'auto',
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        if not shots or any(int(s) < 1 for s in shots):
            raise ValueError(f'shots must be positive ints, got {shots}')
        if num_episodes < 1:
            raise ValueError(f'num_episodes must be >= 1, got {num_episodes}')
        if device not in ('auto', 'cpu', 'cuda'):
            raise ValueError(
                f"device must be 'auto', 'cpu' or 'cuda', got {device!r}")
        self.shots = [int(s) for s in shots]
        self.num_episodes = num_episodes
        self.seed = seed
        self.classes = None if classes is None else {int(c) for c in classes}
        self.device = device

    def process(self, data_batch: Dict, data_samples: Sequence[Dict]) -> None:
        """Keep the feature and label of every sample.

        Args:
            data_batch (dict): The batch from the dataloader.
            data_samples (Sequence[dict]): Outputs of the model, each with
                ``feature`` and ``gt_label``.
        """
        self.results.extend(
            feature_record(data_sample, 'FewShotMetric')
            for data_sample in data_samples)

    def compute_metrics(self, results: List[Dict]) -> Dict[str, float]:
        """Run the episodes.

        Args:
            results (list[dict]): The gathered outputs of :meth:`process`.

        Returns:
            dict[str, float]: Mean and std per shot, and their average
            (percent).
        """
        if self.classes is not None:
            results = [r for r in results if r['label'] in self.classes]
        if not results:
            raise ValueError('the few-shot split has no sample of classes '
                             f'{sorted(self.classes or [])}')
        device = self.device
        if device == 'auto':
            device = 'cuda' if torch.cuda.is_available() else 'cpu'
        feats = torch.stack([r['feature'] for r in results]).to(device)
        labels = torch.tensor([r['label'] for r in results], device=device)
        accuracies = few_shot_accuracies(feats, labels, self.shots,
                                         self.num_episodes, self.seed)
        metrics = dict()
        for shot, accs in accuracies.items():
            percent = 100. * accs  # the project's unit
            metrics[f'{shot}shot'] = float(percent.mean())
            metrics[f'{shot}shot_std'] = float(percent.std())
        metrics['avg'] = float(
            np.mean([metrics[f'{s}shot'] for s in self.shots]))
        return metrics
