import numpy as np
import pytest

from stars_mmaction.demo.actions import (ACTIONS, CLASS_NAMES, Action, Term,
                                         action_channels)
from stars_mmaction.demo.body import CHANNELS


def test_every_action_moves_trunk_arms_and_legs():
    assert len(ACTIONS) == 12 and len(set(CLASS_NAMES)) == 12
    for action in ACTIONS:
        channels = {term.channel for term in action.terms}
        assert channels <= set(CHANNELS), action.name
        moving = {t.channel for t in action.terms if t.shape != 'hold'}
        assert any('arm' in c or 'elbow' in c for c in moving), action.name
        assert any(c.startswith(('spine', 'root')) or 'leg' in c
                   or 'knee' in c for c in moving), action.name


def test_wave_shapes_by_hand():
    action = Action('test', 1, (Term('l_elbow', 'swing', 2.),
                                Term('l_elbow', 'hold', .5),
                                Term('r_knee', 'raise', 1., .5)))
    progress = np.array([0., .25, .5])
    out = action_channels(action, progress, amplitude=2.)
    # swing 2 * 2 * sin(2 pi p) + hold 2 * 0.5
    np.testing.assert_allclose(out['l_elbow'], [1., 5., 1.], atol=1e-12)
    # raise with half a cycle of phase: (1 - cos(2 pi (p + .5))) / 2 * 2
    np.testing.assert_allclose(out['r_knee'], [2., 1., 0.], atol=1e-12)
    with pytest.raises(KeyError):
        action_channels(Action('bad', 1, (Term('l_elbow', 'jump', 1.), )),
                        progress)


def test_classes_pair_a_movement_with_its_reversal():
    for forward, reversed_ in zip(ACTIONS[::2], ACTIONS[1::2]):
        assert forward.terms == reversed_.terms
        assert forward.cycles == reversed_.cycles
        assert (forward.direction, reversed_.direction) == (1., -1.)
        assert forward.name.endswith('(forward)'), forward.name
        assert reversed_.name.endswith('(reversed)'), reversed_.name


def test_reversed_class_is_the_forward_one_played_backwards():
    progress = np.linspace(0, 2, 97)
    for forward, reversed_ in zip(ACTIONS[::2], ACTIONS[1::2]):
        fwd = action_channels(forward, progress)
        rev = action_channels(reversed_, progress[::-1])
        for channel in fwd:
            np.testing.assert_allclose(rev[channel], fwd[channel],
                                       atol=1e-12, err_msg=forward.name)


def test_no_time_shift_turns_a_movement_into_its_reversal():
    """The pair shares its postures, not its motion: every movement has
    channels a quarter cycle apart, so playing it backwards is not the same
    movement started elsewhere (as it would be for a single swing)."""
    progress = np.linspace(0, 1, 64, endpoint=False)
    for forward, reversed_ in zip(ACTIONS[::2], ACTIONS[1::2]):
        rev = action_channels(reversed_, progress)
        names = sorted(rev)
        rev = np.stack([rev[n] for n in names])
        closest = min(
            np.abs(np.stack([
                action_channels(forward, progress + shift)[n] for n in names
            ]) - rev).max() for shift in np.linspace(0, 1, 64,
                                                     endpoint=False))
        assert closest > .2, forward.name
