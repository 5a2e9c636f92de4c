"""Checkpoints at chosen epochs (one long run for an epoch-count sweep)."""
from typing import Sequence

from mmaction.registry import HOOKS
from mmengine.hooks import CheckpointHook


@HOOKS.register_module()
class MilestoneCheckpointHook(CheckpointHook):
    """mmengine's ``CheckpointHook`` that also saves at listed epochs.

    With a constant learning rate, the checkpoint after epoch ``e`` of one
    long run is the result of an ``e``-epoch run, so a tuning-duration sweep
    (e.g. 5/10/20/40/80 epochs) needs a single 80-epoch run that saves at
    those epochs. Besides the milestones it saves every ``interval`` epochs
    and after the last epoch, as ``CheckpointHook`` does. Milestone
    checkpoints are never removed by ``max_keep_ckpts``, which only applies
    to the other ones.

    Args:
        milestones (Sequence[int]): Epochs (1-based, as in ``epoch_5.pth``)
            after which a checkpoint is saved.
        interval (int): As ``CheckpointHook``; -1 (default) saves only at
            the milestones and the last epoch.
        **kwargs: Other ``CheckpointHook`` arguments (``by_epoch`` must stay
            True).
    """

    def __init__(self,
                 milestones: Sequence[int],
                 interval: int = -1,
                 **kwargs) -> None:
        super().__init__(interval=interval, **kwargs)
        if not self.by_epoch:
            raise ValueError('MilestoneCheckpointHook saves at epochs: '
                             'by_epoch must be True')
        milestones = list(milestones)
        if not milestones or any(
                not isinstance(e, int) or isinstance(e, bool) or e < 1
                for e in milestones):
            raise ValueError('milestones must be a non-empty list of epochs '
                             f'>= 1, got {milestones!r}')
        self.milestones = sorted(set(milestones))

    def after_train_epoch(self, runner) -> None:
        """Save after a milestone epoch, every ``interval`` and the last."""
        epoch = runner.epoch + 1
        if epoch in self.milestones:
            runner.logger.info(f'Saving milestone checkpoint at {epoch} '
                               'epochs')
            # Saved outside the keep-list, so max_keep_ckpts never drops it.
            max_keep, self.max_keep_ckpts = self.max_keep_ckpts, -1
            try:
                self._save_checkpoint(runner)
            finally:
                self.max_keep_ckpts = max_keep
            return
        super().after_train_epoch(runner)
