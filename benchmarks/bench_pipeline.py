"""Data pipeline throughput with the configured data loader.

Builds ``train_dataloader`` of the NTU-60 stage-1 config (training pipeline:
crop [0.5, 1], resize to 120 frames, rotation) and of the stage-2 config
(tuning pipeline, no augmentation) exactly as the runner does, with their
batch size and ``num_workers``, on the embedded demo data
(``data/demo/demo_3d.pkl``, made by ``tools/data/make_demo_dataset.py``).
One epoch warms the persistent workers up; the next epoch is timed from the
creation of its iterator to its last batch, so worker start-up is excluded
but no prefetched batch is counted for free.

Figures: ``pipeline/stage1`` and ``pipeline/stage2`` (samples per second in
``seqs_per_s``). The pipeline runs alone here; in training it shares the
CPU with the model.

Usage::

    python benchmarks/bench_pipeline.py [--quick]
"""
import argparse
import os.path as osp
import sys
import time
from typing import Dict, List, Optional

from bench_models import REPO_ROOT, STAGE1_CONFIG, STAGE2_CONFIG, load_config
from bench_utils import emit, peak_rss_mb, run_isolated

DEMO_ANN_FILE = osp.join(REPO_ROOT, 'data', 'demo', 'demo_3d.pkl')
STAGE_CONFIGS = {1: STAGE1_CONFIG, 2: STAGE2_CONFIG}


def measure(stage: int, quick: bool) -> Dict:
    """Time one epoch of the stage's data loader (in a forked child)."""
    from mmengine.runner import Runner
    if not osp.exists(DEMO_ANN_FILE):
        raise FileNotFoundError(
            f'{DEMO_ANN_FILE} not found: run `python tools/data/'
            'make_demo_dataset.py --out-dir data/demo --name demo_3d`')
    cfg = load_config(STAGE_CONFIGS[stage], 120)
    loader_cfg = cfg.train_dataloader
    loader_cfg.dataset.ann_file = DEMO_ANN_FILE
    loader_cfg.dataset.pop('data_prefix', None)
    loader = Runner.build_dataloader(loader_cfg, seed=0)
    samples = len(loader.dataset)
    for _ in loader:  # start the workers, fill the caches
        pass
    epochs = 1 if quick else 2
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        for _ in loader:
            pass
        times.append(time.perf_counter() - start)
    best = min(times)
    return dict(name=f'pipeline/stage{stage}',
                batch=loader_cfg.batch_size,
                num_workers=loader_cfg.num_workers,
                samples=samples,
                median_s=round(sorted(times)[len(times) // 2], 4),
                min_s=round(best, 4),
                max_s=round(max(times), 4),
                steps=epochs,
                seqs_per_s=round(samples / best, 1),
                peak_memory_mb=round(peak_rss_mb(), 1),
                quick=quick)


def run(quick: bool = False,
        sink: Optional[List[dict]] = None) -> Dict[str, Dict]:
    """Measure both stages' pipelines; print the figures.

    Args:
        quick (bool): One timed epoch instead of two. Defaults to False.
        sink (list, optional): Records are appended to it.

    Returns:
        dict: The records by name.
    """
    records = {}
    for stage in STAGE_CONFIGS:
        record = run_isolated(measure, stage, quick)
        emit(record, sink)
        records[record['name']] = record
    return records


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--quick',
                        action='store_true',
                        help='one timed epoch instead of two')
    args = parser.parse_args(argv)
    run(args.quick)


if __name__ == '__main__':
    sys.exit(main())
