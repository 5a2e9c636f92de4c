"""Test-only hook: SIGKILL the training process at a chosen point.

Imported by the fault-injection test's configs (``custom_imports``), with
this directory on ``PYTHONPATH``. ``STARS_KILL_AT`` says where:

- ``iter:N``: right after training iteration N (1-based, counted over the
  whole run, so a resumed run counts from its checkpoint);
- ``save:N``: in the middle of writing this process's N-th checkpoint: half
  of the file is on disk, as when a job is killed while saving.
"""
import io
import os
import signal

import mmengine.runner.runner as runner_module
import torch
from mmaction.registry import HOOKS
from mmengine.hooks import Hook


def kill_now() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def save_half_then_die(checkpoint, filename, **kwargs) -> None:
    buffer = io.BytesIO()
    torch.save(checkpoint, buffer)
    data = buffer.getvalue()
    with open(filename, 'wb') as f:
        f.write(data[:len(data) // 2])
        f.flush()
        os.fsync(f.fileno())
    kill_now()


@HOOKS.register_module()
class KillSwitchHook(Hook):
    """Kill the process where ``STARS_KILL_AT`` says (nothing if unset)."""

    priority = 'LOWEST'

    def __init__(self) -> None:
        kind, _, count = os.environ.get('STARS_KILL_AT', ':').partition(':')
        self.kind = kind
        self.count = int(count) if count else 0
        self.saves = 0

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None) -> None:
        if self.kind == 'iter' and runner.iter == self.count:
            kill_now()  # runner.iter is already incremented: N done

    def before_save_checkpoint(self, runner, checkpoint) -> None:
        self.saves += 1
        if self.kind == 'save' and self.saves == self.count:
            runner_module.save_checkpoint = save_half_then_die
