"""End to end through tools/test.py: the KNN and few-shot demo configs."""
import glob
import json
import os
import os.path as osp
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from mmaction.registry import MODELS

ROOT = Path(__file__).parents[3]
EVAL = ROOT / 'configs' / 'stars' / 'eval'


@pytest.fixture(scope='module')
def demo_checkpoint(tmp_path_factory):
    """A random demo-size STARS checkpoint with a pre-training head key."""
    model = MODELS.build(
        dict(type='STARSRecognizer',
             backbone=dict(type='MAMPEncoder',
                           embed_dims=64,
                           depth=4,
                           num_heads=4,
                           num_frames=24)))
    state = dict(model.state_dict())
    state['mamp_head.decoder.mask_token'] = torch.zeros(1, 1, 64)
    path = tmp_path_factory.mktemp('ckpt') / 'epoch_1.pth'
    torch.save({'state_dict': state, 'meta': {}}, path)
    return path, state


def run_test(config, checkpoint, work_dir, *options):
    result = subprocess.run([
        sys.executable,
        str(ROOT / 'tools' / 'test.py'),
        str(config),
        str(checkpoint), '--work-dir',
        str(work_dir), '--cfg-options', *options
    ],
                            cwd=ROOT,
                            env=dict(os.environ, PYTHONWARNINGS='ignore'),
                            capture_output=True,
                            text=True,
                            timeout=120)
    return result.returncode, result.stdout + result.stderr


def metrics_of(work_dir):
    (path, ) = glob.glob(str(work_dir / '*' / '*.json'))
    return json.loads(Path(path).read_text())


def knn_options(ann_file, *extra):
    return [
        f'test_dataloader.dataset.ann_file={ann_file}',
        f'test_cfg.bank_dataloader.dataset.ann_file={ann_file}',
        'test_dataloader.num_workers=0',
        'test_cfg.bank_dataloader.num_workers=0',
        f'test_evaluator.label_map={osp.join(osp.dirname(ann_file), "label_map.txt")}',
        *extra
    ]


def test_knn_demo_config_reports_every_k(tmp_path, demo_ann_file,
                                         demo_checkpoint):
    out = tmp_path / 'out'
    code, log = run_test(
        EVAL / 'knn_demo-xsub-keypoint-3d.py', demo_checkpoint[0],
        tmp_path / 'knn',
        *knn_options(demo_ann_file, f'test_evaluator.out_dir={out}',
                     'test_evaluator.confusion_k=[10]'))
    assert code == 0, log[-3000:]
    assert 'KNN bank: 42 training features of 64 dims' in log
    metrics = metrics_of(tmp_path / 'knn')
    for k in (1, 2, 5, 10, 20, 40):
        assert 0 <= metrics[f'knn/top1_k{k}'] <= 100  # percent
    # 14 test samples: every accuracy is a multiple of 100/14.
    hits = metrics['knn/top1_k1'] * 14 / 100
    assert abs(hits - round(hits)) < 1e-4
    header = (out / 'confusion_k10.csv').read_text().splitlines()[0]
    assert header.startswith('true \\ predicted,arm circles (forward)')


def test_wrong_checkpoint_prefix_and_too_large_k_are_errors(
        tmp_path, demo_ann_file, demo_checkpoint):
    _, state = demo_checkpoint
    renamed = {k.replace('backbone.', 'encoder.'): v for k, v in state.items()}
    bad = tmp_path / 'bad.pth'
    torch.save({'state_dict': renamed}, bad)
    code, log = run_test(EVAL / 'knn_demo-xsub-keypoint-3d.py', bad,
                         tmp_path / 'bad', *knn_options(demo_ann_file))
    assert code != 0
    assert 'CheckpointMismatchError' in log
    assert "no key starts with 'backbone.'" in log
    assert 'missing keys 54: [blocks.0.attn.proj.bias' in log

    code, log = run_test(
        EVAL / 'knn_demo-xsub-keypoint-3d.py', demo_checkpoint[0],
        tmp_path / 'big_k',
        *knn_options(demo_ann_file, 'test_evaluator.topk_neighbours=[1,50]'))
    assert code != 0
    assert 'k=50 exceeds the 42 samples of the training split' in log


def test_few_shot_demo_config_reports_mean_std_and_average(
        tmp_path, demo_ann_file, demo_checkpoint):
    # The tiny fixture has 2 test samples per class and only the first 7
    # classes: use its training split and 4 of its classes as novel.
    code, log = run_test(EVAL / 'fewshot_demo-xsub-keypoint-3d.py',
                         demo_checkpoint[0], tmp_path / 'fewshot',
                         f'test_dataloader.dataset.ann_file={demo_ann_file}',
                         'test_dataloader.dataset.split=xsub_train',
                         'test_dataloader.dataset.classes=[3,4,5,6]',
                         'test_dataloader.num_workers=0',
                         'test_evaluator.shots=[1,2]',
                         'test_evaluator.num_episodes=10')
    assert code == 0, log[-3000:]
    metrics = metrics_of(tmp_path / 'fewshot')
    assert {
        'fewshot/1shot', 'fewshot/1shot_std', 'fewshot/2shot',
        'fewshot/2shot_std', 'fewshot/avg'
    } <= set(metrics)
    assert metrics['fewshot/avg'] == pytest.approx(
        (metrics['fewshot/1shot'] + metrics['fewshot/2shot']) / 2, abs=1e-6)
