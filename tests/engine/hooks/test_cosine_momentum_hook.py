"""DINO's teacher momentum: a cosine from 0.996 to 1 per iteration."""
import math
from types import SimpleNamespace

import numpy as np
import pytest
import torch.nn as nn
from mmengine.logging import MessageHub
from mmengine.model import ExponentialMovingAverage

from stars_mmaction.engine.hooks import CosineMomentumHook, cosine_momentum


def test_start_middle_and_end_values():
    assert cosine_momentum(0, 1000, 0.996, 1.) == 0.996
    assert cosine_momentum(500, 1000, 0.996, 1.) == pytest.approx(0.998,
                                                                   abs=1e-15)
    assert cosine_momentum(1000, 1000, 0.996, 1.) == 1.
    # The last step of a run (999 of 1000) is just below 1.
    last = 1 - 0.004 * (1 + math.cos(math.pi * 999 / 1000)) / 2
    assert cosine_momentum(999, 1000, 0.996, 1.) == pytest.approx(last,
                                                                   abs=1e-15)
    assert 0.99999 < last < 1


def test_matches_the_reference_schedule_array():
    # The STARS code: final + 0.5 * (base - final) * (1 + cos(pi * it / N))
    # for it = 0 .. N - 1 (DINO's cosine_scheduler without warm-up).
    total = 37
    iters = np.arange(total)
    reference = 1. + 0.5 * (0.996 - 1.) * (1 + np.cos(np.pi * iters / total))
    ours = [cosine_momentum(i, total, 0.996, 1.) for i in iters]
    np.testing.assert_allclose(ours, reference, rtol=0, atol=1e-15)


class TwoTeachers(nn.Module):

    def __init__(self):
        super().__init__()
        self.student = nn.Linear(2, 2)
        self.teacher = ExponentialMovingAverage(self.student, momentum=0.004)
        self.head = nn.Linear(2, 2)
        self.teacher_head = ExponentialMovingAverage(self.head,
                                                     momentum=0.004)


def test_hook_sets_every_ema_momentum_each_iteration():
    model = TwoTeachers()
    runner = SimpleNamespace(model=model, iter=0, max_iters=10,
                             message_hub=MessageHub.get_instance('cos_mom'))
    hook = CosineMomentumHook(start=0.996, end=1.)
    hook.before_train(runner)
    for i in (0, 5, 9):
        runner.iter = i
        hook.before_train_iter(runner, batch_idx=i)
        expected = 1 - cosine_momentum(i, 10, 0.996, 1.)
        assert model.teacher.momentum == expected
        assert model.teacher_head.momentum == expected
    assert runner.message_hub.get_scalar(
        'train/teacher_momentum').current() == cosine_momentum(
            9, 10, 0.996, 1.)


def test_hook_errors_name_the_problem():
    with pytest.raises(ValueError, match='start <= end'):
        CosineMomentumHook(start=1., end=0.996)
    runner = SimpleNamespace(model=nn.Linear(2, 2))
    with pytest.raises(ValueError, match='no ExponentialMovingAverage'):
        CosineMomentumHook().before_train(runner)
    runner = SimpleNamespace(model=TwoTeachers())
    with pytest.raises(ValueError, match=r"\['nope'\]"):
        CosineMomentumHook(module_names=['nope']).before_train(runner)
