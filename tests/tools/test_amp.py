"""``tools/train.py --amp``: bfloat16 autocast on CPU, stage 1 and stage 2."""
import importlib.util
import json
import sys
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).parents[2]
CONFIG = """
_base_ = ['{base}']
train_dataloader = dict(
    batch_size=8, num_workers=0, persistent_workers=False,
    dataset=dict(ann_file='{ann_file}', pipeline=[
        dict(type='PreNormalize3D', align_spine=False, align_shoulder=False),
        dict(type='ValidFrameCropResize', clip_len=16, p_interval=(0.5, 1)),
        dict(type='FormatGCNInput', num_person=2),
        dict(type='PackActionInputs', meta_keys=('frame_dir', 'sample_idx'))
    ]))
train_cfg = dict(max_epochs=1)
default_hooks = dict(logger=dict(interval=1))
{model}
"""
STAGE1 = """
model = dict(
    backbone=dict(embed_dims=32, depth=2, num_heads=2, num_frames=16),
    mamp_head=dict(decoder=dict(embed_dims=32, decoder_embed_dims=32,
                                num_heads=2, num_frames=16)))
param_scheduler = []
"""
STAGE2 = """
model = dict(
    backbone=dict(embed_dims=32, depth=2, num_heads=2, num_frames=16,
                  init_cfg=dict(checkpoint='{stage1}')),
    contrastive_head=dict(in_channels=32, hidden_channels=64, bank_size=20))
"""


def train_in_process(monkeypatch, config, work_dir, *args):
    spec = importlib.util.spec_from_file_location('train_tool',
                                                  ROOT / 'tools/train.py')
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    monkeypatch.setattr(sys, 'argv', [
        'train.py',
        str(config), '--work-dir',
        str(work_dir), '--seed', '0', *args
    ])
    tool.main()
    scalars = next(Path(work_dir).glob('*/vis_data/scalars.json'))
    return [json.loads(line) for line in scalars.read_text().splitlines()]


@pytest.fixture
def stage1_checkpoint(tmp_path):
    from stars_mmaction.models.backbones import MAMPEncoder
    encoder = MAMPEncoder(embed_dims=32, depth=2, num_heads=2, num_frames=16)
    encoder.init_weights()
    path = tmp_path / 'stage1.pth'
    torch.save(
        dict(state_dict={
            f'backbone.{k}': v
            for k, v in encoder.state_dict().items()
        }), path)
    return path


@pytest.mark.parametrize('stage', ['stage1', 'stage2'])
def test_amp_trains_without_non_finite_values(stage, tmp_path, monkeypatch,
                                              demo_ann_file,
                                              stage1_checkpoint):
    base, model, loss = dict(
        stage1=('mamp_1xb32-40e_demo-xsub-keypoint-3d.py', STAGE1,
                'loss_mamp'),
        stage2=('stars_1xb32-10e_demo-xsub-keypoint-3d.py',
                STAGE2.format(stage1=stage1_checkpoint), 'loss_nnclr'))[stage]
    config = tmp_path / 'config.py'
    config.write_text(
        CONFIG.format(base=ROOT / 'configs/stars' / base,
                      ann_file=demo_ann_file,
                      model=model))
    work = tmp_path / 'work'
    records = train_in_process(monkeypatch, config, work, '--amp')
    losses = [r[loss] for r in records if loss in r]
    # 42 samples, batch 8: 6 iterations; stage 2 drops the last partial one
    assert len(losses) == (5 if loss == 'loss_nnclr' else 6)
    assert all(torch.isfinite(torch.tensor(losses)))
    dumped = (work / 'config.py').read_text()
    assert "type='BF16AutocastOptimWrapper'" in dumped
    state = torch.load(work / 'epoch_1.pth',
                       map_location='cpu',
                       weights_only=False)['state_dict']
    assert all(v.isfinite().all() for v in state.values()
               if v.is_floating_point())
    assert all(v.dtype != torch.bfloat16 for v in state.values())
