import math
import os
import subprocess
import sys
from pathlib import Path

import torch
import torch.nn.functional as F
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample

ROOT = Path(__file__).parents[3]


def build_head(**kwargs):
    cfg = dict(type='FinetuneHead',
               num_classes=5,
               in_channels=8,
               num_joints=25,
               hidden_dims=16)
    cfg.update(kwargs)
    return MODELS.build(cfg)


def test_head_follows_the_reference_pooling_order():
    head = build_head().eval()
    x = torch.randn(3, 2, 8, 4, 25)  # (N, M, C, T, V)
    # Reference: (N, M, T, V, C) -> mean over T -> (N, M, V*C) -> mean M.
    ref = x.permute(0, 1, 3, 4, 2).mean(dim=2).reshape(3, 2, -1).mean(dim=1)
    expected = head.fc_cls(F.relu(head.bn(head.fc1(ref))))
    assert torch.allclose(head(x), expected, atol=1e-6)


def test_label_smoothing_loss():
    head = build_head(label_smooth_eps=0.1)
    scores = torch.randn(4, 5)
    samples = [ActionDataSample().set_gt_label(i) for i in range(4)]
    loss = head.loss_by_feat(scores, samples)['loss_cls']
    logp = scores.log_softmax(dim=1)
    expected = -(0.9 * logp[torch.arange(4), torch.arange(4)] +
                 0.1 * logp.mean(dim=1)).mean()
    assert torch.allclose(loss, expected, atol=1e-6)


def test_wrong_token_shape_is_an_error():
    head = build_head()
    try:
        head(torch.randn(2, 2, 8, 4, 17))
    except ValueError as err:
        assert '(N, M, 8, T, 25)' in str(err)
    else:
        raise AssertionError('expected a ValueError')


def test_finetune_demo_config_trains_through_the_tools(tmp_path,
                                                       demo_ann_file):
    """1 epoch of the demo fine-tuning recipe through tools/train.py."""
    encoder = MODELS.build(
        dict(type='MAMPEncoder',
             embed_dims=64,
             depth=4,
             num_heads=4,
             num_frames=24))
    ckpt = tmp_path / 'stage2.pth'
    torch.save(
        {
            'state_dict': {
                'backbone.' + k: v
                for k, v in encoder.state_dict().items()
            }
        }, ckpt)
    config = ROOT / ('configs/stars/eval/'
                     'finetune_1xb16-10e_demo-xsub-keypoint-3d.py')
    result = subprocess.run([
        sys.executable,
        str(ROOT / 'tools/train.py'),
        str(config), '--work-dir',
        str(tmp_path / 'ft'), '--cfg-options',
        f'model.backbone.init_cfg.checkpoint={ckpt}',
        f'train_dataloader.dataset.ann_file={demo_ann_file}',
        f'val_dataloader.dataset.ann_file={demo_ann_file}',
        'train_dataloader.num_workers=0', 'val_dataloader.num_workers=0',
        'train_cfg.max_epochs=1', 'train_cfg.val_interval=1'
    ],
                            cwd=ROOT,
                            env=dict(os.environ, PYTHONWARNINGS='ignore'),
                            capture_output=True,
                            text=True,
                            timeout=120)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-3000:]
    assert 'acc/top1' in log
    # Layer decay 0.8 over 4 blocks: the embeddings train at 0.8 ** 5.
    trained = torch.load(tmp_path / 'ft' / 'epoch_1.pth', weights_only=False)
    groups = trained['optimizer']['param_groups']
    scales = {g['param_name']: g['lr_scale'] for g in groups}
    assert math.isclose(scales['backbone.pos_embed'], 0.8**5)
    assert math.isclose(scales['cls_head.fc_cls.weight'], 1.0)
    decays = {g['param_name']: g['weight_decay'] for g in groups}
    assert decays['backbone.temp_embed'] == 0.05  # 4-D: decayed (reference)
    assert decays['backbone.blocks.0.attn.qkv.weight'] == 0.05
