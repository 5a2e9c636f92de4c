"""mmaction2's ``PreNormalize3D`` with its frame search vectorised."""
from typing import Dict

import numpy as np
from mmaction.datasets.transforms import PreNormalize3D
from mmaction.registry import TRANSFORMS


@TRANSFORMS.register_module()
class FastPreNormalize3D(PreNormalize3D):
    """``PreNormalize3D`` (same arguments, same output) without its
    per-frame Python loop.

    The stock transform finds each person's non-empty frames with one
    ``np.isclose`` call per frame, which costs about 20 ms per NTU sequence:
    more than the rest of a training pipeline, and on the small demo model
    about a third of a training step. Here one array operation finds them.
    ``body_center`` is set when ``align_center`` is (the stock transform
    raises ``NameError`` without it).

    Args:
        zaxis (list[int]): Joints of the spine's direction. Defaults to
            ``[0, 1]``.
        xaxis (list[int]): Joints of the shoulders' direction. Defaults to
            ``[8, 4]``.
        align_center (bool): Move the first frame's centre joint to 0.
            Defaults to True.
        align_spine (bool): Rotate the first frame's spine onto z. Defaults
            to True.
        align_shoulder (bool): Rotate the first frame's shoulders onto x.
            Defaults to True.
    """

    @staticmethod
    def nonempty_frames(skeleton: np.ndarray) -> np.ndarray:
        """Frames where a person has a joint off 0 (``np.isclose``'s
        default tolerance).

        Args:
            skeleton (np.ndarray): Keypoints (M, T, V, C).

        Returns:
            np.ndarray: Boolean (M, T).
        """
        return (np.abs(skeleton) > 1e-8).any(axis=(2, 3))

    def transform(self, results: Dict) -> Dict:
        """Keep the main person's non-empty frames (the person with more of
        them first), then centre and align as ``PreNormalize3D``.

        Args:
            results (dict): The result dict.

        Returns:
            dict: The result dict.
        """
        skeleton = results['keypoint']
        num_persons, num_frames = skeleton.shape[:2]
        assert num_frames == results.get('total_frames', num_frames)
        if skeleton.sum() == 0:
            return results
        assert num_persons in (1, 2)
        nonempty = self.nonempty_frames(skeleton)
        if num_persons == 2 and nonempty[0].sum() < nonempty[1].sum():
            skeleton = skeleton[:, nonempty[1]][[1, 0]]
        else:
            skeleton = skeleton[:, nonempty[0]]

        if self.align_center:
            center_joint = 1 if skeleton.shape[2] == 25 else -1
            body_center = skeleton[0, 0, center_joint].copy()
            mask = ((skeleton != 0).sum(-1) > 0)[..., None]
            skeleton = (skeleton - body_center) * mask
            results['body_center'] = body_center
        if self.align_spine:
            bottom, top = self.zaxis
            skeleton = self.rotate_onto(skeleton, bottom, top, [0, 0, 1])
        if self.align_shoulder:
            right, left = self.xaxis  # the left-to-right shoulder line
            skeleton = self.rotate_onto(skeleton, left, right, [1, 0, 0])
        results['keypoint'] = skeleton
        results['total_frames'] = skeleton.shape[1]
        return results

    def rotate_onto(self, skeleton: np.ndarray, start: int, end: int,
                    target: list) -> np.ndarray:
        """Rotate every frame so that the first frame's vector from joint
        ``start`` to joint ``end`` points along ``target``.

        Args:
            skeleton (np.ndarray): Keypoints (M, T, V, C).
            start (int): Joint the vector starts at.
            end (int): Joint it ends at.
            target (list[float]): The direction.

        Returns:
            np.ndarray: The rotated keypoints.
        """
        bone = skeleton[0, 0, end] - skeleton[0, 0, start]
        matrix = self.rotation_matrix(
            np.cross(bone, target), self.angle_between(bone, target))
        return np.einsum('abcd,kd->abck', skeleton, matrix)
