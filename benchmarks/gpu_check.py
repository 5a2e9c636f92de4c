"""GPU check: training rates, memory, SDPA, DDP, compile and loader vs model.

One prepared run (about 8 minutes on one GPU; ``--budget-s``) that takes:

- ``stage{1,2}/{fp32,bf16}/seqs_per_s`` and ``.../peak_memory``: the MAMP
  and STARS training steps at full size (120 frames, 2 persons, 25 joints,
  8 x 256 encoder, batch 32) built from the configs (:mod:`gpu_check_steps`);
- ``sdpa/{fp32,bf16}``: which attention backends run the encoder's
  attention and which one the default call picks (:mod:`gpu_check_sdpa`);
- ``ddp/stage2/seqs_per_s`` and ``ddp/sync_bn``: one-process DDP (NCCL; gloo
  on CPU) with SyncBN (:mod:`gpu_check_ddp`);
- ``compile/stage{1,2}/{eager,compiled,compile_time}`` (bf16,
  :mod:`gpu_check_compile`);
- ``loader/{per_sample,batched}/stage{1,2}`` and ``loader_vs_model/...``:
  the configured loader's rate on NTU-like data against the model's
  (:mod:`gpu_check_loader`).

Prints one JSON line per figure (``name``, ``value``, ``unit``; a figure
not taken has ``value`` null and ``skipped``), appends them to a results file
with ``--results``, and ends with a table on stderr. ``--quick`` runs the
same code on CPU at tiny sizes (8 frames, 2 blocks x 32, batch 4). Exits 1
when a section failed (its figure names the error).

Usage::

    bash benchmarks/gpu_check.sh [--quick] [--results [PATH]]
"""
import argparse
import os
import os.path as osp
import sys
import tempfile
import time
from typing import Any, Callable, Dict, List, Optional

import bench_models
from bench_models import REPO_ROOT, STAGE1_CONFIG, STAGE2_CONFIG
from bench_utils import ResultsFile, emit
from gpu_check_figures import (compile_figures, device_figure, figure,
                               loader_figures, skipped, step_figures, table)

RESULTS = osp.join(REPO_ROOT, 'benchmarks', 'results.jsonl')
BATCHED = {
    1: osp.join(REPO_ROOT, 'configs', 'stars',
                'mamp_4xb32-400e_ntu60-xsub-batched-keypoint-3d.py'),
    2: osp.join(REPO_ROOT, 'configs', 'stars',
                'stars_4xb32-10e_ntu60-xsub-batched-keypoint-3d.py'),
}
SECTIONS = ('steps', 'sdpa', 'ddp', 'loader', 'compile')
FULL = dict(frames=120, batch=None, warmup=3, steps=10, loader_batches=90,
            loader_samples=1024, loader_batch=None, compile_backend='inductor')
QUICK = dict(frames=8, batch=4, warmup=1, steps=2, loader_batches=2,
             loader_samples=24, loader_batch=4, compile_backend='aot_eager')
# 2 blocks x 32 wide, a small head and memory bank: the quick mode's models.
QUICK_MODEL = {
    'backbone.embed_dims': 32, 'backbone.depth': 2, 'backbone.num_heads': 4,
    'mamp_head.decoder.embed_dims': 32, 'mamp_head.decoder.depth': 1,
    'mamp_head.decoder.decoder_embed_dims': 32,
    'contrastive_head.in_channels': 32,
    'contrastive_head.hidden_channels': 64,
    'contrastive_head.bank_size': 64,
}


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
                 tokens=tokens, dims=encoder.embed_dims,
                 heads=encoder.num_heads)
    records = []
    for precision, dtype in (('fp32', torch.float32),
                             ('bf16', torch.bfloat16)):
        result = probe(dtype=dtype, **shape)
        records.append(
            figure(f'sdpa/{precision}', result['default'], 'backend',
                   runs=result['runs'], **shape))
    return records


