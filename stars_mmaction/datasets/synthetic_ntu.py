"""Synthetic NTU RGB+D-layout skeleton actions (the embedded demo data set).

A small, deterministic stand-in for NTU RGB+D 60 that lets every config and
test of the plugin run without the real data. Each sample is produced by
forward kinematics of a 25-joint bone-length skeleton in the NTU joint layout
(real joint indices, metres, camera-style axes: x sideways, y up, z depth
about 3 m), driven by per-class joint-angle trajectories.

Joint indices (NTU RGB+D, 0-based)::

    0 base of spine   1 middle of spine   2 neck   3 head
    4-7   left shoulder / elbow / wrist / hand
    8-11  right shoulder / elbow / wrist / hand
    12-15 left hip / knee / ankle / foot
    16-19 right hip / knee / ankle / foot
    20 spine at shoulder level
    21 tip of left hand   22 left thumb   23 tip of right hand   24 right thumb

Intra-class variation: subject-specific body size and proportions, speed,
amplitude, phase, camera (view) rotation about the vertical axis plus a small
tilt, global position, smooth random "style" perturbation of the joint angles,
Gaussian joint noise, sequence length, and (for single-person actions) an
occasional idle second person. Some classes are deliberately similar (clap vs.
rub hands, punch vs. throw, handshake vs. push, squat vs. bow, the two waves).

The output follows mmaction2's skeleton annotation format::

    {'split': {'xsub_train': [frame_dir, ...], 'xsub_val': [...]},
     'annotations': [{'frame_dir': 'S001C002P003R001A005', 'label': 4,
                      'total_frames': T,
                      'keypoint': float32 array (M, T, 25, 3)}, ...]}

``frame_dir`` uses NTU naming: C = camera (view), P = subject, R = repetition,
A = action (1-based label). ``xsub`` splits are disjoint by subject.

Only numpy is needed; nothing here is registered in a registry.
"""
import math
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np

NUM_JOINTS = 25

# Parent of every joint in the kinematic tree (root 0 has parent -1).
PARENTS = np.array([
    -1, 0, 20, 2,          # 0 base spine, 1 mid spine, 2 neck, 3 head
    20, 4, 5, 6,           # left shoulder, elbow, wrist, hand
    20, 8, 9, 10,          # right shoulder, elbow, wrist, hand
    0, 12, 13, 14,         # left hip, knee, ankle, foot
    0, 16, 17, 18,         # right hip, knee, ankle, foot
    1,                     # 20 spine at shoulder level
    7, 7, 11, 11,          # left hand tip, left thumb, right hand tip, right thumb
])
# Bones as (child, parent) pairs, same ordering as joints 1..24.
BONES = tuple((j, int(PARENTS[j])) for j in range(1, NUM_JOINTS))

# Topological order for forward kinematics (parents before children).
_FK_ORDER = (0, 1, 20, 2, 3, 4, 5, 6, 7, 21, 22, 8, 9, 10, 11, 23, 24,
             12, 13, 14, 15, 16, 17, 18, 19)

# Rest offsets (metres) of each joint from its parent, in the parent's frame.
# Body frame: x = the person's left, y = up, z = the person's forward.
_REST_OFFSETS = np.zeros((NUM_JOINTS, 3))
_REST_OFFSETS[1] = (0.0, 0.26, 0.0)
_REST_OFFSETS[20] = (0.0, 0.22, 0.0)
_REST_OFFSETS[2] = (0.0, 0.07, 0.0)
_REST_OFFSETS[3] = (0.0, 0.13, 0.01)
_REST_OFFSETS[4] = (0.17, -0.04, 0.0)
_REST_OFFSETS[8] = (-0.17, -0.04, 0.0)
_REST_OFFSETS[5] = _REST_OFFSETS[9] = (0.0, -0.28, 0.0)
_REST_OFFSETS[6] = _REST_OFFSETS[10] = (0.0, -0.25, 0.0)
_REST_OFFSETS[7] = _REST_OFFSETS[11] = (0.0, -0.08, 0.0)
_REST_OFFSETS[21] = _REST_OFFSETS[23] = (0.0, -0.07, 0.01)
_REST_OFFSETS[22] = (-0.02, -0.02, 0.04)
_REST_OFFSETS[24] = (0.02, -0.02, 0.04)
_REST_OFFSETS[12] = (0.09, -0.06, 0.0)
_REST_OFFSETS[16] = (-0.09, -0.06, 0.0)
_REST_OFFSETS[13] = _REST_OFFSETS[17] = (0.0, -0.42, 0.0)
_REST_OFFSETS[14] = _REST_OFFSETS[18] = (0.0, -0.40, 0.0)
_REST_OFFSETS[15] = _REST_OFFSETS[19] = (0.0, -0.05, 0.12)

