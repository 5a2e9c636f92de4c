"""SIGKILL a training run at several points, resume, get the same result.

Stage 1 (MAMP: random crops, rotations and masks) and stage 2 (NNCLR with a
memory bank; two randomly augmented views) run through ``tools/train.py``
subprocesses on tiny shapes with ``num_workers=2`` and
``persistent_workers=True``. One run goes uninterrupted; the other is killed
mid-epoch, resumed with ``--resume``, killed again while writing a
checkpoint (half a file on disk), and resumed to the end; the uninterrupted
run goes on meanwhile, in parallel. Every tensor of the two final
checkpoints (model, memory bank, optimizer, schedulers) must be bit-equal.
"""
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).parents[2]
HERE = Path(__file__).parent
STAGE1 = ROOT / 'configs/stars/mamp_1xb32-40e_demo-xsub-keypoint-3d.py'
STAGE2 = ROOT / 'configs/stars/ablations/stars-aug_1xb32-10e_demo-xsub-keypoint-3d.py'
MAX_EPOCHS = 3  # 42 samples / batch 8: 6 iterations per epoch
COMMON = """
custom_imports = dict(imports=['stars_mmaction', 'kill_switch'],
                      allow_failed_imports=False)
train_cfg = dict(max_epochs={epochs})
default_hooks = dict(checkpoint=dict(interval=1, max_keep_ckpts=5),
                     logger=dict(interval=1))
randomness = dict(seed=0)
env_cfg = dict(mp_cfg=dict(mp_start_method='fork'))
"""
STAGE1_CONFIG = f"""
_base_ = ['{STAGE1}']
model = dict(backbone=dict(embed_dims=32, depth=2, num_heads=2, num_frames=16),
             mamp_head=dict(decoder=dict(embed_dims=32, decoder_embed_dims=32,
                                         num_heads=2, num_frames=16)))
train_pipeline = [
    dict(type='PreNormalize3D', align_spine=False, align_shoulder=False),
    dict(type='ValidFrameCropResize', clip_len=16, p_interval=(0.5, 1),
         min_crop=8),
    dict(type='RandomSkeletonRotation', max_angle=0.3),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs', meta_keys=('frame_dir', 'sample_idx'))]
train_dataloader = dict(
    batch_size=8, num_workers=2, persistent_workers=True,
    dataset=dict(ann_file='{{ann_file}}', pipeline=train_pipeline))
custom_hooks = [dict(type='RandomStateHook'), dict(type='NonFiniteLossHook'),
                dict(type='KillSwitchHook')]
""" + COMMON
STAGE2_CONFIG = f"""
_base_ = ['{STAGE2}']
model = dict(
    backbone=dict(embed_dims=32, depth=2, num_heads=2, num_frames=16,
                  init_cfg=dict(checkpoint='{{stage1}}')),
    contrastive_head=dict(in_channels=32, hidden_channels=64, bank_size=64))
aug_view = [
    dict(type='ValidFrameCropResize', clip_len=16, p_interval=(0.5, 1),
         min_crop=8),
    dict(type='RandomSkeletonMirror', prob=0.5),
    dict(type='RandomSkeletonRotation', max_angle=0.3)]
train_dataloader = dict(
    batch_size=8, num_workers=2, persistent_workers=True,
    dataset=dict(ann_file='{{ann_file}}', pipeline=[
    dict(type='PreNormalize3D', align_spine=False, align_shoulder=False),
    dict(type='SkeletonMultiView', transforms=aug_view, num_views=2),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs', meta_keys=('frame_dir', 'sample_idx'))]))
custom_hooks = [dict(type='RandomStateHook'), dict(type='NonFiniteLossHook'),
                dict(type='MemoryBankCheckHook'), dict(type='KillSwitchHook')]
""" + COMMON


