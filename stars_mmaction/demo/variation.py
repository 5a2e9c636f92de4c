"""Intra-class variation a good representation must ignore.

Per subject: body size and proportions, a posture style (static offsets of
every joint-angle channel) and a habitual speed. Per performance: speed,
amplitude, start phase, smooth (temporally correlated) jitter of every
channel and of every joint, and the camera: rotation about the vertical axis,
a small tilt and the distance.
"""
from typing import NamedTuple

import numpy as np

from .body import ANGLE_CHANNELS, REST_OFFSETS, rotation

# Ranges of the variation (uniform unless said otherwise).
BODY_SCALE = (.85, 1.15)  # overall size
PROPORTION_STD = .06  # relative std of each bone length
POSTURE_STD = .12  # std of the static offset of each angle channel (rad)
SUBJECT_SPEED = (.85, 1.15)
SPEED = (.8, 1.25)  # per performance, times the subject's
AMPLITUDE = (.7, 1.3)
START_PHASE = (0., .15)  # cycles
ANGLE_JITTER_STD = .05  # smooth jitter of each angle channel (rad)
JOINT_JITTER_STD = .005 # smooth jitter of each joint position (m)
JITTER_SMOOTHNESS = 4.  # Gaussian kernel std (frames) of the jitter
VIEW_YAW = (-np.pi / 4, np.pi / 4)  # camera rotation about the vertical
VIEW_TILT = (-.15, .15)
DISTANCE = (2.6, 3.6)  # body to camera (m)


class Subject(NamedTuple):
    """A synthetic performer.

    Args:
        offsets (np.ndarray): Bone offsets (25, 3) of their body.
        posture (dict[str, float]): Static offset of each angle channel.
        speed (float): Habitual speed factor.
    """
    offsets: np.ndarray
    posture: dict
    speed: float


def sample_subject(rng: np.random.Generator) -> Subject:
    """Draw a subject's body, posture style and habitual speed.

    Args:
        rng (np.random.Generator): Random generator.

    Returns:
        Subject: The subject.
    """
    bone_scale = rng.uniform(*BODY_SCALE) * (
        1 + PROPORTION_STD * rng.standard_normal(len(REST_OFFSETS)))
    posture = {
        name: POSTURE_STD * rng.standard_normal()
        for name in ANGLE_CHANNELS
    }
    return Subject(REST_OFFSETS * bone_scale[:, None], posture,
                   rng.uniform(*SUBJECT_SPEED))


def smooth_noise(rng: np.random.Generator, shape: tuple,
                 std: float, smoothness: float = JITTER_SMOOTHNESS
                 ) -> np.ndarray:
    """Gaussian noise low-pass filtered along the first (time) axis.

    White noise convolved with a Gaussian kernel, then rescaled to ``std``,
    so neighbouring frames move together as a real body's sway does.

    Args:
        rng (np.random.Generator): Random generator.
        shape (tuple): Output shape, time first.
        std (float): Standard deviation of every value.
        smoothness (float): Kernel standard deviation in frames.

    Returns:
        np.ndarray: Noise of ``shape``.
    """
    radius = int(3 * smoothness)
    kernel = np.exp(-.5 * (np.arange(-radius, radius + 1) / smoothness)**2)
    kernel /= np.sqrt((kernel**2).sum())  # unit output variance
    white = rng.standard_normal((shape[0] + 2 * radius, ) + tuple(shape[1:]))
    windows = np.lib.stride_tricks.sliding_window_view(
        white, len(kernel), axis=0)  # (T, ..., len(kernel))
    return std * (windows @ kernel)


def camera_transform(rng: np.random.Generator,
                     positions: np.ndarray) -> np.ndarray:
    """Seen from a random camera: rotated about the vertical axis, tilted
    and placed at a random distance (NTU axes: x sideways, y up, z depth).

    Args:
        rng (np.random.Generator): Random generator.
        positions (np.ndarray): Joint positions (..., 3) in the scene frame
            (the person faces +z).

    Returns:
        np.ndarray: Camera coordinates (..., 3); the person faces the camera.
    """
    facing_camera = rotation('y', np.pi + rng.uniform(*VIEW_YAW))
    tilt = rotation('x', rng.uniform(*VIEW_TILT))
    camera = positions @ (tilt @ facing_camera).T
    return camera + np.array([0., .2, rng.uniform(*DISTANCE)])
