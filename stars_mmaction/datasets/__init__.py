from . import transforms  # noqa: F401
from .clip_length_check import check_clip_lengths
from .samplers import (EpochIndexSampler, EpochSampleIndex,
                       sample_random_state)
from .skeleton_dataset import AnnotationError, SkeletonPoseDataset
from .subsets import (count_distinct_labelled, count_optimizer_steps,
                      rank_subset_seed, select_classes, select_subset,
                      subset_indices)

__all__ = [
    'AnnotationError', 'EpochIndexSampler', 'EpochSampleIndex',
    'SkeletonPoseDataset', 'check_clip_lengths', 'count_distinct_labelled',
    'count_optimizer_steps', 'rank_subset_seed', 'sample_random_state',
    'select_classes', 'select_subset', 'subset_indices', 'transforms'
]
