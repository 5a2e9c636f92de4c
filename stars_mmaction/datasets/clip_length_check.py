"""Refuse a clip length or crop size that does not fit a data set.

:class:`~stars_mmaction.datasets.transforms.ValidFrameCropResize` resizes
any valid window to ``clip_len`` frames and clamps a random crop to at least
``min_crop`` frames. Both are right for single short samples (the reference
stretches them too), but when they hold for the whole data set they are a
config left at another data set's values: a data set of 24-frame windows
stretched five times to 120 frames, or a ``min_crop`` at or above every
sequence's length, which turns random cropping off.
"""
from typing import Iterator, List

from .transforms.crop_resize import ValidFrameCropResize

__all__ = ['crop_transforms', 'longest_sequence', 'check_clip_lengths']


def crop_transforms(pipeline) -> Iterator[ValidFrameCropResize]:
    """Every :class:`ValidFrameCropResize` of a built pipeline, nested views
    (``SkeletonMultiView``) included."""
    # mmengine's and mmcv's Compose both keep their list in ``transforms``
    for transform in getattr(pipeline, 'transforms', None) or []:
        if isinstance(transform, ValidFrameCropResize):
            yield transform
        inner = getattr(transform, 'pipeline', None)
        if inner is not None:
            yield from crop_transforms(inner)


def longest_sequence(dataset, at_least: int) -> int:
    """Frames of the longest sample, stopping early at ``at_least``."""
    longest = 0
    for idx in range(len(dataset)):
        info = dataset.get_data_info(idx)
        frames = int(info.get('total_frames', info['keypoint'].shape[1]))
        longest = max(longest, frames)
        if longest >= at_least:
            break
    return longest


def check_clip_lengths(dataset, where: str) -> List[str]:
    """Problems of a built skeleton data set's crop transforms.

    Args:
        dataset: A built data set with ``pipeline`` and ``get_data_info``
            (wrappers with a ``dataset`` attribute are unwrapped).
        where (str): The dataloader key, for the message.

    Returns:
        list[str]: One message per problem, naming the key to change.
    """
    while not hasattr(dataset, 'pipeline') and hasattr(dataset, 'dataset'):
        dataset = dataset.dataset
    crops = list(crop_transforms(getattr(dataset, 'pipeline', None)))
    if not crops or len(dataset) == 0:
        return []
    need = max(max(c.clip_len, c.min_crop + 1) for c in crops)
    longest = longest_sequence(dataset, need)
    source = getattr(dataset, 'ann_file', '?')
    problems = []
    for crop in crops:
        if longest < crop.clip_len:
            problems.append(
                f'{where}: every sample of {source} has at most {longest} '
                f'frames but ValidFrameCropResize.clip_len={crop.clip_len}: '
                'each would be stretched. Set clip_len to the data set\'s '
                'frame count (the `clip_len` variable and the keys it feeds)')
        if len(crop.p_interval) == 2 and crop.min_crop >= longest:
            problems.append(
                f'{where}: ValidFrameCropResize.min_crop={crop.min_crop} is '
                f'at or above the longest sequence of {source} ({longest} '
                'frames), so random cropping never happens. Set min_crop '
                f'below {longest} in that pipeline')
    return problems
