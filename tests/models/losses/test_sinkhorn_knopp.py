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


def _sinkhorn_on_rank(rank, world_size, port, logits, out):
    import json

    import torch.distributed as dist
    dist.init_process_group('gloo', init_method=f'tcp://127.0.0.1:{port}',
                            rank=rank, world_size=world_size)
    mine = logits[rank]
    result = [
        sinkhorn_knopp(mine, 0.5, 3).tolist(),
        sinkhorn_knopp(mine, 0.5, 3, global_batch=False).tolist()
    ]
    gathered = [None] * world_size
    dist.all_gather_object(gathered, result)
    if rank == 0:
        with open(out, 'w') as f:
            json.dump(gathered, f)
    dist.destroy_process_group()


def test_per_rank_balances_each_batch_and_global_the_union(tmp_path):
    import json
    import socket

    import torch.multiprocessing as mp
    logits = torch.randn(2, 4, 3)  # 2 ranks x 4 samples x 3 prototypes
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    out = tmp_path / 'sk.json'
    mp.start_processes(_sinkhorn_on_rank,
                       args=(2, port, logits, str(out)),
                       nprocs=2, start_method='fork')
    ranks = json.loads(out.read_text())
    union = reference_sinkhorn(logits.flatten(0, 1).double().numpy(), 0.5, 3)
    for rank, (global_q, local_q) in enumerate(ranks):
        # Global: the 8 samples balanced together (one process on all).
        np.testing.assert_allclose(global_q, union[4 * rank:4 * rank + 4],
                                   rtol=1e-4, atol=1e-6)
        # Per rank (the STARS code): each batch balanced alone.
        alone = reference_sinkhorn(logits[rank].double().numpy(), 0.5, 3)
        np.testing.assert_allclose(local_q, alone, rtol=1e-4, atol=1e-6)
    assert not np.allclose(ranks[0][0], ranks[0][1], atol=1e-4)
