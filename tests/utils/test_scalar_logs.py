"""stars_mmaction.utils.scalar_logs: reading and joining mmengine logs."""
import json
import time
from pathlib import Path

import pytest
import torch
from mmengine.evaluator import BaseMetric
from mmengine.model import BaseModel
from mmengine.runner import Runner

from stars_mmaction.utils import read_scalar_log, timestamp_dirs


def write_run(work_dir, stamp, lines, partial='', test=None):
    vis = Path(work_dir) / stamp / 'vis_data'
    vis.mkdir(parents=True)
    text = ''.join(json.dumps(line) + '\n' for line in lines)
    (vis / 'scalars.json').write_text(text + partial)
    if test is not None:
        (Path(work_dir) / stamp / f'{stamp}.json').write_text(json.dumps(test))


def train(step, epoch, loss):
    return dict(lr=0.1, loss=loss, epoch=epoch, iter=step, step=step)


def val(epoch, acc):
    return {'acc/top1': acc, 'time': 0.1, 'step': epoch}


def test_resumed_run_replaces_overlap_and_keeps_earlier_validations(tmp_path):
    # Run 1: 2 iterations a epoch, reached epoch 3 (validated 1, 2, 3) and
    # crashed; run 2 resumes from the epoch-2 checkpoint.
    write_run(tmp_path, '20260101_000000', [
        train(1, 1, 4.0), train(2, 1, 3.0), val(1, 0.1),
        train(3, 2, 2.0), train(4, 2, 1.0), val(2, 0.2),
        train(5, 3, 9.0), train(6, 3, 9.0), val(3, 0.9)])
    write_run(tmp_path, '20260101_010000', [
        train(5, 3, 0.5), train(6, 3, 0.3), val(3, 0.4),
        train(7, 4, 0.2)], partial='{"lr": 0.1, "lo')
    log = read_scalar_log(str(tmp_path))
    assert log.train_series('loss') == ([1, 2, 3, 4, 5, 6, 7],
                                        [4.0, 3.0, 2.0, 1.0, 0.5, 0.3, 0.2])
    assert log.train_series('loss', by='epoch') == ([1, 2, 3, 4],
                                                    [3.5, 1.5, 0.4, 0.2])
    assert log.val_series('acc/top1') == ([1, 2, 3], [0.1, 0.2, 0.4])
    assert log.last_val('acc/top1') == 0.4
    assert log.by_epoch
    assert log.train_keys() == ['lr', 'loss']
    assert log.val_keys() == ['acc/top1', 'time']


def test_iteration_based_resume_keeps_validation_at_checkpoint(tmp_path):
    # Iteration-based: validation step = iteration; checkpoint and
    # validation at iteration 2 happen before the crash.
    write_run(tmp_path, '20260101_000000', [
        dict(lr=1, loss=5.0, iter=2, step=2), val(2, 0.3),
        dict(lr=1, loss=7.0, iter=4, step=4), val(4, 0.8)])
    write_run(tmp_path, '20260102_000000', [
        dict(lr=1, loss=1.0, iter=3, step=3)])
    log = read_scalar_log(str(tmp_path))
    assert log.train_series('loss') == ([2, 3], [5.0, 1.0])
    assert log.val_series('acc/top1') == ([2], [0.3])
    assert not log.by_epoch
    with pytest.raises(ValueError, match="use by='iter'"):
        log.train_series('loss', by='epoch')


def test_test_results_and_non_run_folders(tmp_path):
    write_run(tmp_path, '20260101_000000', [train(1, 1, 1.0)])
    write_run(tmp_path, '20260103_000000', [], test={'acc/top1': 0.7})
    (tmp_path / 'epoch_1.pth').write_text('')
    (tmp_path / 'knn').mkdir()
    log = read_scalar_log(str(tmp_path))
    assert [Path(r).name for r in log.runs] == [
        '20260101_000000', '20260103_000000'
    ]
    assert log.latest_test() == {'acc/top1': 0.7}
    assert log.val == []


def test_bad_input_errors_name_the_path_and_key(tmp_path):
    with pytest.raises(FileNotFoundError, match='does not exist'):
        timestamp_dirs(str(tmp_path / 'nowhere'))
    with pytest.raises(FileNotFoundError, match='did a run train'):
        read_scalar_log(str(tmp_path))
    write_run(tmp_path, '20260101_000000', [train(1, 1, 1.0)],
              partial='not json\n{"step": 2, "iter": 2}\n')
    with pytest.raises(ValueError, match=r'scalars.json, line 2'):
        read_scalar_log(str(tmp_path))


def test_missing_scalar_lists_the_logged_ones(tmp_path):
    write_run(tmp_path, '20260101_000000', [train(1, 1, 1.0), val(1, 0.5)])
    log = read_scalar_log(str(tmp_path))
    with pytest.raises(ValueError, match=r"'acc/mean1'.*'acc/top1'"):
        log.val_series('acc/mean1')
    with pytest.raises(ValueError, match="no training scalar 'loss_x'"):
        log.train_series('loss_x')


class Line(BaseModel):

    def __init__(self):
        super().__init__()
        self.w = torch.nn.Parameter(torch.ones(1))

    def forward(self, x, y, mode='loss'):
        if mode == 'loss':
            return dict(loss=((self.w * x - y)**2).mean())
        return [(self.w * x).detach()]


class NegError(BaseMetric):

    def process(self, data_batch, data_samples):
        self.results.append(float(data_samples[0].mean()))

    def compute_metrics(self, results):
        return {'val/score': sum(results) / len(results)}


def run_line(work_dir, max_epochs, resume):
    data = [dict(x=torch.tensor([1.0]), y=torch.tensor([2.0]))] * 4
    loader = dict(dataset=data, batch_size=1, sampler=dict(
        type='DefaultSampler', shuffle=False), collate_fn=dict(
            type='default_collate'))
    runner = Runner(
        model=Line(), work_dir=str(work_dir), train_dataloader=loader,
        val_dataloader=loader, val_evaluator=dict(type=NegError),
        train_cfg=dict(by_epoch=True, max_epochs=max_epochs),
        val_cfg=dict(), optim_wrapper=dict(optimizer=dict(
            type='SGD', lr=0.01)),
        default_hooks=dict(logger=dict(type='LoggerHook', interval=2)),
        resume=resume, randomness=dict(seed=0), env_cfg=dict(
            dist_cfg=dict(backend='gloo')))
    runner.train()


def test_reads_a_real_resumed_mmengine_run(tmp_path):
    run_line(tmp_path, 2, resume=False)
    # Both runs may start within one second: date the first one earlier.
    first, = timestamp_dirs(str(tmp_path))
    Path(first).rename(tmp_path / '20000101_000000')
    # mmengine names its logger and visualizer instances by the timestamp:
    # a second run in the same second would reuse the first run's (renamed)
    # folders.
    time.sleep(1.1)
    run_line(tmp_path, 3, resume=True)
    log = read_scalar_log(str(tmp_path))
    steps, losses = log.train_series('loss')
    assert steps == [2, 4, 6, 8, 10, 12]
    assert log.train_series('lr')[1] == [0.01] * 6
    assert log.val_series('val/score')[0] == [1, 2, 3]
    assert len(log.runs) == 2
