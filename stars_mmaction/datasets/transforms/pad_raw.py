"""The loader's half of the batched data path: pad, count, seed."""
from typing import Dict

import numpy as np
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform

from .crop_resize import num_valid_frames
from .sample_rng import sample_rng

# Augmentation keys are drawn in [0, 2**63 - 1): any int64 is a valid key.
AUG_KEY_HIGH = 2**63 - 1


@TRANSFORMS.register_module()
class PadRawSkeleton(BaseTransform):
    """Pad a (pre-normalised) sequence to ``max_frames`` with zeros and keep
    what the batched augmentation needs.

    The loader half of the batched data path: the crop, resize, rotation,
    mirror and views run later, batched on the model's device, in
    :class:`~stars_mmaction.models.SkeletonAugDataPreprocessor`. Put it
    where the per-sample pipeline has ``ValidFrameCropResize``, followed by
    ``FormatGCNInput`` and ``PackActionInputs`` with ``'valid_len'`` and
    ``'aug_key'`` among its ``meta_keys``.

    ``valid_len`` is ``ValidFrameCropResize``'s count of valid frames
    (:func:`num_valid_frames`), so the crop covers the same frames.
    ``aug_key`` is one draw from the sample's generator (seeded by (seed,
    epoch, index) under ``EpochIndexSampler``); the device derives all the
    sample's random numbers from it, so they do not depend on the data
    worker, the batch or the sample's place in it.

    Required Keys:
        - keypoint (M, T, V, C)

    Modified Keys:
        - keypoint (M, max_frames, V, C), float32
        - total_frames

    Added Keys:
        - valid_len
        - aug_key

    Args:
        max_frames (int): Frames of every padded sequence; a longer sample
            is an error. Defaults to 300 (NTU RGB+D's longest).
    """

    def __init__(self, max_frames: int = 300) -> None:
        if max_frames < 1:
            raise ValueError(f'max_frames must be positive, got {max_frames}')
        self.max_frames = max_frames

    def transform(self, results: Dict) -> Dict:
        keypoint = results['keypoint']
        name = results.get('frame_dir', '?')
        if keypoint.ndim != 4:
            raise ValueError(
                f'PadRawSkeleton expects keypoint (M, T, V, C) of sample '
                f'{name!r}, got shape {keypoint.shape}: put it before '
                'FormatGCNInput')
        num_persons, num_frames = keypoint.shape[:2]
        if num_frames > self.max_frames:
            raise ValueError(
                f'sample {name!r} has {num_frames} frames, more than '
                f'PadRawSkeleton(max_frames={self.max_frames}): raise '
                'max_frames to at least the longest sequence of the data')
        valid = num_valid_frames(keypoint)
        if valid == 0:
            raise ValueError(
                f'sample {name!r} has no frame with a non-zero joint: '
                'expected at least one valid frame')
        padded = np.zeros((num_persons, self.max_frames) + keypoint.shape[2:],
                          dtype=np.float32)
        padded[:, :num_frames] = keypoint
        results['keypoint'] = padded
        results['total_frames'] = self.max_frames
        results['valid_len'] = valid
        results['aug_key'] = int(sample_rng(results).integers(0, AUG_KEY_HIGH))
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(max_frames={self.max_frames})'
