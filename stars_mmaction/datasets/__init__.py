from . import transforms  # noqa: F401
from .clip_length_check import check_clip_lengths
from .skeleton_dataset import AnnotationError, SkeletonPoseDataset
from .subsets import select_classes, select_subset

__all__ = [
    'AnnotationError', 'SkeletonPoseDataset', 'check_clip_lengths', 'select_classes',
    'select_subset', 'transforms'
]
