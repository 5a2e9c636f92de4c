"""Training-step and encoder benchmarks: ours against written-out attention.

Figures (one JSON line each, see ``bench_utils`` for how they are taken):

- ``stage1_step/<attention>``: a MAMP training iteration (90% masking,
  3-block decoder), ``ours`` and ``baseline``.
- ``stage2_step/<attention>``: a STARS tuning iteration (NNCLR head, first
  half of the encoder frozen), ``ours``, ``baseline`` and ``reference``
  (two passes, frozen half computing gradients).
- ``encoder_fwd_bwd/<attention>``: the unmasked encoder forward and backward
  with every parameter trained (the compute-bound core of both stages).
- ``encoder_features/<attention>``: pooled-feature extraction without
  gradients, the cost of KNN and linear evaluation.

and the ratios ``stage2_step_speedup_vs_baseline``,
``stage2_peak_memory_ratio_vs_baseline`` (baseline / ours),
``stage2_step_speedup_vs_reference``,
``stage2_peak_memory_ratio_vs_reference``,
``stage1_step_speedup_vs_baseline`` and ``encoder_fraction_of_matmul_peak``.

Usage::

    python benchmarks/bench_training.py [--quick]
"""
import argparse
import sys
from typing import Dict, List, Optional

from bench_utils import (emit, figure, matmul_gflops, peak_rss_mb,
                         run_isolated, time_calls)

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
# at batch 8, and a batch-32 baseline step takes minutes on 2 shared cores.


def measure_step(stage: int, attention: str, batch: int, settings: Dict,
                 quick: bool) -> Dict:
    """Time one training iteration (runs in a forked child)."""
    from bench_models import training_step
    matmul = matmul_gflops(settings['matmul_repeats'])
    step, setup = training_step(stage, attention, batch, settings['frames'])
    timing = time_calls(step, settings['warmup'], settings['steps'])
    peak = peak_rss_mb()
    return figure(f'stage{stage}_step/{attention}',
                  batch,
                  timing,
                  batch,
                  matmul,
                  peak,
                  quick=quick,
                  **setup)


def measure_encoder(attention: str, batch: int, settings: Dict,
                    quick: bool) -> Dict:
    """Time the encoder's forward and backward, every parameter trained."""
    import torch

    from bench_models import NUM_PERSONS, encoder
    matmul = matmul_gflops(settings['matmul_repeats'])
    model = encoder(attention, settings['frames'])
    x = torch.randn(batch, NUM_PERSONS, settings['frames'], 25, 3)

    def step() -> None:
        model.zero_grad(set_to_none=True)
        model(x).mean().backward()

    timing = time_calls(step, settings['warmup'], settings['steps'])
    return figure(f'encoder_fwd_bwd/{attention}',
                  batch,
                  timing,
                  batch,
                  matmul,
                  peak_rss_mb(),
                  quick=quick,
                  num_frames=settings['frames'])


def measure_features(attention: str, batch: int, settings: Dict,
                     quick: bool) -> Dict:
    """Time pooled-feature extraction without gradients (eval mode)."""
    import torch

    from bench_models import make_batch, feature_model
    matmul = matmul_gflops(settings['matmul_repeats'])
    model = feature_model(attention, settings['frames'])
    inputs, _ = make_batch(batch, 1, settings['frames'])

    def step() -> None:
        with torch.no_grad():
            model(inputs, mode='tensor')

    timing = time_calls(step, settings['warmup'], settings['steps'])
    return figure(f'encoder_features/{attention}',
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

    def keep(record: Dict) -> Dict:
        emit(record, sink)
        key = record['name'] + (f"@{record['batch']}"
                                if 'value' not in record else '')
        records[key] = record
        return record

    small = settings['batches'][0]
    # The figures the targets need first, so that an interrupted run has them.
    keep(run_isolated(measure_step, 2, 'ours', small, settings, quick))
    keep(run_isolated(measure_step, 2, 'baseline', small, settings, quick))
    for attention in ('ours', 'baseline'):
        keep(run_isolated(measure_encoder, attention, small, settings, quick))
    keep(run_isolated(measure_step, 2, 'reference', small, settings, quick))
    for attention in ('ours', 'baseline'):
        keep(run_isolated(measure_step, 1, attention, small, settings, quick))
    for attention in ('ours', 'baseline'):
        keep(
            run_isolated(measure_features, attention,
                         settings['feature_batch'], settings, quick))
    for batch in settings['batches'][1:]:
        for stage in (2, 1):
            keep(
                run_isolated(measure_step, stage, 'ours', batch, settings,
                             quick))

    def pair(stage: str, other: str, batch: int = small) -> None:
        ours = records[f'{stage}/ours@{batch}']
        theirs = records[f'{stage}/{other}@{batch}']
        short = stage.replace('_step', '')
        keep(
            ratio(f'{stage}_speedup_vs_{other}',
                  theirs['median_s'] / ours['median_s'],
                  batch,
                  quick,
                  ours_s=ours['median_s'],
                  other_s=theirs['median_s']))
        if stage.endswith('_step'):
            keep(
                ratio(f'{short}_peak_memory_ratio_vs_{other}',
                      theirs['peak_memory_mb'] / ours['peak_memory_mb'],
                      batch,
                      quick,
                      ours_mb=ours['peak_memory_mb'],
                      other_mb=theirs['peak_memory_mb']))

    pair('stage2_step', 'baseline')
    pair('stage2_step', 'reference')
    pair('stage1_step', 'baseline')
    pair('encoder_features', 'baseline', settings['feature_batch'])
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
