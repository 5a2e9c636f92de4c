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
    head.memory_bank.bank.copy_(torch.tensor([[0., 1.], [-1., 0.]]))
    q = torch.tensor([[1., 0.]])
    k = torch.tensor([[1., 0.]])
    # logits [1, 0, -1] / 0.5 = [2, 0, -2], label 0.
    expected = -math.log(math.exp(2) / (math.exp(2) + 1 + math.exp(-2)))
    assert head.infonce(q, k).item() == pytest.approx(expected, rel=1e-6)


def test_momentum_projector_is_an_ema_of_the_projector():
    head = make_head(momentum=0.9)
    feats = torch.randn(4, 2, 8)
    head.loss(feats, samples(4), feats.clone())  # first update: a copy
    online = head.projector[0].weight
    ema = head.momentum_projector.module[0].weight
    torch.testing.assert_close(ema, online)
    before = ema.clone()
    with torch.no_grad():
        online.add_(1.)
    head.loss(feats, samples(4), feats.clone())
    torch.testing.assert_close(ema, 0.9 * before + 0.1 * online)
    assert not ema.requires_grad


def test_loss_uses_query_view0_against_key_view1_and_enqueues_keys():
    head = make_head()
    feats = torch.randn(4, 2, 8, requires_grad=True)
    momentum_feats = torch.randn(4, 2, 8)
    queue = head.memory_bank.bank.clone()
    losses = head.loss(feats, samples(4), momentum_feats)
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
    # Keys went to rows 0..3 of the shared FIFO bank, the pointer moved on.
    bank = head.memory_bank
    torch.testing.assert_close(bank.bank[:4], k)
    torch.testing.assert_close(bank.bank[4:], queue[4:])
    assert int(bank.ptr) == 4


def test_queue_wraps_around_and_keeps_sample_indices():
    head = make_head()  # queue_size 6, batch 4
    bank = head.memory_bank
    momentum_feats = torch.randn(4, 2, 8)

    def step(first_idx):
        batch = samples(4)
        for i, sample in enumerate(batch):
            sample.set_metainfo(dict(sample_idx=first_idx + i))
        head.loss(torch.randn(4, 2, 8), batch, momentum_feats)
        with torch.no_grad():  # the keys of this step, as the head makes them
            return F.normalize(head.momentum_projector(momentum_feats[:, 1]),
                               dim=1)

    keys0 = step(10)
    keys1 = step(20)
    # FIFO: rows 4, 5 then 0, 1 got the second batch; 2, 3 keep the first
    torch.testing.assert_close(bank.bank[[4, 5, 0, 1]], keys1)
    torch.testing.assert_close(bank.bank[[2, 3]], keys0[2:])
    assert bank.sample_idx.tolist() == [22, 23, 12, 13, 20, 21]
    assert bank.ptr.dim() == 0 and int(bank.ptr) == 2
    # the queue is in the state dict (checkpoints), under the bank's names
    state = head.state_dict()
    assert torch.equal(state['memory_bank.bank'], bank.bank)
    assert int(state['memory_bank.ptr']) == 2


def test_symmetric_loss_trains_both_views():
    head = make_head(symmetric=True)
    feats = torch.randn(4, 2, 8, requires_grad=True)
    head.loss(feats, samples(4), torch.randn(4, 2, 8))['loss_moco'].backward()
    assert feats.grad[:, 1].abs().sum() > 0


def test_rejects_one_view_and_bad_arguments():
    head = make_head()
    with pytest.raises(ValueError, match='two augmented views'):
        head.loss(torch.randn(4, 1, 8), samples(4), torch.randn(4, 1, 8))
    with pytest.raises(ValueError, match='MomentumSTARSRecognizer'):
        head.loss(torch.randn(4, 2, 8), samples(4))
    with pytest.raises(ValueError, match='momentum'):
        make_head(momentum=1.)
