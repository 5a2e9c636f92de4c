"""Writers of the raw data-set formats, to build converter test fixtures.

The inverses of the converters in ``stars_mmaction.datasets.converters``:
they write what the official exports contain, so that tests can feed the
converters files whose content they know.
"""
from typing import Sequence, Tuple

import numpy as np

from stars_mmaction.datasets.converters.ctrgcn_npz import (NUM_COORDS,
                                                           NUM_JOINTS,
                                                           NUM_PERSONS)


def format_ntu_skeleton(frames: Sequence[Sequence[Tuple[str, np.ndarray]]]
                        ) -> str:
    """Write frames in the official ``.skeleton`` text format.

    ``frames[t]`` is a list of ``(bodyID, xyz)`` with ``xyz`` of shape
    ``(25, 3)``; the other per-body and per-joint values are filled with
    plausible constants. Used to build test fixtures.
    """
    out = [str(len(frames))]
    for bodies in frames:
        out.append(str(len(bodies)))
        for body_id, xyz in bodies:
            out.append(f'{body_id} 0 1 1 1 1 0 0.1 0.2 2')
            out.append(str(len(xyz)))
            for x, y, z in np.asarray(xyz, dtype=np.float64):
                out.append(f'{float(x)!r} {float(y)!r} {float(z)!r} '
                           '250.5 200.25 960.1 540.2 '
                           f'0.5 0.1 0.2 0.3 2')
    return '\n'.join(out) + '\n'


def ctrgcn_array_from_annotation(keypoint: np.ndarray,
                                 num_frames: int = 300) -> np.ndarray:
    """Inverse of :func:`ctrgcn_sample_to_keypoint`: ``(M, T, 25, 3)`` ->
    zero-padded ``(num_frames, 150)``."""
    m, t = keypoint.shape[:2]
    out = np.zeros((num_frames, NUM_PERSONS, NUM_JOINTS, NUM_COORDS),
                   dtype=keypoint.dtype)
    out[:t, :m] = keypoint.transpose(1, 0, 2, 3)
    return out.reshape(num_frames, -1)