_FOOT_JOINTS = (14, 15, 18, 19)
_SETUP_ID = 1
# Difficulty knobs (tuned so that raw-coordinate 1-NN is ~60 % on the default set)
LEAD_MAX = 20          # idle frames before / after the action: U(2, LEAD_MAX)
DUR = 0.75             # scale of the per-class action durations
SPEED = (0.7, 1.4)     # per-sample speed factor (times a per-subject factor)
FACE = 0.6             # single person: facing jitter about the camera (rad)
SCENE = 0.8            # two persons: yaw jitter of the pair axis (rad)
TILT = 0.15            # camera tilt about x (rad)
SWAP = 0.5             # two persons: probability that the reactor is person 0
STYLE = (0.11, 0.22)   # per-subject range of the joint-angle style noise (rad)
STATIC = 1.0           # static (posture) part of the style noise, relative
SPEED = (0.8, 1.25)

# ---------------------------------------------------------------------------
# Rotation helpers
# ---------------------------------------------------------------------------


def _rot_x(a):
    a = np.asarray(a, dtype=np.float64)
    c, s = np.cos(a), np.sin(a)
    o, z = np.ones_like(a), np.zeros_like(a)
    return np.stack([np.stack([o, z, z], -1),
                     np.stack([z, c, -s], -1),
                     np.stack([z, s, c], -1)], -2)


def _rot_y(a):
    a = np.asarray(a, dtype=np.float64)
    c, s = np.cos(a), np.sin(a)
    o, z = np.ones_like(a), np.zeros_like(a)
    return np.stack([np.stack([c, z, s], -1),
                     np.stack([z, o, z], -1),
                     np.stack([-s, z, c], -1)], -2)


def _rot_z(a):
    a = np.asarray(a, dtype=np.float64)
    c, s = np.cos(a), np.sin(a)
    o, z = np.ones_like(a), np.zeros_like(a)
    return np.stack([np.stack([c, -s, z], -1),
                     np.stack([s, c, z], -1),
                     np.stack([z, z, o], -1)], -2)


def _euler(angles):
    """(..., 3) angles (rx, ry, rz) -> R = Ry @ Rz @ Rx."""
    return _rot_y(angles[..., 1]) @ _rot_z(angles[..., 2]) @ _rot_x(angles[..., 0])


def forward_kinematics(offsets: np.ndarray, angles: np.ndarray,
                       root_rot: np.ndarray, root_pos: np.ndarray) -> np.ndarray:
    """Joint positions of one person.

    Args:
        offsets: (25, 3) bone offsets from the parent, in the parent's frame.
        angles: (T, 25, 3) local Euler angles (rx, ry, rz) at every joint;
            the rotation at joint j turns the bones from j to its children.
        root_rot: (T, 3, 3) global orientation of the root (joint 0).
        root_pos: (T, 3) global position of the root.

    Returns:
        (T, 25, 3) joint positions.
    """
    T = angles.shape[0]
    local = _euler(angles)  # (T, 25, 3, 3)
    glob = np.zeros((T, NUM_JOINTS, 3, 3))
    pos = np.zeros((T, NUM_JOINTS, 3))
    for j in _FK_ORDER:
        p = PARENTS[j]
        if p < 0:
            glob[:, j] = root_rot @ local[:, j]
            pos[:, j] = root_pos
        else:
            pos[:, j] = pos[:, p] + glob[:, p] @ offsets[j]
            glob[:, j] = glob[:, p] @ local[:, j]
    return pos


