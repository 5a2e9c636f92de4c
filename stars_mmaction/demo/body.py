"""The NTU RGB+D body model: joint layout, rest skeleton, forward kinematics.

Joint indices (NTU RGB+D, 0-based)::

    0 base of spine   1 middle of spine   2 neck   3 head
    4-7   left shoulder / elbow / wrist / hand
    8-11  right shoulder / elbow / wrist / hand
    12-15 left hip / knee / ankle / foot
    16-19 right hip / knee / ankle / foot
    20 spine at shoulder level
    21 tip of left hand   22 left thumb   23 tip of right hand   24 right thumb

Body frame: x = the person's left, y = up, z = the person's forward (metres).
A pose is a set of joint-angle channels (``CHANNELS``); each channel rotates
the bones below one joint, so the motion of a hand follows its elbow and
shoulder, as in a real body.
"""
from typing import Dict

import numpy as np

NUM_JOINTS = 25

# Parent of every joint in the kinematic tree (root 0 has parent -1).
PARENTS = (-1, 0, 20, 2, 20, 4, 5, 6, 20, 8, 9, 10, 0, 12, 13, 14, 0, 16, 17,
           18, 1, 7, 7, 11, 11)
# Parents before children.
FK_ORDER = (0, 1, 20, 2, 3, 4, 5, 6, 7, 21, 22, 8, 9, 10, 11, 23, 24, 12, 13,
            14, 15, 16, 17, 18, 19)

# Offset of each joint from its parent in the parent's frame, for a body of
# height about 1.7 m.
REST_OFFSETS = np.zeros((NUM_JOINTS, 3))
REST_OFFSETS[[1, 20, 2, 3]] = [(0, .26, 0), (0, .22, 0), (0, .07, 0),
                               (0, .13, .01)]
REST_OFFSETS[[4, 8]] = [(.17, -.04, 0), (-.17, -.04, 0)]
REST_OFFSETS[[5, 9]] = (0, -.28, 0)  # upper arms
REST_OFFSETS[[6, 10]] = (0, -.25, 0)  # forearms
REST_OFFSETS[[7, 11]] = (0, -.08, 0)  # hands
REST_OFFSETS[[21, 23]] = (0, -.07, .01)
REST_OFFSETS[[22, 24]] = [(-.02, -.02, .04), (.02, -.02, .04)]
REST_OFFSETS[[12, 16]] = [(.09, -.06, 0), (-.09, -.06, 0)]
REST_OFFSETS[[13, 17]] = (0, -.42, 0)  # thighs
REST_OFFSETS[[14, 18]] = (0, -.40, 0)  # shins
REST_OFFSETS[[15, 19]] = (0, -.05, .12)  # feet

# Joint-angle channels (radians) and root translation (metres). Each angle
# channel is (joint whose children it rotates, axis, sign): the sign makes a
# positive value mean the natural direction (arm forward or outward, elbow
# and knee bent, trunk bent forward).
ANGLE_CHANNELS = {
    'spine_pitch': (1, 'x', 1.),
    'spine_roll': (1, 'z', 1.),
    'spine_yaw': (1, 'y', 1.),
    'l_arm_fwd': (4, 'x', -1.),
    'l_arm_side': (4, 'z', 1.),
    'l_elbow': (5, 'x', -1.),
    'r_arm_fwd': (8, 'x', -1.),
    'r_arm_side': (8, 'z', -1.),
    'r_elbow': (9, 'x', -1.),
    'l_leg_fwd': (12, 'x', -1.),
    'l_leg_side': (12, 'z', 1.),
    'l_knee': (13, 'x', 1.),
    'r_leg_fwd': (16, 'x', -1.),
    'r_leg_side': (16, 'z', -1.),
    'r_knee': (17, 'x', 1.),
}
ROOT_CHANNELS = ('root_x', 'root_y', 'root_z')
CHANNELS = tuple(ANGLE_CHANNELS) + ROOT_CHANNELS


def rotation(axis: str, angle: np.ndarray) -> np.ndarray:
    """Rotation matrices about one axis.

    Args:
        axis (str): ``'x'``, ``'y'`` or ``'z'``.
        angle (np.ndarray): Angles in radians, any shape S.

    Returns:
        np.ndarray: Matrices of shape S + (3, 3).
    """
    angle = np.asarray(angle, dtype=np.float64)
    first, second = {'x': (1, 2), 'y': (2, 0), 'z': (0, 1)}[axis]
    matrices = np.zeros(angle.shape + (3, 3))
    matrices[..., 3 - first - second, 3 - first - second] = 1.
    matrices[..., first, first] = matrices[..., second, second] = np.cos(angle)
    matrices[..., second, first] = np.sin(angle)
    matrices[..., first, second] = -matrices[..., second, first]
    return matrices


def local_rotations(channels: Dict[str, np.ndarray],
                    num_frames: int) -> np.ndarray:
    """Per-joint local rotations from the angle channels.

    Args:
        channels (dict[str, np.ndarray]): Angle trajectories (T,) by name;
            missing channels are zero.
        num_frames (int): T.

    Returns:
        np.ndarray: Rotations of shape (25, T, 3, 3); identity where no
        channel acts.
    """
    rot = np.broadcast_to(np.eye(3), (NUM_JOINTS, num_frames, 3, 3)).copy()
    for name, (joint, axis, sign) in ANGLE_CHANNELS.items():
        if name in channels:
            rot[joint] = rot[joint] @ rotation(axis, sign * channels[name])
    return rot


def forward_kinematics(offsets: np.ndarray,
                       channels: Dict[str, np.ndarray]) -> np.ndarray:
    """Joint positions of one body moving through the channel trajectories.

    Args:
        offsets (np.ndarray): The body's bone offsets (25, 3), e.g. a scaled
            ``REST_OFFSETS``.
        channels (dict[str, np.ndarray]): Trajectories (T,) of ``CHANNELS``;
            missing channels are zero.

    Returns:
        np.ndarray: Positions (T, 25, 3) in the body frame, base of the spine
        at the root translation.
    """
    num_frames = len(next(iter(channels.values())))
    local = local_rotations(channels, num_frames)
    glob = np.empty_like(local)
    pos = np.empty((NUM_JOINTS, num_frames, 3))
    root = [channels.get(name, np.zeros(num_frames)) for name in ROOT_CHANNELS]
    pos[0] = np.stack(root, axis=-1)
    glob[0] = local[0]
    for joint in FK_ORDER[1:]:
        parent = PARENTS[joint]
        pos[joint] = pos[parent] + glob[parent] @ offsets[joint]
        glob[joint] = glob[parent] @ local[joint]
    return pos.transpose(1, 0, 2)
