import numpy as np
import pytest

from stars_mmaction.demo.body import (CHANNELS, PARENTS, REST_OFFSETS,
                                      forward_kinematics, rotation)


def test_ntu_joint_tree():
    assert len(PARENTS) == 25 and PARENTS[0] == -1
    # real NTU indices: hands hang from wrists, tips and thumbs from hands
    assert PARENTS[7] == 6 and PARENTS[11] == 10
    assert PARENTS[21] == 7 and PARENTS[23] == 11
    assert PARENTS[2] == 20 and PARENTS[20] == 1


def test_rotation_by_hand():
    quarter = rotation('z', np.array(np.pi / 2))
    np.testing.assert_allclose(quarter @ [1., 0., 0.], [0., 1., 0.],
                               atol=1e-12)
    np.testing.assert_allclose(
        rotation('x', np.array(np.pi / 2)) @ [0., 1., 0.], [0., 0., 1.],
        atol=1e-12)
    assert rotation('y', np.zeros(4)).shape == (4, 3, 3)


def test_rest_pose_and_bone_lengths_are_kept():
    still = {name: np.zeros(3) for name in CHANNELS}
    rest = forward_kinematics(REST_OFFSETS, still)
    assert rest.shape == (3, 25, 3)
    # left wrist: shoulder (0.17, -0.04) + upper arm 0.28 + forearm 0.25 down
    np.testing.assert_allclose(rest[0, 6], [.17, .48 - .04 - .53, 0.])
    moving = dict(still, l_arm_side=np.array([0., .5, 1.5]),
                  l_elbow=np.array([0., 1., 2.]), spine_yaw=np.ones(3))
    pos = forward_kinematics(REST_OFFSETS, moving)
    for joint in range(1, 25):
        length = np.linalg.norm(pos[:, joint] - pos[:, PARENTS[joint]],
                                axis=-1)
        assert length == pytest.approx(
            [np.linalg.norm(REST_OFFSETS[joint])] * 3)


def test_positive_channels_move_the_natural_way():
    zero = np.zeros(1)
    raised = forward_kinematics(REST_OFFSETS,
                                {'l_arm_fwd': np.full(1, np.pi / 2)})
    rest = forward_kinematics(REST_OFFSETS, {'l_arm_fwd': zero})
    assert raised[0, 6, 2] > rest[0, 6, 2] + .4  # wrist forward (+z)
    out = forward_kinematics(REST_OFFSETS, {'r_arm_side': np.ones(1)})
    assert out[0, 10, 0] < rest[0, 10, 0] - .3  # right wrist outward (-x)
    bent = forward_kinematics(REST_OFFSETS, {'spine_pitch': np.ones(1)})
    assert bent[0, 3, 2] > .3  # head forward
