from . import transforms  # noqa: F401
from .samplers import (EpochIndexSampler, EpochSampleIndex,
                       sample_random_state)
from .skeleton_dataset import AnnotationError, SkeletonPoseDataset
from .subsets import select_classes, select_subset

__all__ = [
    'AnnotationError', 'EpochIndexSampler', 'EpochSampleIndex',
    'SkeletonPoseDataset', 'sample_random_state', 'select_classes',
    'select_subset', 'transforms'
]
