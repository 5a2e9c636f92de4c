import numpy as np
import pytest
import torch
from mmaction.structures import ActionDataSample

from stars_mmaction.models.heads import NNCLRHead

C, H, B, K = 4, 8, 3, 6  # channels, predictor width, batch, bank size


def make_samples(ids, labels=None):
    samples = []
    for i, idx in enumerate(ids):
        ds = ActionDataSample()
        if idx is not None:
            ds.set_metainfo(dict(sample_idx=idx))
        if labels is not None:
            ds.set_gt_label(labels[i])
        samples.append(ds)
    return samples


# ---- hand computation, written out with numpy (float64) -------------------
def np_bn(x, bn):
    mean = x.mean(0)
    var = x.var(0)  # biased, as BatchNorm in training mode
    w, b = bn.weight.detach().double().numpy(), bn.bias.detach().double(
    ).numpy()
    return (x - mean) / np.sqrt(var + bn.eps) * w + b


def np_linear(x, lin):
    out = x @ lin.weight.detach().double().numpy().T
    if lin.bias is not None:
        out = out + lin.bias.detach().double().numpy()
    return out


def np_normalize(x):
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def np_project(head, y):
    z = np_bn(y, head.projector[0])
    h = np.maximum(np_bn(np_linear(z, head.predictor[0]), head.predictor[1]),
                   0)
    p = np_linear(h, head.predictor[3])
    return np_normalize(z), np_normalize(p)


def np_nn(z, ids, bank, bank_ids):
    out = []
    for i in range(len(z)):
        sims = [(-1. if bank_ids[j] == ids[i] else float(z[i] @ bank[j]))
                for j in range(len(bank))]
        out.append(bank[int(np.argmax(sims))])
    return np.stack(out)


def np_loss(nn_feat, p, temperature):
    logits = nn_feat @ p.T / temperature
    logits = logits - logits.max(1, keepdims=True)
    log_prob = logits - np.log(np.exp(logits).sum(1, keepdims=True))
    return -np.mean([log_prob[i, i] for i in range(len(p))])


def make_head(**kwargs):
    torch.manual_seed(0)
    head = NNCLRHead(in_channels=C,
                     hidden_channels=H,
                     bank_size=K,
                     temperature=0.1,
                     **kwargs)
    head.train()
    return head


def fill_bank(head, feats0, ids):
    """Random bank that also holds each query's own projection, so the
    lookup would pick it without the same-sample exclusion."""
    z0, _ = np_project(head, feats0)
    bank = np_normalize(np.random.RandomState(1).randn(K, C))
    bank[:B] = z0
    bank_ids = np.array(list(ids) + [-1] * (K - B))
    head.memory_bank.bank.copy_(torch.from_numpy(bank).float())
    head.memory_bank.sample_idx.copy_(torch.from_numpy(bank_ids))
    return bank.astype(np.float32).astype(np.float64), bank_ids


@pytest.mark.parametrize('form', ['one_view', 'symmetric'])
def test_loss_one_view_matches_hand(form):
    head = make_head(loss_form=form)
    ids = [10, 11, 12]
    feats = torch.randn(B, 1, C)
    y = feats[:, 0].double().numpy()
    bank, bank_ids = fill_bank(head, y, ids)
    z, p = np_project(head, y)
    nn_feat = np_nn(z, ids, bank, bank_ids)
    assert not any(np.allclose(nn_feat[i], z[i]) for i in range(B))
    expected = np_loss(nn_feat, p, 0.1)

    out = head.loss(feats, make_samples(ids))
    assert set(out) == {'loss_nnclr', 'contrast_acc', 'nn_acc'}
    assert [k for k in out if 'loss' in k] == ['loss_nnclr']
    np.testing.assert_allclose(out['loss_nnclr'].item(), expected, rtol=1e-5)
    # only view 0 is enqueued, at the pointer
    assert int(head.memory_bank.ptr) == B
    np.testing.assert_allclose(head.memory_bank.bank[:B].numpy(), z, atol=1e-6)
    assert head.memory_bank.sample_idx[:B].tolist() == ids


