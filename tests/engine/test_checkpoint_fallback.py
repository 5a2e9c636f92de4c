"""Resume-checkpoint selection with fallback, and checkpoint path checks."""
import os
import time

import pytest
import torch
from mmengine.config import Config
from torch import nn

from stars_mmaction.engine import (CheckpointFileError,
                                   check_config_checkpoints,
                                   check_resume_model, find_resume_checkpoint,
                                   select_resume_checkpoint)
from stars_mmaction.engine import checkpoint_fallback
from stars_mmaction.engine.runner import CheckpointMismatchError


def save(path, epoch, weight=None):
    weight = torch.ones(2, 3) if weight is None else weight
    torch.save(
        dict(state_dict={
            'fc.weight': weight,
            'fc.bias': torch.zeros(2)
        },
             meta=dict(epoch=epoch, iter=3 * epoch)), path)
    mtime = time.time() - 100 + epoch  # later epochs are newer
    os.utime(path, (mtime, mtime))
    return str(path)


@pytest.fixture
def warnings(monkeypatch):
    messages = []
    monkeypatch.setattr(checkpoint_fallback, 'print_log',
                        lambda msg, **kwargs: messages.append(msg))
    return messages


def test_truncated_last_checkpoint_falls_back_to_the_previous(
        tmp_path, warnings):
    first, second = save(tmp_path / 'epoch_1.pth',
                         1), save(tmp_path / 'epoch_2.pth', 2)
    (tmp_path / 'last_checkpoint').write_text(second)
    data = open(second, 'rb').read()
    open(second, 'wb').write(data[:len(data) // 3])
    path, checkpoint = find_resume_checkpoint(str(tmp_path))
    assert path == first and checkpoint['meta']['epoch'] == 1
    assert len(warnings) == 1
    assert warnings[0].startswith(f'cannot resume from {second}: resume '
                                  f'checkpoint {second} is not a readable')
    assert f'Resuming from the previous checkpoint {first} instead' in \
        warnings[0]


def test_garbage_file_is_skipped_and_newest_readable_wins(tmp_path, warnings):
    save(tmp_path / 'epoch_1.pth', 1)
    second = save(tmp_path / 'epoch_2.pth', 2)
    (tmp_path / 'epoch_3.pth').write_bytes(b'\x00garbage')
    os.utime(tmp_path / 'epoch_3.pth', None)
    path, _ = find_resume_checkpoint(str(tmp_path))
    assert path == second
    assert 'epoch_3.pth' in warnings[0]


def test_no_readable_checkpoint_lists_every_file(tmp_path, warnings):
    (tmp_path / 'epoch_1.pth').write_text('not a checkpoint')
    torch.save({'weights': torch.ones(1)}, tmp_path / 'epoch_2.pth')
    with pytest.raises(CheckpointFileError) as err:
        find_resume_checkpoint(str(tmp_path))
    assert 'epoch_1.pth is not a readable checkpoint' in str(err.value)
    assert "epoch_2.pth is not a training checkpoint: expected keys " \
        "'state_dict' and 'meta'" in str(err.value)
    assert find_resume_checkpoint(str(tmp_path / 'empty')) is None


def test_select_sets_load_from_and_checks_the_model(tmp_path, warnings):
    save(tmp_path / 'epoch_1.pth', 1)
    cfg = Config(dict(resume=True, load_from=None, work_dir=str(tmp_path)))
    resume = select_resume_checkpoint(cfg)
    assert cfg.load_from == str(tmp_path / 'epoch_1.pth')
    model = nn.Module()
    model.fc = nn.Linear(3, 2)
    check_resume_model(model, resume)
    model.fc = nn.Linear(4, 2)
    with pytest.raises(CheckpointMismatchError,
                       match=r'resume checkpoint .*epoch_1.pth does not match'
                       r'[\s\S]*fc.weight \(2, 3\) vs \(2, 4\)'):
        check_resume_model(model, resume)
    cfg = Config(dict(resume=True, load_from=str(tmp_path / 'nope.pth')))
    with pytest.raises(CheckpointFileError, match='nope.pth does not exist'):
        select_resume_checkpoint(cfg)


def test_config_checkpoints_are_checked_with_their_key(tmp_path):
    missing = dict(model=dict(backbone=dict(init_cfg=dict(
        type='StrictPretrained', checkpoint=str(tmp_path / 'stage1.pth')))))
    with pytest.raises(CheckpointFileError,
                       match=r'model.backbone.init_cfg.checkpoint: checkpoint '
                       r'.*stage1.pth does not exist; train the previous'):
        check_config_checkpoints(Config(missing))
    (tmp_path / 'stage1.pth').write_text('hello')
    with pytest.raises(CheckpointFileError,
                       match=r'model.backbone.init_cfg.checkpoint: checkpoint '
                       r'.*stage1.pth is not a readable checkpoint'):
        check_config_checkpoints(Config(missing))
    save(tmp_path / 'stage1.pth', 1)
    check_config_checkpoints(Config(missing))
    with pytest.raises(CheckpointFileError, match=r'^load_from: checkpoint'):
        check_config_checkpoints(Config(dict(load_from=str(tmp_path / 'x'))))
