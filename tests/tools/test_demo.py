"""tools/demo.py end to end on the tiny demo fixture: one seed, one epoch
per stage, the real tools in between."""
import json
import os.path as osp
import subprocess
import sys

ROOT = osp.abspath(osp.join(osp.dirname(__file__), '..', '..'))


def test_demo_tool_writes_the_summary(tmp_path, demo_ann_file):
    label_map = osp.join(osp.dirname(demo_ann_file), 'label_map.txt')
    data = [f'train_dataloader.dataset.ann_file={demo_ann_file}',
            'train_cfg.max_epochs=1', 'train_dataloader.batch_size=8']
    command = [
        sys.executable, osp.join(ROOT, 'tools', 'demo.py'), '--work-dir',
        str(tmp_path), '--seeds', '0', '--stage1-cfg-options', *data,
        '--stage2-cfg-options', *data, 'model.contrastive_head.bank_size=16',
        '--knn-cfg-options',
        f'test_dataloader.dataset.ann_file={demo_ann_file}',
        f'test_cfg.bank_dataloader.dataset.ann_file={demo_ann_file}',
        f'test_evaluator.label_map={label_map}'
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    summary = json.loads((tmp_path / 'summary.json').read_text())
    assert set(summary) == {'random', 'stage-1', 'stage-2', 'stage1_loss',
                            'stage1_loss_floor'}
    for row in ('random', 'stage-1', 'stage-2'):
        for key in ('knn_k1', 'knn_k10'):
            (value, ) = summary[row][key]
            # 14 test samples: a multiple of 100 / 14
            assert abs(value * 14 / 100 - round(value * 14 / 100)) < 1e-3
    assert 0 < summary['stage1_loss_floor'] < 1  # normalised target
    assert summary['stage1_loss'] > 0
    assert '| stage-2 |' in done.stdout and 'trivial floor' in done.stdout
    assert (tmp_path / 'summary.png').is_file()
    assert (tmp_path / 'seed0' / 'random_init.pth').is_file()
