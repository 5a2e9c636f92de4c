"""The paper's ablations: configs say what they ablate; MoCo and DINO train
end to end through tools/train.py on tiny demo data."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from mmengine.config import Config

ROOT = Path(__file__).parents[2]
ABLATIONS = ROOT / 'configs' / 'stars' / 'ablations'
NTU = sorted(p.name for p in ABLATIONS.glob('*_ntu60-xsub-keypoint-3d.py'))
DEMO = sorted(p.name for p in ABLATIONS.glob('*_demo-xsub-keypoint-3d.py'))


def load(name):
    return Config.fromfile(str(ABLATIONS / name))


def kinds(names):
    # 'stars-bank8192_...' -> 'stars-bank': the values differ in size.
    return {re.sub(r'[\d.]+$', '', n.split('_')[0]) for n in names}


def test_every_ntu60_ablation_has_a_demo_variant():
    assert len(NTU) >= 14
    assert kinds(NTU) == kinds(DEMO)
    assert {'stars-alpha', 'stars-bank', 'stars-bs', 'stars-aug',
            'moco-tune', 'dino-tune', 'dino-local-tune', 'mamp-nnclr-tune',
            'nnclr-scratch', 'mae', 'stars-mae', 'moco-reference-a',
            'moco-reference-b', 'dino-reference-a',
            'dino-reference-b'} == kinds(NTU)


@pytest.mark.parametrize('size', ['4xb32-10e_ntu60', '1xb32-10e_demo'])
def test_layer_decay_bank_and_augmentation(size):
    for alpha in ('0.2', '1.0'):
        cfg = load(f'stars-alpha{alpha}_{size}-xsub-keypoint-3d.py')
        assert cfg.optim_wrapper.paramwise_cfg.layer_decay_rate == \
            float(alpha)
        # the base config's tuned blocks: NTU-60 half, the demo all four
        assert cfg.model.backbone.tune_ratio == {
            '4xb32-10e_ntu60': 0.5, '1xb32-10e_demo': 1.0}[size]
    cfg = load(f'stars-aug_{size}-xsub-keypoint-3d.py')
    view = cfg.train_dataloader.dataset.pipeline[1]
    assert view.type == 'SkeletonMultiView' and view.num_views == 2
    assert [t['type'] for t in view.transforms] == [
        'ValidFrameCropResize', 'RandomSkeletonMirror',
        'RandomSkeletonRotation']


def test_effective_batch_sizes():
    totals = {}
    for name in NTU + DEMO:
        if name.startswith('stars-bs'):
            gpus, per_gpu = name.split('_')[1].split('-')[0].split('xb')
            cfg = load(name)
            assert cfg.train_dataloader.batch_size == int(per_gpu)
            totals.setdefault(name.split('_')[-1], set()).add(
                int(gpus) * int(per_gpu))
    assert totals['ntu60-xsub-keypoint-3d.py'] == {16, 32, 64}  # 128: main
    assert totals['demo-xsub-keypoint-3d.py'] == {16, 64, 128}  # 32: main


def test_moco_and_dino_hyper_parameters():
    moco = load('moco-tune_4xb32-10e_ntu60-xsub-keypoint-3d.py').model
    assert moco.type == 'MomentumSTARSRecognizer' and moco.momentum == 0.999
    head = moco.contrastive_head
    assert (head.type, head.queue_size, head.momentum, head.temperature) == \
        ('MoCoHead', 32768, 0.999, 0.07)
    dino = load('dino-tune_4xb32-10e_ntu60-xsub-keypoint-3d.py').model
    head = dino.contrastive_head
    assert dino.momentum == head.momentum == 0.996
    assert (head.student_temperature, head.teacher_temperature,
            head.koleo_weight, head.num_global_views) == (0.1, 0.04, 0.1, 2)
    assert dino.num_local_views == 0
    local = load('dino-local-tune_4xb16-10e_ntu60-xsub-keypoint-3d.py')
    assert local.model.num_local_views == 2
    assert local.model.local_crop_ratio == (0.4, 0.8)


@pytest.mark.parametrize('size', ['ntu60', 'demo'])
def test_moco_and_dino_as_the_reference_code(size):
    steps = {
        'ntu60': ('4xb32-20e_ntu60', '4xb32-10e_ntu60', 20, 10),
        'demo': ('1xb32-10e_demo', '1xb32-10e_demo', 3, 3)
    }[size]
    for method in ('moco', 'dino'):
        a = load(f'{method}-reference-a_{steps[0]}-xsub-keypoint-3d.py')
        b = load(f'{method}-reference-b_{steps[1]}-xsub-keypoint-3d.py')
        assert (a.train_cfg.max_epochs, b.train_cfg.max_epochs) == steps[2:]
        assert a.model.backbone.tune_ratio == 0.
        assert b.model.backbone.tune_ratio == 0.5
        assert b.optim_wrapper.paramwise_cfg.layer_decay_rate == 0.45
        # MoCo's stage a keeps its STARS config's rate (the demo's is 0.75)
        assert a.optim_wrapper.paramwise_cfg.layer_decay_rate == {
            'moco': 0.45 if size == 'ntu60' else 0.75,
            'dino': 0.65
        }[method]
        assert b.load_from == b.stage_a_checkpoint and \
            f'{method}-reference-a_{steps[0]}' in b.load_from
        optimizer = b.optim_wrapper.optimizer
        assert (optimizer.type, optimizer.lr, optimizer.betas,
                optimizer.weight_decay) == ('AdamW', 1e-3, (0.9, 0.95), 0.01)
        assert b.optim_wrapper.clip_grad == dict(max_norm=3,
                                                 per_parameter=True)
        assert b.param_scheduler == []  # constant lr
        # No augmentation: two identical views of the whole sequence.
        view = b.train_dataloader.dataset.pipeline[1]
        assert view.type == 'SkeletonMultiView' and view.num_views == 2
        assert [(t['type'], t['p_interval']) for t in view.transforms] == \
            [('ValidFrameCropResize', (1.0, ))]
    moco = load(f'moco-reference-b_{steps[1]}-xsub-keypoint-3d.py')
    head = moco.model.contrastive_head
    assert head.shuffle_keys and head.projector.input_norm and \
        not head.projector.hidden_bias
    assert moco.sync_bn == 'torch'
    dino = load(f'dino-reference-b_{steps[1]}-xsub-keypoint-3d.py')
    head = dino.model.contrastive_head
    assert (head.projector.type, head.projector.out_channels,
            head.koleo_input, head.koleo_chunks, head.koleo_weight,
            head.sinkhorn_global_batch) == \
        ('NormalizedLinearProjector', 128, 'head', 4, 0.1, False)
    assert dict(type='CosineMomentumHook', start=0.996, end=1.) in \
        dino.custom_hooks


def test_stage_ablations():
    both = load('mamp-nnclr-tune_4xb32-10e_ntu60-xsub-keypoint-3d.py').model
    assert both.contrastive_head.type == 'NNCLRHead'
    assert both.mamp_head.decoder.depth == 3
    assert both.mamp_head.init_cfg.prefix == 'mamp_head.'
    scratch = load('nnclr-scratch_4xb32-300e_ntu60-xsub-keypoint-3d.py')
    assert scratch.model.backbone.init_cfg is None
    assert scratch.train_cfg.max_epochs == 300
    assert scratch.model.backbone.tune_ratio == 1.0
    mae = load('mae_4xb32-400e_ntu60-xsub-keypoint-3d.py').model
    assert mae.mamp_head.target == 'coordinates'
    assert mae.backbone.motion_aware_tau == 0.


TINY = """
_base_ = ['{base}']
# Half the encoder tunes (the demo's STARS recipe tunes all of it), so the
# test sees a frozen block next to a tuned one.
model = dict(
    backbone=dict(embed_dims=32, depth=2, num_heads=2, tune_ratio=0.5,
                  init_cfg=None),
    contrastive_head=dict(in_channels=32, hidden_channels=32, {head}))
