from .crop_resize import ValidFrameCropResize
from .multi_view import SkeletonMultiView
from .pad_raw import PadRawSkeleton
from .pre_normalize import FastPreNormalize3D
from .spatial import RandomSkeletonMirror, RandomSkeletonRotation

__all__ = [
    'FastPreNormalize3D', 'PadRawSkeleton', 'RandomSkeletonMirror',
    'RandomSkeletonRotation', 'SkeletonMultiView', 'ValidFrameCropResize'
]
