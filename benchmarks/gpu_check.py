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
import time
import traceback
from typing import Any, Dict, List, Optional

import bench_models
from bench_models import REPO_ROOT, STAGE1_CONFIG, STAGE2_CONFIG
from bench_utils import ResultsFile, emit
from gpu_check_figures import device_figure, skipped, table
from gpu_check_sections import RUNNERS, over_budget

RESULTS = osp.join(REPO_ROOT, 'benchmarks', 'results.jsonl')
BATCHED = {
    1:
    osp.join(REPO_ROOT, 'configs', 'stars',
             'mamp_4xb32-400e_ntu60-xsub-batched-keypoint-3d.py'),
    2:
    osp.join(REPO_ROOT, 'configs', 'stars',
             'stars_4xb32-10e_ntu60-xsub-batched-keypoint-3d.py'),
}
SECTIONS = ('steps', 'sdpa', 'ddp', 'loader', 'compile')
FULL = dict(frames=120,
            batch=None,
            warmup=3,
            steps=10,
            loader_batches=90,
            loader_samples=1024,
            loader_batch=None,
            compile_backend='inductor')
QUICK = dict(frames=8,
             batch=4,
             warmup=1,
             steps=2,
             loader_batches=2,
             loader_samples=24,
             loader_batch=4,
             compile_backend='aot_eager')
# 2 blocks x 32 wide, a small head and memory bank: the quick mode's models.
QUICK_MODEL = {
    'backbone.embed_dims': 32,
    'backbone.depth': 2,
    'backbone.num_heads': 4,
    'mamp_head.decoder.embed_dims': 32,
    'mamp_head.decoder.depth': 1,
    'mamp_head.decoder.decoder_embed_dims': 32,
    'contrastive_head.in_channels': 32,
    'contrastive_head.hidden_channels': 64,
    'contrastive_head.bank_size': 64,
}


def run(args: argparse.Namespace, sink: List[Dict]) -> bool:
    """Run the chosen sections within the budget; True if none failed."""
    from gpu_check_sdpa import first_line
    size = QUICK if args.quick else FULL
    emit(device_figure(args.quick), sink)
    ok = True
    args.deadline = time.perf_counter() + args.budget_s
    for section in args.sections:
        if over_budget(args):
            emit(
                skipped(section, None,
                        f'time budget of {args.budget_s} s spent'), sink)
            continue
        try:
            for record in RUNNERS[section](args, size):
                emit(dict(record, quick=args.quick), sink)
        except Exception as error:  # noqa: B902  (reported, run goes on)
            ok = False
            traceback.print_exc()
            emit(skipped(section, None, f'error: {first_line(error)}'), sink)
    return ok


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """The command line (see the module docstring)."""
    import torch
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--quick',
                        action='store_true',
                        help='CPU smoke run at tiny sizes')
    parser.add_argument('--results',
                        nargs='?',
                        const=RESULTS,
                        default=None,
                        help=f'append the figures to this file ({RESULTS} '
                        'when no path is given)')
    parser.add_argument('--stage1-config', default=STAGE1_CONFIG)
    parser.add_argument('--stage2-config', default=STAGE2_CONFIG)
    parser.add_argument('--stage1-batched-config', default=BATCHED[1])
    parser.add_argument('--stage2-batched-config', default=BATCHED[2])
    parser.add_argument('--sections',
                        default=','.join(SECTIONS),
                        help='comma-separated subset of ' + ','.join(SECTIONS))
    parser.add_argument('--budget-s',
                        type=float,
                        default=480.,
                        help='skip the sections that would start later')
    parser.add_argument('--no-compile',
                        action='store_true',
                        help='report the compile figures as skipped')
    parser.add_argument('--compile-backend',
                        default=None,
                        help='torch.compile backend (default: inductor; '
                        'aot_eager with --quick)')
    parser.add_argument('--max-workers',
                        type=int,
                        default=os.cpu_count(),
                        help='cap on the loaders\' num_workers (cores)')
    parser.add_argument('--allow-cpu',
                        action='store_true',
                        help='full sizes without a GPU (hours on a CPU)')
    parser.add_argument('--threads',
                        type=int,
                        default=1,
                        help='torch threads of this process')
    args = parser.parse_args(argv)
    args.sections = [s for s in args.sections.split(',') if s]
    unknown = sorted(set(args.sections) - set(SECTIONS))
    if unknown:
        parser.error(f'--sections: unknown {unknown}; choose from {SECTIONS}')
    args.configs = {1: args.stage1_config, 2: args.stage2_config}
    args.batched_configs = {
        1: args.stage1_batched_config,
        2: args.stage2_batched_config
    }
    for stage, path in args.configs.items():
        if not osp.exists(path):
            parser.error(f'--stage{stage}-config: {path} not found')
    if not (args.quick or args.allow_cpu or torch.cuda.is_available()):
        parser.error(f'no GPU visible to torch {torch.__version__} (CUDA '
                     f'build: {torch.version.cuda}): run with --quick on '
                     'CPU, or from an environment with a CUDA build of torch')
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
    print(f'# {len(sink)} figures in {time.perf_counter() - started:.0f} s' +
          (f', appended to {args.results}' if args.results else ''),
          file=sys.stderr)
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
