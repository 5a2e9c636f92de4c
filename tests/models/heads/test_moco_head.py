import math

import pytest
import torch
import torch.nn.functional as F
from mmaction.structures import ActionDataSample

from stars_mmaction.models.heads import MoCoHead


def make_head(**kwargs):
    cfg = dict(in_channels=8, hidden_channels=16, out_channels=4,
               queue_size=6)
    cfg.update(kwargs)
    return MoCoHead(**cfg)


def samples(n):
    return [ActionDataSample() for _ in range(n)]


def test_infonce_matches_hand_computation():
    head = make_head(out_channels=2, queue_size=2, temperature=0.5)
    head.queue.copy_(torch.tensor([[0., 1.], [-1., 0.]]))
    q = torch.tensor([[1., 0.]])
    k = torch.tensor([[1., 0.]])
    # logits [1, 0, -1] / 0.5 = [2, 0, -2], label 0.
    expected = -math.log(math.exp(2) / (math.exp(2) + 1 + math.exp(-2)))
    assert head.infonce(q, k).item() == pytest.approx(expected, rel=1e-6)


def test_momentum_projector_is_an_ema_of_the_projector():
    head = make_head(momentum=0.9)
    feats = torch.randn(4, 2, 8)
    head.loss(feats, feats.clone(), samples(4))  # first update: a copy
    online = head.projector[0].weight
    ema = head.momentum_projector.module[0].weight
    torch.testing.assert_close(ema, online)
    before = ema.clone()
    with torch.no_grad():
        online.add_(1.)
    head.loss(feats, feats.clone(), samples(4))
    torch.testing.assert_close(ema, 0.9 * before + 0.1 * online)
    assert not ema.requires_grad


def test_loss_uses_query_view0_against_key_view1_and_enqueues_keys():
    head = make_head()
    feats = torch.randn(4, 2, 8, requires_grad=True)
    momentum_feats = torch.randn(4, 2, 8)
    queue = head.queue.clone()
    losses = head.loss(feats, momentum_feats, samples(4))
    # Recompute with the same (copied) projector weights, BN in train mode.
    q = F.normalize(head.projector(feats.detach()[:, 0]), dim=1)
    k = F.normalize(head.momentum_projector(momentum_feats[:, 1]), dim=1)
    logits = torch.cat([(q * k).sum(1, keepdim=True), q @ queue.t()], 1)
    expected = F.cross_entropy(logits / 0.07, torch.zeros(4).long())
    assert losses['loss_moco'].item() == pytest.approx(expected.item(),
                                                       rel=1e-4)
    losses['loss_moco'].backward()
    assert feats.grad[:, 0].abs().sum() > 0
    assert feats.grad[:, 1].abs().sum() == 0  # not symmetric
    # Keys went to rows 0..3, the pointer moved on and wraps around.
    torch.testing.assert_close(head.queue[:4], k)
    torch.testing.assert_close(head.queue[4:], queue[4:])
    assert int(head.queue_ptr) == 4
    head.loss(feats.detach(), momentum_feats, samples(4))
    assert int(head.queue_ptr) == 2


def test_symmetric_loss_trains_both_views():
    head = make_head(symmetric=True)
    feats = torch.randn(4, 2, 8, requires_grad=True)
    head.loss(feats, torch.randn(4, 2, 8), samples(4))['loss_moco'].backward()
    assert feats.grad[:, 1].abs().sum() > 0


def test_rejects_one_view_and_bad_arguments():
    head = make_head()
    with pytest.raises(ValueError, match='two augmented views'):
        head.loss(torch.randn(4, 1, 8), torch.randn(4, 1, 8), samples(4))
    with pytest.raises(ValueError, match='momentum'):
        make_head(momentum=1.)
