"""One-process DDP with SyncBN: the stage-2 step as a distributed run takes it.

A process group of size 1 (NCCL on a GPU, gloo on CPU, rendezvous through a
file store in a temporary folder), BatchNorm converted as the runner does
for the config's ``sync_bn`` (stage 2's projector has BatchNorm), the model
wrapped by the config's ``model_wrapper_cfg`` (``MMDistributedDataParallel``)
and the optimizer wrapper built on the wrapped model, as in
``Runner.train``. Then warm-up and timed ``train_step`` calls.

torch refuses ``SyncBatchNorm`` in DDP on CPU modules; on CPU the step is then taken with plain BatchNorm and the SyncBN figure carries
the reason. With one process it does not communicate (torch falls back to
``batch_norm`` when the world has one rank): the figure shows that the
converted model runs under DDP, not the cost of synchronising statistics.
"""
import os.path as osp
import tempfile
from typing import Any, Dict

import torch
import torch.distributed as dist

from gpu_check_sdpa import first_line
from gpu_check_steps import (STAGE2_CONFIG, device_type, random_data, release,
                             time_steps)


def wrap(model: torch.nn.Module, cfg: Any) -> torch.nn.Module:
    """Wrap ``model`` with the config's model wrapper, as the runner does."""
    from mmengine.registry import MODEL_WRAPPERS
    wrapper_cfg = dict(cfg.get('model_wrapper_cfg') or {})
    wrapper_cfg.setdefault('type', 'MMDistributedDataParallel')
    wrapper_cfg.setdefault('broadcast_buffers', False)
    device_ids = [torch.cuda.current_device()] if device_type() == 'cuda' \
        else None
    return MODEL_WRAPPERS.build(wrapper_cfg,
                                default_args=dict(module=model,
                                                  device_ids=device_ids))


def build_ddp(num_frames: int,
              sync_bn: bool,
              config: str = STAGE2_CONFIG) -> Dict[str, Any]:
    """The stage-2 model, maybe SyncBN-converted, wrapped, with its wrapper."""
    from mmengine.model import convert_sync_batchnorm
    from mmengine.optim import build_optim_wrapper

    from bench_models import build_model, load_config
    release()
    cfg = load_config(config, num_frames)
    torch.manual_seed(0)
    model = build_model(cfg, 'ours').to(device_type())
    converted = 0
    if sync_bn:
        model = convert_sync_batchnorm(
            model, implementation=cfg.get('sync_bn', 'torch') or 'torch')
        converted = sum(
            isinstance(m, torch.nn.SyncBatchNorm) for m in model.modules())
    ddp = wrap(model, cfg)
    return dict(model=ddp,
                optim_wrapper=build_optim_wrapper(ddp, cfg.optim_wrapper),
                sync_bn_layers=converted,
                wrapper=type(ddp).__name__)


def run_ddp(batch: int,
            num_frames: int,
            warmup: int,
            steps: int,
            config: str = STAGE2_CONFIG) -> Dict[str, Any]:
    """Time the stage-2 step under one-process DDP, with SyncBN if it runs.

    Args:
        batch (int): Sequences per step.
        num_frames (int): Frames per clip.
        warmup (int): Untimed steps.
        steps (int): Timed steps.
        config (str): The stage-2 config. Defaults to the NTU-60 one.

    Returns:
        dict: ``backend``, ``world_size``, ``seqs_per_s``, ``median_s``,
        ``wrapper``, ``sync_bn_layers`` (SyncBatchNorm layers that ran, 0
        when refused) and ``sync_bn_skipped`` (the reason, or None).
    """
    backend = 'nccl' if device_type() == 'cuda' else 'gloo'
    if backend == 'nccl':
        torch.cuda.set_device(0)
    with tempfile.TemporaryDirectory() as tmp:
        dist.init_process_group(backend,
                                init_method='file://' + osp.join(tmp, 'store'),
                                rank=0,
                                world_size=1)
        try:
            data = random_data(batch, num_frames)
            skipped = None
            try:
                built = build_ddp(num_frames, True, config)
                built['model'].train_step(data, built['optim_wrapper'])
            except ValueError as error:  # torch: SyncBN needs a GPU
                skipped = first_line(error)
                built = build_ddp(num_frames, False, config)

            def step() -> None:
                built['model'].train_step(data, built['optim_wrapper'])

            timing = time_steps(step, warmup, steps)
            dist.barrier()
        finally:
            dist.destroy_process_group()
    return dict(timing,
                backend=backend,
                world_size=1,
                seqs_per_s=batch / timing['median_s'],
                wrapper=built['wrapper'],
                sync_bn_layers=built['sync_bn_layers'],
                sync_bn_skipped=skipped)
