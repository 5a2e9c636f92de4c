"""Reading NTU RGB+D raw ``.skeleton`` files and their names.

File format (official Kinect v2 export), one value group per line::

    <num_frames>
    per frame:
        <num_bodies>
        per body:
            bodyID clipedEdges handLeftConfidence handLeftState
                handRightConfidence handRightState isResticted leanX leanY
                trackingState                                  (10 values)
            <num_joints>                                       (25)
            per joint: x y z depthX depthY colorX colorY orientationW
                orientationX orientationY orientationZ trackingState  (12)

File names are ``SsssCcccPpppRrrrAaaa.skeleton`` (setup, camera, performer,
replication, action; all 1-based).
"""
import os.path as osp
import re
from typing import Dict, List, Tuple

import numpy as np

from .summary import SampleSkipped

__all__ = ['parse_ntu_name', 'read_ntu_skeleton']

NUM_JOINTS = 25
BODY_INFO_VALUES = 10
JOINT_VALUES = 12

_NAME_RE = re.compile(r'^S(\d{3})C(\d{3})P(\d{3})R(\d{3})A(\d{3})$')


def strip_ext(name: str) -> str:
    name = osp.basename(name.strip())
    if name.endswith('.skeleton'):
        name = name[:-len('.skeleton')]
    return name


def parse_ntu_name(name: str) -> Dict[str, int]:
    """``'S001C002P003R002A013(.skeleton)'`` -> dict of the five ids.

    Raises:
        SampleSkipped: (category ``'bad file name'``) when it does not parse.
    """
    stem = strip_ext(name)
    m = _NAME_RE.match(stem)
    if m is None:
        raise SampleSkipped(
            'bad file name',
            f'{name}: file name does not match SsssCcccPpppRrrrAaaa.skeleton')
    setup, camera, subject, replication, action = map(int, m.groups())
    return dict(setup=setup,
                camera=camera,
                subject=subject,
                replication=replication,
                action=action)


def _split_values(lines: List[str], idx: int, expected: int, what: str,
                  path: str) -> List[str]:
    """Tokens of line ``idx`` (0-based), checked for count and presence."""
    if idx >= len(lines):
        raise SampleSkipped(
            'truncated file',
            f'{path}: truncated at line {idx + 1}: expected {what} but the '
            f'file has only {len(lines)} lines')
    tokens = lines[idx].split()
    if expected is not None and len(tokens) != expected:
        category = ('truncated file' if idx == len(lines) -
                    1 else 'malformed file')
        raise SampleSkipped(
            category,
            f'{path}: line {idx + 1}: expected {expected} values for '
            f'{what}, got {len(tokens)}')
    return tokens


def _read_int(lines, idx, what, path) -> int:
    tokens = _split_values(lines, idx, 1, what, path)
    try:
        value = int(tokens[0])
    except ValueError:
        raise SampleSkipped(
            'malformed file',
            f'{path}: line {idx + 1}: expected an integer {what}, '
            f'got {tokens[0]!r}') from None
    if value < 0:
        raise SampleSkipped(
            'malformed file',
            f'{path}: line {idx + 1}: negative {what} {value}')
    return value


def read_ntu_skeleton(
        path: str) -> Tuple[int, List[List[Tuple[str, np.ndarray]]]]:
    """Parse one ``.skeleton`` file.

    Returns:
        ``(num_frames, frames)`` where ``frames[t]`` is a list of
        ``(bodyID, xyz)`` with ``xyz`` a float64 ``(25, 3)`` array.

    Raises:
        SampleSkipped: truncated or malformed file (message names the file
            and the line), or NaN / infinite coordinates.
    """
    with open(path, 'r') as f:
        lines = f.read().splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    num_frames = _read_int(lines, 0, 'the frame count', path)
    idx = 1
    frames = []
    for t in range(num_frames):
        num_bodies = _read_int(lines, idx, f'the body count of frame {t}',
                               path)
        idx += 1
        bodies = []
        for b in range(num_bodies):
            info = _split_values(lines, idx, BODY_INFO_VALUES,
                                 f'body info (frame {t}, body {b})', path)
            body_id = info[0]
            idx += 1
            num_joints = _read_int(lines, idx,
                                   f'the joint count (frame {t}, body {b})',
                                   path)
            if num_joints != NUM_JOINTS:
                raise SampleSkipped(
                    'malformed file',
                    f'{path}: line {idx + 1}: expected {NUM_JOINTS} joints, '
                    f'got {num_joints}')
            idx += 1
            if idx + num_joints > len(lines):
                raise SampleSkipped(
                    'truncated file',
                    f'{path}: truncated at line {len(lines) + 1}: frame {t} '
                    f'body {b} announces {num_joints} joints from line '
                    f'{idx + 1} but the file has only {len(lines)} lines')
            values = []
            for j in range(num_joints):
                tokens = _split_values(lines, idx + j, JOINT_VALUES,
                                       f'joint {j} (frame {t}, body {b})',
                                       path)
                values.extend(tokens[:3])
            try:
                xyz = np.array(values, dtype=np.float64).reshape(num_joints, 3)
            except ValueError:
                raise SampleSkipped(
                    'malformed file',
                    f'{path}: lines {idx + 1}-{idx + num_joints}: '
                    f'non-numeric joint coordinates') from None
            if not np.all(np.isfinite(xyz)):
                bad = idx + 1 + int(np.argmax(~np.isfinite(xyz).all(1)))
                raise SampleSkipped(
                    'NaN values',
                    f'{path}: line {bad}: NaN or infinite joint coordinate')
            idx += num_joints
            bodies.append((body_id, xyz))
        frames.append(bodies)
    if idx < len(lines):
        raise SampleSkipped(
            'malformed file',
            f'{path}: line {idx + 1}: unexpected content after the '
            f'{num_frames} frames the file announces')
    return num_frames, frames
