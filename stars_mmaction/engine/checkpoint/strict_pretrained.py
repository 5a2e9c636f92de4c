"""Initialise a module from a checkpoint, refusing any key mismatch."""
from typing import Optional

from mmaction.registry import WEIGHT_INITIALIZERS
from mmengine.logging import print_log
from mmengine.model.weight_init import update_init_info
from torch import nn

from .keys import check_checkpoint_keys, checkpoint_state_dict
from .reader import read_checkpoint


@WEIGHT_INITIALIZERS.register_module(name='StrictPretrained')
class StrictPretrainedInit:
    """mmengine's ``Pretrained`` initialisation, but strict.

    mmengine's ``Pretrained`` loads non-strictly and only warns about
    missing keys, so a wrong checkpoint silently leaves random weights. This
    one raises :class:`CheckpointMismatchError` listing the missing,
    unexpected and mismatched keys. Use it as the encoder's
    ``init_cfg=dict(type='StrictPretrained', checkpoint=..., prefix=
    'backbone.')``.

    Args:
        checkpoint (str): Path of the checkpoint.
        prefix (str, optional): Prefix of the module's keys in the
            checkpoint; None or '' loads every key. Defaults to
            ``'backbone.'``.
        map_location (str): Where tensors are loaded. Defaults to ``'cpu'``.
    """

    def __init__(self,
                 checkpoint: Optional[str],
                 prefix: Optional[str] = 'backbone.',
                 map_location: str = 'cpu') -> None:
        if not checkpoint:
            raise ValueError(
                'StrictPretrained needs a checkpoint path; set it in the '
                'config or with `--cfg-options model.backbone.init_cfg.'
                'checkpoint=PATH`')
        self.checkpoint = checkpoint
        self.prefix = prefix or ''
        self.map_location = map_location

    def __call__(self, module: nn.Module) -> None:
        print_log(
            f'load {self.prefix} in model from: {self.checkpoint} (strict)',
            logger='current')
        state = checkpoint_state_dict(
            read_checkpoint(self.checkpoint, 'init_cfg checkpoint',
                            map_location=self.map_location))
        check_checkpoint_keys(module.state_dict(),
                              state,
                              self.prefix,
                              source=f'checkpoint {self.checkpoint}')
        module.load_state_dict(
            {
                k[len(self.prefix):]: v
                for k, v in state.items() if k.startswith(self.prefix)
            },
            strict=True)
        if hasattr(module, '_params_init_info'):
            update_init_info(module, init_info=self._get_init_info())

    def _get_init_info(self) -> str:
        return f'{self.__class__.__name__}: load from {self.checkpoint}'
