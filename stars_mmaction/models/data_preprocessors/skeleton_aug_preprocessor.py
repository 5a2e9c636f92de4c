"""The model's half of the batched data path: augment on the device."""
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
from mmaction.models import ActionDataPreprocessor
from mmaction.registry import MODELS
from mmaction.utils import SampleList
from torch import Tensor

from ...datasets.transforms.crop_resize import check_p_interval
from ...datasets.transforms.spatial import NTU_FLIP_PAIRS, check_max_angle
from .batched_crop_resize import crop_resize, crop_windows
from .batched_pre_normalize import pre_normalize, valid_frames
from .batched_spatial import mirror, mirror_permutation, rotate
from .counter_random import uniform_from_keys

# Draws of one view: crop ratio, crop start, 3 angles, mirror.
DRAWS_PER_VIEW = 8
CROP_RATIO, CROP_START, ANGLE_X, MIRROR = 0, 1, 2, 5


@MODELS.register_module()
class SkeletonAugDataPreprocessor(ActionDataPreprocessor):
    """Crop, resize, mirror, rotate and make views of a padded batch, in
    torch on the model's device.

    The device half of the batched data path; the loader half is
    ``PadRawSkeleton`` (padded sequences with ``valid_len`` and ``aug_key``
    in the metainfo). In training, each of ``num_views`` views is the valid
    frames cropped and resized to ``clip_len`` (``ValidFrameCropResize``),
    then mirrored with probability ``mirror_prob``
    (``RandomSkeletonMirror``), then rotated by angles uniform in
    ``[-max_angle, max_angle]`` about x, y and z
    (``RandomSkeletonRotation``): the
    per-sample transforms' distributions. A sample's random numbers are
    counter-based hashes of its ``aug_key``, which its (seed, epoch, index)
    generator drew, so they are the same whatever the batch and the worker.
    Outside training one view is made with the crop ``eval_p_interval`` and
    no rotation or mirror; inputs already clipped by a per-sample pipeline
    (no ``valid_len``) are then passed through.

    Args:
        clip_len (int): Frames of every clip. Defaults to 120.
        p_interval (Sequence[float]): Training crop, ``(low, high)`` or
            ``(p,)`` as in ``ValidFrameCropResize``. Defaults to (0.5, 1.0).
        min_crop (int): Shortest random crop. Defaults to 64.
        max_angle (float | Sequence[float]): Largest rotation angle in
            radians, for every axis or for x, y and z as in
            ``RandomSkeletonRotation``; 0 turns the rotation off.
            Defaults to 0.
        mirror_prob (float): Probability of mirroring. Defaults to 0.
        num_views (int): Views per sample (the clips axis). Defaults to 1.
        eval_p_interval (Sequence[float]): The crop outside training.
            Defaults to (0.95,).
        flip_pairs (Sequence[tuple[int, int]]): Joints swapped by the
            mirror. Defaults to NTU RGB+D's.
        mirror_axis (int): Coordinate negated by the mirror. Defaults to 0.
        pre_normalize (bool): Run ``PreNormalize3D(align_spine=False,
            align_shoulder=False)`` here, batched, on raw padded sequences
            (then the valid frames are counted here too), instead of in
            the loader. Defaults to False.
        **kwargs: Passed to mmaction2's ``ActionDataPreprocessor``.
    """

    def __init__(self,
                 clip_len: int = 120,
                 p_interval: Sequence[float] = (0.5, 1.0),
                 min_crop: int = 64,
                 max_angle: Union[float, Sequence[float]] = 0.,
                 mirror_prob: float = 0.,
                 num_views: int = 1,
                 eval_p_interval: Sequence[float] = (0.95, ),
                 flip_pairs: Sequence[Tuple[int, int]] = NTU_FLIP_PAIRS,
                 mirror_axis: int = 0,
                 pre_normalize: bool = False,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.p_interval = check_p_interval(p_interval)
        self.eval_p_interval = check_p_interval(eval_p_interval,
                                                 'eval_p_interval')
        if clip_len < 1 or min_crop < 1 or num_views < 1:
            raise ValueError(
                f'clip_len ({clip_len}), min_crop ({min_crop}) and '
                f'num_views ({num_views}) must be positive')
        self.max_angles = torch.from_numpy(check_max_angle(max_angle))
        if not 0 <= mirror_prob <= 1:
            raise ValueError(f'mirror_prob must be in [0, 1], got '
                             f'{mirror_prob}')
        self.clip_len = clip_len
        self.min_crop = min_crop
        self.max_angle = max_angle
        self.mirror_prob = float(mirror_prob)
        self.num_views = num_views
        self.flip_pairs = tuple(tuple(pair) for pair in flip_pairs)
        self.mirror_axis = mirror_axis
        self.pre_normalize = pre_normalize

    def preprocess(self,
                   inputs: List[Tensor],
                   data_samples: SampleList,
                   training: bool = False) -> Tuple[Tensor, SampleList]:
        """Stack the batch, then augment it if it is padded raw sequences.

        Args:
            inputs (list[Tensor]): Per sample (1, M, T, V, C).
            data_samples (list[ActionDataSample]): With ``valid_len`` and
                ``aug_key`` in their metainfo.
            training (bool): Whether to draw the training augmentation.

        Returns:
            tuple: Clips (B, num_views, M, clip_len, V, C) (one view outside
            training) and the samples.
        """
        batch, data_samples = super().preprocess(inputs, data_samples,
                                                 training)
        valid = self.metainfo_tensor(data_samples, 'valid_len', batch)
        if valid is None:
            if training:
                raise ValueError(
                    'SkeletonAugDataPreprocessor got samples without '
                    "'valid_len': use the batched pipeline (PadRawSkeleton, "
                    "FormatGCNInput, PackActionInputs with meta_keys "
                    "including 'valid_len' and 'aug_key'; "
                    'batched_train_pipeline of configs/_base_/pipelines/'
                    'skeleton_3d_batched.py) instead of a per-sample '
                    'augmentation pipeline')
            return batch, data_samples
        if batch.dim() != 6 or batch.shape[1] != 1:
            raise ValueError(
                'SkeletonAugDataPreprocessor expects padded sequences of '
                'shape (B, 1, M, T, V, C), got '
                f'{tuple(batch.shape)}')
        sequences = batch[:, 0]
        if self.pre_normalize:
            sequences = pre_normalize(sequences)
            valid = valid_frames(sequences)
        # one host sync per batch for the check
        if bool(((valid < 1) | (valid > batch.shape[3])).any()):
            raise ValueError(
                f'valid_len must be in [1, {batch.shape[3]}] (the padded '
                f'frames), got {valid.tolist()}')
        if not training:
            start, length = crop_windows(valid, self.eval_p_interval,
                                         self.min_crop)
            clips = crop_resize(sequences, start, length, self.clip_len)
            return clips[:, None], data_samples
        keys = self.metainfo_tensor(data_samples, 'aug_key', batch)
        if keys is None:
            raise ValueError("training samples have 'valid_len' but no "
                             "'aug_key': add 'aug_key' to PackActionInputs' "
                             'meta_keys')
        views = [
            self.augment(sequences, valid, keys, view)
            for view in range(self.num_views)
        ]
        return torch.stack(views, dim=1), data_samples

    def draw(self, valid: Tensor, keys: Tensor,
             view: int) -> Dict[str, Tensor]:
        """The random parameters of one training view of every sample.

        Args:
            valid (Tensor): Valid frames, int64 (B,).
            keys (Tensor): The samples' ``aug_key``, int64 (B,).
            view (int): Which view (its numbers are its own).

        Returns:
            dict: ``start`` and ``length`` of the crop (int64 (B,)),
            ``flip`` (bool (B,)) and ``angles`` (float64 (B, 3)).
        """

        def uniform(draw: int) -> Tensor:
            return uniform_from_keys(keys, view * DRAWS_PER_VIEW + draw)

        random_crop = len(self.p_interval) == 2
        start, length = crop_windows(
            valid, self.p_interval, self.min_crop,
            uniform(CROP_RATIO) if random_crop else None,
            uniform(CROP_START) if random_crop else None)
        angles = torch.stack([uniform(ANGLE_X + axis) for axis in range(3)],
                             dim=1)
        return dict(start=start,
                    length=length,
                    flip=uniform(MIRROR) < self.mirror_prob,
                    angles=(2 * angles - 1) *
                    self.max_angles.to(angles.device))

    def augment(self, sequences: Tensor, valid: Tensor, keys: Tensor,
                view: int) -> Tensor:
        """One training view of every sample: crop and resize, mirror,
        rotate (the order of the per-sample augmentation view).

        Args:
            sequences (Tensor): Padded sequences (B, M, T, V, C).
            valid (Tensor): Valid frames, int64 (B,).
            keys (Tensor): The samples' ``aug_key``, int64 (B,).
            view (int): Which view.

        Returns:
            Tensor: Clips (B, M, clip_len, V, C).
        """
        params = self.draw(valid, keys, view)
        clips = crop_resize(sequences, params['start'], params['length'],
                            self.clip_len)
        if self.mirror_prob > 0:
            clips = mirror(clips, params['flip'],
                           mirror_permutation(clips.shape[3], self.flip_pairs),
                           self.mirror_axis)
        if bool((self.max_angles > 0).any()):
            clips = rotate(clips, params['angles'])
        return clips

    @staticmethod
    def metainfo_tensor(data_samples: SampleList, key: str,
                        batch: Tensor) -> Optional[Tensor]:
        """``key`` of every sample's metainfo as int64 on the batch's
        device; None when no sample has it.

        Args:
            data_samples (list[ActionDataSample]): The samples.
            key (str): The metainfo key.
            batch (Tensor): The stacked inputs (for the device).

        Returns:
            Tensor or None: int64 (B,).
        """
        values = [sample.metainfo.get(key) for sample in data_samples]
        if all(value is None for value in values):
            return None
        if any(value is None for value in values):
            missing = sum(value is None for value in values)
            raise ValueError(f'{missing} of {len(values)} samples have no '
                             f'{key!r} in their metainfo')
        return torch.tensor([int(v) for v in values],
                            dtype=torch.int64).to(batch.device)

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(clip_len={self.clip_len}, '
                f'p_interval={self.p_interval}, min_crop={self.min_crop}, '
                f'max_angle={self.max_angle}, '
                f'mirror_prob={self.mirror_prob}, '
                f'num_views={self.num_views}, '
                f'eval_p_interval={self.eval_p_interval}, '
                f'pre_normalize={self.pre_normalize})')
