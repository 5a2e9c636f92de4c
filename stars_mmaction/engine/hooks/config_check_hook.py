"""Stop a run whose config variables or clip lengths do not fit."""
import os.path as osp
import tempfile
from typing import List, Optional, Tuple

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
      the command line or in a config file that kept the variable; the
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
    def parent_config(filename: str) -> Tuple[dict, Optional[str]]:
        """A config file's ``_base_`` files merged, and its first local
        base file (None when it has none)."""
        bases = Config._get_base_files(filename)
        if not bases:
            return {}, None
        folder = osp.dirname(osp.abspath(filename))
        bases = [b if '::' in b or osp.isabs(b) else osp.join(folder, b)
                 for b in bases]
        with tempfile.TemporaryDirectory() as tmp:
            parent = osp.join(tmp, 'parent.py')
            with open(parent, 'w') as f:
                f.write(f'_base_ = {bases!r}\n')
            merged = Config.fromfile(parent).to_dict()
        local = [b for b in bases if '::' not in b and b.endswith('.py')]
        return merged, (local[0] if local else None)

    @classmethod
    def levels(cls, cfg: Config, max_depth: int = 8) -> List[tuple]:
        """``(child, parent)`` configs from the run down its first bases:
        the run and its file, the file and its bases, and so on."""
        filename = getattr(cfg, 'filename', None)
        if not filename or not osp.isfile(filename):
            return []
        child = Config.fromfile(filename).to_dict()
        levels = [(cfg.to_dict(), child)]
        while filename and len(levels) < max_depth:
            parent, filename = cls.parent_config(filename)
            levels.append((child, parent))
            child = Config.fromfile(filename).to_dict() if filename else {}
        return levels

    def check_variables(self, runner) -> None:
        cfg = runner.cfg
        unfed = find_unfed_variables(cfg, self.levels(cfg))
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
