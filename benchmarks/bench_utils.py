"""Measurement helpers shared by the benchmark scripts.

How each figure is taken (also in ``benchmarks/README.md``):

- Every measurement runs in its own forked child process, so that its peak
  memory is its own: the child resets the kernel's resident-set high-water
  mark (``/proc/self/clear_refs``) when it starts and reports ``VmHWM`` at
  the end. The figure is the child's whole peak resident memory: the
  imported libraries (about 0.3-0.5 GB, ``rss_start_mb``) plus everything
  the measurement allocated. The parent never computes with torch, because
  a process forked after OpenMP has started hangs in its first parallel
  region.
- Peak tensor memory (``peak_tensor_mb``): the CPU counterpart of
  ``torch.cuda.max_memory_allocated``. The tensors alive before a call
  (weights, optimizer state, memory bank, batch) plus the highest the
  tensors allocated during the call reach, from the allocation and free
  events ``torch.profiler`` records with ``profile_memory=True``. Unlike the
  resident set it leaves out the libraries and what the C allocator keeps
  after a free.
- Time: ``warmup`` untimed calls, then the median, min and max over
  ``steps`` timed calls (``time.perf_counter``). Variants compared with
  each other are timed side by side, each in a worker process of its own
  and one step of each in turn per round (:func:`side_by_side`), so that a
  change in the load of the shared CPU hits them alike; their ratio is the
  median of the per-round ratios.
- FLOPs: ``torch.utils.flop_counter.FlopCounterMode`` over the first warm-up
  call. The counter has no formula for the CPU fused-attention kernels, so
  one is added that counts them like the written-out attention (two
  matmuls forward, four backward): ours and the baseline are credited the
  same model FLOPs, and the fused kernel's recomputation is not counted.
- The dense-matmul rate is measured in the same child just before the
  figure (2048 x 2048 fp32 matmul), because the CPU is shared and its speed
  drifts; ``matmul_fraction`` is the achieved rate over it.
"""
import json
import multiprocessing as mp
import os
import platform
import queue as queue_module
import statistics
import time
import traceback
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

MATMUL_SIZE = 2048


def _sdpa_forward_flops(query, key, value, *args, **kwargs) -> int:
    from torch.utils.flop_counter import sdpa_flop_count
    return sdpa_flop_count(query, key, value)


def _sdpa_backward_flops(grad_out, query, key, value, *args, **kwargs) -> int:
    from torch.utils.flop_counter import sdpa_flop_count

    # The gradients of the two matmuls are four matmuls of the same size.
    return 2 * sdpa_flop_count(query, key, value)


def flop_counter():
    """A ``FlopCounterMode`` that also counts CPU fused attention.

    Returns:
        FlopCounterMode: Use as a context manager, then
        ``get_total_flops()``.
    """
    import torch
    from torch.utils.flop_counter import FlopCounterMode
    aten = torch.ops.aten
    mapping = {}
    for name, fn in (('_scaled_dot_product_flash_attention_for_cpu',
                      _sdpa_forward_flops),
                     ('_scaled_dot_product_flash_attention_for_cpu_backward',
                      _sdpa_backward_flops)):
        if hasattr(aten, name):
            mapping[getattr(aten, name)] = fn
    return FlopCounterMode(display=False, custom_mapping=mapping)


def peak_rss_mb() -> float:
    """This process's resident-set high-water mark (``VmHWM``) in MB."""
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('VmHWM:'):
                return int(line.split()[1]) / 1024
    raise RuntimeError('/proc/self/status has no VmHWM line')


def reset_peak_rss() -> None:
    """Reset ``VmHWM`` to the current resident set (Linux >= 4.0)."""
    with open('/proc/self/clear_refs', 'w') as f:
        f.write('5')


def matmul_gflops(repeats: int = 5) -> float:
    """Dense 2048 x 2048 fp32 matmul rate of this process, in GFLOP/s.

    Args:
        repeats (int): Timed matmuls after one warm-up; the median counts.
            Defaults to 5.

    Returns:
        float: GFLOP/s.
    """
    import torch
    a = torch.randn(MATMUL_SIZE, MATMUL_SIZE)
    b = torch.randn(MATMUL_SIZE, MATMUL_SIZE)
    torch.mm(a, b)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        torch.mm(a, b)
        times.append(time.perf_counter() - start)
    return 2 * MATMUL_SIZE**3 / statistics.median(times) / 1e9


