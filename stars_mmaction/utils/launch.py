"""Config adjustments shared by ``tools/train.py`` and ``tools/test.py``."""
import datetime
import logging

import torch
import torch.distributed as torch_dist
from mmengine.config import Config
from mmengine.logging import print_log
from mmengine.registry import MODEL_WRAPPERS
from torch.nn.parallel import DistributedDataParallel


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


def prepare_cpu_distributed(cfg: Config) -> Config:
    """Let a distributed run (``--launcher pytorch``) work without GPUs.

    mmengine's launcher assumes GPUs: it calls ``torch.cuda.set_device``,
    gives DDP ``device_ids=[LOCAL_RANK]`` (refused for CPU modules) and
    converts BatchNorm to ``torch.nn.SyncBatchNorm`` (which raises on CPU
    tensors). Without CUDA this initialises the gloo process group itself
    (mmengine then skips its own initialisation), builds DDP without
    ``device_ids`` and drops ``sync_bn`` with an info message: every rank
    then normalises with the statistics of its own batch. With CUDA, or
    without a launcher, nothing changes.

    Args:
        cfg (Config): The run's config, after :func:`select_dist_backend`.

    Returns:
        Config: The same config, updated.

    Raises:
        ValueError: For the ``slurm`` or ``mpi`` launcher without CUDA.
    """
    launcher = cfg.get('launcher', 'none')
    if launcher == 'none' or torch.cuda.is_available():
        return cfg
    if launcher != 'pytorch':
        raise ValueError(
            f'--launcher {launcher} needs GPUs; on CPU start the processes '
            'with tools/dist_train.sh or tools/dist_test.sh (--launcher '
            'pytorch)')
    dist_cfg = dict(cfg.get('env_cfg', {}).get('dist_cfg', {}))
    if not torch_dist.is_initialized():
        timeout = dist_cfg.get('timeout')
        torch_dist.init_process_group(
            backend=dist_cfg.get('backend', 'gloo'),
            **({} if timeout is None else dict(
                timeout=datetime.timedelta(seconds=timeout))))
    wrapper = dict(
        type='MMDistributedDataParallel',
        broadcast_buffers=False,
        find_unused_parameters=cfg.get('find_unused_parameters', False))
    wrapper.update(cfg.get('model_wrapper_cfg') or {})
    wrapper_type = wrapper['type']
    if isinstance(wrapper_type, str):
        wrapper_type = MODEL_WRAPPERS.get(wrapper_type)
    if isinstance(wrapper_type, type) and issubclass(
            wrapper_type, DistributedDataParallel):
        wrapper['device_ids'] = None  # mmengine would pass [LOCAL_RANK]
    cfg.model_wrapper_cfg = wrapper
    if cfg.get('sync_bn') is not None:
        print_log(
            f"sync_bn={cfg.sync_bn!r} is not applied: torch's SyncBatchNorm "
            'needs GPUs; on CPU each process normalises with its own batch',
            logger='current',
            level=logging.INFO)
        cfg.sync_bn = None
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


def teardown_distributed() -> None:
    """Wait for every rank, then destroy the process group.

    Without it gloo's threads can abort the interpreter at exit
    ("terminate called without an active exception"): a rank that exits, or
    tears its group down, while another still talks to it leaves a joinable
    thread behind. A no-op outside a distributed run.
    """
    if torch_dist.is_available() and torch_dist.is_initialized():
        torch_dist.barrier()
        torch_dist.destroy_process_group()