def run_ddp_section(args: argparse.Namespace, size: Dict) -> List[Dict]:
    """One-process DDP with SyncBN, stage 2."""
    from gpu_check_ddp import run_ddp
    result = run_ddp(batch_size(args, size, 2), size['frames'], size['warmup'],
                     size['steps'], args.configs[2])
    common = dict(backend=result['backend'], world_size=1,
                  wrapper=result['wrapper'])
    sync = (skipped('ddp/sync_bn', 'layers',
                    f'torch refused SyncBN: {result["sync_bn_skipped"]}',
                    **common) if result['sync_bn_skipped'] else
            figure('ddp/sync_bn', result['sync_bn_layers'], 'layers',
                   communicates=False, **common))
    return [
        figure('ddp/stage2/seqs_per_s', result['seqs_per_s'], 'seq/s',
               sync_bn_layers=result['sync_bn_layers'], **common), sync
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
                             size['frames'],
                             size['warmup'], size['steps'],
                             args.compile_backend, args.configs[stage])
        records += compile_figures(stage, result)
    return records


RUNNERS: Dict[str, Callable[[argparse.Namespace, Dict], List[Dict]]] = dict(
    steps=run_steps, sdpa=run_sdpa, ddp=run_ddp_section, loader=run_loader,
    compile=run_compile_section)


def run(args: argparse.Namespace, sink: List[Dict]) -> bool:
    """Run the chosen sections within the budget; True if none failed."""
    from gpu_check_sdpa import first_line
    size = QUICK if args.quick else FULL
    emit(device_figure(args.quick), sink)
    ok = True
    args.deadline = time.perf_counter() + args.budget_s
    for section in args.sections:
        if over_budget(args):
            emit(skipped(section, None,
                         f'time budget of {args.budget_s} s spent'), sink)
            continue
        try:
            records = RUNNERS[section](args, size)
        except Exception as error:  # noqa: B902  (reported, run goes on)
            ok = False
            emit(skipped(section, None, f'error: {first_line(error)}'), sink)
            continue
        for record in records:
            emit(dict(record, quick=args.quick), sink)
    return ok


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """The command line (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--quick', action='store_true',
                        help='CPU smoke run at tiny sizes')
    parser.add_argument('--results', nargs='?', const=RESULTS, default=None,
                        help=f'append the figures to this file ({RESULTS} '
                        'when no path is given)')
    parser.add_argument('--stage1-config', default=STAGE1_CONFIG)
    parser.add_argument('--stage2-config', default=STAGE2_CONFIG)
    parser.add_argument('--stage1-batched-config', default=BATCHED[1])
    parser.add_argument('--stage2-batched-config', default=BATCHED[2])
    parser.add_argument('--sections', default=','.join(SECTIONS),
                        help='comma-separated subset of ' + ','.join(SECTIONS))
    parser.add_argument('--budget-s', type=float, default=480,
                        help='skip the sections that would start later')
    parser.add_argument('--no-compile', action='store_true',
                        help='report the compile figures as skipped')
    parser.add_argument('--compile-backend', default=None,
                        help='torch.compile backend (default: inductor; '
                        'aot_eager with --quick)')
    parser.add_argument('--max-workers', type=int, default=os.cpu_count(),
                        help='cap on the loaders\' num_workers (cores)')
    parser.add_argument('--threads', type=int, default=1,
                        help='torch threads of this process')
    args = parser.parse_args(argv)
    args.sections = [s for s in args.sections.split(',') if s]
    unknown = sorted(set(args.sections) - set(SECTIONS))
    if unknown:
        parser.error(f'--sections: unknown {unknown}; choose from {SECTIONS}')
    args.configs = {1: args.stage1_config, 2: args.stage2_config}
    args.batched_configs = {1: args.stage1_batched_config,
                            2: args.stage2_batched_config}
    for stage, path in args.configs.items():
        if not osp.exists(path):
            parser.error(f'--stage{stage}-config: {path} not found')
    size = QUICK if args.quick else FULL
    args.compile_backend = args.compile_backend or size['compile_backend']
    if args.quick:
        args.max_workers = min(args.max_workers, 2)
    return args


def main(argv: Optional[List[str]] = None) -> int:
    """Run the check; 0 when every section ran, 1 otherwise."""
    import torch
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    if args.quick:
        bench_models.MODEL_OVERRIDES.update(QUICK_MODEL)
    run_id = time.strftime('%Y%m%dT%H%M%S', time.gmtime())
    sink: Any = (ResultsFile(args.results, run_id=run_id)
                 if args.results else [])
    started = time.perf_counter()
    ok = run(args, sink)
    table(sink)
    print(f'# {len(sink)} figures in {time.perf_counter() - started:.0f} s'
          + (f', appended to {args.results}' if args.results else ''),
          file=sys.stderr)
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