def time_calls(fn: Callable[[], Any],
               warmup: int,
               steps: int,
               count_flops: bool = True) -> Dict[str, float]:
    """Time ``fn``; count its FLOPs on the first warm-up call.

    Args:
        fn (callable): One step, e.g. a training iteration.
        warmup (int): Untimed calls first (at least 1 when counting FLOPs).
        steps (int): Timed calls.
        count_flops (bool): Whether to count FLOPs. Defaults to True.

    Returns:
        dict: ``median_s``, ``min_s``, ``max_s``, ``steps``, ``warmup`` and
        ``flops`` (per call; 0 when not counted).
    """
    if steps < 1 or warmup < int(count_flops):
        raise ValueError(f'need steps >= 1 and warmup >= {int(count_flops)},'
                         f' got steps={steps}, warmup={warmup}')
    flops = 0
    for i in range(warmup):
        if i == 0 and count_flops:
            with flop_counter() as counter:
                fn()
            flops = counter.get_total_flops()
        else:
            fn()
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return dict(median_s=statistics.median(times),
                min_s=min(times),
                max_s=max(times),
                steps=steps,
                warmup=warmup,
                flops=flops)


def _side_by_side_child(factory: Callable, args: Sequence, conn) -> None:
    """A worker of :func:`side_by_side`: builds its step, then obeys."""
    try:
        step, info, live_roots = factory(*args)
        conn.send(('ok', info))
        while True:
            command = conn.recv()
            if command == 'stop':
                return
            if command == 'flops':
                with flop_counter() as counter:
                    step()
                conn.send(('ok', counter.get_total_flops()))
            elif command == 'step':
                start = time.perf_counter()
                step()
                conn.send(('ok', time.perf_counter() - start))
            elif command == 'memory':
                reset_peak_rss()
                step()
                rss = peak_rss_mb()
                live = live_tensor_mb(*live_roots)
                conn.send(('ok',
                           dict(peak_memory_mb=round(rss, 1),
                                live_tensor_mb=round(live, 1),
                                peak_tensor_mb=round(
                                    live + peak_allocated_mb(step), 1))))
    except BaseException:  # noqa: B902  (reported to the parent)
        conn.send(('error', traceback.format_exc()))


def side_by_side(factories: Dict[str, Tuple[Callable, Sequence]],
                 warmup: int,
                 rounds: int,
                 memory: bool = True) -> Dict[str, Dict[str, Any]]:
    """Time several steps in turn, each in a process of its own.

    Every variant lives in a forked worker for the whole measurement, so that
    its allocator state is its own, and the parent asks the workers for one
    step each in turn, round after round, so that a change in the load of
    the shared CPU hits every variant of a round alike.

    Args:
        factories (dict): Per name, ``(factory, args)``: ``factory(*args)``
            runs in the worker and returns ``(step, info, live_roots)``: the
            call to time, a JSON-able dict, and what holds the tensors alive
            between steps (for :func:`live_tensor_mb`).
        warmup (int): Untimed rounds first (at least 1); the first one is
            counted with :func:`flop_counter`.
        rounds (int): Timed rounds.
        memory (bool): Afterwards, measure each worker's peak memory: the
            resident set over one more step, then the tensors over another.
            Defaults to True.

    Returns:
        dict: Per name, :func:`time_calls`'s fields, ``times`` (per-round
        seconds), ``info`` and, with ``memory``, ``peak_memory_mb``,
        ``peak_tensor_mb`` and ``live_tensor_mb``.
    """
    if rounds < 1 or warmup < 1:
        raise ValueError(f'need rounds >= 1 and warmup >= 1, got '
                         f'rounds={rounds}, warmup={warmup}')
    ctx = mp.get_context('fork')
    workers = {}

    def ask(name: str, command: Optional[str]) -> Any:
        conn = workers[name][1]
        if command is not None:
            conn.send(command)
        if not conn.poll(ISOLATED_TIMEOUT_S):
            raise RuntimeError(f'side-by-side worker {name!r} gave no answer'
                               f' to {command!r} within '
                               f'{ISOLATED_TIMEOUT_S} s')
        status, payload = conn.recv()
        if status != 'ok':
            raise RuntimeError(f'side-by-side worker {name!r} failed:\n'
                               f'{payload}')
        return payload

    try:
        for name, (factory, args) in factories.items():
            parent_conn, child_conn = ctx.Pipe()
            proc = ctx.Process(target=_side_by_side_child,
                               args=(factory, args, child_conn))
            proc.start()
            workers[name] = (proc, parent_conn)
            # Built one at a time: building is not what is timed.
            workers[name] = (proc, parent_conn, ask(name, None))
        results = {
            name: dict(info=workers[name][2], flops=ask(name, 'flops'))
            for name in factories
        }
        for _ in range(warmup - 1):
            for name in factories:
                ask(name, 'step')
        times: Dict[str, List[float]] = {name: [] for name in factories}
        for _ in range(rounds):
            for name in factories:
                times[name].append(ask(name, 'step'))
        for name, ts in times.items():
            results[name].update(median_s=statistics.median(ts),
                                 min_s=min(ts),
                                 max_s=max(ts),
                                 steps=rounds,
                                 warmup=warmup,
                                 times=ts)
            if memory:
                results[name].update(ask(name, 'memory'))
        return results
    finally:
        for proc, conn, *_ in workers.values():
            if proc.is_alive():
                try:
                    conn.send('stop')
                except OSError:
                    pass
                proc.join(timeout=60)
                if proc.is_alive():
                    proc.kill()
                    proc.join()


