from .crop_resize import ValidFrameCropResize
from .multi_view import SkeletonMultiView
from .spatial import RandomSkeletonMirror, RandomSkeletonRotation

__all__ = [
    'RandomSkeletonMirror', 'RandomSkeletonRotation', 'SkeletonMultiView',
    'ValidFrameCropResize'
]
