"""End to end through tools/train.py: stage 1, resume, stage 2, 3-stage."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).parents[2]
TINY = """
_base_ = ['{base}']
tiny_backbone = dict(embed_dims=32, depth=2, num_heads=2, num_frames=16)
tiny_loader = dict(batch_size=8, num_workers=0, persistent_workers=False)
ann_file = '{ann_file}'
train_cfg = dict(max_epochs={epochs})
default_hooks = dict(checkpoint=dict(interval=1, max_keep_ckpts=5),
                     logger=dict(interval=1))
{extra}
"""
STAGE1_EXTRA = """
model = dict(backbone=tiny_backbone, mamp_head=dict(decoder=dict(
    embed_dims=32, decoder_embed_dims=32, num_heads=2, num_frames=16)))
param_scheduler = []
train_dataloader = dict(
    tiny_loader, dataset=dict(ann_file=ann_file, pipeline={pipeline}))
"""
PIPELINE = """[
    dict(type='PreNormalize3D', align_spine=False, align_shoulder=False),
    dict(type='ValidFrameCropResize', clip_len=16, p_interval={p}),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs', meta_keys=('frame_dir', 'sample_idx'))]"""


def write_config(tmp_path, name, base, ann_file, epochs, extra=''):
    path = tmp_path / f'{name}.py'
    path.write_text(
        TINY.format(base=ROOT / 'configs' / 'stars' / base,
                    ann_file=ann_file, epochs=epochs, extra=extra))
    return path


def train(config, work_dir, *args):
    env = dict(os.environ, PYTHONWARNINGS='ignore')
    result = subprocess.run(
        [sys.executable, str(ROOT / 'tools' / 'train.py'), str(config),
         '--work-dir', str(work_dir), '--seed', '0', *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout + result.stderr


def state_dict(path):
    return torch.load(path, map_location='cpu', weights_only=False)


@pytest.fixture(scope='module')
def stage1(tmp_path_factory, demo_ann_file):
    tmp = tmp_path_factory.mktemp('stage1')
    extra = STAGE1_EXTRA.format(pipeline=PIPELINE.format(p='(0.5, 1)'))
    config = write_config(tmp, 'mamp_tiny',
                          'mamp_1xb32-40e_demo-xsub-keypoint-3d.py',
                          demo_ann_file, 2, extra)
    log = train(config, tmp / 'work')
    return dict(config=config, work=tmp / 'work', log=log, tmp=tmp)


def test_stage1_trains_and_saves_a_loadable_checkpoint(stage1):
    assert 'loss_mamp' in stage1['log']
    ckpt = state_dict(stage1['work'] / 'epoch_2.pth')
    keys = set(ckpt['state_dict'])
    assert 'backbone.blocks.1.attn.qkv.weight' in keys
    assert 'mamp_head.decoder.decoder_pred.weight' in keys
    assert ckpt['meta']['epoch'] == 2
    from mmaction.registry import MODELS
    from mmengine.config import Config
    model = MODELS.build(Config.fromfile(str(stage1['config'])).model)
    model.load_state_dict(ckpt['state_dict'], strict=True)


def test_resume_continues_from_the_last_checkpoint(stage1):
    config = stage1['config']
    text = config.read_text().replace('max_epochs=2', 'max_epochs=3')
    resumed = stage1['tmp'] / 'mamp_tiny_3e.py'
    resumed.write_text(text)
    log = train(resumed, stage1['work'], '--resume')
    assert 'resumed epoch: 2' in log
    assert 'Epoch(train)  [1]' not in log  # no epoch is trained twice
    ckpt = state_dict(stage1['work'] / 'epoch_3.pth')
    assert ckpt['meta']['epoch'] == 3
    before = state_dict(stage1['work'] / 'epoch_2.pth')['optimizer']
    assert ckpt['optimizer']['state'][0]['step'] > before['state'][0]['step']


def stage2_config(tmp, name, base, ann_file, stage1_ckpt, epochs=1,
                  extra='', tune_ratio=None):
    init = (f"init_cfg=dict(checkpoint='{stage1_ckpt}')"
            if stage1_ckpt else 'init_cfg=None')
    tune = '' if tune_ratio is None else f'tune_ratio={tune_ratio}, '
    extra = f"""
model = dict(
    backbone=dict(tiny_backbone, {tune}{init}),
    contrastive_head=dict(in_channels=32, hidden_channels=64, bank_size=20))
train_dataloader = dict(
    tiny_loader,
    dataset=dict(ann_file=ann_file, pipeline={PIPELINE.format(p='(1.0, )')}))
{extra}"""
    return write_config(tmp, name, base, ann_file, epochs, extra)


def test_stage2_tunes_the_second_half_and_saves_the_bank(stage1, tmp_path,
                                                         demo_ann_file):
    stage1_ckpt = stage1['work'] / 'epoch_2.pth'
    # STARS' half of the encoder (the demo config tunes all of it)
    config = stage2_config(tmp_path, 'stars_tiny',
                           'stars_1xb32-10e_demo-xsub-keypoint-3d.py',
                           demo_ann_file, stage1_ckpt, tune_ratio=0.5)
    log = train(config, tmp_path / 'work')
    assert 'loss_nnclr' in log
    before = state_dict(stage1_ckpt)['state_dict']
    after = state_dict(tmp_path / 'work' / 'epoch_1.pth')['state_dict']
    # depth 2, tune_ratio 0.5: block 1 and the final norm train
    assert torch.equal(after['backbone.blocks.0.mlp.fc1.weight'],
                       before['backbone.blocks.0.mlp.fc1.weight'])
    assert torch.equal(after['backbone.pos_embed'], before['backbone.pos_embed'])
    assert not torch.equal(after['backbone.blocks.1.mlp.fc1.weight'],
                           before['backbone.blocks.1.mlp.fc1.weight'])
    bank = after['contrastive_head.memory_bank.sample_idx']
    assert bank.shape == (20, ) and (bank >= 0).sum() == 20  # filled
    ptr = after['contrastive_head.memory_bank.ptr'].item()
    # 42 training samples, batch 8 -> 5 full batches enqueued, the last
    # partial batch of 2 dropped (drop_last, as the reference)
    assert ptr == 40 % 20


def test_three_stage_chain(stage1, tmp_path, demo_ann_file):
    stage1_ckpt = stage1['work'] / 'epoch_2.pth'
    config_a = stage2_config(tmp_path, 'a',
                             'stars-3stage-a_1xb32-10e_demo-xsub-keypoint-3d.py',
                             demo_ann_file, stage1_ckpt)
    train(config_a, tmp_path / 'a')
    ckpt_a = tmp_path / 'a' / 'epoch_1.pth'
    encoder_before = state_dict(stage1_ckpt)['state_dict']
    state_a = state_dict(ckpt_a)['state_dict']
    assert all(
        torch.equal(state_a[k], v) for k, v in encoder_before.items()
        if k.startswith('backbone.'))  # step (a) leaves the encoder alone
    config_b = stage2_config(
        tmp_path, 'b', 'stars-3stage-b_1xb32-10e_demo-xsub-keypoint-3d.py',
        demo_ann_file, None, extra=f"load_from = '{ckpt_a}'")
    log = train(config_b, tmp_path / 'b')
    assert f'Load checkpoint from {ckpt_a}' in log
    state_b = state_dict(tmp_path / 'b' / 'epoch_1.pth')['state_dict']
    assert not torch.equal(state_b['backbone.blocks.1.attn.qkv.weight'],
                           state_a['backbone.blocks.1.attn.qkv.weight'])
