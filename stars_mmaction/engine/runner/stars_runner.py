"""mmengine's Runner that also runs distributed on CPU-only machines."""
from mmaction.registry import RUNNERS
from mmengine.config import Config
from mmengine.runner import Runner

from ...utils import prepare_cpu_distributed, select_dist_backend
from ..hooks import RunLifecycleHook


@RUNNERS.register_module()
class STARSRunner(Runner):
    """mmengine's ``Runner``, selected by ``runner_type='STARSRunner'``.

    The plugin's base runtime config selects it, so mmaction2's stock
    ``tools/train.py`` / ``tools/test.py`` and ``mim`` build it (they call
    ``RUNNERS.build(cfg)`` when the config has a ``runner_type``). Compared
    with ``Runner``:

    - without CUDA, the ``pytorch`` launcher starts a gloo process group and
      DDP without ``device_ids`` (mmengine assumes GPUs), see
      :func:`~stars_mmaction.utils.prepare_cpu_distributed`;
    - :class:`RunLifecycleHook` is registered even when a config dropped it
      from ``default_hooks``.

    ``Runner.from_cfg(cfg)`` called on mmengine's class bypasses
    ``runner_type``; it still gets every checkpoint and resume guarantee,
    which live in :class:`RunLifecycleHook`, but not the CPU launcher.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not any(isinstance(h, RunLifecycleHook) for h in self.hooks):
            self.register_hook(RunLifecycleHook())

    @classmethod
    def from_cfg(cls, cfg: Config) -> 'STARSRunner':
        """Build the runner after the CPU adjustments of the config.

        Args:
            cfg (Config): The run's config (changed in place: the process
                group backend, ``model_wrapper_cfg`` and ``sync_bn`` on CPU).

        Returns:
            STARSRunner: The runner.
        """
        select_dist_backend(cfg)
        prepare_cpu_distributed(cfg)
        return super().from_cfg(cfg)
