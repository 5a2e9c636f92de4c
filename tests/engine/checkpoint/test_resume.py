"""What --resume continues from: recorded progress, this work dir only."""
import os

import pytest
import torch

from stars_mmaction.engine.checkpoint import (CheckpointFileError,
                                              find_resume_checkpoint,
                                              load_training_checkpoint,
                                              resume, select_resume_checkpoint)


def save(path, epoch, mtime=None):
    torch.save(
        dict(state_dict={'fc.weight': torch.full((2, 3), float(epoch))},
             meta=dict(epoch=epoch, iter=3 * epoch)), path)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return str(path)


@pytest.fixture
def warnings(monkeypatch):
    messages = []
    monkeypatch.setattr(resume, 'print_log',
                        lambda msg, **kwargs: messages.append(msg))
    return messages


def test_most_recorded_progress_wins_over_modification_time(tmp_path):
    # after `cp -r` the copy order decides the times: epoch_3 looks oldest
    save(tmp_path / 'epoch_1.pth', 1, mtime=3000)
    save(tmp_path / 'epoch_2.pth', 2, mtime=2000)
    third = save(tmp_path / 'epoch_3.pth', 3, mtime=1000)
    path, checkpoint = find_resume_checkpoint(str(tmp_path))
    assert path == third and checkpoint['meta']['epoch'] == 3
    assert checkpoint['state_dict']['fc.weight'][0, 0] == 3


def test_truncated_newest_falls_back_with_a_warning(tmp_path, warnings):
    first = save(tmp_path / 'epoch_1.pth', 1)
    second = save(tmp_path / 'epoch_2.pth', 2)
    data = open(second, 'rb').read()
    open(second, 'wb').write(data[:len(data) // 3])
    path, checkpoint = find_resume_checkpoint(str(tmp_path))
    assert path == first and checkpoint['meta']['epoch'] == 1
    assert len(warnings) == 1
    assert warnings[0].startswith(f'cannot resume from {second}: resume '
                                  f'checkpoint {second} is not a readable')
    assert warnings[0].endswith(f'Resuming from {first} (epoch 1, iter 3) '
                                'instead')


def test_copied_work_dir_ignores_the_original_folder(tmp_path, warnings):
    original, copy = tmp_path / 'original', tmp_path / 'copy'
    original.mkdir()
    copy.mkdir()
    save(original / 'epoch_2.pth', 2)
    own = save(copy / 'epoch_1.pth', 1)
    (copy / 'last_checkpoint').write_text(str(original / 'epoch_2.pth'))
    assert find_resume_checkpoint(str(copy))[0] == own
    assert f'names {original / "epoch_2.pth"}, outside this work dir' in \
        warnings[0]
    os.remove(own)
    with pytest.raises(CheckpointFileError,
                       match=rf'{copy} holds no checkpoint, but its '
                       rf'last_checkpoint names {original}/epoch_2.pth in '
                       'another folder.*--resume'):
        find_resume_checkpoint(str(copy))


def test_no_readable_checkpoint_lists_every_file(tmp_path):
    (tmp_path / 'epoch_1.pth').write_text('not a checkpoint')
    torch.save({'weights': torch.ones(1)}, tmp_path / 'epoch_2.pth')
    with pytest.raises(CheckpointFileError) as err:
        find_resume_checkpoint(str(tmp_path))
    assert 'epoch_1.pth is not a readable checkpoint' in str(err.value)
    assert "epoch_2.pth is not a training checkpoint: expected keys " \
        "'state_dict' and 'meta'" in str(err.value)
    assert find_resume_checkpoint(str(tmp_path / 'empty')) is None


def test_explicit_resume_path_must_be_a_training_checkpoint(tmp_path):
    torch.save({'state_dict': {}}, tmp_path / 'weights.pth')
    with pytest.raises(CheckpointFileError,
                       match='use load_from instead of --resume'):
        load_training_checkpoint(str(tmp_path / 'weights.pth'))
    with pytest.raises(FileNotFoundError,
                       match='resume checkpoint .*nope.pth does not exist'):
        select_resume_checkpoint(str(tmp_path), str(tmp_path / 'nope.pth'))