# ---------------------------------------------------------------------------
# Motion primitives
# ---------------------------------------------------------------------------

def _smoothstep(x):
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3.0 - 2.0 * x)


def _envelope(u, rise=0.15):
    """0 -> 1 -> 0 over u in [0, 1] with smooth ramps."""
    return _smoothstep(u / rise) * _smoothstep((1.0 - u) / rise)


def _bump(u, start, end):
    """Smooth 0 -> 1 -> 0 bump on [start, end]."""
    x = np.clip((u - start) / max(end - start, 1e-6), 0.0, 1.0)
    return np.sin(np.pi * x) ** 2


def _ramp(u, start, end):
    return _smoothstep((u - start) / max(end - start, 1e-6))


class _Pose:
    """Joint-angle and root trajectories of one person over T frames."""

    def __init__(self, T: int):
        self.T = T
        self.ang = np.zeros((T, NUM_JOINTS, 3))
        self.forward = np.zeros(T)    # root displacement along own forward (m)
        self.lift = np.zeros(T)       # extra vertical root offset (jump, m)
        self.yaw = np.zeros(T)        # extra root yaw (rad)
        self.grounded = True          # keep the lowest foot joint on the floor

    # convenience setters; d in {+1 left, -1 right}
    def arm(self, side, flex=0.0, abd=0.0, horiz=0.0, elbow=0.0):
        s = 4 if side == 'L' else 8
        d = 1.0 if side == 'L' else -1.0
        self.ang[:, s, 0] += -np.asarray(flex)
        self.ang[:, s, 2] += d * np.asarray(abd)
        # horiz > 0 moves a raised arm towards the body midline
        self.ang[:, s, 1] += -d * np.asarray(horiz)
        self.ang[:, s + 1, 0] += -np.asarray(elbow)

    def leg(self, side, hip=0.0, knee=0.0, ankle=0.0, abd=0.0):
        h = 12 if side == 'L' else 16
        d = 1.0 if side == 'L' else -1.0
        self.ang[:, h, 0] += -np.asarray(hip)
        self.ang[:, h, 2] += d * np.asarray(abd)
        self.ang[:, h + 1, 0] += np.asarray(knee)
        self.ang[:, h + 2, 0] += np.asarray(ankle)

    def trunk(self, bend=0.0, twist=0.0, side=0.0):
        self.ang[:, 1, 0] += np.asarray(bend)
        self.ang[:, 1, 1] += np.asarray(twist)
        self.ang[:, 1, 2] += np.asarray(side)

    def head(self, bend=0.0):
        self.ang[:, 2, 0] += np.asarray(bend)


def _rest_arms(p, amp=1.0):
    p.arm('L', abd=0.08 * amp, elbow=0.1)
    p.arm('R', abd=0.08 * amp, elbow=0.1)


# Each motion: f(u, k, pr, persons) where u (T,) is the progress in [0, 1]
# (0 before the action starts, 1 after it ends), k the amplitude factor,
# pr a dict of per-sample random parameters, persons a list of _Pose.

def _wave(side):
    def f(u, k, pr, P):
        p = P[0]
        e = _envelope(u, 0.2)
        osc = np.sin(2 * np.pi * pr['cycles'] * u + pr['phase'])
        p.arm(side, flex=e * k * 2.3, abd=e * (0.35 + 0.35 * k * osc),
              elbow=e * (0.35 + 0.25 * osc))
        p.ang[:, 6 if side == 'L' else 10, 2] += e * 0.3 * osc
        other = 'R' if side == 'L' else 'L'
        p.arm(other, abd=0.08, elbow=0.15)
    return f


def _clap(u, k, pr, P):
    p = P[0]
    e = _envelope(u, 0.2)
    osc = 0.5 + 0.5 * np.sin(2 * np.pi * pr['cycles'] * u + pr['phase'])
    for s in 'LR':
        p.arm(s, flex=e * 0.75 * k, horiz=e * (0.15 + 0.45 * k * osc),
              elbow=e * 1.2)


