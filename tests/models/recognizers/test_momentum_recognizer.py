import pytest
import torch
import torch.nn.functional as F
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample


def build(tiny_encoder_cfg, head, **kwargs):
    return MODELS.build(
        dict(type='MomentumSTARSRecognizer', backbone=tiny_encoder_cfg,
             contrastive_head=head, **kwargs))


MOCO = dict(type='MoCoHead', in_channels=32, hidden_channels=32,
            out_channels=8, queue_size=16)
DINO = dict(type='DINOHead', in_channels=32, hidden_channels=32,
            bottleneck_channels=8, num_prototypes=16)


def samples(n):
    return [ActionDataSample() for _ in range(n)]


def test_momentum_encoder_copies_then_averages(tiny_encoder_cfg):
    model = build(tiny_encoder_cfg, MOCO, momentum=0.99)
    inputs = torch.randn(3, 2, 2, 16, 25, 3)
    model.loss(inputs, samples(3))
    online = model.backbone.joints_embed.proj.weight
    ema = model.momentum_backbone.module.joints_embed.proj.weight
    torch.testing.assert_close(ema, online)
    before = ema.clone()
    with torch.no_grad():
        online.add_(0.5)
    model.loss(inputs, samples(3))
    torch.testing.assert_close(ema, 0.99 * before + 0.01 * online)


def test_moco_loss_trains_the_online_encoder_only(tiny_encoder_cfg):
    model = build(tiny_encoder_cfg, MOCO)
    losses = model.loss(torch.randn(3, 2, 2, 16, 25, 3), samples(3))
    losses['loss_moco'].backward()
    assert model.backbone.blocks[-1].mlp.fc2.weight.grad is not None
    assert all(p.grad is None for p in model.momentum_backbone.parameters())


def test_dino_local_views_go_to_the_student_only(tiny_encoder_cfg):
    model = build(tiny_encoder_cfg, DINO, momentum=0.996, num_local_views=2)
    seen = {}
    original = model.contrastive_head.loss

    def spy(feats, data_samples, momentum_feats=None):
        seen['student'], seen['teacher'] = feats.shape, momentum_feats.shape
        return original(feats, data_samples, momentum_feats)

    model.contrastive_head.loss = spy
    losses = model.loss(torch.randn(3, 2, 2, 16, 25, 3), samples(3))
    assert seen == dict(student=(3, 4, 32), teacher=(3, 2, 32))
    assert torch.isfinite(losses['loss_dino'])


def test_local_views_are_resized_windows(tiny_encoder_cfg):
    model = build(tiny_encoder_cfg, DINO, num_local_views=3,
                  local_crop_ratio=(0.5, 0.5))
    # Channel 0 is the frame index / 15, so a view's first frame tells
    # where its 8-frame window starts.
    inputs = torch.randn(4, 2, 2, 16, 25, 3)
    inputs[..., 0] = (torch.arange(16.) / 15).view(1, 1, 1, 16, 1)
    local = model.make_local_views(inputs)
    assert local.shape == (4, 3, 2, 16, 25, 3)
    for b in range(4):
        for n in range(3):
            view = local[b, n]
            start = int(round(float(view[0, 0, 0, 0]) * 15))
            source = [s for s in range(2) if torch.allclose(
                view[..., 1:], F.interpolate(
                    inputs[b, s, :, start:start + 8].permute(0, 2, 3, 1)
                    .reshape(2, 75, 8), size=16, mode='linear',
                    align_corners=False).reshape(2, 25, 3, 16)
                .permute(0, 3, 1, 2)[..., 1:], atol=1e-5)]
            assert len(source) == 1  # a resized window of a global view


def test_predict_uses_the_online_encoder(tiny_encoder_cfg):
    model = build(tiny_encoder_cfg, MOCO).eval()
    out = model.predict(torch.randn(2, 1, 2, 16, 25, 3), samples(2))
    assert out[0].feature.shape == (32, )


def test_requires_a_head(tiny_encoder_cfg):
    with pytest.raises(ValueError, match='contrastive_head'):
        build(tiny_encoder_cfg, None)
