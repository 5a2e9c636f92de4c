"""The batched-data-path configs train through tools/train.py."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from mmengine.config import Config

ROOT = Path(__file__).parents[2]
CONFIGS = ROOT / 'configs' / 'stars'
STAGE1 = 'mamp_4xb32-400e_ntu60-xsub-batched-keypoint-3d.py'
STAGE2 = 'stars_4xb32-10e_ntu60-xsub-batched-keypoint-3d.py'
TINY = [
    'clip_len=16', 'model.data_preprocessor.clip_len=16',
    'model.backbone.num_frames=16', 'model.backbone.embed_dims=32',
    'model.backbone.depth=2', 'model.backbone.num_heads=2',
    'train_dataloader.batch_size=8', 'train_dataloader.num_workers=0',
    'train_dataloader.persistent_workers=False', 'train_cfg.max_epochs=1',
    'default_hooks.logger.interval=1', 'param_scheduler=[]'
]
TINY_STAGE = {
    STAGE1: [
        'model.mamp_head.decoder.num_frames=16',
        'model.mamp_head.decoder.embed_dims=32',
        'model.mamp_head.decoder.decoder_embed_dims=32',
        'model.mamp_head.decoder.num_heads=2'
    ],
    STAGE2: [
        'model.backbone.init_cfg=None', 'model.contrastive_head.in_channels=32',
        'model.contrastive_head.hidden_channels=64',
        'model.contrastive_head.bank_size=20'
    ],
}


@pytest.mark.parametrize('name,per_sample', [
    (STAGE1, 'mamp_4xb32-400e_ntu60-xsub-keypoint-3d.py'),
    (STAGE2, 'stars_4xb32-10e_ntu60-xsub-keypoint-3d.py')
])
def test_config_switches_only_the_data_path(name, per_sample):
    batched, reference = (Config.fromfile(str(CONFIGS / n))
                          for n in (name, per_sample))
    types = [t['type'] for t in batched.train_dataloader.dataset.pipeline]
    assert types == ['PadRawSkeleton', 'FormatGCNInput', 'PackActionInputs']
    assert batched.model.data_preprocessor.pre_normalize is True
    assert batched.model.data_preprocessor.clip_len == batched.clip_len
    crop = reference.train_dataloader.dataset.pipeline[1]
    assert crop.type == 'ValidFrameCropResize'
    assert batched.model.data_preprocessor.p_interval == crop.p_interval
    batched.model.pop('data_preprocessor')
    assert batched.model == reference.model
    assert batched.optim_wrapper == reference.optim_wrapper


@pytest.mark.parametrize('name,loss', [(STAGE1, 'loss_mamp'),
                                       (STAGE2, 'loss_nnclr')])
def test_batched_config_trains(name, loss, demo_ann_file, tmp_path):
    options = TINY + TINY_STAGE[name] + [
        f'train_dataloader.dataset.ann_file={demo_ann_file}',
        f'ann_file={demo_ann_file}'
    ]
    result = subprocess.run(
        [sys.executable, str(ROOT / 'tools' / 'train.py'),
         str(CONFIGS / name), '--work-dir', str(tmp_path), '--seed', '0',
         '--cfg-options', *options],
        cwd=ROOT, env=dict(os.environ, PYTHONWARNINGS='ignore'),
        capture_output=True, text=True, timeout=300)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-3000:]
    assert f'{loss}: ' in log and (tmp_path / 'epoch_1.pth').exists()
