"""Stage-2 step time under 2-process DDP: freezing before vs after the wrap.

``before``: the encoder is built with every layer trainable, mmengine's
runner order wraps it in DDP with ``find_unused_parameters=True`` (what
every stage-2 config needed), then the untuned layers are frozen (what
``LayerDecayOptimWrapperConstructor`` used to do): DDP still holds them and
searches the autograd graph for unused parameters every iteration.
``after``: the encoder freezes them when it is built (``tune_ratio``), DDP
registers only what trains, ``find_unused_parameters=False``.

Both run in the same two gloo processes (one thread each), with the same
weights and batches, their steps interleaved, so that the machine's load
hits both alike. Prints one JSON record (median seconds per step).

Example::

    OMP_NUM_THREADS=1 python benchmarks/bench_ddp_freezing.py \
        --frames 32 --batch 8 --steps 10
"""
import argparse
import json
import os
import socket
import statistics
import tempfile
import time

import torch
import torch.distributed as dist
import torch.multiprocessing as mp

WORLD = 2


def build(cfg, variant: str):
    """Model, DDP wrapper and optimizer wrapper of ``variant``."""
    from mmengine.model import MMDistributedDataParallel
    from mmengine.optim import build_optim_wrapper
    from mmengine.registry import MODELS

    from stars_mmaction.models.utils import (freeze_untuned_layers,
                                             num_tuned_blocks)
    model_cfg = cfg.model.copy()
    backbone = model_cfg.backbone
    tune_ratio = backbone.tune_ratio
    if variant == 'before':
        model_cfg.backbone = dict(backbone, tune_ratio=1.0)
    torch.manual_seed(0)
    model = MODELS.build(model_cfg)
    model.init_weights()
    ddp = MMDistributedDataParallel(model,
                                    device_ids=None,
                                    broadcast_buffers=False,
                                    find_unused_parameters=variant == 'before')
    if variant == 'before':
        encoder = model.backbone
        freeze_untuned_layers(list(encoder.named_parameters()),
                              lambda name: encoder.get_layer_depth(name)[0],
                              encoder.depth,
                              num_tuned_blocks(encoder.depth, tune_ratio))
    return ddp, build_optim_wrapper(ddp, cfg.optim_wrapper)


def batches(rank: int, steps: int, batch: int, frames: int):
    from mmaction.structures import ActionDataSample
    g = torch.Generator().manual_seed(rank)
    out = []
    for step in range(steps):
        inputs = torch.randn(batch, 1, 2, frames, 25, 3, generator=g)
        samples = []
        for i in range(batch):
            sample = ActionDataSample()
            sample.set_metainfo(
                dict(sample_idx=(step * WORLD + rank) * batch + i))
            samples.append(sample)
        out.append(dict(inputs=list(inputs), data_samples=samples))
    return out


def worker(rank: int, port: int, args: argparse.Namespace,
           out_path: str) -> None:
    torch.set_num_threads(1)
    os.environ.update(MASTER_ADDR='127.0.0.1', MASTER_PORT=str(port))
    dist.init_process_group('gloo', rank=rank, world_size=WORLD)
    try:
        from bench_models import STAGE2_CONFIG, load_config
        cfg = load_config(STAGE2_CONFIG, args.frames)
        built = {v: build(cfg, v) for v in ('before', 'after')}
        data = batches(rank, args.warmup + args.steps, args.batch, args.frames)
        times = {v: [] for v in built}
        for i, batch in enumerate(data):
            for variant, (ddp, optim_wrapper) in built.items():
                dist.barrier()
                start = time.perf_counter()
                ddp.train_step(batch, optim_wrapper)
                dist.barrier()
                if i >= args.warmup:
                    times[variant].append(time.perf_counter() - start)
        if rank == 0:
            record = dict(benchmark='ddp_freezing',
                          processes=WORLD,
                          threads=1,
                          frames=args.frames,
                          batch_per_process=args.batch,
                          steps=args.steps)
            for variant, (ddp, _) in built.items():
                logging = ddp._get_ddp_logging_data()
                record[variant] = dict(
                    median_s=statistics.median(times[variant]),
                    times_s=[round(t, 4) for t in times[variant]],
                    ddp_parameter_tensors=logging['num_parameter_tensors'],
                    find_unused_parameters=bool(
                        logging['find_unused_parameters']))
            record['before_over_after'] = (record['before']['median_s'] /
                                           record['after']['median_s'])
            # Steps i of both variants ran back to back: their ratio sees
            # the same machine load.
            record['paired_ratio_median'] = statistics.median(
                b / a for b, a in zip(times['before'], times['after']))
            with open(out_path, 'w') as f:
                json.dump(record, f)
    finally:
        dist.destroy_process_group()


def main() -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--frames', type=int, default=32)
    parser.add_argument('--batch', type=int, default=8)
    parser.add_argument('--steps', type=int, default=10)
    parser.add_argument('--warmup', type=int, default=2)
    args = parser.parse_args()
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    with tempfile.TemporaryDirectory() as tmp:
        out_path = os.path.join(tmp, 'record.json')
        mp.start_processes(worker,
                           args=(port, args, out_path),
                           nprocs=WORLD,
                           join=True,
                           start_method='spawn')
        with open(out_path) as f:
            record = json.load(f)
    print(json.dumps(record))
    return record


if __name__ == '__main__':
    main()
