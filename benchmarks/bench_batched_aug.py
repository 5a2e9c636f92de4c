"""The batched data path against the per-sample one, per CPU core.

Stage 1's training data (crop [0.5, 1], resize to 120 frames, rotation
+-0.3 rad) made two ways from the same generated NTU-length sequences
(:func:`write_sequences`: 50-300 frames, one or two persons):

- ``per_sample``: ``train_dataloader`` of
  ``configs/stars/mamp_4xb32-400e_ntu60-xsub-keypoint-3d.py`` as
  configured (mmaction2's ``PreNormalize3D``, ``ValidFrameCropResize``,
  ``RandomSkeletonRotation``, formatting);
- ``per_sample_fast``: the same with ``FastPreNormalize3D`` (same output),
  to show what the vectorised pre-normalisation alone gives;
- ``batched``: ``train_dataloader`` of
  ``configs/stars/mamp_4xb32-400e_ntu60-xsub-batched-keypoint-3d.py``
  (pad, count the valid frames, format), whose pre-normalisation, crop,
  resize and rotation run in ``SkeletonAugDataPreprocessor``
  (``augment``).

Every loader runs with ``num_workers=0`` and torch on one thread, so its
rate is samples per second per CPU core; a step is one pass over the
samples. ``augment`` is the preprocessor on one collated batch (stacking
included) and ``model_step`` the stage-1 training iteration (full-size
model, ``bench_models.training_step``) on a batch of the same size and
clip length. All five are timed side by side (``bench_utils.side_by_side``)
and the ratios are medians of per-round ratios:
``batched_loader_speedup`` (per-sample time / batched time, target >= 10),
``batched_loader_speedup_vs_fast`` and ``model_step_over_batched_aug``
(model step time / augmentation time, target >= 20).

Usage::

    python benchmarks/bench_batched_aug.py [--quick] [--output FILE]

``--output benchmarks/results.jsonl`` appends the lines there with
``run_id`` and ``machine``, as ``run_all.py`` (which also runs this script)
does.
"""
import argparse
import os.path as osp
import pickle
import sys
import tempfile
from typing import Callable, Dict, List, Optional, Tuple

from bench_models import REPO_ROOT, STAGE1_CONFIG, load_config
from bench_utils import emit, paired_ratio, side_by_side

BATCHED_CONFIG = osp.join(REPO_ROOT, 'configs', 'stars',
                          'mamp_4xb32-400e_ntu60-xsub-batched-keypoint-3d.py')
FULL = dict(samples=256, batch=32, frames=120, warmup=1, rounds=3)
QUICK = dict(samples=64, batch=8, frames=120, warmup=1, rounds=1)
LOADERS = ('per_sample', 'per_sample_fast', 'batched')
TARGETS = dict(batched_loader_speedup=10, model_step_over_batched_aug=20)


