"""Training-step and encoder benchmarks: ours against written-out attention.

Figures (one JSON line each, see ``bench_utils`` for how they are taken):

- ``stage1_step/<variant>``: a MAMP training iteration (90% masking,
  3-block decoder), ``ours`` and ``baseline``.
- ``stage2_step/<variant>``: a STARS tuning iteration (NNCLR head, first
  half of the encoder frozen): ``ours``, ``ours_bf16``, ``ours_no_cp``,
  ``baseline`` and ``reference`` (two passes, frozen half computing
  gradients); see ``bench_models.VARIANTS``.
- ``encoder_fwd_bwd/<variant>``: the unmasked encoder forward and backward
  with every parameter trained (the compute-bound core of both stages).
- ``encoder_features/<variant>``: pooled-feature extraction without
  gradients, the cost of KNN and linear evaluation.

The variants of a stage are timed side by side, each in a worker process
of its own, a step of each in turn per round; each worker then measures its
own peak memory over two more steps. Ratios: ``stage2_step_speedup_vs_baseline``,
``stage2_peak_memory_ratio_vs_baseline`` (baseline / ours, peak tensor
memory; ``rss_ratio`` has the resident-set ratio), the same two
``_vs_reference``, ``stage2_step_bf16_speedup_vs_fp32``,
``stage2_step_cp_cost`` (ours / ours_no_cp time),
``stage1_step_speedup_vs_baseline`` and ``encoder_fraction_of_matmul_peak``.

Usage::

    python benchmarks/bench_training.py [--quick]
"""
import argparse
import sys
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from bench_utils import (emit, figure, matmul_gflops, paired_ratio,
                         peak_rss_mb, run_isolated, side_by_side, time_calls)

FULL = dict(frames=120,
            batches=(8, 32),
            feature_batch=64,
            warmup=1,
            steps=5,
            matmul_repeats=5)
# --quick: a smoke run of the same code at 8 frames (50 tokens a person).
QUICK = dict(frames=8,
             batches=(8, ),
             feature_batch=16,
             warmup=1,
             steps=5,
             matmul_repeats=3)
# Batch 32 is measured for ours only: the targets compare with the baseline
# at batch 8, and a batch-32 baseline step takes minutes on 2 cores.
STAGE_VARIANTS = {
    1: ('ours', 'baseline'),
    2: ('ours', 'ours_bf16', 'ours_no_cp', 'baseline', 'reference'),
}


def step_worker(stage: int, variant: str, batch: int,
                settings: Dict) -> Tuple[Callable, Dict, Tuple]:
    """Build a training iteration in a :func:`side_by_side` worker."""
    from bench_models import training_step
    step, setup, built = training_step(stage, variant, batch,
                                       settings['frames'])
    live_roots = (built['model'], built['optim_wrapper'].optimizer,
                  built['inputs'])
    return step, setup, live_roots


def measure_steps(stage: int, variants: Sequence[str], batch: int,
                  settings: Dict, quick: bool) -> Dict[str, Dict]:
    """Time and measure training iterations of ``variants`` side by side.

    Returns:
        dict: Per variant, its figure plus ``times`` (per-round seconds).
    """
    matmul = run_isolated(matmul_record, settings['matmul_repeats'])
    measured = side_by_side(
        {
            variant: (step_worker, (stage, variant, batch, settings))
            for variant in variants
        }, settings['warmup'], settings['steps'])
    records = {}
    for variant, result in measured.items():
        record = figure(f'stage{stage}_step/{variant}',
                        batch,
                        result,
                        batch,
                        matmul['gflops'],
                        result['peak_memory_mb'],
                        quick=quick,
                        timed='side by side',
                        peak_tensor_mb=result['peak_tensor_mb'],
                        live_tensor_mb=result['live_tensor_mb'],
                        **result['info'])
        records[variant] = dict(record, times=result['times'])
    return records


def matmul_record(repeats: int) -> Dict:
    """The dense-matmul rate, measured in a child of its own."""
    return dict(gflops=matmul_gflops(repeats))


def measure_encoder(variant: str, batch: int, settings: Dict,
                    quick: bool) -> Dict:
    """Time the encoder's forward and backward, every parameter trained."""
    import torch

    from bench_models import NUM_PERSONS, encoder
    matmul = matmul_gflops(settings['matmul_repeats'])
    model = encoder(variant, settings['frames'])
    x = torch.randn(batch, NUM_PERSONS, settings['frames'], 25, 3)

    def step() -> None:
        model.zero_grad(set_to_none=True)
        model(x).mean().backward()

    timing = time_calls(step, settings['warmup'], settings['steps'])
    return figure(f'encoder_fwd_bwd/{variant}',
                  batch,
                  timing,
                  batch,
                  matmul,
                  peak_rss_mb(),
                  quick=quick,
                  num_frames=settings['frames'])


