"""The guarantees of every run, wherever the Runner is built.

mmaction2's stock ``tools/train.py`` / ``tools/test.py``, ``mim`` and
``Runner.from_cfg`` all call the hooks of the config, so the guarantees of a
STARS run live here rather than in our tools: the plugin's base runtime
config (``configs/_base_/default_runtime.py``) lists this hook in
``default_hooks``, which configs merge rather than replace.
"""
import atexit
from typing import Optional

from mmaction.registry import HOOKS
from mmengine.dist import is_distributed
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.runner import BaseLoop

from ...utils import teardown_distributed
from ..checkpoint import (apply_configured_lr, check_config_checkpoints,
                          check_resumed_keys, check_tested_keys,
                          configured_param_groups, init_cfg_checkpoints,
                          log_configured_lr, select_resume_checkpoint,
                          set_trusted_checkpoints, use_atomic_saves)


class _ProcessGroupTeardown:
    """Destroys the process group at exit after a run that finished.

    Without it gloo's threads can abort the interpreter at exit; after a
    failed run the other ranks may never reach the barrier, so nothing is
    done then.
    """

    def __init__(self) -> None:
        self.registered = False
        self.finished = False

    def started(self) -> None:
        self.finished = False
        if not self.registered:
            atexit.register(self)
            self.registered = True

    def __call__(self) -> None:
        if self.finished:
            teardown_distributed()


_teardown = _ProcessGroupTeardown()


@HOOKS.register_module()
class RunLifecycleHook(Hook):
    """Checkpoint safety, resume and teardown of a train or test run.

    Before the run (``before_run``: after the loops and the optimizer are
    built, before ``init_cfg`` weights and ``load_from`` / ``--resume``):

    - the files of ``trusted_checkpoints`` in the config are the only ones
      loaded with full unpickling (all others with ``weights_only=True``);
    - the checkpoints the config names (``init_cfg`` when training,
      ``load_from``) are read, kept for mmengine's own read, with errors
      that name the config key;
    - ``--resume`` without a path picks the work dir's checkpoint with the
      most recorded progress, skipping unreadable ones, or says that none
      exists and training starts from scratch;
    - checkpoints are saved atomically.

    When a checkpoint is loaded (``after_load_checkpoint``): a resumed one
    must hold exactly the model's weights, and its learning rates are
    rescaled to the configured ones; a tested one must hold every weight of
    the model. After the run, the process group is destroyed at exit.
    """

    # After the loops' own key checks (FeatureTestLoop's, more specific);
    # every load happens after all hooks' before_run.
    priority = 'LOW'

    def __init__(self) -> None:
        self.training = False
        self.resume_path: Optional[str] = None

    def before_run(self, runner) -> None:
        """Trust list, config checkpoints, resume choice, atomic saves.

        Args:
            runner (Runner): The runner, its loops built.
        """
        cfg = runner.cfg
        set_trusted_checkpoints(cfg.get('trusted_checkpoints'))
        self.training = isinstance(runner._train_loop, BaseLoop)
        if is_distributed():
            _teardown.started()
        entries = (init_cfg_checkpoints(cfg.get('model', {}), 'model')
                   if self.training else [])
        if runner._load_from and not runner._resume:
            entries.append(('load_from', runner._load_from))
        check_config_checkpoints(entries)
        if self.training:
            use_atomic_saves(runner.hooks)
            self._select_resume(runner)

    def _select_resume(self, runner) -> None:
        self.resume_path = None
        if not runner._resume:
            return
        path = select_resume_checkpoint(runner.work_dir, runner._load_from)
        if path is None:
            runner._resume = False  # mmengine would resume from 'None'
        else:
            runner._load_from = self.resume_path = path

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        """Check the keys; let the configured lr apply on resume.

        Args:
            runner (Runner): The runner.
            checkpoint (dict): The loaded checkpoint, before mmengine
                restores the model, optimizer and schedulers from it.
        """
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        if self.training and self.resume_path is not None:
            check_resumed_keys(model, checkpoint, self.resume_path)
            groups = configured_param_groups(runner.optim_wrapper)
            ratios = apply_configured_lr(groups, checkpoint)
            if ratios:
                log_configured_lr(self.resume_path, groups, ratios)
        elif not self.training:
            check_tested_keys(model, checkpoint, runner._load_from)

    def after_run(self, runner) -> None:
        """Mark the run finished: the process group is destroyed at exit.

        Args:
            runner (Runner): The runner.
        """
        _teardown.finished = True
