from . import transforms  # noqa: F401
from .skeleton_dataset import AnnotationError, SkeletonPoseDataset
from .subsets import select_classes, select_subset

__all__ = [
    'AnnotationError', 'SkeletonPoseDataset', 'select_classes',
    'select_subset', 'transforms'
]