def _rub_hands(u, k, pr, P):
    p = P[0]
    e = _envelope(u, 0.2)
    osc = np.sin(2 * np.pi * pr['cycles'] * 1.3 * u + pr['phase'])
    for s, d in (('L', 1.0), ('R', -1.0)):
        p.arm(s, flex=e * (0.7 + 0.12 * k * d * osc), horiz=e * 0.6,
              elbow=e * (1.25 - 0.2 * k * d * osc))


def _kick(u, k, pr, P):
    p = P[0]
    t0 = 0.15
    swing = _bump(u, t0, 0.85)
    back = _bump(u, t0, 0.45)
    p.leg('R', hip=k * (1.0 * swing - 0.35 * back),
          knee=1.3 * back + 0.3 * swing * (1 - swing))
    p.leg('L', knee=0.15 * swing)
    p.trunk(bend=-0.15 * swing)
    p.arm('L', abd=0.5 * swing, flex=0.3 * swing, elbow=0.4)
    p.arm('R', abd=0.5 * swing, flex=-0.2 * swing, elbow=0.4)


def _squat(u, k, pr, P):
    p = P[0]
    n = pr['reps']
    depth = np.sin(np.pi * np.clip(u, 0, 1) * n) ** 2 * k
    for s in 'LR':
        p.leg(s, hip=1.6 * depth, knee=2.0 * depth, ankle=-0.4 * depth)
        p.arm(s, flex=1.4 * depth, elbow=0.2 * depth)
    p.trunk(bend=0.35 * depth)


def _raise_arms(u, k, pr, P):
    p = P[0]
    e = _ramp(u, 0.05, 0.4) * (1 - _ramp(u, 0.65, 0.95))
    for s in 'LR':
        p.arm(s, flex=e * 2.75 * min(k, 1.1), abd=e * 0.25, elbow=0.1)
    p.trunk(bend=-0.08 * e)


def _punch(u, k, pr, P):
    p = P[0]
    n = pr['reps']
    guard = _envelope(u, 0.12)
    hit = np.clip(np.sin(np.pi * np.clip(u - 0.1, 0, 0.8) / 0.8 * n), 0, None) ** 3
    p.arm('R', flex=guard * (0.7 + 0.9 * k * hit), horiz=guard * 0.2,
          elbow=guard * (2.1 - 1.9 * hit))
    p.arm('L', flex=guard * 0.8, horiz=guard * 0.2, elbow=guard * 2.1)
    p.trunk(twist=0.3 * hit * guard)
    p.leg('L', hip=0.15 * guard)
    p.leg('R', hip=-0.1 * guard)


def _bow(u, k, pr, P):
    p = P[0]
    b = _ramp(u, 0.1, 0.45) * (1 - _ramp(u, 0.6, 0.95)) * k
    p.trunk(bend=0.9 * b)
    p.head(bend=0.25 * b)
    for s in 'LR':
        p.arm(s, flex=-0.9 * b, abd=0.05)   # arms keep hanging
        p.leg(s, hip=0.25 * b)


def _walk(u, k, pr, P):
    p = P[0]
    e = _envelope(u, 0.1)
    ph = 2 * np.pi * pr['cycles'] * u + pr['phase']
    for s, sh in (('L', 0.0), ('R', np.pi)):
        lift = np.clip(np.sin(ph + sh), 0, None) * e * k
        p.leg(s, hip=1.0 * lift, knee=1.6 * lift, ankle=-0.2 * lift)
        p.arm(s, flex=-0.5 * np.sin(ph + sh) * e * k, elbow=0.3)


