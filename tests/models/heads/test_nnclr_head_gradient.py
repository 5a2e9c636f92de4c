"""The configured NNCLR loss back-propagates the reference code's gradient.

The reference's view 1 passes through a no-grad un-shuffle, so of its
symmetric loss ``0.5 * (L(nn0, p1) + L(nn1, p0))`` only ``L(nn1, p0)``
carries a gradient (design notes section 3). The hand computations below
write BatchNorm, the predictor, the nearest-neighbour lookup and the
cross-entropy out in float64 on the head's own parameters.
"""
import os.path as osp

import pytest
import torch
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from mmengine.config import Config

REPO = osp.dirname(osp.dirname(osp.dirname(osp.dirname(__file__))))
C, H, B, K, TEMP = 8, 16, 4, 16, 0.07
IDS = torch.tensor([3, 5, 7, 9])


def build_head(loss_form=None):
    """The contrastive head of the stage-2 base config, at tiny width."""
    cfg = Config.fromfile(osp.join(REPO, 'configs/_base_/models/stars.py'))
    head_cfg = dict(cfg.model.contrastive_head, in_channels=C,
                    hidden_channels=H, bank_size=K)
    if loss_form is not None:
        head_cfg['loss_form'] = loss_form
    torch.manual_seed(0)
    head = MODELS.build(head_cfg).double().train()
    torch.manual_seed(1)
    bank = torch.nn.functional.normalize(torch.randn(K, C), dim=1)
    head.memory_bank.bank.copy_(bank)
    # entries K-4.. belong to the batch's own samples: excluded in lookups
    head.memory_bank.sample_idx.copy_(
        torch.cat([torch.arange(100, 100 + K - B), IDS]))
    return head


def hand_bn(x, bn):
    var = x.var(0, unbiased=False)
    return (x - x.mean(0)) / torch.sqrt(var + bn.eps) * bn.weight + bn.bias


def hand_project(head, y):
    z = hand_bn(y, head.projector[0])
    hidden = torch.relu(hand_bn(z @ head.predictor[0].weight.T,
                                head.predictor[1]))
    p = hidden @ head.predictor[3].weight.T + head.predictor[3].bias
    return z / z.norm(dim=1, keepdim=True), p / p.norm(dim=1, keepdim=True)


def hand_nn(head, z):
    bank = head.memory_bank.bank.clone()
    sims = z.detach() @ bank.T
    sims[head.memory_bank.sample_idx[None] == IDS[:, None]] = -1
    return bank[sims.argmax(dim=1)]


def hand_ce(nn_feat, p):
    logits = nn_feat @ p.T / TEMP
    return (logits.logsumexp(dim=1) - logits.diagonal()).mean()


def hand_terms(head, feats):
    """``L(nn0, p1)`` and ``L(nn1, p0)``, both with their full gradient."""
    z0, p0 = hand_project(head, feats[:, 0])
    z1, p1 = hand_project(head, feats[:, -1])
    return hand_ce(hand_nn(head, z0), p1), hand_ce(hand_nn(head, z1), p0)


def grads(head, feats, loss):
    """Gradient on the view features and every head parameter, flattened."""
    params = [feats] + list(head.parameters())
    out = torch.autograd.grad(loss, params, allow_unused=True,
                              retain_graph=True)
    return torch.cat([(torch.zeros_like(p) if g is None else g).flatten()
                      for p, g in zip(params, out)])


def configured(head, feats):
    samples = [ActionDataSample(metainfo=dict(sample_idx=int(i)))
               for i in IDS]
    return head.loss(feats, samples)['loss_nnclr']


def make_feats(num_views, identical):
    torch.manual_seed(2)
    feats = torch.randn(B, 1 if identical else num_views, C,
                        dtype=torch.float64)
    if identical and num_views == 2:
        feats = feats.repeat(1, 2, 1)
    return feats.requires_grad_()


@pytest.mark.parametrize('num_views', [1, 2])
def test_default_gradient_is_reference_for_identical_views(num_views):
    head = build_head()
    assert head.loss_form == 'reference'
    feats = make_feats(num_views, identical=True)
    term_a, term_b = hand_terms(head, feats)
    expected_value = 0.5 * (term_a + term_b)
    expected = 0.5 * grads(head, feats, term_b)

    loss = configured(head, feats)
    torch.testing.assert_close(loss, expected_value.detach(), rtol=1e-12,
                               atol=0)
    got = grads(head, feats, loss)
    torch.testing.assert_close(got, expected, rtol=1e-9, atol=1e-12)
    # Algorithm 1's loss on the same view: exactly twice the reference's
    one_view = build_head('one_view')
    single = make_feats(1, identical=True)
    doubled = grads(one_view, single, configured(one_view, single))
    torch.testing.assert_close(doubled[single.numel():],
                               2 * got[feats.numel():], rtol=1e-9,
                               atol=1e-12)


def test_default_gradient_is_reference_for_two_views():
    head = build_head()
    feats = make_feats(2, identical=False)
    term_a, term_b = hand_terms(head, feats)
    assert not torch.isclose(term_a, term_b)
    expected = 0.5 * grads(head, feats, term_b)

    loss = configured(head, feats)
    torch.testing.assert_close(loss, (0.5 * (term_a + term_b)).detach(),
                               rtol=1e-12, atol=0)
    got = grads(head, feats, loss)
    torch.testing.assert_close(got, expected, rtol=1e-9, atol=1e-12)
    # view 1 receives no gradient at all
    assert not got[:feats.numel()].view(B, 2, C)[:, 1].any()

    # the full symmetric form: both terms, another direction
    full = build_head('symmetric')
    sym = grads(full, feats, configured(full, feats))
    torch.testing.assert_close(
        sym, 0.5 * (grads(head, feats, term_a) + grads(head, feats, term_b)),
        rtol=1e-9, atol=1e-12)
    cosine = torch.nn.functional.cosine_similarity(sym, got, dim=0)
    assert cosine < 0.99


def test_one_view_gradient_is_algorithm_1():
    head = build_head('one_view')
    feats = make_feats(1, identical=True)
    _, term = hand_terms(head, feats)
    expected = grads(head, feats, term)
    loss = configured(head, feats)
    torch.testing.assert_close(loss, term.detach(), rtol=1e-12, atol=0)
    torch.testing.assert_close(grads(head, feats, loss), expected,
                               rtol=1e-9, atol=1e-12)
