import json
import math
import os
import os.path as osp
import subprocess
import time

import gpu_check
import gpu_check_sections
import pytest
import torch

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
SCRIPT = osp.join(REPO, 'benchmarks', 'gpu_check.sh')
RATES = [f'stage{s}/{p}/seqs_per_s' for s in (1, 2)
         for p in ('fp32', 'bf16')] + [
             'ddp/stage2/seqs_per_s', 'compile/stage1/eager',
             'compile/stage1/compiled', 'compile/stage2/eager',
             'compile/stage2/compiled'
         ]
MEMORY = [
    f'stage{s}/{p}/peak_memory' for s in (1, 2) for p in ('fp32', 'bf16')
]
LOADER = [
    f'{kind}/{path}/stage{s}' for kind in ('loader', 'loader_vs_model')
    for path in ('per_sample', 'batched') for s in (1, 2)
]
ON_GPU = torch.cuda.is_available()
EXPECTED = ([
    'device', 'sdpa/fp32', 'sdpa/bf16', 'ddp/sync_bn',
    'compile/stage1/compile_time', 'compile/stage2/compile_time'
] + RATES + MEMORY + LOADER)


@pytest.fixture(scope='module')
def quick_run(tmp_path_factory):
    """``bash benchmarks/gpu_check.sh --quick`` once, as CI runs it."""
    results = str(tmp_path_factory.mktemp('gpu_check') / 'results.jsonl')
    env = dict(os.environ, OMP_NUM_THREADS='1', MKL_NUM_THREADS='1')
    done = subprocess.run(['bash', SCRIPT, '--quick', '--results', results],
                          cwd=REPO,
                          env=env,
                          capture_output=True,
                          text=True,
                          timeout=300)
    printed = [
        json.loads(line) for line in done.stdout.splitlines()
        if line.startswith('{')
    ]
    return done, printed, [json.loads(line) for line in open(results)]


def by_name(records):
    return {r['name'][len('gpu_check/'):]: r for r in records}


def test_quick_run_takes_every_figure(quick_run):
    done, printed, written = quick_run
    assert done.returncode == 0, done.stderr[-3000:]
    figures = by_name(printed)
    assert sorted(figures) == sorted(EXPECTED)
    # The results file has the same lines, with the run's id.
    assert [r['name'] for r in written] == [r['name'] for r in printed]
    assert len({r['run_id'] for r in written}) == 1
    for name, record in figures.items():
        assert (record['value'] is None) == bool(record.get('skipped')), name
    # The table closes the run.
    assert 'GPU check' in done.stderr and 'stage2/bf16/seqs_per_s' in \
        done.stderr


def test_quick_run_figures_are_measured(quick_run):
    figures = by_name(quick_run[1])
    for name in RATES:
        assert figures[name]['unit'] == 'seq/s'
        assert figures[name]['value'] > 0, name
    for name in MEMORY:
        assert figures[name]['unit'] == 'MB' and figures[name]['value'] > 0
    assert figures['stage2/bf16/seqs_per_s']['optim_wrapper'] == \
        'BF16AutocastOptimWrapper'
    assert figures['stage2/fp32/seqs_per_s']['optim_wrapper'] == \
        'ParamwiseClipOptimWrapper'
    # The real step's attention ran on a fused kernel (on CPU: flash).
    fused = {'flash', 'efficient', 'cudnn'} if ON_GPU else {'flash (cpu)'}
    for stage in (1, 2):
        backends = figures[f'stage{stage}/fp32/seqs_per_s']['sdpa_backends']
        assert len(backends) == 1 and backends[0] in fused
    for precision in ('fp32', 'bf16'):
        sdpa = figures[f'sdpa/{precision}']
        assert sdpa['value'] in fused
        assert sdpa['runs']['math'] is True
        assert sdpa['tokens'] == 8 // 4 * 25 and sdpa['sequences'] == 8
    compiled = figures['compile/stage2/compiled']
    ratio = compiled['value'] / figures['compile/stage2/eager']['value']
    assert math.isclose(compiled['speedup'], ratio, rel_tol=1e-3)
    assert figures['compile/stage2/compile_time']['value'] > 0


def test_quick_run_ddp_and_sync_bn(quick_run):
    figures = by_name(quick_run[1])
    ddp = figures['ddp/stage2/seqs_per_s']
    assert ddp['world_size'] == 1 and ddp['value'] > 0
    assert ddp['wrapper'] == 'MMDistributedDataParallel'
    if ON_GPU:
        assert ddp['backend'] == 'nccl'
        # The NNCLR projector's BatchNorm layers, converted and run.
        assert figures['ddp/sync_bn']['value'] == ddp['sync_bn_layers'] >= 1
    else:
        assert ddp['backend'] == 'gloo'
        # torch refuses SyncBatchNorm on CPU modules: said, not hidden.
        assert 'SyncBatchNorm' in figures['ddp/sync_bn']['skipped']
        assert ddp['sync_bn_layers'] == 0