def _throw(u, k, pr, P):
    p = P[0]
    wind = _bump(u, 0.05, 0.6)
    fwd = _ramp(u, 0.5, 0.7) * (1 - _ramp(u, 0.75, 1.0))
    p.arm('R', flex=wind * -0.6 + fwd * 2.3 * k, abd=wind * 1.5,
          elbow=wind * 1.6 + fwd * 0.2)
    p.ang[:, 8, 1] += wind * 1.0
    p.arm('L', flex=0.9 * wind + 0.3 * fwd, elbow=0.3)
    p.trunk(twist=-0.5 * wind + 0.45 * fwd, bend=-0.15 * wind + 0.35 * fwd)
    p.leg('L', hip=0.35 * (wind + fwd) * k, knee=0.2 * fwd)
    p.forward += 0.1 * fwd


def _handshake(u, k, pr, P):
    lag = pr['lag']
    for i, p in enumerate(P):
        v = np.clip(u - lag * i, 0, 1)
        e = _ramp(v, 0.05, 0.35) * (1 - _ramp(v, 0.75, 0.98))
        shake = _ramp(v, 0.35, 0.45) * (1 - _ramp(v, 0.65, 0.75))
        osc = np.sin(2 * np.pi * pr['cycles'] * u + pr['phase'])
        p.arm('R', flex=e * (0.95 + 0.18 * k * shake * osc), horiz=e * 0.3,
              elbow=e * 0.5)
        p.arm('L', abd=0.08, elbow=0.15)
        p.forward += 0.12 * e
        p.trunk(bend=0.1 * e)


def _push(u, k, pr, P):
    p1, p2 = P
    lag = pr['lag']
    push = _ramp(u, 0.2, 0.45) * (1 - _ramp(u, 0.7, 1.0))
    hit = _ramp(u, 0.35, 0.45)
    for s in 'LR':
        p1.arm(s, flex=push * 1.45, horiz=push * 0.15,
               elbow=(1 - hit) * push * 1.4 + 0.1)
    p1.forward += 0.3 * push * k
    p1.trunk(bend=0.2 * push)
    r = _ramp(u, 0.4 + lag, 0.6 + lag)
    back = r * (1 - _ramp(u, 0.85, 1.0) * 0.3)
    p2.forward -= 0.45 * back * k
    p2.trunk(bend=-0.3 * _bump(u, 0.4 + lag, 0.75 + lag))
    for s in 'LR':
        flail = _bump(u, 0.4 + lag, 0.8)
        p2.arm(s, flex=0.6 * flail, abd=0.5 * flail,
               elbow=0.5)
    p2.leg('L', hip=-0.35 * _bump(u, 0.45 + lag, 0.7 + lag),
           knee=0.5 * _bump(u, 0.45 + lag, 0.7 + lag))


def _hug(u, k, pr, P):
    lag = pr['lag']
    for i, p in enumerate(P):
        v = np.clip(u - lag * i, 0, 1)
        app = _ramp(v, 0.05, 0.4) * (1 - _ramp(v, 0.7, 0.98))
        wrap = _ramp(v, 0.25, 0.45) * (1 - _ramp(v, 0.65, 0.85))
        p.forward += 0.35 * app
        for s in 'LR':
            p.arm(s, flex=app * 1.3, abd=app * 0.4,
                  horiz=wrap * 0.9 * k, elbow=app * 0.4 + wrap * 0.8)
        p.trunk(bend=0.15 * app, twist=0.15 * wrap * (1 if i == 0 else -1))


class ActionClass:
    """One synthetic action class."""

    def __init__(self, name: str, motion: Callable, duration: float,
                 two_person: bool = False, cycles: Tuple[float, float] = (2., 3.),
                 reps: Sequence[int] = (1, )):
        self.name = name
        self.motion = motion
        self.duration = duration      # mean action duration in frames (30 fps)
        self.two_person = two_person
        self.cycles = cycles
        self.reps = tuple(reps)


