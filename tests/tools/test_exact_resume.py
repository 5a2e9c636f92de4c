"""SIGKILL a stage-2 run in the middle of an epoch, resume, compare."""
import os
import subprocess
import sys
from pathlib import Path

import torch

ROOT = Path(__file__).parents[2]
KILL_HOOK = '''
import os
import signal

from mmaction.registry import HOOKS
from mmengine.hooks import Hook


@HOOKS.register_module()
class SelfKillHook(Hook):
    """SIGKILL this process after iteration `at` (1-based), as a crash."""

    def __init__(self, at):
        self.at = at

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        if runner.iter + 1 == self.at:
            os.kill(os.getpid(), signal.SIGKILL)
'''
CONFIG = """
_base_ = ['{base}']
custom_imports = dict(imports=['stars_mmaction', 'kill_hook'],
                      allow_failed_imports=False)
model = dict(
    backbone=dict(embed_dims=32, depth=2, num_heads=2, num_frames=16,
                  init_cfg=dict(checkpoint='{stage1}')),
    contrastive_head=dict(in_channels=32, hidden_channels=64, bank_size=20))
train_dataloader = dict(
    batch_size=8, num_workers=0, persistent_workers=False,
    dataset=dict(ann_file='{ann_file}', pipeline=[
        dict(type='PreNormalize3D', align_spine=False, align_shoulder=False),
        dict(type='ValidFrameCropResize', clip_len=16, p_interval=(0.5, 1)),
        dict(type='RandomSkeletonRotation', max_angle=0.3),
        dict(type='FormatGCNInput', num_person=2),
        dict(type='PackActionInputs', meta_keys=('frame_dir', 'sample_idx'))
    ]))
train_cfg = dict(max_epochs=2)
default_hooks = dict(checkpoint=dict(interval=1, max_keep_ckpts=5),
                     logger=dict(interval=1))
custom_hooks = [
    dict(type='RandomStateHook'),
    dict(type='NonFiniteLossHook'),
    dict(type='MemoryBankCheckHook'),
    {kill}
]
"""


def make_stage1_checkpoint(path):
    from stars_mmaction.models.backbones import MAMPEncoder
    torch.manual_seed(1)
    encoder = MAMPEncoder(embed_dims=32, depth=2, num_heads=2, num_frames=16)
    encoder.init_weights()
    state = {f'backbone.{k}': v for k, v in encoder.state_dict().items()}
    torch.save(dict(state_dict=state, meta=dict(epoch=1, iter=1)), path)


def train(tmp_path, ann, name, work_dir, kill_at=None, resume=False):
    config = tmp_path / f'{name}.py'
    kill = f"dict(type='SelfKillHook', at={kill_at})" if kill_at else ''
    config.write_text(
        CONFIG.format(base=ROOT /
                      'configs/stars/stars_1xb32-10e_demo-xsub-keypoint-3d.py',
                      stage1=tmp_path / 'stage1.pth',
                      ann_file=ann,
                      kill=kill))
    env = dict(os.environ,
               PYTHONWARNINGS='ignore',
               PYTHONPATH=f'{tmp_path}{os.pathsep}'
               f'{os.environ.get("PYTHONPATH", "")}')
    args = [
        sys.executable,
        str(ROOT / 'tools/train.py'),
        str(config), '--work-dir',
        str(work_dir), '--seed', '0', '--deterministic'
    ]
    if resume:
        args.append('--resume')
    return subprocess.run(args,
                          cwd=ROOT,
                          env=env,
                          capture_output=True,
                          text=True,
                          timeout=300)


def load(path):
    return torch.load(path, map_location='cpu', weights_only=False)


def test_sigkill_mid_epoch_then_resume_equals_uninterrupted_run(
        tmp_path, demo_ann_file):
    make_stage1_checkpoint(tmp_path / 'stage1.pth')
    (tmp_path / 'kill_hook.py').write_text(KILL_HOOK)
    # 42 training samples, batch 8, stage 2 drops the last partial batch:
    # 5 iterations per epoch, 10 in all.
    full = train(tmp_path, demo_ann_file, 'full', tmp_path / 'full')
    assert full.returncode == 0, full.stderr[-3000:]

    killed = train(tmp_path,
                   demo_ann_file,
                   'killed',
                   tmp_path / 'run',
                   kill_at=9)
    assert killed.returncode == -9  # SIGKILL at iteration 9 of epoch 2
    assert (tmp_path / 'run/epoch_1.pth').exists()
    assert not (tmp_path / 'run/epoch_2.pth').exists()

    resumed = train(tmp_path,
                    demo_ann_file,
                    'resumed',
                    tmp_path / 'run',
                    resume=True)
    log = resumed.stdout + resumed.stderr
    assert resumed.returncode == 0, log[-3000:]
    assert 'resumed epoch: 1, iter: 5' in log
    assert 'random state of rank 0 restored' in log

    ckpt1 = load(tmp_path / 'run/epoch_1.pth')
    assert len(ckpt1['random_state']) == 1  # one process
    expected = load(tmp_path / 'full/epoch_2.pth')
    actual = load(tmp_path / 'run/epoch_2.pth')
    assert actual['meta']['iter'] == expected['meta']['iter'] == 10
    assert expected['state_dict'].keys() == actual['state_dict'].keys()
    for key, value in expected['state_dict'].items():
        assert torch.equal(actual['state_dict'][key], value), key
    bank = actual['state_dict']['contrastive_head.memory_bank.ptr']
    assert bank.item() == (2 * 5 * 8) % 20
    # the optimizer continued too: Adam's moments are equal
    for group, state in expected['optimizer']['state'].items():
        assert torch.equal(actual['optimizer']['state'][group]['exp_avg'],
                           state['exp_avg'])
