"""The run guarantees through mmaction2's stock tools from the wheel.

mmaction2's own ``tools/train.py`` / ``tools/test.py`` (shipped as
``mmaction/.mim/tools/``) know nothing of the plugin: they build the Runner
named by the config's ``runner_type`` and call it. Tiny models via
``--cfg-options``.
"""
import os
import os.path as osp
import shutil
import subprocess
import sys
from pathlib import Path

import mmaction
import pytest
import torch

ROOT = Path(__file__).parents[3]
STOCK = Path(osp.dirname(mmaction.__file__)) / '.mim' / 'tools'
OURS = ROOT / 'tools'
CONFIGS = ROOT / 'configs' / 'stars'
TINY_ENCODER = [
    'model.backbone.embed_dims=32', 'model.backbone.depth=2',
    'model.backbone.num_heads=2'
]


def run(tool, config, *args, ok=True):
    env = dict(os.environ, PYTHONWARNINGS='ignore', OMP_NUM_THREADS='1')
    result = subprocess.run(
        [sys.executable, str(tool), str(config), *map(str, args)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    log = result.stdout + result.stderr
    assert (result.returncode == 0) == ok, log[-4000:]
    return log


def train_stage1(work_dir, ann_file, *options, flags=(), ok=True):
    return run(
        STOCK / 'train.py',
        CONFIGS / 'mamp_1xb32-40e_demo-xsub-keypoint-3d.py',
        '--work-dir', work_dir, '--seed', '0', *flags, '--cfg-options',
        *TINY_ENCODER, 'model.mamp_head.decoder.embed_dims=32',
        'model.mamp_head.decoder.decoder_embed_dims=32',
        'model.mamp_head.decoder.num_heads=2',
        f'train_dataloader.dataset.ann_file={ann_file}',
        'train_dataloader.batch_size=8', 'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False',
        'default_hooks.checkpoint.interval=1',
        'default_hooks.checkpoint.max_keep_ckpts=5', *options, ok=ok)


@pytest.fixture(scope='module')
def stage1(tmp_path_factory, demo_ann_file):
    work = tmp_path_factory.mktemp('stock') / 'mamp'
    train_stage1(work, demo_ann_file, 'train_cfg.max_epochs=2')
    return work


def test_stock_train_resumes_a_copied_work_dir_at_the_configured_lr(
        stage1, tmp_path, demo_ann_file):
    copy = tmp_path / 'copy'
    shutil.copytree(stage1, copy)  # last_checkpoint names the original
    os.utime(copy / 'epoch_2.pth', (1000, 1000))  # and epoch_1 is newer
    log = train_stage1(copy, demo_ann_file, 'train_cfg.max_epochs=3',
                       'optim_wrapper.optimizer.lr=0.0005',
                       flags=['--resume'])
    assert 'outside this work dir' in log
    assert f'resuming {copy}/epoch_2.pth at the configured learning rate: ' \
        'base lr 0.0005 instead of the saved 0.006' in log
    assert 'resumed epoch: 2' in log
    saved = torch.load(copy / 'epoch_3.pth', weights_only=False)
    assert saved['meta']['epoch'] == 3
    assert all(g['initial_lr'] == 0.0005
               for g in saved['optimizer']['param_groups'])
    assert not (stage1 / 'epoch_3.pth').exists()


def test_stock_train_refuses_to_resume_another_model(stage1, tmp_path,
                                                     demo_ann_file):
    log = train_stage1(tmp_path / 'w', demo_ann_file,
                       'model.backbone.depth=3', 'train_cfg.max_epochs=3',
                       flags=['--resume', stage1 / 'epoch_2.pth'], ok=False)
    assert f'resume checkpoint {stage1}/epoch_2.pth does not match the ' \
        'model' in log
    assert 'backbone.blocks.2.' in log


def test_stock_test_refuses_an_encoder_checkpoint_for_a_classifier(
        stage1, demo_ann_file):
    log = run(
        STOCK / 'test.py',
        CONFIGS / 'eval' / 'linear_1xb32-10e_demo-xsub-keypoint-3d.py',
        stage1 / 'epoch_2.pth', '--cfg-options', *TINY_ENCODER,
        'model.cls_head.in_channels=32',
        f'test_dataloader.dataset.ann_file={demo_ann_file}',
        'test_dataloader.num_workers=0',
        'test_dataloader.persistent_workers=False', ok=False)
    assert f'checkpoint {stage1}/epoch_2.pth does not hold the whole model ' \
        "to test:\n  missing 5 weights of ['cls_head']" in log
    assert 'work_dirs/CONFIG_NAME/best_acc_top1_epoch_*.pth' in log
    assert 'Epoch(test)' not in log  # no accuracy was reported


class MarkerPayload:
    """Unpickling it creates ``path``."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (Path.touch, (Path(self.path), ))


@pytest.mark.parametrize('tool', [STOCK, OURS], ids=['stock', 'ours'])
def test_test_tool_refuses_a_crafted_checkpoint(tmp_path, demo_ann_file,
                                                tool):
    marker, crafted = tmp_path / 'MARKER', tmp_path / 'shared.pth'
    torch.save(dict(state_dict={}, payload=MarkerPayload(marker)), crafted)
    options = [
        '--cfg-options', *TINY_ENCODER,
        f'test_dataloader.dataset.ann_file={demo_ann_file}',
        f'test_cfg.bank_dataloader.dataset.ann_file={demo_ann_file}',
        'test_dataloader.num_workers=0', 'test_cfg.bank_dataloader.'
        'num_workers=0'
    ]
    config = CONFIGS / 'eval' / 'knn_demo-xsub-keypoint-3d.py'
    log = run(tool / 'test.py', config, crafted, *options, ok=False)
    assert f'load_from: checkpoint {crafted} was refused: unpickling it ' \
        "needs ['pathlib.Path'" in log
    assert not marker.exists()
    if tool == STOCK:  # the opt-in of any tool: the config setting
        run(tool / 'test.py', config, crafted, *options,
            f"trusted_checkpoints=['{crafted}']", ok=False)
    else:
        run(tool / 'test.py', config, crafted, '--trust-checkpoint',
            *options, ok=False)
    assert marker.exists()  # loaded (then refused: it holds no encoder)
