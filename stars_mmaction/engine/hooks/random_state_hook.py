"""Save the random number generators in checkpoints for an exact resume."""
import logging
import random
from typing import Any, Dict, List, Optional

import numpy as np
import torch
from mmaction.registry import HOOKS
from mmengine.dist import all_gather_object, get_dist_info
from mmengine.hooks import CheckpointHook, Hook
from mmengine.logging import print_log

from ...datasets import EpochIndexSampler

CHECKPOINT_KEY = 'random_state'


def get_random_state() -> Dict[str, Any]:
    """The states of Python's, NumPy's and torch's global generators.

    Returns:
        dict: ``python``, ``numpy``, ``torch`` and, with CUDA, ``cuda`` (the
        current device's generator).
    """
    state = dict(python=random.getstate(),
                 numpy=np.random.get_state(),
                 torch=torch.get_rng_state())
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        state['cuda'] = torch.cuda.get_rng_state()
    return state


def set_random_state(state: Dict[str, Any]) -> None:
    """Restore the generators from :func:`get_random_state`'s output.

    Args:
        state (dict): The saved states.
    """
    random.setstate(state['python'])
    np.random.set_state(state['numpy'])
    torch.set_rng_state(state['torch'])
    if 'cuda' in state and torch.cuda.is_available():
        torch.cuda.set_rng_state(state['cuda'])


