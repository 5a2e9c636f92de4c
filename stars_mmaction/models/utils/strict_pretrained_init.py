"""Load pre-trained weights and refuse a checkpoint that does not match."""
import os.path as osp
from typing import Dict, Optional

import torch
from mmaction.registry import WEIGHT_INITIALIZERS
from mmengine.logging import print_log
from mmengine.model.weight_init import PretrainedInit, update_init_info
from mmengine.runner.checkpoint import CheckpointLoader
from torch import nn


class CheckpointMismatchError(RuntimeError):
    """A checkpoint's keys or shapes do not match the module to load."""


def read_state_dict(checkpoint: str, prefix: str = '',
                    map_location: Optional[str] = 'cpu') -> Dict:
    """The weights of a checkpoint under ``prefix``, with the prefix removed.

    Args:
        checkpoint (str): Path of the checkpoint.
        prefix (str): Keep keys starting with it, e.g. ``'backbone.'``.
            Defaults to '' (every key).
        map_location (str, optional): Passed to the loader.
            Defaults to ``'cpu'``.

    Returns:
        dict: The selected weights.

    Raises:
        FileNotFoundError: When the file does not exist.
        CheckpointMismatchError: When it is not a checkpoint or holds no key
            under ``prefix``.
    """
    if not osp.isfile(checkpoint):
        raise FileNotFoundError(
            f'checkpoint {checkpoint} does not exist (set the config\'s '
            'checkpoint variable or pass it with --cfg-options)')
    try:
        content = CheckpointLoader.load_checkpoint(checkpoint, map_location)
    except Exception as err:  # torch raises many types on a corrupt file
        raise CheckpointMismatchError(
            f'{checkpoint} is not a readable checkpoint '
            f'({type(err).__name__}: {err})') from err
    if not isinstance(content, dict):
        raise CheckpointMismatchError(
            f'{checkpoint} holds a {type(content).__name__}, expected a dict '
            'of weights or an mmengine checkpoint')
    state_dict = content.get('state_dict', content.get('model', content))
    selected = {
        key[len(prefix):]: value
        for key, value in state_dict.items()
        if key.startswith(prefix) and isinstance(value, torch.Tensor)
    }
    if not selected:
        sample = sorted(state_dict)[:5]
        raise CheckpointMismatchError(
            f'{checkpoint} has no weight under the prefix {prefix!r}; its '
            f'keys start like {sample}')
    return selected


def load_strict(module: nn.Module, state_dict: Dict, source: str) -> None:
    """``load_state_dict(strict=True)`` with an error that lists every key.

    Args:
        module (nn.Module): The module to fill.
        state_dict (dict): Its weights.
        source (str): What the weights came from, for the message.
    """
    own = module.state_dict()
    missing = sorted(set(own) - set(state_dict))
    unexpected = sorted(set(state_dict) - set(own))
    wrong_shape = sorted(
        f'{key}: checkpoint {tuple(state_dict[key].shape)}, model '
        f'{tuple(own[key].shape)}' for key in set(own) & set(state_dict)
        if own[key].shape != state_dict[key].shape)
    if missing or unexpected or wrong_shape:
        raise CheckpointMismatchError(
            f'{source} does not match {type(module).__name__}:\n'
            f'  missing keys: {missing}\n  unexpected keys: {unexpected}\n'
            f'  wrong shapes: {wrong_shape}')
    module.load_state_dict(state_dict, strict=True)


@WEIGHT_INITIALIZERS.register_module(name='StrictPretrained')
class StrictPretrainedInit(PretrainedInit):
    """``Pretrained`` initialisation that fails on any key or shape mismatch.

    mmengine's ``Pretrained`` loads non-strictly and only logs mismatches, so
    a wrong checkpoint or prefix silently leaves random weights. This one
    raises :class:`CheckpointMismatchError` listing the missing, unexpected
    and wrongly shaped keys.

    Args:
        checkpoint (str): Path of the checkpoint.
        prefix (str, optional): Load the keys under this prefix, e.g.
            ``'backbone.'``. Defaults to None (all keys).
        map_location (str): Defaults to ``'cpu'``.
    """

    def __init__(self,
                 checkpoint: str,
                 prefix: Optional[str] = None,
                 map_location: str = 'cpu') -> None:
        super().__init__(checkpoint, prefix, map_location)

    def __call__(self, module: nn.Module) -> None:
        prefix = self.prefix or ''
        print_log(f'load {prefix or "all weights"} from {self.checkpoint}',
                  logger='current')
        state_dict = read_state_dict(self.checkpoint, prefix,
                                     self.map_location)
        load_strict(module, state_dict,
                    f'checkpoint {self.checkpoint} (prefix {prefix!r})')
        if hasattr(module, '_params_init_info'):
            update_init_info(module, init_info=self._get_init_info())
