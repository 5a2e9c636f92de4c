"""tools/analysis/report.py on fake work dirs."""
import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).parents[3]
spec = importlib.util.spec_from_file_location(
    'report', ROOT / 'tools' / 'analysis' / 'report.py')
report = importlib.util.module_from_spec(spec)
spec.loader.exec_module(report)


def make_run(root, name, config_name, config_text, test=None, val=None):
    work_dir = root / name
    stamp = work_dir / '20240101_000000'
    (stamp / 'vis_data').mkdir(parents=True)
    (work_dir / config_name).write_text(config_text)
    if test is not None:
        (stamp / '20240101_000000.json').write_text(json.dumps(test))
    if val is not None:
        (stamp / 'vis_data' / 'scalars.json').write_text(''.join(
            json.dumps(dict(r, step=s)) + '\n' for s, r in val))
    return str(work_dir)


def test_report_rows_and_published_numbers(tmp_path):
    knn = make_run(
        tmp_path, 'knn', 'knn_ntu60-xsub-keypoint-3d.py',
        "load_from = 'work_dirs/stars_4xb32-10e/epoch_10.pth'\n",
        test={'knn/top1_k1': 80.0, 'knn/top1_k10': 84.0, 'time': 1.})
    linear = make_run(
        tmp_path, 'lin', 'linear_4xb64-100e_ntu60-xview-keypoint-3d.py',
        "model = dict(backbone=dict(init_cfg=dict(checkpoint='w/mamp_400e/"
        "epoch_400.pth')))\n",
        val=[(5, {'acc/top1': 0.5}), (100, {'acc/top1': 0.88}),
             (100, {'loss': 0.1})])
    fewshot = make_run(
        tmp_path, 'fs', 'fewshot_ntu120-xsub-keypoint-3d.py',
        "load_from = 'converted.pth'\n",
        test={'fewshot/1shot': 60.0, 'fewshot/1shot_std': 1.0,
              'fewshot/avg': 62.0})
    rows = report.collect([knn, linear, fewshot + '@STARS'])
    got = {(r['run'], r['metric']): (r['method'], r['dataset'],
                                     round(r['ours'], 4), r['paper'])
           for r in rows}
    assert got == {
        ('knn', 'KNN k=1'): ('STARS', 'ntu60-xsub', 80.0, 79.9),
        ('knn', 'KNN k=10'): ('STARS', 'ntu60-xsub', 84.0, 83.7),
        ('lin', 'linear top-1'): ('MAMP', 'ntu60-xview', 88.0, 89.0),
        ('fs', 'few-shot 1shot'): ('STARS', 'ntu120-xsub', 60.0, 63.5),
        ('fs', 'few-shot avg'): ('STARS', 'ntu120-xsub', 62.0, None),
    }
    table = report.markdown(rows)
    row = '| lin | MAMP | ntu60-xview | linear top-1 | 88.00 | 89.0 | -1.0 |'
    assert row in table
    out = tmp_path / 'report.md'
    report.main([knn, '--out', str(out)])
    assert out.read_text().count('\n') == 4


def test_a_dir_without_results_is_named(tmp_path):
    import pytest
    empty = tmp_path / 'empty'
    empty.mkdir()
    with pytest.raises(FileNotFoundError, match='empty'):
        report.collect([str(empty)])
