from unittest.mock import MagicMock

import pytest

from stars_mmaction.engine.hooks import MilestoneCheckpointHook


def saved_epochs(hook, max_epochs):
    runner = MagicMock()
    runner.max_epochs = max_epochs
    runner.train_loop.max_epochs = max_epochs
    saved = []
    hook._save_checkpoint = lambda r: saved.append(r.epoch + 1)
    for epoch in range(max_epochs):
        runner.epoch = epoch
        hook.after_train_epoch(runner)
    return saved


def test_saves_at_milestones_and_last_epoch_only():
    hook = MilestoneCheckpointHook(milestones=[5, 10, 20])
    assert saved_epochs(hook, 25) == [5, 10, 20, 25]


def test_interval_still_applies():
    hook = MilestoneCheckpointHook(milestones=[3], interval=4)
    assert saved_epochs(hook, 8) == [3, 4, 8]


def test_milestones_survive_max_keep_ckpts():
    hook = MilestoneCheckpointHook(milestones=[1, 2], max_keep_ckpts=1)
    kept = []
    hook._save_checkpoint = lambda r: kept.append(hook.max_keep_ckpts)
    runner = MagicMock()
    runner.epoch = 0
    hook.after_train_epoch(runner)
    assert kept == [-1] and hook.max_keep_ckpts == 1


@pytest.mark.parametrize('milestones', [[], [0], [2.5]])
def test_rejects_bad_milestones(milestones):
    with pytest.raises(ValueError, match='milestones'):
        MilestoneCheckpointHook(milestones=milestones)
