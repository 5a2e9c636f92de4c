"""Training steps of the GPU check: built from the configs, timed on a device.

The model comes from the config through mmaction2's registry and the
optimizer wrapper from its ``optim_wrapper`` (layer decay, per-parameter
clipping); bf16 is switched on by
:func:`stars_mmaction.utils.enable_amp` (what ``tools/train.py --amp
--amp-dtype bfloat16`` does), and a step is the runner's
``model.train_step``: data preprocessor, forward under the wrapper's
context, backward, clipping, optimizer step. Inputs are random (weights and
data do not change the cost) and already on the device, so the figure is
the model's rate, not the copy's.

Time: ``warmup`` untimed steps, then the median of ``steps`` timed ones,
each ended by ``torch.cuda.synchronize`` on a GPU. Peak memory on a GPU:
``torch.cuda.max_memory_allocated`` over the timed steps (reset after the
warm-up); on CPU the counterpart of :mod:`bench_utils`: tensors alive
before a step plus the most its own allocations reach.
"""
import gc
import statistics
import time
from typing import Any, Callable, Dict, List, Union

import torch

from bench_models import (STAGE1_CONFIG, STAGE2_CONFIG, build_model,
                          load_config, make_batch)

STAGE_CONFIGS = {1: STAGE1_CONFIG, 2: STAGE2_CONFIG}
PRECISIONS = ('fp32', 'bf16')


def device_type() -> str:
    """``'cuda'`` when a GPU is visible, else ``'cpu'``."""
    return 'cuda' if torch.cuda.is_available() else 'cpu'


def synchronize() -> None:
    """Wait for the GPU's queued work (nothing to wait for on CPU)."""
    if torch.cuda.is_available():
        torch.cuda.synchronize()


def release() -> None:
    """Free what earlier measurements left (models are in reference
    cycles) and hand the GPU's cached blocks back, so that each figure's
    peak memory is its own."""
    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()


def build_stage(stage: int,
                precision: str,
                num_frames: int,
                config: Union[str, Any, None] = None) -> Dict[str, Any]:
    """Model and optimizer wrapper of one stage, on the device.

    Args:
        stage (int): 1 (MAMP) or 2 (STARS tuning).
        precision (str): ``'fp32'`` or ``'bf16'`` (bf16 autocast as
            ``tools/train.py --amp --amp-dtype bfloat16``).
        num_frames (int): Frames per clip (120 at full size).
        config (str or Config, optional): Config path, or a config loaded
            with :func:`bench_models.load_config`. Defaults to the stage's
            NTU-60 config.

    Returns:
        dict: ``cfg``, ``model``, ``optim_wrapper``.
    """
    from mmengine.optim import build_optim_wrapper

    from stars_mmaction.utils import enable_amp
    if precision not in PRECISIONS:
        raise ValueError(f'precision must be one of {PRECISIONS}, got '
                         f'{precision!r}')
    release()
    cfg = config
    if cfg is None or isinstance(cfg, str):
        cfg = load_config(cfg or STAGE_CONFIGS[stage], num_frames)
    if precision == 'bf16':
        enable_amp(cfg, 'bfloat16')
    torch.manual_seed(0)
    model = build_model(cfg, 'ours').to(device_type())
    # Built after the move, as the runner does (the wrapper is built on the
    # model that trains).
    optim_wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    return dict(cfg=cfg, model=model, optim_wrapper=optim_wrapper)


def random_data(batch: int, num_frames: int) -> Dict[str, Any]:
    """A collated batch as the loader gives it, on the device."""
    inputs, samples = make_batch(batch, 1, num_frames)
    inputs = inputs.to(device_type())
    return dict(inputs=list(inputs), data_samples=samples)


def train_step(model: torch.nn.Module, optim_wrapper: Any,
               data: Dict[str, Any]) -> Callable[[], None]:
    """The runner's training iteration on ``data``, as a call."""

    def step() -> None:
        model.train_step(data, optim_wrapper)

    return step


