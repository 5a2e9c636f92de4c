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
    scaling, or bfloat16); without one, or when the config clips gradients
    per parameter, it is
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
                       'ParamwiseClipOptimWrapper',
                       'BF16AutocastOptimWrapper'):
        raise ValueError(f'--amp does not support the optimizer wrapper '
                         f'{wrapper!r}; expected OptimWrapper or '
                         'ParamwiseClipOptimWrapper')
    per_parameter = (cfg.optim_wrapper.get('clip_grad') or
                     {}).get('per_parameter', False)
    if torch.cuda.is_available() and not per_parameter:
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        if dtype == 'bfloat16':
            cfg.optim_wrapper.dtype = 'bfloat16'
        else:
            cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
        return cfg
    if dtype == 'float16':
        raise ValueError('--amp-dtype float16 needs a GPU and global gradient '
                         'clipping; use bfloat16')
    # bfloat16 needs no loss scaling, so one wrapper serves CPU, and GPU
    # runs that clip per parameter (mmengine's AmpOptimWrapper cannot).
    cfg.optim_wrapper.type = 'BF16AutocastOptimWrapper'
    cfg.optim_wrapper.pop('loss_scale', None)
    return cfg
