from .few_shot_metric import FewShotMetric
from .knn_metric import KNNMetric

__all__ = ['FewShotMetric', 'KNNMetric']
