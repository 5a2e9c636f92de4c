"""Refuse checkpoints that do not hold the weights of a sub-module."""
from typing import Dict, Mapping

from torch import Tensor


class CheckpointMismatchError(KeyError):
    """A checkpoint's keys do not match the module it should initialise."""

    def __str__(self) -> str:  # KeyError would print the repr
        return str(self.args[0])


def _listing(names, limit: int = 20) -> str:
    names = sorted(names)
    shown = ', '.join(names[:limit])
    more = f', ... ({len(names) - limit} more)' if len(names) > limit else ''
    return f'{len(names)}: [{shown}{more}]'


def checkpoint_state_dict(checkpoint: Mapping) -> Dict[str, Tensor]:
    """The state dict of a loaded checkpoint (mmengine's or a bare one).

    Args:
        checkpoint (Mapping): What ``torch.load`` returned.

    Returns:
        dict[str, Tensor]: The parameters and buffers.
    """
    state = checkpoint.get('state_dict', checkpoint)
    if not isinstance(state, Mapping):
        raise CheckpointMismatchError(
            f'the checkpoint holds no state dict (got {type(state).__name__})')
    return dict(state)


def check_checkpoint_keys(module_state: Mapping[str, Tensor],
                          checkpoint_state: Mapping[str, Tensor],
                          prefix: str = 'backbone.',
                          source: str = 'the checkpoint') -> None:
    """Raise unless the checkpoint has exactly the module's weights.

    Only the checkpoint keys that start with ``prefix`` are compared with the
    module's keys (which carry no prefix); other keys (heads of the
    pre-training stage) are ignored.

    Args:
        module_state (Mapping[str, Tensor]): ``module.state_dict()``.
        checkpoint_state (Mapping[str, Tensor]): The checkpoint's state dict.
        prefix (str): Prefix of the module's keys in the checkpoint.
            Defaults to ``'backbone.'``.
        source (str): How to name the checkpoint in the error, e.g. its path.
            Defaults to ``'the checkpoint'``.

    Raises:
        CheckpointMismatchError: Listing the missing keys, the unexpected
            keys and the keys of mismatched shapes.
    """
    ckpt = {
        k[len(prefix):]: v
        for k, v in checkpoint_state.items() if k.startswith(prefix)
    }
    missing = set(module_state) - set(ckpt)
    unexpected = set(ckpt) - set(module_state)
    mismatched = [
        f'{k} {tuple(ckpt[k].shape)} vs {tuple(module_state[k].shape)}'
        for k in set(ckpt) & set(module_state)
        if hasattr(ckpt[k], 'shape') and ckpt[k].shape != module_state[k].shape
    ]
    if not (missing or unexpected or mismatched):
        return
    lines = [f'{source} does not match the model under prefix {prefix!r}:']
    if not ckpt:
        top = {k.split('.')[0] + '.' for k in checkpoint_state}
        lines.append(f'no key starts with {prefix!r}; its keys start with '
                     f'{sorted(top)} (wrong model or wrong prefix?)')
    if missing:
        lines.append(f'missing keys {_listing(missing)}')
    if unexpected:
        lines.append(f'unexpected keys {_listing(unexpected)}')
    if mismatched:
        lines.append('shape mismatch (checkpoint vs model) '
                     f'{_listing(mismatched)}')
    raise CheckpointMismatchError('\n  '.join(lines))
