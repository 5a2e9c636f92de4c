"""The sections of the GPU check (:mod:`gpu_check`): each takes its figures.

A section is a generator ``(args, size) -> figure records``: ``args``
the parsed command line (``configs``, ``batched_configs``, ``deadline``,
...), ``size`` the run's sizes (``gpu_check.FULL`` or ``gpu_check.QUICK``).
"""
import argparse
import os.path as osp
import tempfile
import time
from typing import Callable, Dict, Iterator

import bench_models
from gpu_check_figures import (compile_figures, figure, loader_figures,
                               skipped, step_figures)

# Figures are yielded as they are taken, so that a later failure keeps them.
Records = Iterator[Dict]


def batch_size(args: argparse.Namespace, size: Dict, stage: int) -> int:
    """Sequences per step: the config's per-GPU batch (32) at full size."""
    if size['batch'] is not None:
        return size['batch']
    return bench_models.load_config(args.configs[stage],
                                    size['frames']).train_dataloader.batch_size


def over_budget(args: argparse.Namespace, needed_s: float = 0.) -> bool:
    """Whether the run's time budget (``--budget-s``) is spent, or would be
    after ``needed_s`` more seconds."""
    return time.perf_counter() + needed_s > args.deadline


def run_steps(args: argparse.Namespace, size: Dict) -> Records:
    """Stage 1 and 2, fp32 and bf16: rate and peak memory."""
    from gpu_check_steps import PRECISIONS, measure_step
    for stage in (1, 2):
        for precision in PRECISIONS:
            result = measure_step(stage, precision,
                                  batch_size(args, size, stage),
                                  size['frames'], size['warmup'],
                                  size['steps'], args.configs[stage])
            yield from step_figures(stage, precision, result)


def run_sdpa(args: argparse.Namespace, size: Dict) -> Records:
    """The encoder's attention at the configured size, per precision."""
    import torch

    from gpu_check_sdpa import probe
    encoder = bench_models.load_config(args.configs[2],
                                       size['frames']).model.backbone
    tokens = size['frames'] // encoder.t_patch_size * encoder.num_joints
    shape = dict(sequences=batch_size(args, size, 2) *
                 bench_models.NUM_PERSONS,
                 tokens=tokens,
                 dims=encoder.embed_dims,
                 heads=encoder.num_heads)
    for precision, dtype in (('fp32', torch.float32), ('bf16',
                                                       torch.bfloat16)):
        result = probe(dtype=dtype, **shape)
        yield figure(f'sdpa/{precision}',
                     result['default'],
                     'backend',
                     runs=result['runs'],
                     **shape)


def run_ddp_section(args: argparse.Namespace, size: Dict) -> Records:
    """One-process DDP with SyncBN, stage 2."""
    from gpu_check_ddp import run_ddp
    result = run_ddp(batch_size(args, size, 2), size['frames'], size['warmup'],
                     size['steps'], args.configs[2])
    common = dict(backend=result['backend'],
                  world_size=1,
                  wrapper=result['wrapper'])
    sync = (skipped('ddp/sync_bn', 'layers',
                    f'torch refused SyncBN: {result["sync_bn_skipped"]}', **
                    common)
            if result['sync_bn_skipped'] else figure('ddp/sync_bn',
                                                     result['sync_bn_layers'],
                                                     'layers',
                                                     communicates=False,
                                                     **common))
    yield figure('ddp/stage2/seqs_per_s',
                 result['seqs_per_s'],
                 'seq/s',
                 sync_bn_layers=result['sync_bn_layers'],
                 **common)
    yield sync


def run_loader(args: argparse.Namespace, size: Dict) -> Records:
    """Loader vs model rate for the per-sample and the batched data path."""
    from gpu_check_loader import measure_path, write_annotations
    with tempfile.TemporaryDirectory() as tmp:
        ann_file = write_annotations(osp.join(tmp, 'ntu_like_3d.pkl'),
                                     size['loader_samples'])
        for path, configs in (('per_sample', args.configs),
                              ('batched', args.batched_configs)):
            for stage in (1, 2):
                if not osp.exists(configs[stage]):
                    reason = f'config not found: {configs[stage]}'
                    yield skipped(f'loader/{path}/stage{stage}', 'samples/s',
                                  reason)
                    yield skipped(f'loader_vs_model/{path}/stage{stage}',
                                  'loader/model', reason)
                    continue
                result = measure_path(configs[stage], stage, ann_file,
                                      size['frames'], size['loader_batches'],
                                      args.max_workers, size['warmup'],
                                      size['steps'], size['loader_batch'])
                yield from loader_figures(path, stage, result)


def run_compile_section(args: argparse.Namespace, size: Dict) -> Records:
    """Eager vs compiled bf16 steps of both stages."""
    from gpu_check_compile import run_compile
    last_cost = 0.
    for stage in (1, 2):
        reason = None
        if args.no_compile:
            reason = 'skipped by --no-compile'
        elif over_budget(args, last_cost):
            # The previous stage's cost predicts this one's.
            reason = (f'time budget of {args.budget_s} s spent or too short '
                      f'for another {last_cost:.0f} s')
        if reason is not None:
            for name, unit in (('eager', 'seq/s'), ('compiled', 'seq/s'),
                               ('compile_time', 's')):
                yield skipped(f'compile/stage{stage}/{name}', unit, reason)
            continue
        start = time.perf_counter()
        result = run_compile(stage, 'bf16', batch_size(args, size, stage),
                             size['frames'], size['warmup'], size['steps'],
                             args.compile_backend, args.configs[stage])
        last_cost = time.perf_counter() - start
        yield from compile_figures(stage, result)


RUNNERS: Dict[str, Callable[[argparse.Namespace, Dict],
                            Records]] = dict(steps=run_steps,
                                             sdpa=run_sdpa,
                                             ddp=run_ddp_section,
                                             loader=run_loader,
                                             compile=run_compile_section)
