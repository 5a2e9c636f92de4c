import json
import os.path as osp
import subprocess
import sys

import pytest

BENCHMARKS = osp.join(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))), 'benchmarks')

REQUIRED = ('knn_speedup_vs_sklearn', 'stage2_step_speedup_vs_baseline',
            'stage2_peak_memory_ratio_vs_baseline',
            'encoder_fraction_of_matmul_peak', 'pipeline_to_model_rate_ratio',
            'batched_loader_speedup', 'model_step_over_batched_aug',
            'stage2_two_view_speedup_vs_one_graph')
# run_all --quick at tiny sizes: one step each, 8-frame 2 x 64 models, a
# 300 x 100 KNN. A fresh interpreter, because the measurements fork and a
# process that has already run torch's OpenMP threads cannot fork safely.
SCRIPT = '''
import sys
sys.path.insert(0, {benchmarks!r})
import bench_batched_aug, bench_knn, bench_models, bench_pipeline
import bench_training, bench_two_views, run_all
bench_pipeline.DEMO_ANN_FILE = {ann_file!r}
bench_models.MODEL_OVERRIDES.update({{
    'backbone.embed_dims': 64, 'backbone.depth': 2, 'backbone.num_heads': 4,
    'mamp_head.decoder.embed_dims': 64, 'mamp_head.decoder.depth': 1,
    'mamp_head.decoder.decoder_embed_dims': 64,
    'contrastive_head.in_channels': 64,
    'contrastive_head.hidden_channels': 128,
    'contrastive_head.bank_size': 256}})
bench_training.QUICK.update(frames=8, batches=(2, 4), feature_batch=2,
                           steps=1, matmul_repeats=1)
bench_knn.QUICK_SIZES = ((300, 100), )
bench_batched_aug.QUICK.update(samples=8, batch=4, frames=8)
bench_two_views.QUICK.update(batch=2, rounds=1)
run_all.run(quick=True, output={output!r})
'''


def test_run_all_quick_writes_every_required_figure(tmp_path):
    output = str(tmp_path / 'results.jsonl')
    # The pipeline figures read the demo data set: made here, so that the
    # test does not depend on data/ in the checkout.
    subprocess.run([
        sys.executable,
        osp.join(osp.dirname(BENCHMARKS), 'tools', 'data',
                 'make_demo_dataset.py'), '--out-dir',
        str(tmp_path), '--name', 'demo_3d'
    ],
                   check=True,
                   capture_output=True)
    done = subprocess.run([
        sys.executable, '-c',
        SCRIPT.format(benchmarks=BENCHMARKS,
                      output=output,
                      ann_file=str(tmp_path / 'demo_3d.pkl'))
    ],
                          cwd=osp.dirname(BENCHMARKS),
                          capture_output=True,
                          text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [json.loads(line) for line in open(output)]
    printed = [
        json.loads(line) for line in done.stdout.splitlines()
        if line.startswith('{')
    ]
    assert [r['name'] for r in printed] == [r['name'] for r in lines]
    by_name = {r['name']: r for r in lines}
    for name in REQUIRED:
        assert by_name[name]['value'] > 0, name
    assert by_name['knn_prediction_agreement']['value'] == 1.0
    assert len({r['run_id'] for r in lines}) == 1
    step = by_name['stage2_step/reference']
    assert step['num_clips'] == 2
    ours = [r for r in lines if r['name'] == 'stage2_step/ours']
    assert [r['batch'] for r in ours] == [2, 4]
    # The reference also computes gradients for the frozen first half (block
    # 0: 12 * 64^2 weights + 13 * 64 biases and norms, and the embeddings:
    # 64 * 3 * 4 + 64, 25 * 64, 2 * 64); ours does not.
    frozen = step['params_with_grad'] - ours[0]['params_with_grad']
    assert frozen == 12 * 64**2 + 13 * 64 + 64 * 13 + 25 * 64 + 2 * 64
    for r in ours:
        assert r['gflop_per_step'] > 0 and r['peak_memory_mb'] > 0
        assert r['peak_tensor_mb'] > r['live_tensor_mb'] > 0
        assert r['min_s'] <= r['median_s'] <= r['max_s']
        assert r['with_cp'] is True and r['timed'] == 'side by side'
    variants = {r['variant'] for r in lines if r['name'].startswith(
        'stage2_step/')}
    assert variants == {'ours', 'ours_bf16', 'ours_no_cp', 'baseline',
                        'reference'}
    assert by_name['stage2_step/ours_bf16']['amp'] is True
    assert by_name['stage2_step/baseline']['with_cp'] is False
    memory = by_name['stage2_peak_memory_ratio_vs_baseline']
    assert memory['value'] == pytest.approx(
        memory['other_mb'] / memory['ours_mb'], rel=1e-3)
    for name in ('stage2_step_bf16_speedup_vs_fp32', 'stage2_step_cp_cost',
                 'stage1_step_speedup_vs_baseline'):
        assert by_name[name]['value'] > 0, name
