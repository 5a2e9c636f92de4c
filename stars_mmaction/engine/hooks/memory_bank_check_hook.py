"""Check the memory banks against the global batch before training."""
from mmaction.registry import HOOKS
from mmengine.dist import get_dist_info
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from ...models.heads.moco_head import MoCoHead
from ...models.utils.nn_memory_bank import NNMemoryBank


@HOOKS.register_module()
class MemoryBankCheckHook(Hook):
    """Refuse a memory bank smaller than the global batch before any step.

    Every iteration enqueues the whole global batch (``batch_size`` x number
    of processes) into each :class:`~stars_mmaction.models.utils.
    NNMemoryBank`; a smaller bank would only fail at the first loss, after
    the data workers, model and optimizer were set up. This hook raises a
    ``ValueError`` naming the bank, its size and the batch in
    ``before_train`` instead.

    Args:
        priority (str or int): Hook priority. Defaults to ``'VERY_HIGH'``.
    """

    def __init__(self, priority: str = 'VERY_HIGH') -> None:
        self.priority = priority

    def before_train(self, runner) -> None:
        """Compare each bank's size with the global batch."""
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        batch_size = runner.train_dataloader.batch_size
        if batch_size is None:  # a custom batch sampler
            batch_size = getattr(runner.train_dataloader.batch_sampler,
                                 'batch_size', None)
        if batch_size is None:
            return
        world_size = get_dist_info()[1]
        global_batch = batch_size * world_size
        for name, module in model.named_modules():
            if isinstance(module, NNMemoryBank) and module.size < global_batch:
                owner = name.rsplit('.', 1)[0] if '.' in name else name
                # MoCoHead names its bank's size queue_size.
                key = 'queue_size' if isinstance(
                    model.get_submodule(owner), MoCoHead) else 'bank_size'
                raise ValueError(
                    f'model.{owner}.{key}={module.size} is smaller than '
                    f'the global batch {global_batch} (train_dataloader.'
                    f'batch_size={batch_size} x {world_size} processes); '
                    f'every step enqueues the global batch, so use {key} '
                    f'>= {global_batch}')
