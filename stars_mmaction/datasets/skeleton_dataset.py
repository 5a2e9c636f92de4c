"""mmaction2's ``PoseDataset`` with the checks a long run needs up front."""
import os
import os.path as osp
import pickle
from typing import Callable, Dict, List, Optional, Sequence, Union

import numpy as np
from mmaction.datasets import PoseDataset
from mmaction.registry import DATASETS

from .subsets import select_classes, select_subset


class AnnotationError(ValueError):
    """A skeleton annotation file does not have the expected content."""


@DATASETS.register_module()
class SkeletonPoseDataset(PoseDataset):
    """3D skeleton dataset in mmaction2's pickle format, validated on load.

    Every sample is checked before training starts: the file must be a
    pickle holding ``split`` and ``annotations``, the split must exist, and
    each ``keypoint`` must be a finite (M, T, V, C) array with T >= 1,
    ``num_joints`` joints, ``num_coords`` coordinates and a label in
    ``[0, num_classes)``. Errors name the file, the sample (``frame_dir``)
    and what was expected.

    It can also keep a seeded fraction of the samples (semi-supervised
    protocols) or a subset of classes (few-shot protocols).

    Args:
        ann_file (str): Path of the annotation pickle.
        pipeline (list[dict | callable]): Data transforms.
        split (str, optional): Split to load, e.g. ``'xsub_train'``.
            Defaults to None (every annotation).
        num_joints (int): Expected joints per person. Defaults to 25.
        num_coords (int): Expected coordinates per joint. Defaults to 3.
        num_classes (int, optional): Labels must be below it. Defaults to
            None (not checked).
        subset_ratio (float, optional): Keep this fraction of the samples,
            e.g. 0.01 or 0.1. Defaults to None (all).
        subset_seed (int): Seed of the subset, identical on every rank.
            Defaults to 0.
        class_balanced (bool): Draw the subset per class. Defaults to False.
        classes (Sequence[int], optional): Keep only samples of these labels.
            Defaults to None (all).
        relabel (bool): With ``classes``, map labels to their position in
            ``classes``. Defaults to False.
        **kwargs: Passed to :class:`mmaction.datasets.PoseDataset`.
    """

    def __init__(self,
                 ann_file: str,
                 pipeline: List[Union[Dict, Callable]],
                 split: Optional[str] = None,
                 num_joints: int = 25,
                 num_coords: int = 3,
                 num_classes: Optional[int] = None,
                 subset_ratio: Optional[float] = None,
                 subset_seed: int = 0,
                 class_balanced: bool = False,
                 classes: Optional[Sequence[int]] = None,
                 relabel: bool = False,
                 **kwargs) -> None:
        if subset_ratio is not None and not 0 < subset_ratio <= 1:
            raise ValueError(
                f'subset_ratio must be in (0, 1], got {subset_ratio}')
        self.num_joints = num_joints
        self.num_coords = num_coords
        self.subset_ratio = subset_ratio
        self.subset_seed = subset_seed
        self.class_balanced = class_balanced
        self.classes = None if classes is None else [int(c) for c in classes]
        self.relabel = relabel
        super().__init__(
            ann_file, pipeline, split=split, num_classes=num_classes,
            **kwargs)

    def read_annotation_file(self) -> Dict:
        """Load the pickle with errors that name the file."""
        if not osp.isfile(self.ann_file):
            where = '' if osp.isabs(self.ann_file) else (
                ' (a relative path, resolved against the current folder '
                f'{os.getcwd()}: run from the folder that holds it or give '
                'an absolute path)')
            raise FileNotFoundError(
                f'annotation file {self.ann_file} does not exist{where}; '
                'generate the demo data with `python '
                'tools/data/make_demo_dataset.py` or convert a data set with '
                'the tools in tools/data/')
        try:
            with open(self.ann_file, 'rb') as f:
                content = pickle.load(f)
        except (pickle.UnpicklingError, EOFError, AttributeError, ValueError,
                ImportError, IndexError) as err:
            raise AnnotationError(
                f'annotation file {self.ann_file} is not a readable pickle '
                f'({type(err).__name__}: {err}); it may be truncated') from err
        if not isinstance(content, dict) or 'annotations' not in content:
            raise AnnotationError(
                f'annotation file {self.ann_file} must hold a dict with keys '
                "'split' and 'annotations' (mmaction2's skeleton format), "
                f'got {self._describe(content)}')
        if self.split is not None and 'split' not in content:
            raise AnnotationError(
                f'annotation file {self.ann_file} has no \'split\' key but '
                f'split={self.split!r} was requested')
        return content

    @staticmethod
    def _describe(content) -> str:
        if isinstance(content, dict):
            return f'a dict with keys {sorted(map(str, content))}'
        return f'a {type(content).__name__}'

    def load_data_list(self) -> List[Dict]:
        """Load, split, validate and optionally subsample the annotations."""
        content = self.read_annotation_file()
        annotations = content['annotations']
        if self.split is not None:
            splits = content['split']
            if self.split not in splits:
                raise AnnotationError(
                    f'split {self.split!r} is not in {self.ann_file}; '
                    f'available splits: {sorted(splits)}')
            names = set(splits[self.split])
            annotations = [
                a for a in annotations if a.get('frame_dir') in names
            ]
        if not annotations:
            raise AnnotationError(
                f'split {self.split!r} of {self.ann_file} has no samples')
        for annotation in annotations:
            self.check_annotation(annotation)
        if self.classes is not None:
            annotations = select_classes(annotations, self.classes,
                                         self.relabel)
        if self.subset_ratio is not None:
            annotations = select_subset(annotations, self.subset_ratio,
                                        self.subset_seed, self.class_balanced)
        return annotations

    def check_annotation(self, annotation: Dict) -> None:
        """Raise :class:`AnnotationError` unless the sample is usable.

        Args:
            annotation (dict): One entry of ``annotations``.
        """
        name = annotation.get('frame_dir', '?')
        where = f'sample {name!r} of {self.ann_file}'
        for key in ('frame_dir', 'label', 'keypoint'):
            if key not in annotation:
                raise AnnotationError(f'{where} has no {key!r} key')
        keypoint = annotation['keypoint']
        if not isinstance(keypoint, np.ndarray) or keypoint.ndim != 4:
            shape = getattr(keypoint, 'shape', type(keypoint).__name__)
            raise AnnotationError(
                f'{where}: keypoint must be an array of shape (M, T, V, C), '
                f'got {shape}')
        M, T, V, C = keypoint.shape
        if T == 0 or M == 0:
            raise AnnotationError(f'{where} is empty: keypoint shape '
                                  f'{keypoint.shape}, expected M, T >= 1')
        if V != self.num_joints or C != self.num_coords:
            raise AnnotationError(
                f'{where}: keypoint has {V} joints x {C} coordinates, '
                f'expected {self.num_joints} x {self.num_coords}')
        if not np.isfinite(keypoint).all():
            frames = np.unique(np.nonzero(~np.isfinite(keypoint))[1])
            raise AnnotationError(
                f'{where}: keypoint has NaN or infinite coordinates in '
                f'frames {frames[:10].tolist()}')
        total = annotation.get('total_frames', T)
        if total != T:
            raise AnnotationError(
                f'{where}: total_frames={total} but keypoint has {T} frames')
        label = annotation['label']
        if not isinstance(label, (int, np.integer)) or label < 0 or (
                self.num_classes is not None and label >= self.num_classes):
            expected = (f'[0, {self.num_classes})'
                        if self.num_classes is not None else '>= 0')
            raise AnnotationError(
                f'{where}: label {label!r} out of range, expected an int in '
                f'{expected}')
