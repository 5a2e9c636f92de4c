"""Loader rate against model rate, for a data path's config.

NTU-like data is written to a temporary annotation pickle in mmaction2's
format (``split`` and ``annotations``; each sample a float32 ``keypoint``
(M, T, 25, 3) with T valid frames, 50 to 300, and M = 2 persons in about
half of them) and the config is retargeted to it the way the README says
(the ``ann_file`` variable and the key it feeds). ``train_dataloader`` is
built as the runner builds it, with the configured ``num_workers`` capped at
the machine's cores. After the first batch (workers started) and one per
worker, ``batches`` batches are timed, a new epoch begun when one ends
(persistent workers).

The model rate is the same config's training step (bf16, as
``tools/train.py --amp --amp-dtype bfloat16``) on one of those batches,
passed as the loader gives it: the data preprocessor copies it to the
device (and, on the batched path, augments it there).
"""
import os
import pickle
import time
from typing import Any, Dict, Iterator, Optional

import numpy as np

from gpu_check_steps import build_stage, time_steps

NUM_JOINTS = 25
SPLIT = 'xsub_train'


def ntu_like_annotations(num_samples: int,
                         seed: int = 0,
                         min_frames: int = 50,
                         max_frames: int = 300,
                         num_classes: int = 60) -> Dict[str, Any]:
    """Random skeleton sequences of NTU RGB+D's shapes and value ranges.

    Args:
        num_samples (int): Samples, all in the ``xsub_train`` split.
        seed (int): Seed of the generator. Defaults to 0.
        min_frames (int): Fewest valid frames. Defaults to 50.
        max_frames (int): Most valid frames. Defaults to 300.
        num_classes (int): Labels are below it. Defaults to 60.

    Returns:
        dict: ``split`` and ``annotations`` (``frame_dir``, ``label``,
        ``total_frames``, ``keypoint``).
    """
    rng = np.random.default_rng(seed)
    annotations = []
    for i in range(num_samples):
        frames = int(rng.integers(min_frames, max_frames + 1))
        persons = 2 if rng.random() < 0.5 else 1
        # A body about a metre tall, 3 m in front of the camera, drifting.
        pose = rng.normal(0, 0.3, (persons, 1, NUM_JOINTS, 3))
        drift = rng.normal(0, 0.01, (persons, frames, NUM_JOINTS, 3))
        keypoint = pose + np.cumsum(drift, axis=1) + np.array([0., 0., 3.])
        annotations.append(
            dict(frame_dir=f'S001C001P001R001A{i:05d}',
                 label=int(rng.integers(num_classes)),
                 total_frames=frames,
                 keypoint=keypoint.astype(np.float32)))
    return dict(split={SPLIT: [a['frame_dir'] for a in annotations]},
                annotations=annotations)


def write_annotations(path: str, num_samples: int, seed: int = 0) -> str:
    """Write :func:`ntu_like_annotations` to ``path``; return ``path``."""
    with open(path, 'wb') as f:
        pickle.dump(ntu_like_annotations(num_samples, seed), f)
    return path


def set_clip_len(node: Any, clip_len: int) -> None:
    """Set every ``clip_len`` key under ``node`` (dicts and lists)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == 'clip_len':
                node[key] = clip_len
            else:
                set_clip_len(value, clip_len)
    elif isinstance(node, (list, tuple)):
        for value in node:
            set_clip_len(value, clip_len)


def retarget(cfg: Any, ann_file: str, num_frames: int) -> Any:
    """Point ``cfg``'s training data at ``ann_file``, clips at ``num_frames``.

    Sets the variables and the keys they feed, as the README's
    "Retargeting a config to your data" does.
    """
    cfg.merge_from_dict(
        dict(ann_file=ann_file,
             clip_len=num_frames,
             train_split=SPLIT,
             **{
                 'train_dataloader.dataset.ann_file': ann_file,
                 'train_dataloader.dataset.split': SPLIT
             }))
    set_clip_len(cfg.train_dataloader, num_frames)
    set_clip_len(cfg.model.get('data_preprocessor'), num_frames)
    return cfg


def batches_forever(loader: Any) -> Iterator[Any]:
    """The loader's batches, epoch after epoch."""
    while True:
        yield from loader


def loader_rate(loader: Any, batches: int) -> Dict[str, Any]:
    """Samples per second over ``batches`` batches, in the steady state.

    The first batch starts the workers; the next ``num_workers`` are not
    timed either (they were being made while the first one was awaited).
    """
    stream = batches_forever(loader)
    first = next(stream)
    for _ in range(loader.num_workers):
        next(stream)
    samples = 0
    start = time.perf_counter()
    for _ in range(batches):
        samples += len(next(stream)['data_samples'])
    elapsed = time.perf_counter() - start
    return dict(first_batch=first,
                samples=samples,
                seconds=elapsed,
                samples_per_s=samples / elapsed)


def measure_path(config: str,
                 stage: int,
                 ann_file: str,
                 num_frames: int,
                 batches: int,
                 max_workers: int,
                 warmup: int,
                 steps: int,
                 batch_size: Optional[int] = None) -> Dict[str, Any]:
    """Loader and model rates of one data path's config.

    Args:
        config (str): The config (per-sample or batched data path).
        stage (int): 1 or 2 (which model the config trains).
        ann_file (str): The generated annotation pickle.
        num_frames (int): Frames per clip.
        batches (int): Timed loader batches.
        max_workers (int): Cap on ``num_workers`` (the machine's cores).
        warmup (int): Untimed model steps.
        steps (int): Timed model steps.
        batch_size (int, optional): Overrides the config's batch size (the
            quick mode's few samples). Defaults to None.

    Returns:
        dict: ``loader_samples_per_s``, ``model_samples_per_s``,
        ``ratio`` (loader over model), ``bound`` (``'loader'`` or
        ``'model'``), ``num_workers``, ``batch_size``.
    """
    from mmengine.runner import Runner

    from bench_models import load_config
    cfg = retarget(load_config(config, num_frames), ann_file, num_frames)
    built = build_stage(stage, 'bf16', num_frames, cfg)
    loader_cfg = cfg.train_dataloader
    workers = min(loader_cfg.get('num_workers', 0), max_workers)
    loader_cfg.num_workers = workers
    if batch_size is not None:
        loader_cfg.batch_size = batch_size
    if workers == 0:
        loader_cfg.persistent_workers = False
    loader = Runner.build_dataloader(loader_cfg, seed=0)
    loading = loader_rate(loader, batches)
    data = loading.pop('first_batch')
    del loader
    model, optim_wrapper = built['model'], built['optim_wrapper']
    timing = time_steps(lambda: model.train_step(data, optim_wrapper), warmup,
                        steps)
    model_rate = len(data['data_samples']) / timing['median_s']
    ratio = loading['samples_per_s'] / model_rate
    return dict(loader_samples_per_s=loading['samples_per_s'],
                loader_samples=loading['samples'],
                model_samples_per_s=model_rate,
                ratio=ratio,
                bound='loader' if ratio < 1 else 'model',
                num_workers=workers,
                batch_size=loader_cfg.batch_size,
                cores=os.cpu_count())
