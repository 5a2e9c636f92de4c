"""Teacher momentum on a cosine from ``start`` to ``end`` (DINO)."""
import math
from typing import List, Optional, Sequence, Union

from mmaction.registry import HOOKS
from mmengine.hooks import Hook
from mmengine.model import ExponentialMovingAverage, is_model_wrapper

DATA_BATCH = Optional[Union[dict, tuple, list]]


def cosine_momentum(step: int, total_steps: int, start: float,
                    end: float) -> float:
    """``end + (start - end) * (1 + cos(pi * step / total_steps)) / 2``.

    DINO's schedule, as the STARS code computes it per iteration: ``start``
    at step 0, rising to ``end`` (reached at ``step == total_steps``, one
    past the last step).

    Args:
        step (int): 0-based iteration, in ``[0, total_steps]``.
        total_steps (int): Iterations of the run.
        start (float): Momentum at step 0.
        end (float): Momentum the cosine reaches at ``total_steps``.

    Returns:
        float: The momentum (MoCo / DINO convention: the teacher keeps this
        fraction of its weights).
    """
    if total_steps < 1 or not 0 <= step <= total_steps:
        raise ValueError(f'step must be in [0, total_steps] with total_steps'
                         f' >= 1, got step={step}, total_steps={total_steps}')
    return end + (start - end) * (1 + math.cos(math.pi * step /
                                               total_steps)) / 2


@HOOKS.register_module()
class CosineMomentumHook(Hook):
    """Set every momentum copy's momentum on a cosine before each step.

    Before training iteration ``i`` (0-based over the whole run, so a
    resumed run continues the curve) every mmengine
    ``ExponentialMovingAverage`` inside the model (e.g. the teacher encoder
    of ``MomentumSTARSRecognizer`` and the teacher projector of
    ``DINOHead``) gets ``momentum = 1 - cosine_momentum(i, max_iters,
    start, end)`` (mmengine's EMA weights the online model by its
    ``momentum``). The value is logged as ``teacher_momentum``.

    Args:
        start (float): Momentum at the first step. Defaults to 0.996.
        end (float): Momentum at the end of training. Defaults to 1.0.
        module_names (Sequence[str], optional): Names (as in
            ``model.named_modules()``) of the EMA modules to schedule.
            Defaults to None (every ``ExponentialMovingAverage``).
    """

    priority = 'NORMAL'

    def __init__(self,
                 start: float = 0.996,
                 end: float = 1.,
                 module_names: Optional[Sequence[str]] = None) -> None:
        if not 0 < start <= end <= 1:
            raise ValueError('CosineMomentumHook needs 0 < start <= end <= 1,'
                             f' got start={start}, end={end}')
        self.start = start
        self.end = end
        self.module_names = module_names
        self._ema_modules: List[ExponentialMovingAverage] = []

    def momentum_modules(self, model) -> List[ExponentialMovingAverage]:
        """The EMA modules this hook schedules."""
        if is_model_wrapper(model):
            model = model.module
        found = {
            name: module
            for name, module in model.named_modules()
            if isinstance(module, ExponentialMovingAverage)
        }
        if self.module_names is None:
            modules = list(found.values())
        else:
            missing = sorted(set(self.module_names) - set(found))
            if missing:
                raise ValueError(
                    f'CosineMomentumHook: no ExponentialMovingAverage named '
                    f'{missing} in the model; it has {sorted(found)}')
            modules = [found[name] for name in self.module_names]
        if not modules:
            raise ValueError('CosineMomentumHook: the model has no '
                             'ExponentialMovingAverage module to schedule')
        return modules

    def before_train(self, runner) -> None:
        """Find the momentum copies once (fails early without any)."""
        self._ema_modules = self.momentum_modules(runner.model)

    def before_train_iter(self,
                          runner,
                          batch_idx: int,
                          data_batch: DATA_BATCH = None) -> None:
        """Set the momentum of iteration ``runner.iter``."""
        momentum = cosine_momentum(runner.iter, runner.max_iters, self.start,
                                   self.end)
        for module in self._ema_modules:
            module.momentum = 1. - momentum
        runner.message_hub.update_scalar('train/teacher_momentum', momentum)