@HOOKS.register_module()
class RandomStateHook(Hook):
    """Store every rank's random state in checkpoints; restore it on resume.

    mmengine checkpoints hold the model, optimizer, schedulers and seed but
    not the generators' states, so after ``--resume`` the augmentations and
    masks differ from those of an uninterrupted run. When the checkpoint
    hook is about to save, this hook gathers the Python, NumPy, torch (and
    CUDA) states of all ranks (a collective call, so every rank takes part)
    and the main rank writes them into the checkpoint under
    ``'random_state'``. On resume each rank gets its own state back just
    before training continues; a checkpoint from another number of
    processes, or one without states, resumes with a warning.

    Validation between epochs runs on a saved copy of the generators, so
    that validating (or not) does not change the training's random stream.

    On resume it also gives the training sampler the resumed seed when
    mmengine restored one from the checkpoint (runs without ``--seed``).

    Note:
        With ``EpochIndexSampler`` (our configs' training sampler) the
        augmentations are seeded per sample by (seed, epoch, index), so the
        resume is exact with any ``num_workers`` and ``persistent_workers``.
        With another sampler data workers draw from their own generators,
        seeded when each worker starts: with ``persistent_workers=True``
        and ``num_workers > 0`` their streams restart at the resumed epoch
        (a warning says so). mmengine's epoch-based loop also replays
        a whole epoch when resuming from a checkpoint saved in its middle;
        save by epoch for an exact resume.

    Args:
        priority (str or int): Must run before the ``CheckpointHook``
            (``'VERY_LOW'``). Defaults to ``'NORMAL'``.
    """

    def __init__(self, priority: str = 'NORMAL') -> None:
        self.priority = priority
        self._gathered: Optional[List[Dict[str, Any]]] = None
        self._loaded: Optional[Any] = None
        self._val_backup: Optional[Dict[str, Any]] = None
        self._training = False

    @staticmethod
    def _checkpoint_hook(runner) -> Optional[CheckpointHook]:
        return next((h for h in runner.hooks if isinstance(h, CheckpointHook)),
                    None)

    def _gather(self) -> None:
        self._gathered = all_gather_object(get_random_state())

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch: Any = None,
                         outputs: Any = None) -> None:
        """Gather the states when an iteration checkpoint follows."""
        hook = self._checkpoint_hook(runner)
        if hook is None or hook.by_epoch:
            return
        if hook.every_n_train_iters(runner, hook.interval, hook.save_begin) \
                or (hook.save_last and hook.is_last_train_iter(runner)):
            self._gather()

    def after_train_epoch(self, runner) -> None:
        """Gather the states when an epoch checkpoint follows."""
        hook = self._checkpoint_hook(runner)
        if hook is not None and hook.by_epoch:
            self._gather()

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        """Write the gathered states (main rank only, as mmengine saves)."""
        states = self._gathered
        if states is None:  # a save outside the checkpoint hook's schedule
            states = [get_random_state()] if get_dist_info()[1] == 1 else None
        if states is not None:
            checkpoint[CHECKPOINT_KEY] = states

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        """Keep the states of a loaded checkpoint until training starts."""
        self._loaded = checkpoint.get(CHECKPOINT_KEY, False)

    def before_train(self, runner) -> None:
        """Restore this rank's state when the run resumes."""
        self._training = True
        if self._loaded is None or runner.iter == 0:
            self._own_loader_generator(runner)
            return  # a new run, or weights loaded with `load_from`
        self._sync_sampler_seed(runner)
        self._own_loader_generator(runner)
        self._warn_persistent_workers(runner)
        rank, world_size = get_dist_info()
        states, self._loaded = self._loaded, None
        if states is False:
            print_log(
                'the resumed checkpoint holds no random state (saved without '
                'RandomStateHook): augmentations will differ from an '
                'uninterrupted run',
                logger='current',
                level=logging.WARNING)
            return
        if len(states) != world_size:
            print_log(
                f'the resumed checkpoint holds the random states of '
                f'{len(states)} processes but this run has {world_size}: '
                'random states are not restored',
                logger='current',
                level=logging.WARNING)
            return
        set_random_state(states[rank])
        print_log(f'random state of rank {rank} restored from the checkpoint',
                  logger='current')

    @staticmethod
    def _sync_sampler_seed(runner) -> None:
        sampler = getattr(runner.train_dataloader, 'sampler', None)
        if hasattr(sampler, 'seed') and runner.seed is not None and \
                sampler.seed != runner.seed:
            print_log(
                f'train sampler seed set to the resumed seed {runner.seed} '
                f'(was {sampler.seed})',
                logger='current')
            sampler.seed = runner.seed

    @staticmethod
    def _own_loader_generator(runner) -> None:
        """Give the train loader its own generator (``EpochIndexSampler``).

        Every new DataLoader iterator draws its workers' base seed from
        ``loader.generator``, by default torch's global one: once per epoch,
        or once per process with persistent workers, so a resumed run would
        draw at another point than an uninterrupted one and its masks would
        differ. The augmentations do not need the workers' seeds here.
        """
        loader = runner.train_dataloader
        sampler = getattr(loader, 'sampler', None)
        if isinstance(sampler, EpochIndexSampler) and \
                getattr(loader, 'generator', 0) is None:
            loader.generator = torch.Generator().manual_seed(sampler.seed)

    @staticmethod
    def _warn_persistent_workers(runner) -> None:
        loader = runner.train_dataloader
        if isinstance(getattr(loader, 'sampler', None), EpochIndexSampler):
            return  # augmentations do not depend on the workers' state
        if getattr(loader, 'persistent_workers', False) and \
                getattr(loader, 'num_workers', 0) > 0:
            print_log(
                'train_dataloader has persistent_workers=True: the data '
                "workers' random streams restart at the resumed epoch, so "
                'augmentations differ from an uninterrupted run; use '
                "sampler=dict(type='EpochIndexSampler') or "
                'persistent_workers=False for an exact resume',
                logger='current',
                level=logging.WARNING)

    def after_train(self, runner) -> None:
        """Validation after this point is no longer inside training."""
        self._training = False

    def before_val(self, runner) -> None:
        """Save the generators before validation (which draws from them)."""
        if self._training:
            self._val_backup = get_random_state()

    def after_val(self, runner) -> None:
        """Give training back its generators as they were."""
        if self._val_backup is not None:
            set_random_state(self._val_backup)
            self._val_backup = None
