"""Let the configured learning rate apply when a run is resumed.

mmengine restores the optimizer and the parameter schedulers of a resumed
checkpoint, learning rates included, so ``--resume --cfg-options
optim_wrapper.optimizer.lr=...`` would train at the old rate while the dumped
config shows the new one. Before the restore, :func:`apply_configured_lr`
rescales the checkpoint's learning rates (each group's ``lr`` and
``initial_lr``, each lr scheduler's ``base_values`` and ``_last_value``) by
the configured over the saved base rate, so the run continues on the same
schedule at the configured rate. Other optimizer state is kept.
"""
import logging
import math
from typing import Any, Dict, List, Mapping, Sequence

from mmengine.logging import print_log


def _base_lr(group: Mapping) -> float:
    return float(group.get('initial_lr', group['lr']))


def _scale_scheduler(state: Dict, ratios: Sequence[float]) -> None:
    if state.get('param_name') != 'lr':
        return
    for key in ('base_values', '_last_value'):
        values = state.get(key)
        if isinstance(values, list) and len(values) == len(ratios):
            state[key] = [v * r for v, r in zip(values, ratios)]


def _schedulers(checkpoint: Mapping) -> List[Dict]:
    schedulers = checkpoint.get('param_schedulers') or []
    if isinstance(schedulers, Mapping):  # one list per optimizer
        return [s for group in schedulers.values() for s in group]
    return list(schedulers)


def apply_configured_lr(configured_groups: Sequence[Mapping],
                        checkpoint: Dict) -> List[float]:
    """Rescale the checkpoint's learning rates to the configured ones.

    Args:
        configured_groups (Sequence[Mapping]): ``param_groups`` of the
            optimizer built from the config (before the restore).
        checkpoint (dict): The resumed checkpoint, changed in place.

    Returns:
        list[float]: Configured over saved base lr per group; empty when
        nothing changed (the rates agree, or the optimizers differ in their
        groups, which mmengine's restore reports).
    """
    optimizer = checkpoint.get('optimizer')
    if not isinstance(optimizer, Mapping) or 'param_groups' not in optimizer:
        return []
    saved_groups = optimizer['param_groups']
    if len(saved_groups) != len(configured_groups):
        return []
    ratios = [
        _base_lr(new) / _base_lr(old) if _base_lr(old) else 1.0
        for new, old in zip(configured_groups, saved_groups)
    ]
    if all(math.isclose(r, 1.0, rel_tol=1e-9) for r in ratios):
        return []
    for group, ratio in zip(saved_groups, ratios):
        group['lr'] = group['lr'] * ratio
        if 'initial_lr' in group:
            group['initial_lr'] = group['initial_lr'] * ratio
    for state in _schedulers(checkpoint):
        _scale_scheduler(state, ratios)
    return ratios


def log_configured_lr(path: str, configured_groups: Sequence[Mapping],
                      ratios: Sequence[float]) -> None:
    """Say that the resumed run uses the configured learning rate."""
    first = _base_lr(configured_groups[0])
    print_log(
        f'resuming {path} at the configured learning rate: base lr '
        f'{first:g} instead of the saved {first / ratios[0]:g} (group 0; '
        f'x{ratios[0]:g}); the restored optimizer and schedulers were '
        'rescaled per group',
        logger='current',
        level=logging.WARNING)


def configured_param_groups(optim_wrapper: Any) -> List[Mapping]:
    """The param groups of a built optimizer wrapper (empty if unbuilt)."""
    optimizer = getattr(optim_wrapper, 'optimizer', None)
    return list(getattr(optimizer, 'param_groups', []) or [])
