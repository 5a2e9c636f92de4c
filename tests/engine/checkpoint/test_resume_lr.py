"""The configured lr applies on resume, per group, schedulers included."""
import pytest

from stars_mmaction.engine.checkpoint import apply_configured_lr


def saved(lrs, initial):
    return dict(
        optimizer=dict(param_groups=[
            dict(lr=lr, initial_lr=i, params=[n])
            for n, (lr, i) in enumerate(zip(lrs, initial))
        ]),
        param_schedulers=[
            dict(param_name='lr', base_values=list(initial),
                 _last_value=list(lrs)),
            dict(param_name='momentum', base_values=[0.9, 0.9],
                 _last_value=[0.9, 0.9])
        ])


def test_layer_decayed_groups_keep_their_ratio_at_the_new_lr():
    # lr 1e-3 with decay 0.5 on the first group, half-way through a schedule
    checkpoint = saved(lrs=[2.5e-4, 5e-4], initial=[5e-4, 1e-3])
    configured = [dict(lr=2.5e-4, initial_lr=2.5e-4),
                  dict(lr=5e-4, initial_lr=5e-4)]  # lr 5e-4, same decay
    assert apply_configured_lr(configured, checkpoint) == [0.5, 0.5]
    groups = checkpoint['optimizer']['param_groups']
    assert [g['lr'] for g in groups] == pytest.approx([1.25e-4, 2.5e-4])
    assert [g['initial_lr'] for g in groups] == pytest.approx([2.5e-4, 5e-4])
    lr_sched, momentum = checkpoint['param_schedulers']
    assert lr_sched['base_values'] == pytest.approx([2.5e-4, 5e-4])
    assert lr_sched['_last_value'] == pytest.approx([1.25e-4, 2.5e-4])
    assert momentum['base_values'] == [0.9, 0.9]  # not a learning rate


def test_unchanged_lr_or_other_groups_change_nothing():
    checkpoint = saved(lrs=[1e-3, 1e-3], initial=[1e-3, 1e-3])
    same = [dict(lr=1e-3), dict(lr=1e-3)]
    assert apply_configured_lr(same, checkpoint) == []
    assert apply_configured_lr([dict(lr=1e-4)], checkpoint) == []
    assert checkpoint['optimizer']['param_groups'][0]['lr'] == 1e-3
