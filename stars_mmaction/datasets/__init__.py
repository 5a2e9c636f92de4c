from . import transforms  # noqa: F401
from .skeleton_dataset import AnnotationError, SkeletonPoseDataset
from .subsets import (count_distinct_labelled, count_optimizer_steps,
                      rank_subset_seed, select_classes, select_subset,
                      subset_indices)

__all__ = [
    'AnnotationError', 'SkeletonPoseDataset', 'count_distinct_labelled',
    'count_optimizer_steps',
    'rank_subset_seed', 'select_classes', 'select_subset', 'subset_indices',
    'transforms'
]