ACTION_CLASSES: List[ActionClass] = [
    ActionClass('wave right hand', _wave('R'), 60, cycles=(2.0, 4.0)),
    ActionClass('wave left hand', _wave('L'), 60, cycles=(2.0, 4.0)),
    ActionClass('clap', _clap, 55, cycles=(3.0, 5.0)),
    ActionClass('rub hands', _rub_hands, 55, cycles=(3.0, 5.0)),
    ActionClass('kick', _kick, 45),
    ActionClass('squat', _squat, 75, reps=(1, 2)),
    ActionClass('raise both arms', _raise_arms, 65),
    ActionClass('punch', _punch, 50, reps=(1, 2, 3)),
    ActionClass('bow', _bow, 65),
    ActionClass('walk in place', _walk, 80, cycles=(2.0, 4.0)),
    ActionClass('throw', _throw, 45),
    ActionClass('handshake', _handshake, 85, two_person=True, cycles=(3.0, 5.0)),
    ActionClass('push', _push, 55, two_person=True),
    ActionClass('hug', _hug, 90, two_person=True),
]
CLASS_NAMES: List[str] = [c.name for c in ACTION_CLASSES]

# ---------------------------------------------------------------------------
# Sample generation
# ---------------------------------------------------------------------------

# camera yaw (rad) of the three NTU-like views: front, +45 deg, -45 deg
_CAMERA_YAW = (0.0, math.pi / 4, -math.pi / 4)


def _random_body(rng, scale=None):
    """Bone offsets of one body: global size times per-bone proportions."""
    if scale is None:
        scale = rng.uniform(0.82, 1.15)
    prop = rng.uniform(0.93, 1.07, size=(NUM_JOINTS, 1))
    return _REST_OFFSETS * scale * prop


def _style_noise(rng, T, amp):
    """Smooth random joint-angle perturbation (T, 25, 3)."""
    t = np.arange(T)[:, None, None] / 30.0
    out = np.zeros((T, NUM_JOINTS, 3))
    for _ in range(2):
        f = rng.uniform(0.1, 0.8, size=(1, NUM_JOINTS, 3))
        ph = rng.uniform(0, 2 * np.pi, size=(1, NUM_JOINTS, 3))
        a = rng.normal(0, amp, size=(1, NUM_JOINTS, 3))
        out += a * np.sin(2 * np.pi * f * t + ph)
    out += rng.normal(0, amp * STATIC, size=(1, NUM_JOINTS, 3))
    out[:, 0] = 0.0
    return out


def _place_person(pose: _Pose, offsets, style, base_yaw, base_pos):
    """FK of one person placed in the scene frame (y up, floor at y=0)."""
    T = pose.T
    angles = pose.ang + style
    yaw = base_yaw + pose.yaw
    root_rot = _rot_y(yaw)
    fwd = np.stack([np.sin(yaw), np.zeros(T), np.cos(yaw)], -1)
    root_pos = base_pos[None] + fwd * pose.forward[:, None]
    pos = forward_kinematics(offsets, angles, root_rot, np.zeros((T, 3)))
    if pose.grounded:
        floor = pos[:, _FOOT_JOINTS, 1].min(axis=1)
        pos[..., 1] -= floor[:, None]
    pos[..., 1] += pose.lift[:, None]
    return pos + root_pos[:, None]


