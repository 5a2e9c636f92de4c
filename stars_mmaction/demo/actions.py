"""Whole-body motion patterns of the demo action classes.

Each action is a few strokes (``cycles`` per sequence at normal speed) of a
pattern that moves the trunk, the arms and the legs together. A term of a
pattern drives one channel of ``body.CHANNELS`` with one wave shape:

- ``'swing'``: ``amp * sin(2 pi (cycles * u + phase))``, back and forth;
- ``'raise'``: ``amp * (1 - cos(2 pi (cycles * u + phase))) / 2``, out from
  the rest pose and back;
- ``'hold'``: ``amp``, a posture kept through the action.

where ``u`` in [0, 1] is the progress through the sequence. Every pattern
also shifts the whole body (root channels), so all joints share part of
their motion. The classes differ in how the body moves, not only in where
the limbs are, so a representation has to encode motion to separate them.
"""
from typing import Dict, NamedTuple, Tuple

import numpy as np


class Term(NamedTuple):
    """One channel of an action pattern.

    Args:
        channel (str): A name of ``body.CHANNELS``.
        shape (str): ``'swing'``, ``'raise'`` or ``'hold'``.
        amp (float): Amplitude (radians, or metres for root channels).
        phase (float): Phase offset in cycles. Defaults to 0.
    """
    channel: str
    shape: str
    amp: float
    phase: float = 0.


class Action(NamedTuple):
    """An action class: its strokes per sequence and its pattern.

    Args:
        name (str): Class name (the label map's line).
        cycles (float): Strokes per sequence at normal speed.
        terms (tuple[Term]): The channels it drives.
    """
    name: str
    cycles: float
    terms: Tuple[Term, ...]


def _both(side_channel: str, shape: str, amp: float, phase: float = 0.,
          opposite: bool = False) -> Tuple[Term, Term]:
    """The same term on the left and right limb (``opposite``: half a cycle
    apart, as in walking)."""
    right_phase = phase + (0.5 if opposite else 0.)
    return (Term('l_' + side_channel, shape, amp, phase),
            Term('r_' + side_channel, shape, amp, right_phase))


ACTIONS = (
    Action('jumping jacks', 3, (*_both('arm_side', 'raise', 2.2),
                                *_both('leg_side', 'raise', .35),
                                Term('root_y', 'raise', .12))),
    Action('squat', 2, (*_both('leg_fwd', 'raise', 1.4),
                        *_both('knee', 'raise', 2.0),
                        *_both('arm_fwd', 'raise', 1.3),
                        Term('spine_pitch', 'raise', .4),
                        Term('root_y', 'raise', -.35))),
    Action('walk in place', 3, (*_both('leg_fwd', 'swing', .6, opposite=True),
                                *_both('knee', 'raise', .9, opposite=True),
                                Term('l_arm_fwd', 'swing', -.6),
                                Term('r_arm_fwd', 'swing', .6),
                                Term('spine_yaw', 'swing', .15),
                                Term('root_y', 'swing', .03, .25),
                                Term('root_x', 'swing', .08))),
    Action('twist trunk', 2, (Term('spine_yaw', 'swing', .8),
                              *_both('arm_side', 'hold', 1.4),
                              *_both('elbow', 'swing', .4),
                              Term('l_leg_fwd', 'swing', .15),
                              Term('r_leg_fwd', 'swing', -.15),
                              Term('root_x', 'swing', .08, .25))),
    Action('bend sideways', 2, (Term('spine_roll', 'swing', .5),
                                Term('l_arm_side', 'swing', -1.2, .5),
                                Term('r_arm_side', 'swing', 1.2),
                                Term('l_leg_side', 'swing', .15),
                                Term('root_x', 'swing', -.12))),
    Action('bow', 1, (Term('spine_pitch', 'raise', 1.1),
                      *_both('arm_fwd', 'raise', .5),
                      *_both('leg_fwd', 'raise', .3),
                      *_both('knee', 'raise', .2),
                      Term('root_z', 'raise', -.15),
                      Term('root_y', 'raise', -.1))),
    Action('punch', 3, (Term('r_arm_fwd', 'raise', 1.3),
                        Term('r_elbow', 'raise', -1.6),
                        Term('l_arm_fwd', 'raise', 1.3, .5),
                        Term('l_elbow', 'raise', -1.6, .5),
                        *_both('elbow', 'hold', 1.8),
                        Term('spine_yaw', 'swing', .35),
                        Term('r_leg_fwd', 'hold', -.2),
                        Term('l_leg_fwd', 'hold', .25),
                        Term('root_z', 'swing', .1))),
    Action('wave both arms', 3, (*_both('arm_side', 'hold', 2.6),
                                 *_both('arm_side', 'swing', .45),
                                 *_both('elbow', 'swing', .5, .25),
                                 Term('spine_roll', 'swing', .12),
                                 *_both('knee', 'raise', .15),
                                 Term('root_x', 'swing', .1, .25))),
    Action('kick', 2, (Term('r_leg_fwd', 'raise', 1.4),
                       Term('r_knee', 'raise', .6, .35),
                       *_both('arm_side', 'raise', .6),
                       Term('spine_pitch', 'raise', -.2),
                       Term('l_knee', 'raise', .2),
                       Term('root_z', 'raise', -.1),
                       Term('root_y', 'raise', .05))),
    Action('jump', 2, (*_both('knee', 'raise', 1.2, .5),
                       *_both('leg_fwd', 'raise', .7, .5),
                       *_both('arm_fwd', 'swing', 1.2),
                       Term('spine_pitch', 'raise', .3, .5),
                       Term('root_y', 'swing', .15, .25))),
    Action('arm circles', 3, (*_both('arm_fwd', 'swing', 1.1),
                              *_both('arm_side', 'swing', 1.1, .25),
                              *_both('arm_side', 'hold', 1.0),
                              Term('spine_pitch', 'swing', .1),
                              *_both('knee', 'raise', .15),
                              Term('root_y', 'swing', .05),
                              Term('root_z', 'swing', .05, .25))),
    Action('sit down and stand up', 1, (*_both('leg_fwd', 'raise', 1.5),
                                        *_both('knee', 'raise', 1.6),
                                        Term('spine_pitch', 'raise', .5),
                                        *_both('arm_fwd', 'raise', .7),
                                        Term('root_y', 'raise', -.45),
                                        Term('root_z', 'raise', -.2))),
)
CLASS_NAMES = tuple(action.name for action in ACTIONS)

WAVES = {
    'swing': lambda angle: np.sin(angle),
    'raise': lambda angle: (1 - np.cos(angle)) / 2,
    'hold': lambda angle: np.ones_like(angle),
}


def action_channels(action: Action, progress: np.ndarray,
                    amplitude: float = 1.) -> Dict[str, np.ndarray]:
    """The channel trajectories of one performance of an action.

    Args:
        action (Action): The action class.
        progress (np.ndarray): Stroke phase (T,) in cycles: ``cycles * u``
            already scaled by the performance's speed and start.
        amplitude (float): Scale of every term. Defaults to 1.

    Returns:
        dict[str, np.ndarray]: Trajectories (T,) of the driven channels
        (terms on one channel add up).
    """
    channels = dict()
    for term in action.terms:
        angle = 2 * np.pi * (progress + term.phase)
        wave = amplitude * term.amp * WAVES[term.shape](angle)
        channels[term.channel] = channels.get(term.channel, 0.) + wave
    return channels
