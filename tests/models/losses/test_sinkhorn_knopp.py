import numpy as np
import pytest
import torch

from stars_mmaction.models.losses import sinkhorn_knopp


def reference_sinkhorn(logits, temperature, num_iters):
    """The DINOv2 algorithm written out in numpy (one process)."""
    q = np.exp(logits / temperature).T  # (K, B)
    k, b = q.shape
    q = q / q.sum()
    for _ in range(num_iters):
        q = q / q.sum(axis=1, keepdims=True) / k
        q = q / q.sum(axis=0, keepdims=True) / b
    return (q * b).T


def test_rows_sum_to_one_and_match_reference():
    logits = torch.randn(6, 5)
    q = sinkhorn_knopp(logits, temperature=0.5, num_iters=3)
    assert q.shape == (6, 5)
    torch.testing.assert_close(q.sum(dim=1), torch.ones(6))
    expected = reference_sinkhorn(logits.double().numpy(), 0.5, 3)
    np.testing.assert_allclose(q.numpy(), expected, rtol=1e-4, atol=1e-6)


def test_columns_balance_to_batch_over_prototypes():
    # Many rounds converge to the doubly-stochastic scaling: every
    # prototype receives B / K of the mass.
    q = sinkhorn_knopp(torch.randn(8, 4) * 3, temperature=1., num_iters=200)
    torch.testing.assert_close(q.sum(dim=0), torch.full((4, ), 2.),
                               atol=1e-4, rtol=0)
    torch.testing.assert_close(q.sum(dim=1), torch.ones(8))


def test_equal_logits_give_uniform_assignments():
    q = sinkhorn_knopp(torch.zeros(3, 4), temperature=0.04)
    torch.testing.assert_close(q, torch.full((3, 4), 0.25))


def test_cosine_logits_at_dino_temperature_stay_finite():
    # DINO's logits are cosine similarities: in [-1, 1], / 0.04 -> +-25.
    q = sinkhorn_knopp(torch.rand(16, 8) * 2 - 1, temperature=0.04)
    assert torch.isfinite(q).all()
    torch.testing.assert_close(q.sum(dim=1), torch.ones(16))


def test_bad_input():
    with pytest.raises(ValueError, match='shape'):
        sinkhorn_knopp(torch.zeros(2, 3, 4), temperature=0.1)
    with pytest.raises(ValueError, match='temperature'):
        sinkhorn_knopp(torch.zeros(2, 3), temperature=0.)