def time_steps(step: Callable[[], None], warmup: int,
               steps: int) -> Dict[str, Any]:
    """Median seconds per step; on a GPU also the peak allocated memory.

    Args:
        step (callable): One training iteration.
        warmup (int): Untimed steps first.
        steps (int): Timed steps (at least 1).

    Returns:
        dict: ``median_s``, ``min_s``, ``max_s``, ``times`` and, on a GPU,
        ``peak_memory_mb`` (``torch.cuda.max_memory_allocated``).
    """
    if steps < 1:
        raise ValueError(f'need steps >= 1, got {steps}')
    for _ in range(warmup):
        step()
    synchronize()
    if torch.cuda.is_available():
        torch.cuda.reset_peak_memory_stats()
    times: List[float] = []
    for _ in range(steps):
        start = time.perf_counter()
        step()
        synchronize()
        times.append(time.perf_counter() - start)
    result = dict(median_s=statistics.median(times),
                  min_s=min(times),
                  max_s=max(times),
                  times=[round(t, 5) for t in times])
    if torch.cuda.is_available():
        result['peak_memory_mb'] = torch.cuda.max_memory_allocated() / 2**20
    return result


def cpu_peak_memory_mb(step: Callable[[], None], *roots: Any) -> float:
    """CPU counterpart of ``max_memory_allocated`` over one step."""
    from bench_utils import live_tensor_mb, peak_allocated_mb
    return live_tensor_mb(*roots) + peak_allocated_mb(step)


SDPA_OPS = {
    '_scaled_dot_product_flash_attention': 'flash',
    '_scaled_dot_product_flash_attention_for_cpu': 'flash (cpu)',
    '_scaled_dot_product_efficient_attention': 'efficient',
    '_scaled_dot_product_cudnn_attention': 'cudnn',
    '_scaled_dot_product_attention_math': 'math',
}


def sdpa_ops_used(step: Callable[[], None]) -> List[str]:
    """The SDPA backends whose operators one call of ``step`` runs.

    Read from ``torch.profiler``'s operator names (CPU events, which name
    the dispatched ``aten`` operator on any device).
    """
    from torch.profiler import ProfilerActivity, profile
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        step()
        synchronize()
    names = {event.name.split('::')[-1] for event in prof.events()}
    return sorted({SDPA_OPS[n] for n in names if n in SDPA_OPS})


def measure_step(stage: int,
                 precision: str,
                 batch: int,
                 num_frames: int,
                 warmup: int,
                 steps: int,
                 config: Union[str, None] = None) -> Dict[str, Any]:
    """Rate, peak memory and SDPA backend of one stage's training step.

    Args:
        stage (int): 1 or 2.
        precision (str): ``'fp32'`` or ``'bf16'``.
        batch (int): Sequences per step (the config's 32 at full size).
        num_frames (int): Frames per clip.
        warmup (int): Untimed steps.
        steps (int): Timed steps.
        config (str, optional): Config path. Defaults to the stage's NTU-60
            config.

    Returns:
        dict: ``seqs_per_s``, ``median_s``, ``peak_memory_mb``,
        ``peak_memory_method``, ``sdpa_backends``, ``optim_wrapper`` and
        the timing fields.
    """
    built = build_stage(stage, precision, num_frames, config)
    model, optim_wrapper = built['model'], built['optim_wrapper']
    step = train_step(model, optim_wrapper, random_data(batch, num_frames))
    timing = time_steps(step, warmup, steps)
    if 'peak_memory_mb' in timing:
        method = 'torch.cuda.max_memory_allocated'
    else:
        timing['peak_memory_mb'] = cpu_peak_memory_mb(step, model,
                                                      optim_wrapper.optimizer)
        method = 'cpu tensors: live + torch.profiler allocations'
    result = dict(timing,
                  seqs_per_s=batch / timing['median_s'],
                  peak_memory_method=method,
                  sdpa_backends=sdpa_ops_used(step),
                  optim_wrapper=type(optim_wrapper).__name__)
    return result
