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
their motion.

The 12 classes are 6 looping movements, each performed forward and
reversed (``direction`` -1: the same movement played backwards). Every
movement drives some channels a quarter cycle apart (an arm circling, a
knee lifting after its hip), so its reversal is not the movement started
at another phase: the two classes visit the same postures equally often
and differ only in the direction of the motion. A feature of the postures
alone (a randomly initialised encoder is close to one) cannot separate
them; a representation that encodes motion, as MAMP's masked motion
prediction asks of it, can.
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
        direction (float): 1 to play the pattern forward, -1 backwards.
            Defaults to 1.
    """
    name: str
    cycles: float
    terms: Tuple[Term, ...]
    direction: float = 1.


def _both(side_channel: str, shape: str, amp: float, phase: float = 0.,
          opposite: bool = False) -> Tuple[Term, Term]:
    """The same term on the left and right limb (``opposite``: half a cycle
    apart, as in walking)."""
    right_phase = phase + (0.5 if opposite else 0.)
    return (Term('l_' + side_channel, shape, amp, phase),
            Term('r_' + side_channel, shape, amp, right_phase))


MOVEMENTS = (
    Action('arm circles', 3, (*_both('arm_fwd', 'swing', 1.0),
                              *_both('arm_side', 'swing', .6, .25),
                              *_both('arm_side', 'hold', .8),
                              Term('spine_pitch', 'swing', .12, .5),
                              *_both('knee', 'raise', .2),
                              Term('root_y', 'swing', .03, .25))),
    Action('hip circles', 2, (Term('spine_pitch', 'swing', .35),
                              Term('spine_roll', 'swing', .35, .25),
                              Term('root_x', 'swing', .08, .5),
                              Term('root_z', 'swing', .08, .75),
                              *_both('arm_side', 'hold', .5),
                              *_both('arm_side', 'swing', .15, .5),
                              *_both('elbow', 'hold', 1.5),
                              *_both('knee', 'raise', .2, .25))),
    Action('cycling legs', 3, (*_both('leg_fwd', 'swing', .6, opposite=True),
                               Term('l_knee', 'raise', 1.0, .25),
                               Term('r_knee', 'raise', 1.0, .75),
                               Term('l_arm_fwd', 'swing', -.5),
                               Term('r_arm_fwd', 'swing', .5),
                               *_both('elbow', 'swing', .4, .25),
                               Term('root_y', 'swing', .04, .25))),
    Action('polish a window', 3, (*_both('arm_fwd', 'hold', 1.2),
                                  Term('r_arm_fwd', 'swing', .5),
                                  Term('r_arm_side', 'swing', .5, .25),
                                  Term('l_arm_fwd', 'swing', .5, .5),
                                  Term('l_arm_side', 'swing', .5, .75),
                                  *_both('elbow', 'hold', .6),
                                  Term('spine_yaw', 'swing', .2, .25),
                                  Term('root_x', 'swing', .05, .25))),
    Action('breaststroke', 2, (*_both('arm_fwd', 'hold', 1.3),
                               *_both('arm_fwd', 'swing', .4),
                               *_both('arm_side', 'swing', .7, .25),
                               *_both('elbow', 'swing', .6, .5),
                               Term('spine_pitch', 'swing', .2, .75),
                               *_both('knee', 'raise', .3, .5),
                               Term('root_z', 'swing', .05))),
    Action('trunk rotation', 2, (Term('spine_yaw', 'swing', .6),
                                 Term('spine_pitch', 'swing', .3, .25),
                                 *_both('arm_side', 'hold', 1.2),
                                 Term('l_arm_fwd', 'swing', .4, .25),
                                 Term('r_arm_fwd', 'swing', -.4, .25),
                                 *_both('knee', 'raise', .2, .5),
                                 Term('root_x', 'swing', .05, .75))),
)
ACTIONS = tuple(
    movement._replace(name=f'{movement.name} ({way})', direction=direction)
    for movement in MOVEMENTS
    for way, direction in (('forward', 1.), ('reversed', -1.)))
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
        angle = 2 * np.pi * (action.direction * progress + term.phase)
        wave = amplitude * term.amp * WAVES[term.shape](angle)
        channels[term.channel] = channels.get(term.channel, 0.) + wave
    return channels
