import pytest
import torch
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

    def spy(feats, teacher_feats, data_samples):
        seen['student'], seen['teacher'] = feats.shape, teacher_feats.shape
        return original(feats, teacher_feats, data_samples)

    model.contrastive_head.loss = spy
    losses = model.loss(torch.randn(3, 2, 2, 16, 25, 3), samples(3))
    assert seen == dict(student=(3, 4, 32), teacher=(3, 2, 32))
    assert torch.isfinite(losses['loss_dino'])


def test_local_views_are_resized_windows(tiny_encoder_cfg):
    model = build(tiny_encoder_cfg, DINO, num_local_views=1,
                  local_crop_ratio=(0.5, 0.5))
    # A ramp over time: a half-length window resized back to 16 frames
    # spans half the ramp's range.
    ramp = torch.linspace(0, 1, 16).view(1, 1, 1, 16, 1, 1)
    inputs = ramp.expand(2, 2, 2, 16, 25, 3).contiguous()
    local = model.make_local_views(inputs)
    assert local.shape == (2, 1, 2, 16, 25, 3)
    span = local[..., 0, 0].amax(-1) - local[..., 0, 0].amin(-1)
    torch.testing.assert_close(span, torch.full_like(span, 7 / 15))


def test_predict_uses_the_online_encoder(tiny_encoder_cfg):
    model = build(tiny_encoder_cfg, MOCO).eval()
    out = model.predict(torch.randn(2, 1, 2, 16, 25, 3), samples(2))
    assert out[0].feature.shape == (32, )


def test_requires_a_head(tiny_encoder_cfg):
    with pytest.raises(ValueError, match='contrastive_head'):
        build(tiny_encoder_cfg, None)