def measure_features(variant: str, batch: int, settings: Dict,
                     quick: bool) -> Dict:
    """Time pooled-feature extraction without gradients (eval mode)."""
    import torch

    from bench_models import make_batch, feature_model
    matmul = matmul_gflops(settings['matmul_repeats'])
    model = feature_model(variant, settings['frames'])
    inputs, _ = make_batch(batch, 1, settings['frames'])

    def step() -> None:
        with torch.no_grad():
            model(inputs, mode='tensor')

    timing = time_calls(step, settings['warmup'], settings['steps'])
    return figure(f'encoder_features/{variant}',
                  batch,
                  timing,
                  batch,
                  matmul,
                  peak_rss_mb(),
                  quick=quick,
                  num_frames=settings['frames'])


def ratio(name: str, value: float, batch: int, quick: bool, **extra) -> Dict:
    """A derived figure with its ``value``."""
    return dict(name=name,
                value=round(value, 4),
                batch=batch,
                quick=quick,
                **extra)


def run(quick: bool = False,
        sink: Optional[List[dict]] = None) -> Dict[str, Dict]:
    """Measure every training figure, print and collect them.

    Args:
        quick (bool): Smoke-run sizes (:data:`QUICK`). Defaults to False.
        sink (list, optional): Records are appended to it.

    Returns:
        dict: The records by name (``<name>@<batch>`` for measured ones).
    """
    settings = QUICK if quick else FULL
    records: Dict[str, Dict] = {}
    times: Dict[str, List[float]] = {}

    def keep(record: Dict) -> Dict:
        emit(record, sink)
        key = record['name'] + (f"@{record['batch']}"
                                if 'value' not in record else '')
        records[key] = record
        return record

    def steps(stage: int, variants: Sequence[str], batch: int) -> None:
        for variant, record in measure_steps(stage, variants, batch,
                                             settings, quick).items():
            times[f'stage{stage}_step/{variant}@{batch}'] = record.pop(
                'times')
            keep(record)

    small = settings['batches'][0]
    # The figures the targets need first, so that an interrupted run has them.
    steps(2, STAGE_VARIANTS[2], small)
    for variant in ('ours', 'baseline'):
        keep(run_isolated(measure_encoder, variant, small, settings, quick))
    steps(1, STAGE_VARIANTS[1], small)
    for variant in ('ours', 'baseline'):
        keep(
            run_isolated(measure_features, variant,
                         settings['feature_batch'], settings, quick))
    for batch in settings['batches'][1:]:
        for stage in (2, 1):
            steps(stage, ('ours', ), batch)

    def time_ratio(name: str, stage: int, numerator: str,
                   denominator: str) -> None:
        top = times[f'stage{stage}_step/{numerator}@{small}']
        bottom = times[f'stage{stage}_step/{denominator}@{small}']
        keep(
            ratio(name,
                  paired_ratio(top, bottom),
                  small,
                  quick,
                  numerator_s=records[f'stage{stage}_step/{numerator}@{small}']
                  ['median_s'],
                  denominator_s=records[
                      f'stage{stage}_step/{denominator}@{small}']['median_s'],
                  measured='median of per-round ratios, side by side'))

    def memory_ratio(stage: int, other: str) -> None:
        ours = records[f'stage{stage}_step/ours@{small}']
        theirs = records[f'stage{stage}_step/{other}@{small}']
        keep(
            ratio(f'stage{stage}_peak_memory_ratio_vs_{other}',
                  theirs['peak_tensor_mb'] / ours['peak_tensor_mb'],
                  small,
                  quick,
                  ours_mb=ours['peak_tensor_mb'],
                  other_mb=theirs['peak_tensor_mb'],
                  measured='peak tensor memory',
                  rss_ratio=round(
                      theirs['peak_memory_mb'] / ours['peak_memory_mb'], 4),
                  ours_rss_mb=ours['peak_memory_mb'],
                  other_rss_mb=theirs['peak_memory_mb']))

    for other in ('baseline', 'reference'):
        time_ratio(f'stage2_step_speedup_vs_{other}', 2, other, 'ours')
        memory_ratio(2, other)
    time_ratio('stage2_step_bf16_speedup_vs_fp32', 2, 'ours', 'ours_bf16')
    time_ratio('stage2_step_cp_cost', 2, 'ours', 'ours_no_cp')
    time_ratio('stage1_step_speedup_vs_baseline', 1, 'baseline', 'ours')
    memory_ratio(1, 'baseline')
    features = [
        records[f'encoder_features/{v}@{settings["feature_batch"]}']
        for v in ('ours', 'baseline')
    ]
    keep(
        ratio('encoder_features_speedup_vs_baseline',
              features[1]['median_s'] / features[0]['median_s'],
              settings['feature_batch'],
              quick,
              ours_s=features[0]['median_s'],
              other_s=features[1]['median_s']))
    enc = records[f'encoder_fwd_bwd/ours@{small}']
    keep(
        ratio('encoder_fraction_of_matmul_peak',
              enc['matmul_fraction'],
              small,
              quick,
              gflops=enc['gflops'],
              matmul_gflops=enc['matmul_gflops']))
    return records


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--quick',
                        action='store_true',
                        help='smoke-run sizes (8 frames, batch 8 only)')
    args = parser.parse_args(argv)
    run(args.quick)


if __name__ == '__main__':
    sys.exit(main())
