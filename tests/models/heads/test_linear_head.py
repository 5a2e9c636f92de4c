import glob
import json
import os
import subprocess
import sys
from pathlib import Path

import torch
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from mmengine.optim import OptimWrapper
from mmengine.registry import DefaultScope

ROOT = Path(__file__).parents[3]


def build_linear_model(tiny_encoder_cfg, num_classes=5):
    with DefaultScope.overwrite_default_scope('mmaction'):
        return MODELS.build(
            dict(type='RecognizerGCN',
                 backbone=dict(tiny_encoder_cfg, tune_ratio=0.),
                 cls_head=dict(type='BNLinearHead',
                               num_classes=num_classes,
                               in_channels=32)))


def batch(num=6, num_classes=5):
    inputs = torch.randn(num, 1, 2, 16, 25, 3)
    samples = [
        ActionDataSample().set_gt_label(i % num_classes) for i in range(num)
    ]
    return inputs, samples


def test_head_pools_then_standardises_then_classifies():
    head = MODELS.build(dict(type='BNLinearHead', num_classes=4,
                             in_channels=8))
    head.init_weights()
    head.eval()
    x = torch.randn(3, 2, 8, 5, 25)
    pooled = x.mean(dim=(1, 3, 4))
    expected = head.fc_cls(pooled / (1 + 1e-6)**0.5)  # fresh running stats
    assert torch.allclose(head(x), expected, atol=1e-6)
    assert not any(p.requires_grad for p in head.bn.parameters())
    assert head.bn.weight is None  # affine=False


def test_encoder_receives_no_gradient_and_stays_unchanged(tiny_encoder_cfg):
    model = build_linear_model(tiny_encoder_cfg)
    model.init_weights()
    model.train()
    assert not model.backbone.training  # frozen encoder stays in eval mode
    before = {k: v.clone() for k, v in model.backbone.state_dict().items()}
    head_before = model.cls_head.fc_cls.weight.clone()
    inputs, samples = batch()
    model(inputs, samples, mode='loss')['loss_cls'].backward()
    assert all(p.grad is None for p in model.backbone.parameters())
    assert model.cls_head.fc_cls.weight.grad.abs().sum() > 0
    optim = OptimWrapper(
        torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9))
    for _ in range(2):
        losses = model(inputs, samples, mode='loss')
        optim.update_params(losses['loss_cls'])
    for key, value in model.backbone.state_dict().items():
        assert torch.equal(value, before[key]), key
    assert not torch.equal(model.cls_head.fc_cls.weight, head_before)


def test_linear_demo_config_trains_and_tests_through_the_tools(
        tmp_path, demo_ann_file):
    """tools/train.py then tools/test.py on tiny data, 1 epoch."""
    encoder = MODELS.build(
        dict(type='MAMPEncoder',
             embed_dims=64,
             depth=4,
             num_heads=4,
             num_frames=24))
    ckpt = tmp_path / 'stage1.pth'
    torch.save(
        {
            'state_dict': {
                'backbone.' + k: v
                for k, v in encoder.state_dict().items()
            }
        }, ckpt)
    config = ROOT / ('configs/stars/eval/'
                     'linear_1xb32-10e_demo-xsub-keypoint-3d.py')
    options = [
        f'model.backbone.init_cfg.checkpoint={ckpt}',
        f'train_dataloader.dataset.ann_file={demo_ann_file}',
        'train_dataloader.num_workers=0', 'train_cfg.max_epochs=1',
        'default_hooks.checkpoint.interval=1'
    ]
    test_options = [
        f'test_dataloader.dataset.ann_file={demo_ann_file}',
        'test_dataloader.num_workers=0'
    ]
    env = dict(os.environ, PYTHONWARNINGS='ignore')
    work_dir = tmp_path / 'linear'
    result = subprocess.run([
        sys.executable,
        str(ROOT / 'tools/train.py'),
        str(config), '--work-dir',
        str(work_dir), '--no-validate', '--cfg-options', *options
    ],
                            cwd=ROOT,
                            env=env,
                            capture_output=True,
                            text=True,
                            timeout=120)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-3000:]
    assert f'load backbone. in model from: {ckpt} (strict)' in log
    trained = torch.load(work_dir / 'epoch_1.pth', weights_only=False)
    for key, value in encoder.state_dict().items():
        assert torch.equal(trained['state_dict']['backbone.' + key], value)

    result = subprocess.run([
        sys.executable,
        str(ROOT / 'tools/test.py'),
        str(config),
        str(work_dir / 'epoch_1.pth'), '--work-dir',
        str(tmp_path / 'test'), '--cfg-options', *test_options
    ],
                            cwd=ROOT,
                            env=env,
                            capture_output=True,
                            text=True,
                            timeout=120)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    (path, ) = glob.glob(str(tmp_path / 'test' / '*' / '*.json'))
    metrics = json.loads(Path(path).read_text())
    assert 0 <= metrics['acc/top1'] <= metrics['acc/top5'] <= 1