def paired_ratio(numerator: Sequence[float],
                 denominator: Sequence[float]) -> float:
    """The median of the per-round ratios of two side-by-side timings."""
    return statistics.median(a / b for a, b in zip(numerator, denominator))


def live_tensor_mb(*roots: Any) -> float:
    """Megabytes of the distinct tensor storages reachable from ``roots``.

    Args:
        *roots: Modules (parameters, gradients and buffers), optimizers
            (their state) and tensors or nested lists, tuples and dicts of
            them; anything else is ignored.

    Returns:
        float: MB, each storage counted once.
    """
    import torch
    storages: Dict[int, int] = {}

    def add(obj: Any) -> None:
        if isinstance(obj, torch.Tensor):
            storage = obj.untyped_storage()
            storages[storage.data_ptr()] = storage.nbytes()
            if obj.grad is not None:
                add(obj.grad)
        elif isinstance(obj, torch.nn.Module):
            for tensor in list(obj.parameters()) + list(obj.buffers()):
                add(tensor)
        elif isinstance(obj, torch.optim.Optimizer):
            add(list(obj.state.values()))
        elif isinstance(obj, dict):
            for value in obj.values():
                add(value)
        elif isinstance(obj, (list, tuple)):
            for value in obj:
                add(value)

    for root in roots:
        add(root)
    return sum(storages.values()) / 2**20


def peak_allocated_mb(fn: Callable[[], Any]) -> float:
    """The most megabytes of tensors ``fn`` allocates at once.

    Read from the allocation and free events that ``torch.profiler`` records
    with ``profile_memory=True``, in time order, counting from what was
    alive before the call (so 0 if it allocates nothing). Scratch space a
    kernel allocates and frees inside one operator is not seen.

    Args:
        fn (callable): The call, e.g. a training iteration.

    Returns:
        float: MB.
    """
    from torch.profiler import ProfilerActivity, profile
    with profile(activities=[ProfilerActivity.CPU],
                 profile_memory=True) as prof:
        fn()
    changes = []
    for event in prof.events():
        # Frees outside any operator come as '[memory]' events; an
        # operator's own allocations minus frees are on its event.
        delta = (event.cpu_memory_usage
                 if event.name == '[memory]' else event.self_cpu_memory_usage)
        if delta:
            changes.append((event.time_range.start, delta))
    current = peak = 0
    for _, delta in sorted(changes):
        current += delta
        peak = max(peak, current)
    return peak / 2**20


