import importlib.util
import json
import os.path as osp

import pytest

ROOT = osp.abspath(osp.join(osp.dirname(__file__), '..', '..', '..'))


def load_tool():
    path = osp.join(ROOT, 'tools', 'analysis', 'demo_summary.py')
    spec = importlib.util.spec_from_file_location('demo_summary', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_seed(work_dir, seed, accuracies, diagnostics):
    """Fake the files a finished seed leaves: knn_table.json and the stage-1
    scalars.json (two epochs; only the last one counts)."""
    knn_dir = work_dir / f'seed{seed}' / 'knn'
    knn_dir.mkdir(parents=True)
    table = {row: {'knn/top1_k1': k1, 'knn/top1_k10': k10}
             for row, (k1, k10) in accuracies.items()}
    (knn_dir / 'knn_table.json').write_text(json.dumps(table))
    vis = work_dir / f'seed{seed}' / 'mamp' / '20260101_000000' / 'vis_data'
    vis.mkdir(parents=True)
    lines = [dict(epoch=1, iter=1, loss=1., mse_real=5., mse_zero_floor=5.)]
    lines += [dict(epoch=2, iter=i, loss=.5, mse_real=real, mse_zero_floor=fl)
              for i, (real, fl) in enumerate(diagnostics, 2)]
    (vis / 'scalars.json').write_text(
        '\n'.join(json.dumps(line) for line in lines) + '\n')


def test_summary_by_hand(tmp_path):
    tool = load_tool()
    # knn_table.json holds percent, as the KNN metric logs it
    write_seed(tmp_path, 0, {'random': (20., 30.), 'stage-1': (50., 60.),
                             'stage-2': (70., 80.)}, [(.4, .9), (.6, .9)])
    write_seed(tmp_path, 1, {'random': (40., 30.), 'stage-1': (50., 60.),
                             'stage-2': (90., 80.)}, [(.2, .8)])
    summary = tool.write_summary(str(tmp_path), [0, 1])
    assert summary == {
        'random': {'knn_k1': [20., 40.], 'knn_k10': [30., 30.]},
        'stage-1': {'knn_k1': [50., 50.], 'knn_k10': [60., 60.]},
        'stage-2': {'knn_k1': [70., 90.], 'knn_k10': [80., 80.]},
        # seed 0: mean(.4, .6) = .5, seed 1: .2 -> .35; floors .9, .8
        'stage1_loss': .35,
        'stage1_loss_floor': .85,
    }
    assert json.loads((tmp_path / 'summary.json').read_text()) == summary
    table = (tmp_path / 'summary.md').read_text()
    # sample std of (20, 40) = 14.14
    assert '| random | 30.00 ± 14.14 | 30.00 ± 0.00 |' in table
    assert '| stage-2 | 80.00 ± 14.14 | 80.00 ± 0.00 |' in table
    # k=1: per-seed gains (30, 10) and (20, 40); means 50 - 30 = 20 and
    # 80 - 50 = 30 exceed the larger std 14.14
    assert ('| stage-1 over random | +20.00 ± 14.14, clears spread | '
            '+30.00 ± 0.00, clears spread |') in table
    assert ('| stage-2 over stage-1 | +30.00 ± 14.14, clears spread | '
            '+20.00 ± 0.00, clears spread |') in table
    assert '0.3500; trivial floor (predict zero): 0.8500' in table
    assert (tmp_path / 'summary.png').stat().st_size > 1000


def test_a_steady_gain_within_the_seed_spread_is_reported_as_such():
    tool = load_tool()
    stage1 = [60., 70., 50.]  # std 10
    summary = {
        'random': {'knn_k1': [40., 40., 40.], 'knn_k10': [40., 40., 40.]},
        'stage-1': {'knn_k1': stage1, 'knn_k10': stage1},
        # +2 on every seed, +12 on seed 0 only at k=10
        'stage-2': {'knn_k1': [62., 72., 52.], 'knn_k10': [72., 72., 52.]},
        'stage1_loss': .8, 'stage1_loss_floor': .9}
    table = tool.format_table(summary)
    # gains (20, 30, 10): means 60 - 40 = 20 > std 10; at k=1 the gains
    # (2, 2, 2) are steady but the means 62 - 60 = 2 < std 10;
    # k=10: gains (12, 2, 2), means 65.33 - 60 = 5.33 < std 11.55
    assert ('| stage-1 over random | +20.00 ± 10.00, clears spread | '
            '+20.00 ± 10.00, clears spread |') in table
    assert ('| stage-2 over stage-1 | +2.00 ± 0.00, within spread | '
            '+5.33 ± 5.77, within spread |') in table


def test_missing_runs_are_named(tmp_path):
    tool = load_tool()
    with pytest.raises(FileNotFoundError, match='seed3.*knn_table.json'):
        tool.summarise(str(tmp_path), [3])
    write_seed(tmp_path, 0, {'random': (.2, .3), 'stage-1': (.5, .6)}, [])
    with pytest.raises(KeyError, match=r"no rows \['stage-2'\]"):
        tool.summarise(str(tmp_path), [0])