def test_quick_run_loader_against_model(quick_run):
    figures = by_name(quick_run[1])
    for path in ('per_sample', 'batched'):
        config = gpu_check.BATCHED if path == 'batched' else {
            1: gpu_check.STAGE1_CONFIG,
            2: gpu_check.STAGE2_CONFIG
        }
        for stage in (1, 2):
            loader = figures[f'loader/{path}/stage{stage}']
            versus = figures[f'loader_vs_model/{path}/stage{stage}']
            if not osp.exists(config[stage]):
                assert loader['skipped'] == \
                    f'config not found: {config[stage]}'
                assert versus['skipped'] == loader['skipped']
                continue
            assert loader['value'] > 0 and loader['num_workers'] == min(
                2, os.cpu_count())
            ratio = (versus['loader_samples_per_s'] /
                     versus['model_samples_per_s'])
            assert math.isclose(versus['value'], ratio, rel_tol=1e-3)
            assert versus['bound'] == ('loader' if ratio < 1 else 'model')


def test_batch_is_the_configs_at_full_size():
    args = gpu_check.parse_args(['--allow-cpu'])
    assert gpu_check_sections.batch_size(args, gpu_check.FULL, 1) == 32
    assert gpu_check_sections.batch_size(args, gpu_check.FULL, 2) == 32
    assert args.compile_backend == 'inductor' and args.budget_s == 480


def test_bad_arguments_are_named(capsys):
    with pytest.raises(SystemExit):
        gpu_check.parse_args(['--sections', 'steps,nope'])
    assert "unknown ['nope']" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        gpu_check.parse_args(['--stage1-config', '/no/such.py'])
    assert '/no/such.py not found' in capsys.readouterr().err


@pytest.mark.skipif(ON_GPU, reason='the refusal is for machines without one')
def test_full_sizes_without_a_gpu_are_refused(capsys):
    """A CPU build of torch on the GPU machine would spend its time on CPU
    steps: said at once."""
    with pytest.raises(SystemExit):
        gpu_check.parse_args([])
    assert 'no GPU visible to torch' in capsys.readouterr().err
    assert gpu_check.parse_args(['--quick']).quick


def test_a_failing_section_keeps_its_figures_and_fails_the_run(
        monkeypatch, capsys):

    def broken(args, size):
        yield gpu_check_sections.figure('stage1/fp32/seqs_per_s', 2.5, 'seq/s')
        raise RuntimeError('CUDA out of memory.\nTried to allocate 2 GiB')

    monkeypatch.setitem(gpu_check_sections.RUNNERS, 'steps', broken)
    sink = []
    assert not gpu_check.run(
        gpu_check.parse_args(['--sections', 'steps', '--allow-cpu']), sink)
    assert [r['name'] for r in sink] == [
        'gpu_check/device', 'gpu_check/stage1/fp32/seqs_per_s',
        'gpu_check/steps'
    ]
    assert sink[1]['value'] == 2.5
    assert sink[2]['skipped'] == 'error: RuntimeError: CUDA out of memory.'
    assert 'Tried to allocate 2 GiB' in capsys.readouterr().err  # traceback


def test_spent_budget_and_no_compile_are_reported_as_skips():
    sink = []
    args = gpu_check.parse_args(
        ['--sections', 'sdpa', '--budget-s', '-1', '--allow-cpu'])
    assert gpu_check.run(args, sink)
    assert sink[-1]['name'] == 'gpu_check/sdpa'
    assert sink[-1]['skipped'] == 'time budget of -1.0 s spent'
    args = gpu_check.parse_args(['--no-compile', '--allow-cpu'])
    args.deadline = float('inf')
    records = list(gpu_check_sections.run_compile_section(
        args, gpu_check.FULL))
    assert [r['name'] for r in records] == [
        f'gpu_check/compile/stage{s}/{n}' for s in (1, 2)
        for n in ('eager', 'compiled', 'compile_time')
    ]
    assert {r['skipped'] for r in records} == {'skipped by --no-compile'}
    assert all(r['value'] is None for r in records)
    args = gpu_check.parse_args(['--allow-cpu'])
    args.deadline = time.perf_counter()  # spent: nothing is built
    records = list(gpu_check_sections.run_compile_section(
        args, gpu_check.FULL))
    assert len(records) == 6
    assert all(r['skipped'].startswith('time budget of 480.0 s spent')
               for r in records)
