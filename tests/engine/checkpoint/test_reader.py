"""Each checkpoint file is read from disk once per run."""
import os

import pytest
import torch
from mmengine.runner.checkpoint import _load_checkpoint

from stars_mmaction.engine.checkpoint import (forget_checkpoints,
                                              read_checkpoint, safe_load,
                                              select_resume_checkpoint)


@pytest.fixture
def disk_reads(monkeypatch):
    forget_checkpoints()
    reads = []
    load = torch.load

    def counting_load(path, *args, **kwargs):
        reads.append(os.path.basename(str(path)))
        return load(path, *args, **kwargs)

    monkeypatch.setattr(safe_load.torch, 'load', counting_load)
    yield reads
    forget_checkpoints()


def save(path, epoch):
    torch.save(dict(state_dict={'w': torch.ones(1) * epoch},
                    meta=dict(epoch=epoch, iter=epoch)), path)


def test_resume_choice_is_handed_to_mmengine_without_a_second_read(
        tmp_path, disk_reads):
    for epoch in (1, 2):
        save(tmp_path / f'epoch_{epoch}.pth', epoch)
    path = select_resume_checkpoint(str(tmp_path), None)
    assert disk_reads == ['epoch_2.pth', 'epoch_1.pth']
    checkpoint = _load_checkpoint(path, map_location='cpu')  # the Runner's
    assert checkpoint['meta']['epoch'] == 2
    assert disk_reads == ['epoch_2.pth', 'epoch_1.pth']
    _load_checkpoint(path, map_location='cpu')  # handed over once only
    assert disk_reads[-1] == 'epoch_2.pth' and len(disk_reads) == 3


def test_a_changed_file_is_read_again(tmp_path, disk_reads):
    path = str(tmp_path / 'ckpt.pth')
    save(path, 1)
    read_checkpoint(path, keep=True)
    save(path, 22)  # another size: a new key
    assert read_checkpoint(path)['meta']['epoch'] == 22
    assert disk_reads == ['ckpt.pth', 'ckpt.pth']
