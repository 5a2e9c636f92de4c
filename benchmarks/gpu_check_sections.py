"""The sections of the GPU check (:mod:`gpu_check`): each takes its figures.

A section is a function ``(args, size) -> list of figure records``: ``args``
the parsed command line (``configs``, ``batched_configs``, ``deadline``,
...), ``size`` the run's sizes (``gpu_check.FULL`` or ``gpu_check.QUICK``).
"""
import argparse
import os.path as osp
import tempfile
import time
from typing import Callable, Dict, List

import bench_models
from gpu_check_figures import (compile_figures, figure, loader_figures,
                               skipped, step_figures)


def batch_size(args: argparse.Namespace, size: Dict, stage: int) -> int:
    """Sequences per step: the config's per-GPU batch (32) at full size."""
    if size['batch'] is not None:
        return size['batch']
    return bench_models.load_config(args.configs[stage],
                                    size['frames']).train_dataloader.batch_size


def over_budget(args: argparse.Namespace) -> bool:
    """Whether the run's time budget (``--budget-s``) is spent."""
    return time.perf_counter() > args.deadline


def run_steps(args: argparse.Namespace, size: Dict) -> List[Dict]:
    """Stage 1 and 2, fp32 and bf16: rate and peak memory."""
    from gpu_check_steps import PRECISIONS, measure_step
    records = []
    for stage in (1, 2):
        for precision in PRECISIONS:
            result = measure_step(stage, precision,
                                  batch_size(args, size, stage),
                                  size['frames'], size['warmup'],
                                  size['steps'], args.configs[stage])
            records += step_figures(stage, precision, result)
    return records


def run_sdpa(args: argparse.Namespace, size: Dict) -> List[Dict]:
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
    records = []
    for precision, dtype in (('fp32', torch.float32), ('bf16',
                                                       torch.bfloat16)):
        result = probe(dtype=dtype, **shape)
        records.append(
            figure(f'sdpa/{precision}',
                   result['default'],
                   'backend',
                   runs=result['runs'],
                   **shape))
    return records


def run_ddp_section(args: argparse.Namespace, size: Dict) -> List[Dict]:
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
    return [
        figure('ddp/stage2/seqs_per_s',
               result['seqs_per_s'],
               'seq/s',
               sync_bn_layers=result['sync_bn_layers'],
               **common), sync
    ]


def run_loader(args: argparse.Namespace, size: Dict) -> List[Dict]:
    """Loader vs model rate for the per-sample and the batched data path."""
    from gpu_check_loader import measure_path, write_annotations
    records = []
    with tempfile.TemporaryDirectory() as tmp:
        ann_file = write_annotations(osp.join(tmp, 'ntu_like_3d.pkl'),
                                     size['loader_samples'])
        for path, configs in (('per_sample', args.configs),
                              ('batched', args.batched_configs)):
            for stage in (1, 2):
                if not osp.exists(configs[stage]):
                    reason = f'config not found: {configs[stage]}'
                    records += [
                        skipped(f'loader/{path}/stage{stage}', 'samples/s',
                                reason),
                        skipped(f'loader_vs_model/{path}/stage{stage}',
                                'loader/model', reason)
                    ]
                    continue
                result = measure_path(configs[stage], stage, ann_file,
                                      size['frames'], size['loader_batches'],
                                      args.max_workers, size['warmup'],
                                      size['steps'], size['loader_batch'])
                records += loader_figures(path, stage, result)
    return records


def run_compile_section(args: argparse.Namespace, size: Dict) -> List[Dict]:
    """Eager vs compiled bf16 steps of both stages."""
    from gpu_check_compile import run_compile
    records = []
    for stage in (1, 2):
        if over_budget(args):
            reason = f'time budget of {args.budget_s} s spent'
            records += [
                skipped(f'compile/stage{stage}/{name}', unit, reason)
                for name, unit in (('eager', 'seq/s'), ('compiled', 'seq/s'),
                                   ('compile_time', 's'))
            ]
            continue
        if args.no_compile:
            for name, unit in (('eager', 'seq/s'), ('compiled', 'seq/s'),
                               ('compile_time', 's')):
                records.append(
                    skipped(f'compile/stage{stage}/{name}', unit,
                            'skipped by --no-compile'))
            continue
        result = run_compile(stage, 'bf16', batch_size(args, size, stage),
                             size['frames'], size['warmup'], size['steps'],
                             args.compile_backend, args.configs[stage])
        records += compile_figures(stage, result)
    return records


RUNNERS: Dict[str, Callable[[argparse.Namespace, Dict],
                            List[Dict]]] = dict(steps=run_steps,
                                                sdpa=run_sdpa,
                                                ddp=run_ddp_section,
                                                loader=run_loader,
                                                compile=run_compile_section)
