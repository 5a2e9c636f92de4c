"""Run every benchmark and append the JSON lines to benchmarks/results.jsonl.

Prints one JSON line per figure (see ``benchmarks/README.md``) and derives
``pipeline_to_model_rate_ratio``: the slower of the two stages' pipeline
rates over the faster stage's training rate at the largest measured batch
(the model that asks the most of the pipeline), then the batched data
path's figures (``bench_batched_aug.py``) and the two-view stage-2 step
(``bench_two_views.py``). Every line written to the
results file also carries ``run_id`` (the UTC start time) and ``machine``.

Usage::

    python benchmarks/run_all.py [--quick] [--output benchmarks/results.jsonl]
"""
import argparse
import json
import os.path as osp
import sys
import time
from typing import Dict, List, Optional

import bench_batched_aug
import bench_knn
import bench_pipeline
import bench_training
import bench_two_views
from bench_utils import (ResultsFile, emit, machine, matmul_gflops,
                         run_isolated)

RESULTS = osp.join(osp.dirname(osp.abspath(__file__)), 'results.jsonl')


def machine_record(quick: bool) -> Dict:
    """The machine and its dense-matmul rate (runs in a forked child)."""
    return dict(name='matmul_2048_fp32',
                gflops=round(matmul_gflops(10 if not quick else 3), 2),
                machine=machine(),
                quick=quick)


def pipeline_ratio(training: Dict[str, Dict], pipeline: Dict[str, Dict],
                   quick: bool) -> Dict:
    """``pipeline_to_model_rate_ratio`` from the measured records."""
    batch = max(
        int(key.rsplit('@', 1)[1]) for key in training
        if key.startswith('stage') and '/ours@' in key)
    model_rates = {
        stage: training[f'stage{stage}_step/ours@{batch}']['seqs_per_s']
        for stage in (1, 2) if f'stage{stage}_step/ours@{batch}' in training
    }
    pipe_rates = {
        stage: pipeline[f'pipeline/stage{stage}']['seqs_per_s']
        for stage in (1, 2)
    }
    value = min(pipe_rates.values()) / max(model_rates.values())
    return dict(name='pipeline_to_model_rate_ratio',
                value=round(value, 4),
                batch=batch,
                model_seqs_per_s=model_rates,
                pipeline_seqs_per_s=pipe_rates,
                per_stage={
                    stage: round(pipe_rates[stage] / model_rates[stage], 3)
                    for stage in model_rates
                },
                quick=quick)


def run(quick: bool = False, output: str = RESULTS) -> List[dict]:
    """Run the benchmarks, append each line to ``output`` as it comes.

    Args:
        quick (bool): Smoke-run sizes. Defaults to False.
        output (str): The JSON-lines file to append to.
            Defaults to ``benchmarks/results.jsonl``.

    Returns:
        list[dict]: Every record of this run.
    """
    start = time.time()
    info = run_isolated(machine_record, quick)
    run_id = time.strftime('%Y%m%dT%H%M%S', time.gmtime(start))
    records = ResultsFile(output, run_id=run_id, machine=info['machine'])
    emit(info, records)
    training = bench_training.run(quick, records)
    bench_knn.run(quick, records)
    pipeline = bench_pipeline.run(quick, records)
    emit(pipeline_ratio(training, pipeline, quick), records)
    bench_batched_aug.run(quick, records)
    bench_two_views.run(quick, records)
    print(
        f'# {len(records)} figures in {time.time() - start:.0f} s appended '
        f'to {output}',
        file=sys.stderr)
    return records


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--quick',
                        action='store_true',
                        help='smoke-run sizes, a few seconds per figure')
    parser.add_argument('--output',
                        default=RESULTS,
                        help='JSON-lines file to append to')
    args = parser.parse_args(argv)
    run(args.quick, args.output)


if __name__ == '__main__':
    sys.exit(main())
