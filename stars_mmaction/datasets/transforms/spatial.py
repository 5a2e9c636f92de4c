"""3D augmentations of skeleton sequences that mmaction2 lacks."""
from typing import Dict, Sequence, Tuple, Union

import numpy as np
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform

from .sample_rng import sample_rng

# Left/right joint pairs of the 25-joint NTU RGB+D (Kinect v2) layout.
NTU_FLIP_PAIRS = ((4, 8), (5, 9), (6, 10), (7, 11), (12, 16), (13, 17),
                  (14, 18), (15, 19), (21, 23), (22, 24))


def rotation_matrix(angles: Sequence[float]) -> np.ndarray:
    """``Rz @ Ry @ Rx`` with the reference's sign conventions.

    Args:
        angles (Sequence[float]): Angles about x, y and z in radians.

    Returns:
        np.ndarray: A (3, 3) rotation matrix.
    """
    (cx, cy, cz), (sx, sy, sz) = np.cos(angles), np.sin(angles)
    rx = np.array([[1, 0, 0], [0, cx, sx], [0, -sx, cx]])
    ry = np.array([[cy, 0, -sy], [0, 1, 0], [sy, 0, cy]])
    rz = np.array([[cz, sz, 0], [-sz, cz, 0], [0, 0, 1]])
    return rz @ ry @ rx


def check_max_angle(max_angle: Union[float, Sequence[float]]) -> np.ndarray:
    """The rotation ranges about x, y and z of a ``max_angle`` argument.

    Args:
        max_angle (float | Sequence[float]): One range for every axis or
            three (x, y, z), in radians.

    Returns:
        np.ndarray: The three ranges, float64 (3,).
    """
    angles = np.asarray(max_angle, dtype=np.float64)
    if angles.ndim == 0:
        angles = np.full(3, angles)
    if angles.shape != (3, ):
        raise ValueError('max_angle must be one number or three (x, y, z), '
                         f'got {max_angle}')
    if not np.all(angles >= 0):
        raise ValueError(f'max_angle must be >= 0, got {max_angle}')
    return angles


@TRANSFORMS.register_module()
class RandomSkeletonRotation(BaseTransform):
    """Rotate a whole sequence by one random rotation about x, y and z.

    Angles are uniform in ``[-max_angle, max_angle]`` (the reference's
    ``random_rot``), one range for all three axes or one per axis (e.g.
    ``(0.3, 0.8, 0.3)`` turns the camera further about the vertical y axis
    of NTU's coordinates). All-zero (absent) joints stay zero.

    Required Keys:
        - keypoint (M, T, V, 3)

    Modified Keys:
        - keypoint

    Args:
        max_angle (float | Sequence[float]): Largest absolute angle in
            radians, for every axis or for x, y and z. Defaults to 0.3.
    """

    def __init__(self, max_angle: Union[float, Sequence[float]] = 0.3) -> None:
        self.max_angle = max_angle
        self.max_angles = check_max_angle(max_angle)

    def transform(self, results: Dict) -> Dict:
        angles = sample_rng(results).uniform(-self.max_angles,
                                             self.max_angles, 3)
        rotation = rotation_matrix(angles).astype(np.float32)
        results['keypoint'] = (results['keypoint'] @ rotation.T).astype(
            np.float32)
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(max_angle={self.max_angle})'


@TRANSFORMS.register_module()
class RandomSkeletonMirror(BaseTransform):
    """Mirror left and right: negate one axis and swap paired joints.

    Required Keys:
        - keypoint (M, T, V, C)

    Modified Keys:
        - keypoint

    Args:
        prob (float): Probability of mirroring. Defaults to 0.5.
        flip_pairs (Sequence[Tuple[int, int]]): Left/right joint pairs.
            Defaults to the NTU RGB+D 25-joint layout.
        axis (int): Coordinate negated by the mirror (0 = x). Defaults to 0.
    """

    def __init__(self,
                 prob: float = 0.5,
                 flip_pairs: Sequence[Tuple[int, int]] = NTU_FLIP_PAIRS,
                 axis: int = 0) -> None:
        if not 0 <= prob <= 1:
            raise ValueError(f'prob must be in [0, 1], got {prob}')
        self.prob = prob
        self.flip_pairs = tuple(tuple(pair) for pair in flip_pairs)
        self.axis = axis
        self.permutation = None

    def joint_permutation(self, num_joints: int) -> np.ndarray:
        """Index that swaps every left joint with its right counterpart."""
        order = np.arange(num_joints)
        for left, right in self.flip_pairs:
            if max(left, right) >= num_joints:
                raise ValueError(
                    f'flip pair ({left}, {right}) needs more than '
                    f'{num_joints} joints')
            order[left], order[right] = right, left
        return order

    def transform(self, results: Dict) -> Dict:
        if sample_rng(results).random() >= self.prob:
            return results
        keypoint = results['keypoint']
        keypoint = keypoint[:, :, self.joint_permutation(keypoint.shape[2])]
        keypoint[..., self.axis] *= -1
        results['keypoint'] = keypoint
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(prob={self.prob}, '
                f'axis={self.axis})')
