"""tools/analysis/model_complexity.py: Table 11 counts."""
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[3]
spec = importlib.util.spec_from_file_location(
    'model_complexity', ROOT / 'tools' / 'analysis' / 'model_complexity.py')
mc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mc)
STARS = ROOT / 'configs' / 'stars'


@pytest.mark.parametrize('config,total,without', [
    ('stars_4xb32-10e_ntu60-xsub-keypoint-3d.py', 8_442_112, 8_428_032),
    ('mamp_4xb32-400e_ntu120-xsub-keypoint-3d.py', 10_368_524, 10_340_364),
])
def test_parameters_match_table_11(config, total, without):
    counts = mc.count_parameters(mc.build_model(str(STARS / config)))
    assert counts == dict(total=total, without_positional=without)


def test_demo_macs_by_hand():
    # Demo encoder: 2 persons x (6 x 25) tokens, 4 blocks of width 64.
    # Linear layers: 12 D^2 per token and block; attention: q k^T and a v,
    # 2 N^2 D per person and block.
    config = str(STARS / 'stars_1xb32-10e_demo-xsub-keypoint-3d.py')
    linear = 2 * 150 * 4 * 12 * 64**2
    attention = 2 * 4 * 2 * 150**2 * 64
    plain = mc.complexity(config, batch_size=32)
    assert plain['encoder_macs'] == pytest.approx(linear, rel=0.02)
    full = mc.complexity(config, batch_size=32, count_attention=True)
    assert full['encoder_macs'] - plain['encoder_macs'] == attention
    # Tuning runs the encoder once plus the small NNCLR head.
    assert plain['encoder_macs'] < plain['train_macs'] < \
        1.1 * plain['encoder_macs']
    assert plain['train_macs_batch'] == 32 * plain['train_macs']


def test_masked_pretraining_is_counted_part_by_part():
    # Demo MAMP: the encoder sees 25% of the tokens, the decoder all.
    rows = mc.complexity(
        str(STARS / 'mamp_1xb32-40e_demo-xsub-keypoint-3d.py'))
    assert 0.25 * rows['encoder_macs'] < rows['train_macs'] < \
        rows['encoder_macs']
    table = mc.markdown([rows], 32)
    assert 'mamp_1xb32-40e_demo-xsub-keypoint-3d' in table
