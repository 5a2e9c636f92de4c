"""Two-view STARS step: view 1 without a graph against one graph for both.

With two augmented views and the reference loss form, NNCLR's loss carries
no gradient through view 1 (``NNCLRHead.grad_views == 1``), so
``STARSRecognizer`` runs view 1 through the encoder under ``no_grad``
(``ours``). The baseline (``one_graph``) is the former path: one encoder
pass over both views with a graph, whose backward computes the zero
gradient of view 1's half of the batch. Both train the same parameters
with the same gradient (``tests/models/recognizers/test_grad_views.py``).

The model is the demo's stage-2 config
(``configs/stars/stars_1xb32-10e_demo-xsub-keypoint-3d.py``: a 4-block x 64
encoder tuned whole, 24-frame clips, batch 32), the step ``make demo`` runs.
Figures: ``stage2_two_view_step/{ours,one_graph}`` and
``stage2_two_view_speedup_vs_one_graph`` (median of per-round ratios, side
by side).

Usage::

    python benchmarks/bench_two_views.py [--quick]
"""
import argparse
import os.path as osp
import sys
from typing import Callable, Dict, List, Optional, Tuple

from bench_training import matmul_record
from bench_utils import emit, figure, paired_ratio, run_isolated, side_by_side

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
DEMO_STAGE2_CONFIG = osp.join(REPO_ROOT, 'configs', 'stars',
                              'stars_1xb32-10e_demo-xsub-keypoint-3d.py')
FULL = dict(batch=32, warmup=2, rounds=10, matmul_repeats=5)
QUICK = dict(batch=4, warmup=1, rounds=2, matmul_repeats=1)
VARIANTS = ('ours', 'one_graph')
DEMO_FRAMES = 24  # the demo config's clip_len


def two_view_step(variant: str, batch: int) -> Tuple[Callable, Dict, Tuple]:
    """Build one two-view training iteration in a side-by-side worker."""
    import torch
    from mmengine.optim import build_optim_wrapper

    from bench_models import build_model, load_config, make_batch
    torch.set_num_threads(1)
    cfg = load_config(DEMO_STAGE2_CONFIG, DEMO_FRAMES)
    model = build_model(cfg, 'ours')
    if variant == 'one_graph':
        model.extract_view_feat = model.extract_feat
    optim_wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    inputs, samples = make_batch(batch, 2, DEMO_FRAMES)
    # Two different views, as the demo's augmentation makes them.
    inputs[:, 1] = torch.randn_like(inputs[:, 1])

    def step() -> None:
        with optim_wrapper.optim_context(model):
            losses = model(inputs, samples, mode='loss')
        optim_wrapper.update_params(
            sum(v for k, v in losses.items() if k.startswith('loss')))

    info = dict(variant=variant, num_clips=2, num_frames=DEMO_FRAMES,
                threads=1)
    return step, info, (model, optim_wrapper.optimizer, inputs)


def run(quick: bool = False,
        sink: Optional[List[dict]] = None) -> Dict[str, Dict]:
    """Time both variants side by side, print and collect the figures.

    Args:
        quick (bool): Smoke-run sizes (:data:`QUICK`). Defaults to False.
        sink (list, optional): Records are appended to it.

    Returns:
        dict: The records by name.
    """
    settings = QUICK if quick else FULL
    batch = settings['batch']
    matmul = run_isolated(matmul_record, settings['matmul_repeats'])
    measured = side_by_side(
        {v: (two_view_step, (v, batch)) for v in VARIANTS},
        settings['warmup'], settings['rounds'])
    records = {}
    for variant, result in measured.items():
        record = figure(f'stage2_two_view_step/{variant}', batch, result,
                        batch, matmul['gflops'], result['peak_memory_mb'],
                        quick=quick, timed='side by side',
                        peak_tensor_mb=result['peak_tensor_mb'],
                        **result['info'])
        emit(record, sink)
        records[record['name']] = record
    speedup = dict(
        name='stage2_two_view_speedup_vs_one_graph',
        value=round(paired_ratio(measured['one_graph']['times'],
                                 measured['ours']['times']), 4),
        batch=batch,
        quick=quick,
        ours_s=records['stage2_two_view_step/ours']['median_s'],
        other_s=records['stage2_two_view_step/one_graph']['median_s'],
        memory_ratio=round(measured['one_graph']['peak_tensor_mb'] /
                           measured['ours']['peak_tensor_mb'], 4),
        measured='median of per-round ratios, side by side')
    emit(speedup, sink)
    records[speedup['name']] = speedup
    return records


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--quick', action='store_true',
                        help='smoke-run sizes (batch 4, 2 rounds)')
    run(parser.parse_args(argv).quick)


if __name__ == '__main__':
    sys.exit(main())
