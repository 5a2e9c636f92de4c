"""Stop training at the first non-finite loss, before the optimizer step."""
import os.path as osp
from typing import Any, Dict, List, NoReturn, Optional, Tuple

import torch
import torch.distributed as torch_dist
from mmaction.registry import HOOKS
from mmengine.dist import get_dist_info
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from torch import Tensor


class NonFiniteLossError(FloatingPointError):
    """A loss term became NaN or infinite during training."""


def _loss_terms(losses: Dict[str, Any]) -> List[Tuple[str, Tensor]]:
    """The terms mmengine sums into the loss (keys containing 'loss')."""
    terms = []
    for name, value in losses.items():
        if 'loss' not in name:
            continue
        if isinstance(value, Tensor):
            terms.append((name, value.detach().float().mean()))
        elif isinstance(value, (list, tuple)) and value:
            terms.append((name, sum(v.detach().float().mean() for v in value)))
    return terms


@HOOKS.register_module()
class NonFiniteLossHook(Hook):
    """Raise :class:`NonFiniteLossError` when a loss term is NaN or infinite.

    The check runs inside ``train_step`` between the forward pass and the
    optimizer step (it wraps the model's ``parse_losses``), so the bad
    iteration never updates the weights, and as the error ends the run no
    checkpoint is written after it: the last checkpoint stays the last good
    one. Under DDP the verdict is reduced over all ranks, so every rank
    stops at the same iteration instead of waiting for a rank that stopped.

    The error names the iteration, the epoch, the non-finite terms with their
    values, a few samples of the batch and the last checkpoint.

    Args:
        max_samples (int): How many ``frame_dir`` names of the batch the
            error lists. Defaults to 8.
        priority (str or int): Hook priority. Defaults to ``'ABOVE_NORMAL'``.
    """

    def __init__(self,
                 max_samples: int = 8,
                 priority: str = 'ABOVE_NORMAL') -> None:
        self.max_samples = max_samples
        self.priority = priority
        self._model: Optional[torch.nn.Module] = None
        self._batch: Dict[str, Any] = {}

    def before_train(self, runner) -> None:
        """Install the check around the model's ``parse_losses``."""
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        parse_losses = model.parse_losses

        def checked_parse_losses(
                losses: Dict[str, Any]) -> Tuple[Tensor, Dict]:
            self.check(runner, losses)
            return parse_losses(losses)

        model.parse_losses = checked_parse_losses
        self._model = model

    def after_train(self, runner) -> None:
        """Remove the check."""
        if self._model is not None:
            self._model.__dict__.pop('parse_losses', None)
            self._model = None

    def before_train_iter(self,
                          runner,
                          batch_idx: int,
                          data_batch: Any = None) -> None:
        """Remember where we are and which samples the batch holds."""
        names, size = [], 0
        if isinstance(data_batch, dict):
            samples = data_batch.get('data_samples', [])
            size = len(samples)
            for sample in samples[:self.max_samples]:
                meta = getattr(sample, 'metainfo', {})
                names.append(
                    str(meta.get('frame_dir', meta.get('sample_idx', '?'))))
        self._batch = dict(batch_idx=batch_idx, names=names, size=size)

    def check(self, runner, losses: Dict[str, Any]) -> None:
        """Raise if a loss term is not finite on any rank.

        Args:
            runner (Runner): The runner.
            losses (dict): The model's loss dict.
        """
        terms = _loss_terms(losses)
        if not terms:
            return
        values = torch.stack([v for _, v in terms])
        bad = (~torch.isfinite(values)).to(torch.int32)
        if get_dist_info()[1] > 1:
            torch_dist.all_reduce(bad, op=torch_dist.ReduceOp.MAX)
        if not bool(bad.any()):
            return
        self.raise_error(runner, terms, bad.tolist())

    def raise_error(self, runner, terms: List[Tuple[str, Tensor]],
                    bad: List[int]) -> NoReturn:
        """Build and raise the error message."""
        values = ', '.join(f'{name}={float(value):g}'
                           for (name, value), flag in zip(terms, bad) if flag)
        local = [
            name for (name, value), flag in zip(terms, bad)
            if flag and not torch.isfinite(value)
        ]
        where = (f'iteration {runner.iter + 1} (epoch {runner.epoch + 1}, '
                 f'batch {self._batch.get("batch_idx", -1) + 1})')
        rank = get_dist_info()[0]
        msg = [
            f'non-finite loss at {where}: {values}' +
            ('' if local else f' (on another rank than rank {rank})')
        ]
        if self._batch.get('names'):
            names, size = self._batch['names'], self._batch['size']
            shown = (f'all {size}' if len(names) == size else
                     f'first {len(names)} of {size} (max_samples)')
            msg.append(f'batch samples (rank {rank}, {shown}): '
                       f'{", ".join(names)}')
        last = osp.join(runner.work_dir, 'last_checkpoint')
        if osp.isfile(last):
            with open(last) as f:
                msg.append(f'training stopped before the optimizer step; the '
                           f'last checkpoint {f.read().strip()} is untouched '
                           '(resume with --resume after fixing the cause)')
        else:
            msg.append('training stopped before the optimizer step; no '
                       'checkpoint was saved yet')
        msg.append('check the samples above for extreme coordinates, lower '
                   'the learning rate or clip gradients')
        raise NonFiniteLossError('\n  '.join(msg))