def figure(name: str, batch: int, timing: Dict[str,
                                               float], samples_per_call: int,
           matmul: float, peak_mb: Optional[float], **extra: Any) -> Dict[str, Any]:
    """Assemble one figure's JSON record.

    Args:
        name (str): The figure's name.
        batch (int): Samples per call.
        timing (dict): From :func:`time_calls`.
        samples_per_call (int): Samples (sequences of 2 persons) per call.
        matmul (float): The dense-matmul GFLOP/s measured alongside.
        peak_mb (float, optional): Peak resident memory in MB (None when
            measured elsewhere).
        **extra: More fields.

    Returns:
        dict: The record.
    """
    median = timing['median_s']
    gflops = timing['flops'] / median / 1e9 if timing['flops'] else None
    record = dict(
        name=name,
        batch=batch,
        median_s=round(median, 5),
        min_s=round(timing['min_s'], 5),
        max_s=round(timing['max_s'], 5),
        steps=timing['steps'],
        warmup=timing['warmup'],
        seqs_per_s=round(samples_per_call / median, 3),
        peak_memory_mb=None if peak_mb is None else round(peak_mb, 1),
        gflop_per_step=round(timing['flops'] / 1e9, 3),
        gflops=None if gflops is None else round(gflops, 2),
        matmul_gflops=round(matmul, 2),
        matmul_fraction=None if gflops is None else round(gflops / matmul, 4))
    record.update(extra)
    return record


def _child(target: Callable, args: Sequence, queue) -> None:
    try:
        reset_peak_rss()
        start_mb = peak_rss_mb()
        result = target(*args)
        result.setdefault('peak_memory_mb', round(peak_rss_mb(), 1))
        result['rss_start_mb'] = round(start_mb, 1)
        queue.put(('ok', result))
    except BaseException:  # noqa: B902  (reported to the parent)
        queue.put(('error', traceback.format_exc()))


ISOLATED_TIMEOUT_S = 1800


def run_isolated(target: Callable[..., Dict[str, Any]], *args:
                 Any) -> Dict[str, Any]:
    """Run ``target(*args)`` in a forked child and return its record.

    ``target`` may call :func:`peak_rss_mb` itself (to exclude later
    bookkeeping); otherwise the child's peak at the end is recorded as
    ``peak_memory_mb``.

    Args:
        target (callable): Returns a JSON-serialisable dict.
        *args: Its arguments.

    Returns:
        dict: The record, with ``rss_start_mb`` added.

    Raises:
        RuntimeError: With the child's traceback if it failed or died.
    """
    ctx = mp.get_context('fork')
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(target, args, queue))
    proc.start()
    try:
        # A bound, so that a deadlocked child fails the run instead of
        # hanging it.
        status, payload = queue.get(timeout=ISOLATED_TIMEOUT_S)
    except queue_module.Empty:
        proc.kill()
        raise RuntimeError(f'{getattr(target, "__name__", target)} gave no '
                           f'result within {ISOLATED_TIMEOUT_S} s')
    finally:
        proc.join()
    if status != 'ok':
        raise RuntimeError(f'{getattr(target, "__name__", target)} failed '
                           f'in its measurement process:\n{payload}')
    return payload


def machine() -> Dict[str, Any]:
    """Where the figures were taken: CPU model, cores, memory, versions."""
    import torch
    cpu = platform.processor() or 'unknown'
    try:
        with open('/proc/cpuinfo') as f:
            cpu = next(
                line.split(':', 1)[1].strip() for line in f
                if line.startswith('model name'))
    except (OSError, StopIteration):
        pass
    mem_gb = os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30
    return dict(cpu=cpu,
                cores=os.cpu_count(),
                memory_gb=round(mem_gb, 1),
                torch=torch.__version__,
                torch_threads=torch.get_num_threads(),
                python=platform.python_version())


def emit(record: Dict[str, Any], sink: Optional[List[dict]] = None) -> None:
    """Print ``record`` as one JSON line and append it to ``sink``.

    ``sink`` may also be a :class:`ResultsFile`, which writes the line at
    once, so that an interrupted run keeps what it measured.
    """
    print(json.dumps(record), flush=True)
    if sink is not None:
        sink.append(record)


class ResultsFile(list):
    """A list of records that also appends each one to a JSON-lines file.

    Args:
        path (str): The file (appended to).
        **common: Fields added to every written line (e.g. ``run_id``).
    """

    def __init__(self, path: str, **common: Any) -> None:
        super().__init__()
        self.path = path
        self.common = common

    def append(self, record: Dict[str, Any]) -> None:
        super().append(record)
        with open(self.path, 'a') as f:
            f.write(json.dumps(dict(record, **self.common)) + '\n')
