"""tools/analysis/plot_curves.py: PNGs of losses, lr and metrics."""
import importlib.util
import json
from pathlib import Path

import matplotlib.image
import pytest

ROOT = Path(__file__).parents[3]
spec = importlib.util.spec_from_file_location(
    'plot_curves', ROOT / 'tools' / 'analysis' / 'plot_curves.py')
plot_curves = importlib.util.module_from_spec(spec)
spec.loader.exec_module(plot_curves)


def write_run(work_dir, stamp, lines):
    path = Path(work_dir) / stamp / 'vis_data' / 'scalars.json'
    path.parent.mkdir(parents=True)
    path.write_text(''.join(json.dumps(line) + '\n' for line in lines))


def train(step, epoch, loss, nn_acc=None):
    line = dict(lr=0.01 * step, loss=loss, loss_nnclr=loss, epoch=epoch,
                iter=step, step=step, time=0.5, data_time=0.1, memory=10)
    if nn_acc is not None:
        line['nn_acc'] = nn_acc
    return line


@pytest.fixture
def work_dirs(tmp_path):
    # stars: resumed from epoch 1, so its epoch-2 lines are redone
    stars = tmp_path / 'stars'
    write_run(stars, '20260101_000000', [
        train(1, 1, 4.0, 0.1), train(2, 1, 3.0, 0.2),
        train(3, 2, 9.0, 0.9)])
    write_run(stars, '20260101_010000', [
        train(3, 2, 2.0, 0.3), train(4, 2, 1.0, 0.4)])
    linear = tmp_path / 'linear'
    write_run(linear, '20260102_000000', [
        train(1, 1, 1.5), {'acc/top1': 0.25, 'acc/top5': 0.5, 'step': 1},
        train(2, 2, 0.5), {'acc/top1': 0.75, 'acc/top5': 1.0, 'step': 2}])
    return stars, linear


def test_lines_join_resumed_runs_in_percent(work_dirs):
    logs = [plot_curves.read_scalar_log(str(w)) for w in work_dirs]
    names = ['stars', 'linear']
    lines = plot_curves.collect_lines(logs, names, ['loss', 'nn_acc'],
                                      plot_curves.ScalarLog.train_series)
    assert lines['loss'] == [('stars', [1, 2, 3, 4], [4.0, 3.0, 2.0, 1.0]),
                             ('linear', [1, 2], [1.5, 0.5])]
    assert lines['nn_acc'] == [('stars', [1, 2, 3, 4],
                                pytest.approx([10., 20., 30., 40.]))]
    val = plot_curves.collect_lines(logs, names, ['acc/top1'],
                                    plot_curves.ScalarLog.val_series)
    assert val['acc/top1'] == [('linear', [1, 2], [25., 75.])]


def test_writes_one_png_per_group(work_dirs, tmp_path, capsys):
    out = tmp_path / 'curves'
    paths = plot_curves.main([*map(str, work_dirs), '--out-dir', str(out)])
    assert [Path(p).name for p in paths] == [
        'losses.png', 'lr.png', 'train_metrics.png', 'val_metrics.png'
    ]
    printed = capsys.readouterr().out
    assert 'losses: loss, loss_nnclr ->' in printed
    assert 'train_metrics: nn_acc ->' in printed  # no time, memory
    assert 'val_metrics: acc/top1, acc/top5 ->' in printed
    # 2 panels side by side at 4.5 x 3.2 inches, 100 dpi
    height, width, _ = matplotlib.image.imread(out / 'losses.png').shape
    assert (width, height) == (900, 320)
    assert matplotlib.image.imread(out / 'lr.png').shape[:2] == (320, 450)


def test_bad_input(work_dirs, tmp_path):
    with pytest.raises(ValueError, match='--names has 1 names for 2'):
        plot_curves.main([*map(str, work_dirs), '--out-dir', str(tmp_path),
                          '--names', 'a'])
    with pytest.raises(FileNotFoundError, match='does not exist'):
        plot_curves.main([str(tmp_path / 'nope'), '--out-dir',
                          str(tmp_path)])