def start(config, work_dir, kill_at=None, resume=False):
    """Start tools/train.py in a subprocess."""
    env = dict(os.environ,
               OMP_NUM_THREADS='1',
               MKL_NUM_THREADS='1',
               PYTHONWARNINGS='ignore',
               PYTHONPATH=os.pathsep.join(
                   [str(HERE), os.environ.get('PYTHONPATH', '')]))
    env.pop('STARS_KILL_AT', None)
    if kill_at:
        env['STARS_KILL_AT'] = kill_at
    command = [sys.executable, str(ROOT / 'tools/train.py'), str(config),
               '--work-dir', str(work_dir)] + (['--resume'] if resume else [])
    return subprocess.Popen(command, cwd=ROOT, env=env, text=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def finish(process, killed=False):
    """Wait for a run; it must end killed (SIGKILL) or cleanly."""
    _, stderr = process.communicate(timeout=600)
    if killed:
        assert process.returncode == -signal.SIGKILL, stderr[-3000:]
    else:
        assert process.returncode == 0, stderr[-3000:]


def tensors(value, prefix=''):
    """Every tensor (and number) of a nested checkpoint, by path."""
    if isinstance(value, torch.Tensor):
        return {prefix: value}
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, (list, tuple)):
        items = enumerate(value)
    elif isinstance(value, (int, float, bool)):
        return {prefix: torch.tensor(value)}
    else:
        return {}
    found = {}
    for key, item in items:
        found.update(tensors(item, f'{prefix}/{key}'))
    return found


def assert_bit_equal(expected_path, actual_path):
    def load(path):
        checkpoint = torch.load(path, map_location='cpu', weights_only=False)
        return tensors({key: checkpoint[key] for key in
                        ('state_dict', 'optimizer', 'param_schedulers')})

    expected, actual = load(expected_path), load(actual_path)
    assert expected.keys() == actual.keys()
    assert any('memory_bank' in key or 'decoder' in key for key in expected)
    unequal = [key for key in expected
               if not torch.equal(expected[key], actual[key])]
    assert not unequal, f'{len(unequal)} tensors differ: {unequal[:5]}'


def kill_resume_compare(config, tmp_path):
    """An uninterrupted run (in parallel) vs. one killed twice, resumed."""
    clean, killed = tmp_path / 'clean', tmp_path / 'killed'
    final = f'epoch_{MAX_EPOCHS}.pth'
    uninterrupted = start(config, clean)
    # mid-epoch 2 (iteration 9 of 18): resumes from epoch_1.pth
    finish(start(config, killed, kill_at='iter:9'), killed=True)
    assert (killed / 'epoch_1.pth').is_file()
    assert not (killed / 'epoch_2.pth').exists()
    # while writing epoch_3.pth (its 2nd save): resumes from epoch_2.pth
    finish(start(config, killed, kill_at='save:2', resume=True), killed=True)
    finish(uninterrupted)
    assert (killed / 'epoch_3.pth').stat().st_size < \
        (clean / final).stat().st_size  # half written
    finish(start(config, killed, resume=True))
    assert_bit_equal(clean / final, killed / final)


@pytest.mark.skipif(sys.platform != 'linux', reason='fork and SIGKILL')
def test_stage1_survives_sigkill_bit_exactly(tmp_path, demo_ann_file):
    config = tmp_path / 'stage1.py'
    config.write_text(
        STAGE1_CONFIG.format(ann_file=demo_ann_file, epochs=MAX_EPOCHS))
    kill_resume_compare(config, tmp_path)


@pytest.mark.skipif(sys.platform != 'linux', reason='fork and SIGKILL')
def test_stage2_survives_sigkill_bit_exactly(tmp_path, demo_ann_file):
    from stars_mmaction.models.backbones import MAMPEncoder
    encoder = MAMPEncoder(embed_dims=32, depth=2, num_heads=2, num_frames=16)
    stage1 = tmp_path / 'stage1.pth'
    torch.save(dict(state_dict={f'backbone.{k}': v
                                for k, v in encoder.state_dict().items()}),
               stage1)
    config = tmp_path / 'stage2.py'
    config.write_text(
        STAGE2_CONFIG.format(ann_file=demo_ann_file, epochs=MAX_EPOCHS,
                             stage1=stage1))
    kill_resume_compare(config, tmp_path)
