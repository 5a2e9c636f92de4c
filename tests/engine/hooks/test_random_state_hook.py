"""RandomStateHook puts the generators into checkpoints and back."""
import random
from types import SimpleNamespace

import numpy as np
import torch
from mmengine.hooks import CheckpointHook

from stars_mmaction.engine import RandomStateHook


def draws():
    return (random.random(), float(np.random.rand()), float(torch.rand(1)))


def fake_runner(iteration):
    loader = SimpleNamespace(sampler=SimpleNamespace(seed=7),
                             persistent_workers=False,
                             num_workers=0)
    return SimpleNamespace(hooks=[CheckpointHook(interval=1)],
                           iter=iteration,
                           seed=7,
                           train_dataloader=loader)


def seed(value):
    random.seed(value)
    np.random.seed(value)
    torch.manual_seed(value)


def test_states_saved_at_the_epoch_checkpoint_come_back_on_resume():
    hook, runner = RandomStateHook(), fake_runner(6)
    seed(0)
    draws()
    hook.after_train_epoch(runner)
    checkpoint = {}
    hook.before_save_checkpoint(runner, checkpoint)
    after_save = draws()
    assert len(checkpoint['random_state']) == 1  # one per rank

    seed(123)  # a new process: seeded, model built, checkpoint loaded
    hook = RandomStateHook()
    hook.after_load_checkpoint(runner, checkpoint)
    assert draws() != after_save
    hook.before_train(runner)
    assert draws() == after_save


def test_load_from_does_not_touch_the_generators():
    hook, runner = RandomStateHook(), fake_runner(6)
    seed(0)
    hook.after_train_epoch(runner)
    checkpoint = {}
    hook.before_save_checkpoint(runner, checkpoint)
    seed(5)
    expected = draws()
    seed(5)
    hook = RandomStateHook()
    hook.after_load_checkpoint(fake_runner(0), checkpoint)
    hook.before_train(fake_runner(0))  # iteration 0: weights only
    assert draws() == expected


def test_validation_does_not_shift_the_training_stream():
    hook, runner = RandomStateHook(), fake_runner(0)
    hook.before_train(runner)
    seed(0)
    hook.before_val(runner)
    draws()  # the validation loader and pipeline draw numbers
    hook.after_val(runner)
    after = draws()
    seed(0)
    assert draws() == after


def test_resumed_seed_reaches_the_sampler():
    hook, runner = RandomStateHook(), fake_runner(6)
    runner.seed = 42
    hook.after_load_checkpoint(runner, {})  # saved without the hook
    hook.before_train(runner)
    assert runner.train_dataloader.sampler.seed == 42
