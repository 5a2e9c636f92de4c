"""mmaction2's ``PoseDataset`` with the checks a long run needs up front."""
import os
import os.path as osp
import pickle
from typing import Callable, Dict, List, Optional, Sequence, Union

import numpy as np
from mmaction.datasets import PoseDataset
from mmaction.registry import DATASETS
from mmengine.dist import get_dist_info

from .samplers import EpochSampleIndex, sample_random_state
from .subsets import rank_subset_seed, select_classes, select_subset
from .transforms.sample_rng import SAMPLE_RNG_KEY


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

    Given an :class:`EpochSampleIndex` (``EpochIndexSampler``), a sample's
    augmentations are drawn from a generator seeded by (seed, epoch, index),
    put in the transforms' input as ``sample_rng``, so they do not depend
    on the data worker's random state.

    It can also keep a seeded fraction of the samples (semi-supervised
    protocols) or a subset of classes (few-shot protocols).

    Args:
        ann_file (str): Path of the annotation pickle.
        pipeline (list[dict | callable]): Data transforms.
        split (str, optional): Split to load, e.g. ``'xsub_train'``.
            Defaults to None (every annotation).
        num_joints (int): Expected joints per person. Defaults to 25.
        num_coords (int): Expected coordinates per joint; only 3 (3D
            skeletons) is supported: the 3D pipeline (``PreNormalize3D``,
            rotations) and the encoder need x, y, z. Defaults to 3.
        max_persons (int): Most persons per sample; mmaction2's
            ``PreNormalize3D`` handles 1 or 2. Defaults to 2.
        num_classes (int, optional): Labels must be below it. Defaults to
            None (not checked).
        subset_ratio (float, optional): Keep this fraction of the samples,
            e.g. 0.01 or 0.1. Defaults to None (all).
        subset_seed (int): Seed of the subset. Defaults to 0.
        subset_draw (str): ``'shared'``: every rank draws the same subset
            with ``subset_seed`` (exactly ``subset_ratio`` of the data).
            ``'per_rank'``: rank ``r`` draws its own with ``subset_seed +
            r``, as the reference code's multi-GPU runs do (about ``world
            size x`` the labelled data; for comparisons only). Defaults to
            ``'shared'``.
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
                 max_persons: int = 2,
                 num_classes: Optional[int] = None,
                 subset_ratio: Optional[float] = None,
                 subset_seed: int = 0,
                 subset_draw: str = 'shared',
                 class_balanced: bool = False,
                 classes: Optional[Sequence[int]] = None,
                 relabel: bool = False,
                 **kwargs) -> None:
        if subset_ratio is not None and not 0 < subset_ratio <= 1:
            raise ValueError(
                f'subset_ratio must be in (0, 1], got {subset_ratio}')
        if num_coords != 3:
            raise ValueError(
                f'num_coords={num_coords}: only 3D skeletons (num_coords=3) '
                'are supported; 2D keypoints would fail in PreNormalize3D, '
                'the rotations and the 3-channel encoder')
        self.num_joints = num_joints
        self.num_coords = num_coords
        self.max_persons = max_persons
        self._sample_rng: Optional[np.random.Generator] = None
        self.subset_ratio = subset_ratio
        self.subset_seed = subset_seed
        rank_subset_seed(subset_seed, subset_draw, 0)  # checks subset_draw
        self.subset_draw = subset_draw
        self.class_balanced = class_balanced
        self.classes = None if classes is None else [int(c) for c in classes]
        self.relabel = relabel
        super().__init__(
            ann_file, pipeline, split=split, num_classes=num_classes,
            **kwargs)

    def __getitem__(self, idx: int) -> Dict:
        """The transformed sample, seeded by the index's tags if it has
        them."""
        if not isinstance(idx, EpochSampleIndex):
            return super().__getitem__(idx)
        with sample_random_state(idx) as rng:
            self._sample_rng = rng
            try:
                return super().__getitem__(int(idx))
            finally:
                self._sample_rng = None

    def get_data_info(self, idx: int) -> Dict:
        """The sample's annotation, with its generator when it has one."""
        info = super().get_data_info(idx)
        if self._sample_rng is not None:
            info[SAMPLE_RNG_KEY] = self._sample_rng
        return info

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
        if not isinstance(annotations, (list, tuple)) or not all(
                isinstance(a, dict) for a in annotations):
            raise AnnotationError(
                f"annotation file {self.ann_file}: 'annotations' must be a "
                'list of dicts (one per sample), got '
                f'{self._describe(annotations)}' +
                ('' if not isinstance(annotations, (list, tuple)) else
                 ' holding ' + ', '.join(sorted(
                     {type(a).__name__ for a in annotations}))))
        self.check_unique_names(
            [a.get('frame_dir') for a in annotations], 'annotations')
        if self.split is not None:
            annotations = self.select_split(content['split'], annotations)
        if not annotations:
            raise AnnotationError(
                f'split {self.split!r} of {self.ann_file} has no samples')
        for annotation in annotations:
            self.check_annotation(annotation)
        if self.classes is not None:
            annotations = select_classes(annotations, self.classes,
                                         self.relabel)
        if self.subset_ratio is not None:
            seed = rank_subset_seed(self.subset_seed, self.subset_draw,
                                    get_dist_info()[0])
            annotations = select_subset(annotations, self.subset_ratio, seed,
                                        self.class_balanced)
        return annotations

    def select_split(self, splits, annotations: List[Dict]) -> List[Dict]:
        """The annotations that ``splits[self.split]`` names.

        Every name must be listed once and have an annotation: a missing
        sample would otherwise be dropped silently and a repeated one
        trained on twice.
        """
        if not isinstance(splits, dict):
            raise AnnotationError(
                f"annotation file {self.ann_file}: 'split' must be a dict "
                f'mapping split names to lists of frame_dir, got a '
                f'{type(splits).__name__}')
        if self.split not in splits:
            raise AnnotationError(
                f'split {self.split!r} is not in {self.ann_file}; '
                f'available splits: {sorted(splits)}')
        names = splits[self.split]
        if isinstance(names, (str, bytes)) or not hasattr(names, '__iter__'):
            raise AnnotationError(
                f'split {self.split!r} of {self.ann_file} must be a list of '
                f'frame_dir names, got a {type(names).__name__}')
        names = list(names)
        self.check_unique_names(names, f'split {self.split!r}')
        by_name = {a.get('frame_dir'): a for a in annotations}
        missing = [n for n in names if n not in by_name]
        if missing:
            raise AnnotationError(
                f'split {self.split!r} of {self.ann_file} lists '
                f'{len(missing)} frame_dir(s) with no annotation: '
                f'{missing[:10]}' + (' (first 10)' if len(missing) > 10 else
                                     '') +
                '; expected every listed name among the annotations')
        wanted = set(names)
        return [a for a in annotations if a.get('frame_dir') in wanted]

    def check_unique_names(self, names: List, where: str) -> None:
        """Raise :class:`AnnotationError` if a ``frame_dir`` repeats."""
        seen, repeated = set(), []
        for name in names:
            if name in seen and name not in repeated:
                repeated.append(name)
            seen.add(name)
        if repeated:
            raise AnnotationError(
                f'{where} of {self.ann_file}: {len(repeated)} frame_dir(s) '
                f'appear more than once: {repeated[:10]}; expected each '
                'sample once')

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
        if M > self.max_persons:
            raise AnnotationError(
                f'{where}: keypoint has {M} persons, expected at most '
                f'{self.max_persons} (max_persons; PreNormalize3D handles 1 '
                'or 2): keep the main persons when converting')
        if V != self.num_joints or C != self.num_coords:
            raise AnnotationError(
                f'{where}: keypoint has {V} joints x {C} coordinates, '
                f'expected {self.num_joints} x {self.num_coords}')
        if not np.isfinite(keypoint).all():
            frames = np.unique(np.nonzero(~np.isfinite(keypoint))[1])
            raise AnnotationError(
                f'{where}: keypoint has NaN or infinite coordinates in '
                f'frames {frames[:10].tolist()}')
        if not keypoint.any():
            raise AnnotationError(
                f'{where}: every joint of every frame is zero, expected at '
                'least one non-zero joint')
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
