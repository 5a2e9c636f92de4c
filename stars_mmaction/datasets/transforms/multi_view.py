"""Several independently transformed views of one sequence."""
import copy
from typing import Dict, List, Union

import numpy as np
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform, Compose

from .sample_rng import SAMPLE_RNG_KEY


@TRANSFORMS.register_module()
class SkeletonMultiView(BaseTransform):
    """Apply ``transforms`` ``num_views`` times and stack the views as clips.

    The views are concatenated along time and ``num_clips`` is set, so that
    mmaction2's ``FormatGCNInput`` lays them out as clips of shape
    (num_views, M, T, V, C): the contrastive head's views.

    Required Keys:
        - keypoint

    Modified Keys:
        - keypoint
        - total_frames
        - num_clips

    Args:
        transforms (list[dict]): The per-view pipeline; it must end every view
            with the same number of frames and persons.
        num_views (int): Number of views. Defaults to 2.
    """

    def __init__(self, transforms: List[Union[dict, callable]],
                 num_views: int = 2) -> None:
        if num_views < 1:
            raise ValueError(f'num_views must be >= 1, got {num_views}')
        # Built from mmaction's registry so that no default scope is needed.
        self.pipeline = Compose([
            TRANSFORMS.build(t) if isinstance(t, dict) else t
            for t in transforms
        ])
        self.num_views = num_views

    def transform(self, results: Dict) -> Dict:
        views = [
            self.pipeline(self.copy_results(results))['keypoint']
            for _ in range(self.num_views)
        ]
        if len({view.shape for view in views}) != 1:
            raise ValueError('every view must have the same shape, got '
                             f'{[view.shape for view in views]}')
        results['keypoint'] = np.concatenate(views, axis=1)
        results['total_frames'] = results['keypoint'].shape[1]
        results['num_clips'] = self.num_views
        return results

    @staticmethod
    def copy_results(results: Dict) -> Dict:
        """A deep copy that shares the per-sample generator: a copied
        generator would repeat the same draws in every view."""
        rng = results.pop(SAMPLE_RNG_KEY, None)
        copied = copy.deepcopy(results)
        if rng is not None:
            results[SAMPLE_RNG_KEY] = rng
            copied[SAMPLE_RNG_KEY] = rng
        return copied

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(num_views={self.num_views}, '
                f'transforms={self.pipeline})')
