"""Stop a run whose config variables or clip lengths do not fit."""
import os.path as osp
import tempfile
from typing import Optional, Tuple

from mmaction.registry import HOOKS
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.runner import BaseLoop

from ...datasets.clip_length_check import check_clip_lengths
from ..config_variables import find_unfed_variables, format_unfed_variables


@HOOKS.register_module()
class ConfigVariablesCheckHook(Hook):
    """Refuse silently ignored config variables and misfit clip lengths.

    In ``before_run`` (training, validation and testing, before any weight
    is loaded) it raises a ``ValueError``

    - when a documented variable (``clip_len``, ``ann_file``,
      ``num_classes``, ``label_map``, ``train_split``, ``test_split``,
      ``stage1_checkpoint``, ``encoder_checkpoint``, ``stage_a_checkpoint``,
      ``max_epochs``) differs from a key it feeds that was not itself set on
      the command line or in a child config that kept the variable; the
      message names the keys and a ``--cfg-options`` line that sets them;
    - when a built data set's longest sequence is shorter than a
      ``ValidFrameCropResize.clip_len`` of its pipeline (every sample would
      be stretched) or not longer than a random crop's ``min_crop`` (random
      cropping would never happen).

    Args:
        check_lengths (bool): Also check the data sets' lengths. Defaults to
            True.
        priority (str or int): Hook priority. Defaults to ``'VERY_HIGH'``.
    """

    def __init__(self, check_lengths: bool = True,
                 priority: str = 'VERY_HIGH') -> None:
        self.check_lengths = check_lengths
        self.priority = priority

    @staticmethod
    def file_configs(cfg: Config) -> Tuple[Optional[Config], Optional[dict]]:
        """The run's config file parsed again without command-line options,
        and its ``_base_`` files merged; None when there is no file."""
        filename = getattr(cfg, 'filename', None)
        if not filename or not osp.isfile(filename):
            return None, None
        bases = Config._get_base_files(filename)
        if not bases:
            return Config.fromfile(filename), {}
        folder = osp.dirname(osp.abspath(filename))
        bases = [b if '::' in b or osp.isabs(b) else osp.join(folder, b)
                 for b in bases]
        with tempfile.TemporaryDirectory() as tmp:
            parent = osp.join(tmp, 'parent.py')
            with open(parent, 'w') as f:
                f.write(f'_base_ = {bases!r}\n')
            return Config.fromfile(filename), Config.fromfile(parent)

    def check_variables(self, runner) -> None:
        cfg = runner.cfg
        unfed = find_unfed_variables(cfg, *self.file_configs(cfg))
        if unfed:
            raise ValueError(
                format_unfed_variables(cfg, unfed,
                                       getattr(cfg, 'filename', None)
                                       or 'the config'))

    @staticmethod
    def built_dataloaders(runner):
        """``(key, dataloader)`` of the loops the runner has built."""
        for key, attr in (('train_dataloader', '_train_loop'),
                          ('val_dataloader', '_val_loop'),
                          ('test_dataloader', '_test_loop')):
            loop = getattr(runner, attr, None)
            if not isinstance(loop, BaseLoop):
                continue
            yield key, loop.dataloader
            bank = getattr(loop, 'bank_dataloader', None)
            if bank is not None:
                yield 'test_cfg.bank_dataloader', bank

    def before_run(self, runner) -> None:
        """Check the variables, then the built data sets."""
        self.check_variables(runner)
        if not self.check_lengths:
            return
        problems = []
        for key, dataloader in self.built_dataloaders(runner):
            problems += check_clip_lengths(dataloader.dataset, key)
        if problems:
            raise ValueError('\n'.join(problems))
