"""tools/analysis/knn_table.py: one KNN evaluation per checkpoint, a table."""
import importlib.util
import json
from pathlib import Path

import matplotlib.image
import pytest
import torch
from mmaction.registry import MODELS

ROOT = Path(__file__).parents[3]
spec = importlib.util.spec_from_file_location(
    'knn_table', ROOT / 'tools' / 'analysis' / 'knn_table.py')
knn_table = importlib.util.module_from_spec(spec)
spec.loader.exec_module(knn_table)


def test_table_rows_are_percent_per_k():
    rows = {
        'stage-1': {
            'knn/top1_k1': 25.0,
            'knn/top1_k10': 31.55
        },
        'stage-2': {
            'knn/top1_k1': 50.0,
            'knn/top1_k10': 62.5
        }
    }
    table = knn_table.format_table(rows, [1, 10])
    assert table.splitlines() == [
        '| encoder | KNN k=1 | KNN k=10 |', '|---|---|---|',
        '| stage-1 | 25.00 | 31.55 |', '| stage-2 | 50.00 | 62.50 |'
    ]
    with pytest.raises(KeyError, match='no knn/top1_k5'):
        knn_table.format_table(rows, [5])


def test_table_picture(tmp_path):
    rows = {'stage-1': {'knn/top1_k1': 25.0, 'knn/top1_k10': 31.55},
            'stage-2': {'knn/top1_k1': 50.0, 'knn/top1_k10': 62.5}}
    path = tmp_path / 'knn_table.png'
    knn_table.plot_table(rows, [1, 10], str(path))
    # (1.5 + 1.2 x 2 ks) x 3.5 inches at 100 dpi
    assert matplotlib.image.imread(path).shape[:2] == (350, 390)


def test_bad_arguments_are_errors(tmp_path, capsys):
    with pytest.raises(SystemExit):
        knn_table.parse_args(['c.py', '--checkpoints', 'missing.pth'])
    assert 'checkpoints not found' in capsys.readouterr().err
    ckpt = tmp_path / 'a.pth'
    ckpt.write_bytes(b'')
    with pytest.raises(SystemExit):
        knn_table.parse_args(
            ['c.py', '--checkpoints',
             str(ckpt), '--names', 'a', 'b'])


def test_evaluates_a_checkpoint_through_tools_test(tmp_path, demo_ann_file):
    model = MODELS.build(
        dict(type='STARSRecognizer',
             backbone=dict(type='MAMPEncoder',
                           embed_dims=64,
                           depth=4,
                           num_heads=4,
                           num_frames=24)))
    ckpt = tmp_path / 'stage1.pth'
    torch.save({'state_dict': model.state_dict()}, ckpt)
    rows = knn_table.main([
        str(ROOT / 'configs/stars/eval/knn_demo-xsub-keypoint-3d.py'),
        '--checkpoints',
        str(ckpt), '--names', 'stage-1', '--work-dir',
        str(tmp_path / 'table'), '--cfg-options',
        f'test_dataloader.dataset.ann_file={demo_ann_file}',
        f'test_cfg.bank_dataloader.dataset.ann_file={demo_ann_file}',
        'test_dataloader.num_workers=0',
        'test_cfg.bank_dataloader.num_workers=0'
    ])
    assert 0 <= rows['stage-1']['knn/top1_k10'] <= 100
    table = (tmp_path / 'table' / 'knn_table.md').read_text()
    assert table.splitlines()[2].startswith('| stage-1 | ')
    saved = json.loads((tmp_path / 'table' / 'knn_table.json').read_text())
    assert saved == rows
