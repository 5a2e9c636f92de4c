from .batched_crop_resize import crop_resize, crop_windows, resize_indices
from .batched_pre_normalize import keep_frames, pre_normalize, valid_frames
from .batched_spatial import (mirror, mirror_permutation, rotate,
                              rotation_matrices)
from .counter_random import pcg_hash, uniform_from_keys
from .skeleton_aug_preprocessor import SkeletonAugDataPreprocessor

__all__ = [
    'SkeletonAugDataPreprocessor', 'crop_resize', 'crop_windows',
    'keep_frames', 'mirror', 'mirror_permutation', 'pcg_hash',
    'pre_normalize', 'resize_indices', 'rotate', 'rotation_matrices',
    'uniform_from_keys', 'valid_frames'
]
