"""``torch.compile`` against eager, on the same model, data and precision.

The encoder (and, in stage 1, the MAMP decoder head) is compiled in place
with ``nn.Module.compile``: parameter names and objects stay, so the
optimizer wrapper built from the config (layer decay, per-parameter
clipping) keeps working, and the step stays the runner's ``train_step``.
The eager rate is timed first, then the same modules are compiled; the
first compiled step (tracing and code generation included) is the compile
time. A failure to compile is a figure too: its error's first line.
"""
import time
from typing import Any, Dict, List, Optional

import torch

from gpu_check_sdpa import first_line
from gpu_check_steps import (build_stage, random_data, synchronize, time_steps,
                             train_step)


def compiled_modules(model: torch.nn.Module) -> List[str]:
    """Names of the submodules to compile: the encoder and the MAMP head."""
    return [
        name for name in ('backbone', 'mamp_head')
        if getattr(model, name, None) is not None
    ]


def run_compile(stage: int,
                precision: str,
                batch: int,
                num_frames: int,
                warmup: int,
                steps: int,
                backend: str,
                config: Optional[str] = None) -> Dict[str, Any]:
    """Time eager steps, compile, time compiled steps of one stage.

    Args:
        stage (int): 1 or 2.
        precision (str): ``'fp32'`` or ``'bf16'``.
        batch (int): Sequences per step.
        num_frames (int): Frames per clip.
        warmup (int): Untimed steps (after the first compiled one).
        steps (int): Timed steps.
        backend (str): ``torch.compile`` backend (``'inductor'``; the quick
            mode's ``'aot_eager'`` traces without generating code).
        config (str, optional): Config path. Defaults to the stage's NTU-60
            config.

    Returns:
        dict: ``eager`` and ``compiled`` (timings with ``seqs_per_s``),
        ``compile_s``, ``speedup`` (compiled over eager rate), ``modules``
        and ``error`` (first line, or None; then ``compiled`` is None).
    """
    built = build_stage(stage, precision, num_frames, config)
    model = built['model']
    step = train_step(model, built['optim_wrapper'],
                      random_data(batch, num_frames))
    eager = time_steps(step, warmup, steps)
    eager['seqs_per_s'] = batch / eager['median_s']
    names = compiled_modules(model)
    result = dict(eager=eager,
                  compiled=None,
                  compile_s=None,
                  speedup=None,
                  modules=names,
                  backend=backend,
                  error=None)
    try:
        for name in names:
            getattr(model, name).compile(backend=backend)
        start = time.perf_counter()
        step()
        synchronize()
        result['compile_s'] = time.perf_counter() - start
        compiled = time_steps(step, warmup, steps)
    except Exception as error:  # noqa: B902  (the reason is the figure)
        result['error'] = first_line(error)
        return result
    finally:
        torch._dynamo.reset()
    compiled['seqs_per_s'] = batch / compiled['median_s']
    result.update(compiled=compiled,
                  speedup=compiled['seqs_per_s'] / eager['seqs_per_s'])
    return result