train_dataloader = dict(batch_size=8, num_workers=0,
                        persistent_workers=False,
                        dataset=dict(ann_file='{ann}', subset_ratio=0.5))
train_cfg = dict(max_epochs=1)
default_hooks = dict(logger=dict(interval=1))
load_from = None
"""


@pytest.mark.parametrize('name,head,loss', [
    ('moco-tune_1xb32-10e_demo-xsub-keypoint-3d.py',
     'out_channels=16, queue_size=32', 'loss_moco'),
    ('dino-local-tune_1xb16-10e_demo-xsub-keypoint-3d.py',
     'bottleneck_channels=16, num_prototypes=32', 'loss_koleo'),
    ('moco-reference-b_1xb32-10e_demo-xsub-keypoint-3d.py',
     'out_channels=32, queue_size=32, projector=dict(in_channels=32, '
     'hidden_channels=16, out_channels=32)', 'loss_moco'),
    ('dino-reference-b_1xb32-10e_demo-xsub-keypoint-3d.py',
     'projector=dict(in_channels=32, out_channels=16)', 'teacher_momentum'),
])
def test_momentum_tuning_trains_end_to_end(tmp_path, demo_ann_file, name,
                                           head, loss):
    config = tmp_path / 'tiny.py'
    config.write_text(
        TINY.format(base=ABLATIONS / name, head=head, ann=demo_ann_file))
    env = dict(os.environ, PYTHONWARNINGS='ignore')
    result = subprocess.run(
        [sys.executable, str(ROOT / 'tools' / 'train.py'), str(config),
         '--work-dir', str(tmp_path), '--seed', '0'],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-3000:]
    assert loss in log
    state = torch.load(tmp_path / 'epoch_1.pth', map_location='cpu',
                       weights_only=False)['state_dict']
    online = state['backbone.blocks.1.mlp.fc2.weight']
    ema = state['momentum_backbone.module.blocks.1.mlp.fc2.weight']
    frozen = state['backbone.blocks.0.mlp.fc2.weight']
    # The tuned block moved and its momentum copy trails it; the frozen
    # first half is identical in both.
    assert not torch.equal(online, ema)
    torch.testing.assert_close(
        frozen, state['momentum_backbone.module.blocks.0.mlp.fc2.weight'])
