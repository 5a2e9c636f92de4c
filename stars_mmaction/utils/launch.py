"""Config adjustments shared by ``tools/train.py`` and ``tools/test.py``."""
import torch
from mmengine.config import Config


def select_dist_backend(cfg: Config) -> Config:
    """Use NCCL on GPUs and gloo on CPU, unless the config insists.

    mmaction2's runtime config asks for NCCL, which cannot run without GPUs;
    a backend other than NCCL set by the user is kept.

    Args:
        cfg (Config): The run's config.

    Returns:
        Config: The same config, updated.
    """
    env_cfg = cfg.setdefault('env_cfg', dict())
    dist_cfg = env_cfg.setdefault('dist_cfg', dict())
    if not torch.cuda.is_available() and dist_cfg.get('backend',
                                                      'nccl') == 'nccl':
        dist_cfg['backend'] = 'gloo'
    return cfg


def enable_amp(cfg: Config, dtype: str = 'auto') -> Config:
    """Switch the optimizer wrapper to mixed precision.

    On a GPU it is mmengine's ``AmpOptimWrapper`` (float16 with dynamic loss
    scaling, or bfloat16); without one it is
    :class:`~stars_mmaction.engine.BF16AutocastOptimWrapper`.

    Args:
        cfg (Config): The run's config.
        dtype (str): ``'auto'`` (float16 on GPU, bfloat16 on CPU),
            ``'float16'`` or ``'bfloat16'``. Defaults to ``'auto'``.

    Returns:
        Config: The same config, updated.

    Raises:
        ValueError: For a custom optimizer wrapper or float16 without a GPU.
    """
    wrapper = cfg.optim_wrapper.get('type', 'OptimWrapper')
    if wrapper not in ('OptimWrapper', 'AmpOptimWrapper',
                       'BF16AutocastOptimWrapper'):
        raise ValueError(f'--amp does not support the optimizer wrapper '
                         f'{wrapper!r}; expected OptimWrapper')
    if torch.cuda.is_available():
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        if dtype == 'bfloat16':
            cfg.optim_wrapper.dtype = 'bfloat16'
        else:
            cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
        return cfg
    if dtype == 'float16':
        raise ValueError('--amp-dtype float16 needs a GPU; on CPU use '
                         'bfloat16 (the default there)')
    cfg.optim_wrapper.type = 'BF16AutocastOptimWrapper'
    cfg.optim_wrapper.pop('loss_scale', None)
    return cfg
