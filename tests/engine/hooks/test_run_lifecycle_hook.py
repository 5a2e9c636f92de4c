"""The run lifecycle through Runner.from_cfg: resume, lr, safety, saves."""
import errno
import os
import sys
from pathlib import Path

import pytest
import torch
from mmengine.runner import Runner

from stars_mmaction.engine.checkpoint import (CheckpointMismatchError,
                                              CheckpointSaveError,
                                              UnsafeCheckpointError,
                                              atomic_save)

sys.path.insert(0, str(Path(__file__).parents[1] / 'checkpoint'))
from toy_runner import toy_cfg, train_toy  # noqa: E402


class MarkerPayload:
    """Unpickling it would create ``path`` (the attack being tested)."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (Path.touch, (Path(self.path), ))


def crafted_checkpoint(tmp_path):
    marker = tmp_path / 'MARKER'
    path = tmp_path / 'crafted.pth'
    state = dict(linear=torch.nn.Linear(4, 2).state_dict())
    torch.save(dict(state_dict={f'linear.{k}': v
                                for k, v in state['linear'].items()},
                    meta=dict(epoch=1, iter=2),
                    message_hub=dict(log_scalars={}, runtime_info={},
                                     resumed_keys={}),
                    payload=MarkerPayload(marker)), path)
    return path, marker


def lr_during_training(runner):
    return runner.optim_wrapper.optimizer.param_groups[0]['lr']


@pytest.mark.parametrize('route', [
    'load_from', 'resume', 'init_cfg Pretrained', 'init_cfg StrictPretrained'
])
def test_crafted_checkpoint_is_refused_and_never_runs(tmp_path, route):
    path, marker = crafted_checkpoint(tmp_path)
    kwargs = dict(load_from=str(path))
    if route == 'resume':
        kwargs['resume'] = True
    elif route.startswith('init_cfg'):
        init = dict(type=route.split()[1], checkpoint=str(path))
        if init['type'] == 'StrictPretrained':
            init['prefix'] = ''
        kwargs = dict(model=dict(type='ToyLinearModel', init_cfg=init))
    with pytest.raises(UnsafeCheckpointError,
                       match=rf"{path}.*needs \['pathlib.Path'.*"
                       '--trust-checkpoint'):
        train_toy(tmp_path / 'work', max_epochs=1, **kwargs)
    assert not marker.exists()
    # the opt-in, for this file only, loads it (and runs its code)
    train_toy(tmp_path / 'trusted', max_epochs=1,
              trusted_checkpoints=[str(path)], **kwargs)
    assert marker.exists()


def test_resume_takes_the_most_progress_and_the_configured_lr(tmp_path):
    work = tmp_path / 'work'
    schedule = [dict(type='LinearLR', start_factor=0.5, by_epoch=True,
                     begin=0, end=4)]
    train_toy(work, max_epochs=2, lr=0.1, param_scheduler=schedule)
    # cp -r: epoch_1 looks newest; last_checkpoint names another folder
    os.utime(work / 'epoch_2.pth', (1000, 1000))
    (work / 'last_checkpoint').write_text('/elsewhere/epoch_1.pth')
    resumed = train_toy(work, max_epochs=3, lr=0.05, resume=True,
                        param_scheduler=schedule)
    assert resumed.epoch == 3
    ckpt = torch.load(work / 'epoch_3.pth', weights_only=False)
    assert ckpt['meta']['iter'] == 6  # 2 iterations per epoch, none twice
    assert ckpt['optimizer']['param_groups'][0]['initial_lr'] == 0.05
    # epoch 3 ran at the configured base lr on the configured schedule
    fresh = train_toy(tmp_path / 'fresh', max_epochs=3, lr=0.05,
                      param_scheduler=schedule)
    def saved_lr(folder, epoch):
        return torch.load(folder / f'epoch_{epoch}.pth', weights_only=False
                          )['optimizer']['param_groups'][0]['lr']

    assert saved_lr(work, 2) == pytest.approx(2 * saved_lr(tmp_path / 'fresh',
                                                          2))
    assert saved_lr(work, 3) == pytest.approx(saved_lr(tmp_path / 'fresh', 3))
    assert lr_during_training(resumed) == pytest.approx(
        lr_during_training(fresh))


def test_resume_without_a_checkpoint_says_it_starts_from_scratch(
        tmp_path, capsys):
    runner = train_toy(tmp_path / 'work', max_epochs=1, resume=True,
                       log_level='INFO')
    out = capsys.readouterr().out
    assert f'no checkpoint (epoch_*.pth, iter_*.pth) found in ' \
        f'{tmp_path / "work"}; training starts from scratch' in out
    assert 'latest checkpoint None' not in out
    assert runner.iter == 2


def test_resume_refuses_a_checkpoint_of_another_model(tmp_path):
    train_toy(tmp_path / 'small', max_epochs=1)
    cfg = toy_cfg(tmp_path / 'big', max_epochs=2, resume=True,
                  load_from=str(tmp_path / 'small' / 'epoch_1.pth'),
                  model=dict(type='ToyLinearModel', in_features=5),
                  train_dataloader=dict(
                      dataset=dict(type='ToyVectors', in_features=5),
                      sampler=dict(type='DefaultSampler', shuffle=False),
                      collate_fn=dict(type='default_collate'),
                      batch_size=4, num_workers=0))
    with pytest.raises(CheckpointMismatchError,
                       match=r'resume checkpoint .*epoch_1.pth does not '
                       r'match[\s\S]*linear.weight \(2, 4\) vs \(2, 5\)'):
        Runner.from_cfg(cfg).train()


def test_full_disk_while_saving_leaves_no_partial_checkpoint(
        tmp_path, monkeypatch):
    def write_half_then_fail(data, path):
        if 'epoch_2' in path:
            with open(path, 'wb') as f:
                f.write(data[:len(data) // 2])
            raise OSError(errno.ENOSPC, 'No space left on device')
        with open(path, 'wb') as f:
            f.write(data)

    monkeypatch.setattr(atomic_save, '_write_synced', write_half_then_fail)
    work = tmp_path / 'work'
    with pytest.raises(CheckpointSaveError,
                       match=rf'could not save checkpoint {work}/epoch_2.pth:'
                       ' No space left on device.*free space in'):
        train_toy(work, max_epochs=2)
    assert sorted(p.name for p in work.glob('*.pth')) == ['epoch_1.pth']
    assert not list(work.glob('.*tmp'))
    assert torch.load(work / 'epoch_1.pth',
                      weights_only=False)['meta']['epoch'] == 1