def test_loss_symmetric_two_views_matches_hand():
    head = make_head()
    ids = [4, 5, 6]
    feats = torch.randn(B, 2, C)
    y0, y1 = feats[:, 0].double().numpy(), feats[:, 1].double().numpy()
    bank, bank_ids = fill_bank(head, y0, ids)
    z0, p0 = np_project(head, y0)
    z1, p1 = np_project(head, y1)
    nn0 = np_nn(z0, ids, bank, bank_ids)
    nn1 = np_nn(z1, ids, bank, bank_ids)
    expected = 0.5 * (np_loss(nn0, p1, 0.1) + np_loss(nn1, p0, 0.1))
    # the two terms differ, so the test tells the pairing apart
    assert not np.isclose(np_loss(nn0, p0, 0.1), expected)

    out = head.loss(feats, make_samples(ids))
    np.testing.assert_allclose(out['loss_nnclr'].item(), expected, rtol=1e-5)
    np.testing.assert_allclose(head.memory_bank.bank[:B].numpy(),
                               z0,
                               atol=1e-6)
    assert int(head.memory_bank.ptr) == B


def test_loss_backward_reaches_projector_and_predictor():
    head = make_head()
    feats = torch.randn(B, 2, C, requires_grad=True)
    out = head.loss(feats, make_samples([0, 1, 2]))
    out['loss_nnclr'].backward()
    assert feats.grad is not None and feats.grad.abs().sum() > 0
    for name, param in head.named_parameters():
        assert param.grad is not None, name
    assert not head.memory_bank.bank.requires_grad


def test_diagnostics_nn_acc_uses_stored_labels():
    head = make_head(loss_form='one_view')
    feats = torch.randn(B, 1, C)
    head.loss(feats, make_samples([0, 1, 2], labels=[3, 4, 5]))
    # same features, new sample indices: each query's nearest neighbour is
    # its previous projection (BN statistics are the same), label matches
    out = head.loss(feats, make_samples([20, 21, 22], labels=[3, 4, 5]))
    assert out['nn_acc'].item() == 1.0
    assert 0 <= out['contrast_acc'].item() <= 1


def test_missing_sample_idx_is_never_excluded():
    head = make_head()
    feats = torch.randn(B, 1, C)
    head.loss(feats, make_samples([None] * B))
    assert head.memory_bank.sample_idx[:B].tolist() == [-2, -3, -4]


def test_reference_initialisation():
    torch.manual_seed(0)
    head = NNCLRHead()
    lin0, bn1, lin3 = head.predictor[0], head.predictor[1], head.predictor[3]
    assert lin0.bias is None and lin0.weight.shape == (4096, 256)
    assert abs(lin0.weight.std().item() - 0.02) < 1e-3
    assert abs(bn1.weight.mean().item() - 1) < 2e-3
    assert abs(bn1.weight.std().item() - 0.02) < 2e-3
    assert (bn1.bias == 0).all() and (lin3.bias == 0).all()
    assert abs(head.projector[0].weight.mean().item() - 1) < 1e-2
    assert head.memory_bank.bank.shape == (32768, 256)
    head.init_weights()  # idempotent, runs the same initialisation


def test_bank_survives_checkpoint(tmp_path):
    head = make_head()
    for step in range(5):  # wraps around the bank of 6
        head.loss(torch.randn(B, 1, C),
                  make_samples(range(3 * step, 3 * step + 3)))
    path = tmp_path / 'head.pth'
    torch.save(head.state_dict(), path)
    fresh = make_head()
    torch.manual_seed(123)
    fresh.memory_bank.bank.normal_()
    fresh.load_state_dict(torch.load(path))
    for key in ('bank', 'ptr', 'sample_idx', 'label'):
        assert torch.equal(getattr(fresh.memory_bank, key),
                           getattr(head.memory_bank, key)), key
    assert int(fresh.memory_bank.ptr) == 15 % K
    assert 'memory_bank.bank' in head.state_dict()


def test_shape_and_config_errors():
    head = make_head()
    with pytest.raises(ValueError, match=r'\(B, V, 4\)'):
        head.loss(torch.randn(B, C), make_samples([0, 1, 2]))
    with pytest.raises(ValueError, match=r'\(B, V, 4\)'):
        head.loss(torch.randn(B, 3, C), make_samples([0, 1, 2]))
    with pytest.raises(ValueError, match=r'\(B, V, 4\)'):
        head.loss(torch.randn(B, 1, C + 1), make_samples([0, 1, 2]))
    with pytest.raises(ValueError, match='data samples'):
        head.loss(torch.randn(B, 1, C), make_samples([0, 1]))
    with pytest.raises(ValueError, match='one_view'):
        make_head(loss_form='one_view').loss(torch.randn(B, 2, C),
                                             make_samples([0, 1, 2]))
    with pytest.raises(ValueError, match='loss_form'):
        NNCLRHead(loss_form='two_view')
    small = NNCLRHead(in_channels=C, hidden_channels=H, bank_size=2)
    with pytest.raises(ValueError, match=r'bank_size=2.*global batch \(3\)'):
        small.loss(torch.randn(B, 1, C), make_samples([0, 1, 2]))
