"""Two gloo processes on CPU through tools/dist_train.sh and dist_test.sh."""
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).parents[2]
PIPELINE = """[
    dict(type='PreNormalize3D', align_spine=False, align_shoulder=False),
    dict(type='ValidFrameCropResize', clip_len=16, p_interval={p}),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs', meta_keys=('frame_dir', 'sample_idx'))]"""
COMMON = """
_base_ = ['{base}']
tiny_backbone = dict(embed_dims=32, depth=2, num_heads=2, num_frames=16)
train_dataloader = dict(
    batch_size=8, num_workers=0, persistent_workers=False,
    dataset=dict(ann_file='{ann_file}', pipeline={pipeline}))
default_hooks = dict(checkpoint=dict(interval=1, max_keep_ckpts=5),
                     logger=dict(interval=1))
"""
STAGE1 = COMMON + """
model = dict(backbone=tiny_backbone, mamp_head=dict(decoder=dict(
    embed_dims=32, decoder_embed_dims=32, num_heads=2, num_frames=16)))
param_scheduler = []
"""
STAGE2 = COMMON + """
model = dict(
    backbone=dict(tiny_backbone, init_cfg=dict(checkpoint='{stage1}')),
    contrastive_head=dict(in_channels=32, hidden_channels=64, bank_size=64))
"""
KNN = """
_base_ = ['{base}']
model = dict(backbone=dict(embed_dims=32, depth=2, num_heads=2,
                           num_frames=16))
loader = dict(batch_size=8, num_workers=0, dataset=dict(
    ann_file='{ann_file}', pipeline={pipeline}))
test_dataloader = loader
test_evaluator = dict(topk_neighbours=(1, 5))
test_cfg = dict(bank_dataloader=loader)
"""


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def run(script, *args):
    for _ in range(3):  # another job may take the free port before torchrun
        env = dict(os.environ,
                   PYTHONWARNINGS='ignore',
                   PORT=str(free_port()),
                   PYTHON=sys.executable,
                   OMP_NUM_THREADS='1')
        result = subprocess.run(
            ['bash', str(ROOT / 'tools' / script), *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300)
        log = result.stdout + result.stderr
        if 'EADDRINUSE' not in log and 'address already in use' not in log:
            break
    assert result.returncode == 0, log[-4000:]
    return log


def write(path, template, base, **kwargs):
    path.write_text(
        template.format(base=ROOT / 'configs' / 'stars' / base, **kwargs))
    return str(path)


def load(path):
    return torch.load(path, map_location='cpu', weights_only=False)


@pytest.fixture(scope='module')
def stage1(tmp_path_factory, demo_ann_file):
    tmp = tmp_path_factory.mktemp('dist_stage1')
    config = write(tmp / 'mamp.py',
                   STAGE1,
                   'mamp_1xb32-40e_demo-xsub-keypoint-3d.py',
                   ann_file=demo_ann_file,
                   pipeline=PIPELINE.format(p='(0.5, 1)'))
    log = run('dist_train.sh', config, '2', '--work-dir', str(tmp / 'work'),
              '--seed', '0', '--cfg-options', 'train_cfg.max_epochs=2')
    return dict(config=config, work=tmp / 'work', log=log)


def test_stage1_two_processes_then_resume_past_a_truncated_checkpoint(stage1):
    work = stage1['work']
    # 42 samples on 2 ranks x batch 8: 3 iterations per epoch
    assert 'Epoch(train) [2][3/3]' in stage1['log']
    assert "backend='gloo'" in stage1['log']
    assert load(work / 'epoch_2.pth')['meta']['iter'] == 6
    # the run was killed while saving epoch 2: its file is cut short
    data = (work / 'epoch_2.pth').read_bytes()
    (work / 'epoch_2.pth').write_bytes(data[:len(data) // 2])
    log = run('dist_train.sh', stage1['config'], '2', '--work-dir', str(work),
              '--seed', '0', '--resume', '--cfg-options',
              'train_cfg.max_epochs=3')
    assert f'cannot resume from {work / "epoch_2.pth"}' in log
    assert f'Resuming from {work / "epoch_1.pth"} (epoch 1, iter 3)' in log
    assert 'resumed epoch: 1, iter: 3' in log
    assert 'Epoch(train) [1]' not in log
    final = load(work / 'epoch_3.pth')
    assert final['meta']['epoch'] == 3 and final['meta']['iter'] == 9
    assert len(final['random_state']) == 2  # one state per rank


def test_stage2_bank_gathers_both_ranks_then_resumes(stage1, tmp_path,
                                                     demo_ann_file):
    config = write(tmp_path / 'stars.py',
                   STAGE2,
                   'stars_1xb32-10e_demo-xsub-keypoint-3d.py',
                   ann_file=demo_ann_file,
                   pipeline=PIPELINE.format(p='(1.0, )'),
                   stage1=stage1['work'] / 'epoch_1.pth')
    work = tmp_path / 'work'
    log = run('dist_train.sh', config, '2', '--work-dir', str(work), '--seed',
              '0', '--cfg-options', 'train_cfg.max_epochs=1')
    assert "sync_bn='torch' is not applied" in log  # CPU: no SyncBN
    state = load(work / 'epoch_1.pth')['state_dict']
    # each rank sees 21 samples; every iteration enqueues 2 x batch
    # (16, 16; the partial batches of 5 are dropped): the pointer moved by
    # 32 and the bank holds 32 distinct indices of both ranks' samples
    assert state['contrastive_head.memory_bank.ptr'].item() == 32
    ids = state['contrastive_head.memory_bank.sample_idx']
    kept = ids[ids >= 0].tolist()
    assert len(set(kept)) == 32 and set(kept) <= set(range(42))

    log = run('dist_train.sh', config, '2', '--work-dir', str(work), '--seed',
              '0', '--resume', '--cfg-options', 'train_cfg.max_epochs=2')
    assert 'resumed epoch: 1, iter: 2' in log
    assert 'random state of rank 0 restored' in log
    final = load(work / 'epoch_2.pth')
    assert final['meta']['iter'] == 4
    assert final['state_dict']['contrastive_head.memory_bank.ptr'].item(
    ) == 64 % 64

    knn = write(tmp_path / 'knn.py',
                KNN,
                'eval/knn_demo-xsub-keypoint-3d.py',
                ann_file=demo_ann_file,
                pipeline=PIPELINE.format(p='(0.95, )'))
    log = run('dist_test.sh', knn, str(work / 'epoch_2.pth'), '2',
              '--work-dir', str(tmp_path / 'test'))
    assert 'KNN bank: 42 training features' in log
    assert 'knn/top1_k1: ' in log and 'knn/top1_k5: ' in log