def generate_sample(label: int, subject: int, rep: int, rng: np.random.Generator,
                    subject_params: Dict, camera: Optional[int] = None,
                    noise_std: float = 0.01, idle_person_prob: float = 0.1,
                    min_frames: int = 40, max_frames: int = 150) -> Dict:
    """Generate one annotation dict (see module docstring)."""
    cls = ACTION_CLASSES[label]
    if camera is None:
        camera = int(rng.integers(1, 4))
    speed = subject_params['speed'] * rng.uniform(*SPEED)
    amp = float(np.clip(subject_params['amp'] * rng.uniform(0.8, 1.2), 0.6, 1.35))
    act_len = cls.duration * DUR / speed
    lead_in = rng.uniform(2, LEAD_MAX)
    lead_out = rng.uniform(2, LEAD_MAX)
    T = int(np.clip(round(act_len + lead_in + lead_out), min_frames, max_frames))
    # if clipped, keep the action inside the window
    act_len = min(act_len, T - 4)
    start = min(lead_in, max(T - act_len - 2, 0))
    u = np.clip((np.arange(T) - start) / act_len, 0.0, 1.0)
    pr = dict(cycles=rng.uniform(*cls.cycles),
              phase=rng.uniform(0, 2 * np.pi),
              reps=int(rng.choice(cls.reps)),
              lag=rng.uniform(0.02, 0.1))

    two = cls.two_person
    idle_second = (not two) and rng.random() < idle_person_prob
    n_person = 2 if (two or idle_second) else 1
    poses = [_Pose(T) for _ in range(n_person)]
    for p in poses:
        _rest_arms(p, 1.0)
    if two:
        cls.motion(u, amp, pr, poses)
    else:
        cls.motion(u, amp, pr, poses[:1])
        if idle_second:  # a bystander shifting weight
            sway = np.sin(2 * np.pi * rng.uniform(0.1, 0.4) * np.arange(T) / 30.0
                          + rng.uniform(0, 6.3))
            poses[1].trunk(side=0.05 * sway)
            poses[1].yaw += 0.2 * sway

    # scene layout: persons in a "scene" frame, then the camera view
    bodies = [subject_params['offsets']]
    bodies += [_random_body(rng) for _ in range(n_person - 1)]
    if two:
        gap = rng.uniform(0.5, 0.65)
        scene_yaw = rng.uniform(-SCENE, SCENE)
        c, s = math.cos(scene_yaw), math.sin(scene_yaw)
        axis = np.array([c, 0.0, -s])  # direction from person 1 to person 2
        base_pos = [-gap * axis, gap * axis]
        face = math.atan2(axis[0], axis[2])
        base_yaw = [face, face + math.pi]
    else:
        base_pos = [np.zeros(3)]
        base_yaw = [math.pi + rng.uniform(-FACE, FACE)]  # roughly facing the camera
        if idle_second:
            side = rng.choice([-1.0, 1.0])
            base_pos.append(np.array([side * rng.uniform(0.8, 1.3), 0.0,
                                      rng.uniform(-0.3, 0.6)]))
            base_yaw.append(math.pi + rng.uniform(-0.8, 0.8))

    kp = np.stack([
        _place_person(poses[i], bodies[i],
                      _style_noise(rng, T, subject_params['style'] if i == 0 else 0.06),
                      base_yaw[i], base_pos[i])
        for i in range(n_person)])  # (M, T, V, 3) scene frame

    # camera: yaw of the view about the vertical, a small tilt, then position
    view = _CAMERA_YAW[camera - 1] + rng.uniform(-0.25, 0.25)
    tilt = rng.uniform(-TILT, TILT)
    R = _rot_x(tilt) @ _rot_y(view)
    trans = np.array([rng.uniform(-0.6, 0.6), -rng.uniform(0.8, 1.1),
                      rng.uniform(2.6, 3.6)])
    if two and rng.random() < SWAP:
        kp = kp[::-1]
    kp = kp @ R.T + trans
    kp = kp + rng.normal(0.0, noise_std, size=kp.shape)

    frame_dir = (f'S{_SETUP_ID:03d}C{camera:03d}P{subject:03d}'
                 f'R{rep:03d}A{label + 1:03d}')
    return dict(frame_dir=frame_dir, label=int(label), total_frames=int(T),
                keypoint=kp.astype(np.float32))


def split_subjects(num_subjects: int,
                   num_val_subjects: int) -> Tuple[List[int], List[int]]:
    """Deterministic subject split: val subjects spread evenly over the ids."""
    ids = list(range(1, num_subjects + 1))
    num_val = int(np.clip(num_val_subjects, 1 if num_subjects > 1 else 0,
                          max(num_subjects - 1, 0)))
    if num_val == 0:
        return ids, []
    pos = np.round(np.linspace(0, num_subjects - 1, num_val + 2)[1:-1]).astype(int)
    val = sorted({ids[i] for i in pos})
    train = [i for i in ids if i not in val]
    return train, val