def write_sequences(path: str, samples: int, seed: int = 0) -> None:
    """An annotation pickle of NTU-like sequences: 50-300 frames, every
    other sample with a second person who leaves before the end.

    Args:
        path (str): The pickle to write.
        samples (int): Number of sequences (all in split ``xsub_train``).
        seed (int): Seed of the content. Defaults to 0.
    """
    import numpy as np
    rng = np.random.default_rng(seed)
    annotations = []
    for i in range(samples):
        frames = int(rng.integers(50, 301))
        persons = 1 + i % 2
        drift = rng.normal(scale=0.01, size=(persons, frames, 1, 3))
        keypoint = (rng.normal(scale=0.3, size=(persons, 1, 25, 3)) +
                    np.cumsum(drift, axis=1) +
                    rng.normal(scale=0.01, size=(persons, frames, 25, 3)))
        if persons == 2:
            keypoint[1, frames * 3 // 4:] = 0
        annotations.append(
            dict(frame_dir=f'seq{i:05d}', label=i % 60, total_frames=frames,
                 keypoint=keypoint.astype(np.float32)))
    with open(path, 'wb') as f:
        pickle.dump(dict(split=dict(xsub_train=[a['frame_dir']
                                                for a in annotations]),
                         annotations=annotations), f)


def build_loader(kind: str, ann_file: str, batch: int):
    """Stage 1's configured training loader of ``kind``, one process."""
    from mmengine.runner import Runner
    cfg = load_config(BATCHED_CONFIG if kind == 'batched' else STAGE1_CONFIG,
                      120)
    loader_cfg = cfg.train_dataloader
    loader_cfg.update(batch_size=batch, num_workers=0,
                      persistent_workers=False)
    loader_cfg.dataset.ann_file = ann_file
    if kind == 'per_sample_fast':
        loader_cfg.dataset.pipeline[0].type = 'FastPreNormalize3D'
    return cfg, Runner.build_dataloader(loader_cfg, seed=0)


def loader_worker(kind: str, ann_file: str,
                  batch: int) -> Tuple[Callable, Dict, Tuple]:
    """One pass over the data with ``kind``'s loader (a worker)."""
    import torch
    torch.set_num_threads(1)
    _, loader = build_loader(kind, ann_file, batch)

    def step() -> None:
        for _ in loader:
            pass

    pipeline = [type(t).__name__ for t in loader.dataset.pipeline.transforms]
    return step, dict(samples=len(loader.dataset), pipeline=pipeline), ()


def augment_worker(ann_file: str, batch: int) -> Tuple[Callable, Dict, Tuple]:
    """The batched augmentation of one loader batch (a worker)."""
    import torch
    from mmaction.registry import MODELS
    torch.set_num_threads(1)
    cfg, loader = build_loader('batched', ann_file, batch)
    preprocessor = MODELS.build(cfg.model.data_preprocessor)
    data = next(iter(loader))

    def step() -> None:
        # A shallow copy: the preprocessor replaces data['inputs'].
        preprocessor(dict(data), True)

    shape = tuple(preprocessor(dict(data), True)['inputs'].shape)
    return step, dict(samples=batch, output_shape=shape,
                      preprocessor=repr(preprocessor)), (data, )


def model_worker(batch: int, frames: int) -> Tuple[Callable, Dict, Tuple]:
    """Stage 1's training iteration, full-size model (a worker)."""
    import torch
    from bench_models import training_step
    torch.set_num_threads(1)
    step, setup, built = training_step(1, 'ours', batch, frames)
    return step, dict(setup, samples=batch), (built, )


def record(name: str, result: Dict, batch: int, quick: bool) -> Dict:
    """One figure from a side-by-side result."""
    samples = result['info']['samples']
    return dict(name=name,
                batch=batch,
                samples_per_step=samples,
                median_s=round(result['median_s'], 5),
                min_s=round(result['min_s'], 5),
                max_s=round(result['max_s'], 5),
                steps=result['steps'],
                warmup=result['warmup'],
                seqs_per_s=round(samples / result['median_s'], 2),
                torch_threads=1,
                num_workers=0,
                timed='side by side',
                info=result['info'],
                quick=quick)


def ratio(name: str, numerator: Dict, denominator: Dict,
          quick: bool, **extra) -> Dict:
    """A median per-round time ratio, with its target if it has one."""
    value = paired_ratio(numerator['times'], denominator['times'])
    target = TARGETS.get(name)
    return dict(name=name, value=round(value, 2), target=target,
                meets_target=None if target is None else value >= target,
                quick=quick, **extra)


def run(quick: bool = False,
        sink: Optional[List[dict]] = None) -> Dict[str, Dict]:
    """Measure the loaders, the augmentation and the model step side by
    side; print one JSON line per figure.

    Args:
        quick (bool): Smoke-run sizes (:data:`QUICK`). Defaults to False.
        sink (list, optional): Records are appended to it.

    Returns:
        dict: The records by name.
    """
    sizes = QUICK if quick else FULL
    batch = sizes['batch']
    with tempfile.TemporaryDirectory() as tmp:
        ann_file = osp.join(tmp, 'ntu_like.pkl')
        write_sequences(ann_file, sizes['samples'])
        factories = {
            f'loader_{kind}': (loader_worker, (kind, ann_file, batch))
            for kind in LOADERS
        }
        factories['augment'] = (augment_worker, (ann_file, batch))
        factories['model_step'] = (model_worker, (batch, sizes['frames']))
        results = side_by_side(factories, sizes['warmup'], sizes['rounds'],
                               memory=False)
    records = [
        record(f'batched_aug/{name}', result, batch, quick)
        for name, result in results.items()
    ]
    loaders = {kind: results[f'loader_{kind}'] for kind in LOADERS}
    records += [
        ratio('batched_loader_speedup', loaders['per_sample'],
              loaders['batched'], quick),
        ratio('batched_loader_speedup_vs_fast', loaders['per_sample_fast'],
              loaders['batched'], quick),
        ratio('model_step_over_batched_aug', results['model_step'],
              results['augment'], quick, batch=batch,
              frames=sizes['frames']),
    ]
    for item in records:
        emit(item, sink)
    return {item['name']: item for item in records}


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--quick', action='store_true',
                        help='smoke-run sizes (64 sequences, batch 8)')
    parser.add_argument('--output',
                        help='JSON-lines file to append the figures to, '
                        'e.g. benchmarks/results.jsonl')
    args = parser.parse_args(argv)
    sink = None
    if args.output:
        import time

        from bench_utils import ResultsFile, run_isolated
        from run_all import machine_record
        run_id = time.strftime('%Y%m%dT%H%M%S', time.gmtime())
        info = run_isolated(machine_record, args.quick)
        sink = ResultsFile(args.output, run_id=run_id,
                           machine=info['machine'])
        emit(info, sink)
    run(args.quick, sink)


if __name__ == '__main__':
    sys.exit(main())
