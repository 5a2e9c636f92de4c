import numpy as np
import pytest
import torch
from bench_utils import (ResultsFile, figure, flop_counter, live_tensor_mb,
                         paired_ratio, peak_allocated_mb, run_isolated,
                         side_by_side, time_calls)
from mmaction.registry import MODELS
from reference_attention import with_written_out_attention
from torch.utils.flop_counter import FlopCounterMode


def count(model, x):
    with flop_counter() as counter:
        model(x).mean().backward()
    return counter.get_total_flops()


def test_fused_attention_is_credited_the_written_out_flops(tiny_encoder_cfg):
    fused = MODELS.build(tiny_encoder_cfg)
    written = with_written_out_attention(fused)
    x = torch.randn(2, 2, 16, 25, 3)
    flops = count(fused, x)
    assert flops == count(written, x)
    # torch's own counter gives the CPU fused kernels nothing; ours adds
    # q @ k^T and attn @ v forward and their four gradient matmuls: 2 blocks
    # x 6 matmuls of 2 * (4 sequences x 2 heads) x 100 x 100 x 16 FLOPs.
    with FlopCounterMode(display=False) as plain:
        fused(x).mean().backward()
    attention = 2 * 6 * 2 * (4 * 2) * 100 * 100 * 16
    assert flops - plain.get_total_flops() == attention


def _allocate(megabytes):
    # numpy, not torch: a process forked after torch started its OpenMP
    # threads (the earlier tests) hangs in its first parallel torch op.
    block = np.ones(megabytes * 2**20 // 4, dtype=np.float32)  # resident
    return dict(total=float(block.sum(dtype=np.float64)))


def _fail():
    raise KeyError('boom')


def test_run_isolated_reports_the_child_peak_and_its_errors():
    small = run_isolated(_allocate, 1)
    big = run_isolated(_allocate, 256)
    assert big['total'] == 256 * 2**20 // 4
    assert big['peak_memory_mb'] - small['peak_memory_mb'] > 240
    with pytest.raises(RuntimeError, match="KeyError: 'boom'"):
        run_isolated(_fail)


def test_time_calls_and_figure():
    calls = []
    timing = time_calls(
        lambda: calls.append(torch.ones(4, 4) @ torch.ones(4, 4)),
        warmup=2,
        steps=5)
    assert len(calls) == 7
    assert timing['flops'] == 2 * 4 * 4 * 4
    assert timing['min_s'] <= timing['median_s'] <= timing['max_s']
    record = figure('x',
                    8,
                    dict(timing, median_s=2.0),
                    8,
                    matmul=100.,
                    peak_mb=10.)
    assert record['seqs_per_s'] == 4.0
    assert record['gflops'] == pytest.approx(128 / 2 / 1e9, abs=1e-2)
    with pytest.raises(ValueError, match='warmup'):
        time_calls(lambda: None, warmup=0, steps=5)


def test_results_file_appends_every_record_at_once(tmp_path):
    path = tmp_path / 'r.jsonl'
    sink = ResultsFile(str(path), run_id='r1')
    sink.append(dict(name='a', value=1))
    assert path.read_text() == '{"name": "a", "value": 1, "run_id": "r1"}\n'
    assert sink == [dict(name='a', value=1)]


def _logging_worker(name, log):
    # numpy only: this process has run torch's OpenMP threads already.

    def step():
        with open(log, 'a') as f:
            f.write(name + '\n')
        return np.ones(2**20, dtype=np.float32).sum()

    return step, dict(variant=name), ()


def _failing_worker():
    raise KeyError('no model')


def test_side_by_side_runs_the_workers_in_turn(tmp_path):
    log = str(tmp_path / 'calls.txt')
    results = side_by_side(
        dict(a=(_logging_worker, ('a', log)), b=(_logging_worker,
                                                 ('b', log))),
        warmup=2,
        rounds=3)
    calls = open(log).read().split()
    # A counted warm-up call each, one more warm-up round, 3 timed rounds,
    # then two steps each for memory (resident set, then tensors).
    assert calls == ['a', 'b'] * 5 + ['a', 'a', 'b', 'b']
    for name in 'ab':
        assert results[name]['info'] == dict(variant=name)
        assert len(results[name]['times']) == results[name]['steps'] == 3
        assert results[name]['flops'] == 0
        assert results[name]['peak_memory_mb'] > 0
        assert results[name]['live_tensor_mb'] == 0
    assert paired_ratio([4., 9., 2.], [2., 3., 2.]) == 2.
    with pytest.raises(RuntimeError, match="(?s)'c' failed.*KeyError"):
        side_by_side(dict(c=(_failing_worker, ())), warmup=1, rounds=1)


def test_live_tensor_mb_counts_each_storage_once():
    model = torch.nn.Linear(512, 512, bias=False)  # 1 MB of weight
    model.weight.grad = torch.zeros(512, 512)  # 1 MB
    optimizer = torch.optim.SGD(model.parameters(), lr=1., momentum=.9)
    optimizer.step()  # a 1 MB momentum buffer
    batch = torch.zeros(2**18)  # 1 MB
    view = batch[:10]
    assert live_tensor_mb(model, optimizer, [batch, view], 'ignored') == 4.


def test_peak_allocated_mb_follows_allocations_and_frees():

    def step():
        a = torch.empty(2**20)  # 4 MB
        b = torch.empty(2**19)  # 2 MB: 6 MB at once
        del a, b
        c = torch.empty(2**20)  # 4 MB
        return c.sum()

    assert peak_allocated_mb(step) == pytest.approx(6., abs=0.1)