def make_dataset(seed: int = 0, num_classes: int = len(ACTION_CLASSES),
                 num_subjects: int = 20, num_val_subjects: int = 6,
                 num_repetitions: int = 2, noise_std: float = 0.01,
                 min_frames: int = 40, max_frames: int = 150) -> Dict:
    """Build the whole synthetic data set (deterministic in ``seed``).

    Returns the mmaction2 annotation dict with ``xsub_train`` and ``xsub_val``
    splits. ``num_classes`` takes the first classes of :data:`ACTION_CLASSES`.
    """
    if not 1 <= num_classes <= len(ACTION_CLASSES):
        raise ValueError(f'num_classes must be in [1, {len(ACTION_CLASSES)}]')
    if num_subjects < 1 or num_repetitions < 1:
        raise ValueError('num_subjects and num_repetitions must be >= 1')
    root = np.random.SeedSequence(seed)
    subj_seqs = root.spawn(num_subjects)
    train_ids, val_ids = split_subjects(num_subjects, num_val_subjects)
    annotations = []
    split = {'xsub_train': [], 'xsub_val': []}
    for s_idx, sseq in enumerate(subj_seqs):
        subject = s_idx + 1
        srng = np.random.default_rng(sseq.spawn(1)[0])
        subject_params = dict(
            offsets=_random_body(srng),
            speed=srng.uniform(0.85, 1.2),
            amp=srng.uniform(0.85, 1.15),
            style=srng.uniform(*STYLE),
        )
        sample_seqs = sseq.spawn(num_classes * num_repetitions + 1)[1:]
        for label in range(num_classes):
            for rep in range(1, num_repetitions + 1):
                rng = np.random.default_rng(
                    sample_seqs[label * num_repetitions + rep - 1])
                ann = generate_sample(label, subject, rep, rng, subject_params,
                                      noise_std=noise_std, min_frames=min_frames,
                                      max_frames=max_frames)
                annotations.append(ann)
                key = 'xsub_val' if subject in val_ids else 'xsub_train'
                split[key].append(ann['frame_dir'])
    return dict(split=split, annotations=annotations)


# ---------------------------------------------------------------------------
# Difficulty probe: raw-coordinate nearest neighbour
# ---------------------------------------------------------------------------

def raw_features(keypoint: np.ndarray, num_frames: int = 32) -> np.ndarray:
    """Flattened raw coordinates of one sample, resized to ``num_frames``.

    Both persons (a missing one is zeros), centred on joint 1 (middle of
    spine) of person 0 in frame 0, linearly interpolated in time.
    """
    M, T, V, C = keypoint.shape
    kp = np.zeros((2, T, V, C), dtype=np.float64)
    kp[:min(M, 2)] = keypoint[:2]
    centre = kp[0, 0, 1].copy()
    kp[:min(M, 2)] -= centre
    src = np.linspace(0, T - 1, num_frames)
    lo = np.floor(src).astype(int)
    hi = np.minimum(lo + 1, T - 1)
    w = (src - lo)[None, :, None, None]
    out = kp[:, lo] * (1 - w) + kp[:, hi] * w
    return out.reshape(-1)


def raw_nn_accuracy(data: Dict, train_split: str = 'xsub_train',
                    val_split: str = 'xsub_val', num_frames: int = 32) -> float:
    """Top-1 accuracy of a 1-NN classifier on raw flattened coordinates.

    Train samples of ``train_split`` are the gallery, samples of
    ``val_split`` are the queries (Euclidean distance).
    """
    by_name = {a['frame_dir']: a for a in data['annotations']}
    tr = [by_name[n] for n in data['split'][train_split]]
    va = [by_name[n] for n in data['split'][val_split]]
    if not tr or not va:
        raise ValueError('both splits must be non-empty')
    Xtr = np.stack([raw_features(a['keypoint'], num_frames) for a in tr])
    Xva = np.stack([raw_features(a['keypoint'], num_frames) for a in va])
    ytr = np.array([a['label'] for a in tr])
    yva = np.array([a['label'] for a in va])
    d = ((Xva ** 2).sum(1)[:, None] + (Xtr ** 2).sum(1)[None]
         - 2.0 * Xva @ Xtr.T)
    pred = ytr[d.argmin(1)]
    return float((pred == yva).mean())
