import json
import os.path as osp
import pickle
import subprocess
import sys

from bench_batched_aug import write_sequences

BENCHMARKS = osp.join(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))), 'benchmarks')
# --quick at tiny sizes: 8 sequences, batch 4, a 2 x 64 model on 16 frames.
# A fresh interpreter: the measurements fork, which a process that has run
# torch's OpenMP threads cannot do safely.
SCRIPT = '''
import sys
sys.path.insert(0, {benchmarks!r})
import bench_batched_aug, bench_models
bench_models.MODEL_OVERRIDES.update({{
    'backbone.embed_dims': 64, 'backbone.depth': 2, 'backbone.num_heads': 4,
    'mamp_head.decoder.embed_dims': 64, 'mamp_head.decoder.depth': 1,
    'mamp_head.decoder.decoder_embed_dims': 64}})
bench_batched_aug.QUICK.update(samples=8, batch=4, frames=16)
bench_batched_aug.main(['--quick', '--output', {output!r}])
'''


def test_generated_sequences_have_ntu_lengths(tmp_path):
    path = str(tmp_path / 'seq.pkl')
    write_sequences(path, 40)
    with open(path, 'rb') as f:
        data = pickle.load(f)
    lengths = [a['keypoint'].shape[1] for a in data['annotations']]
    assert min(lengths) >= 50 and max(lengths) <= 300
    assert {a['keypoint'].shape[0] for a in data['annotations']} == {1, 2}
    assert len(data['split']['xsub_train']) == 40


def test_quick_mode_writes_every_figure(tmp_path):
    output = str(tmp_path / 'results.jsonl')
    done = subprocess.run(
        [sys.executable, '-c',
         SCRIPT.format(benchmarks=BENCHMARKS, output=output)],
        cwd=osp.dirname(BENCHMARKS), capture_output=True, text=True,
        timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [json.loads(line) for line in open(output)]
    by_name = {r['name']: r for r in lines}
    assert lines[0]['name'] == 'matmul_2048_fp32'
    assert len({r['run_id'] for r in lines}) == 1
    for kind in ('per_sample', 'per_sample_fast', 'batched'):
        loader = by_name[f'batched_aug/loader_{kind}']
        assert loader['samples_per_step'] == 8 and loader['seqs_per_s'] > 0
        assert loader['torch_threads'] == 1 and loader['num_workers'] == 0
    assert by_name['batched_aug/loader_batched']['info']['pipeline'] == [
        'PadRawSkeleton', 'FormatGCNInput', 'PackActionInputs']
    assert by_name['batched_aug/loader_per_sample']['info']['pipeline'][
        0] == 'PreNormalize3D'
    augment = by_name['batched_aug/augment']
    assert augment['info']['output_shape'] == [4, 1, 2, 120, 25, 3]
    assert by_name['batched_aug/model_step']['info']['num_frames'] == 16
    for name in ('batched_loader_speedup', 'batched_loader_speedup_vs_fast',
                 'model_step_over_batched_aug'):
        assert by_name[name]['value'] > 0, name
    speedup = by_name['batched_loader_speedup']
    assert speedup['target'] == 10
    assert speedup['meets_target'] == (speedup['value'] >= 10)
