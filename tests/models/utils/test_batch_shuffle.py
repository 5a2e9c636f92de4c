"""Shuffled BatchNorm for MoCo keys (one process: a local permutation)."""
import torch
import torch.nn as nn

from stars_mmaction.models.utils import (forward_shuffled,
                                         shuffle_across_ranks,
                                         unshuffle_across_ranks)


def test_shuffle_is_a_permutation_that_unshuffle_undoes():
    torch.manual_seed(0)
    x = torch.arange(12.).view(6, 2)
    shuffled, undo = shuffle_across_ranks(x)
    assert not torch.equal(shuffled, x)
    assert sorted(shuffled[:, 0].tolist()) == x[:, 0].tolist()
    torch.testing.assert_close(unshuffle_across_ranks(shuffled, undo), x)


def test_outputs_are_aligned_with_the_inputs():
    torch.manual_seed(0)
    # BatchNorm in training mode is permutation-equivariant, so shuffling
    # and unshuffling gives the unshuffled outputs, row by row; a model
    # that mixes rows up would not.
    module = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4)).train()
    x = torch.randn(8, 3)
    with torch.no_grad():
        expected = module(x)
    torch.testing.assert_close(forward_shuffled(module, x), expected)
    cumulative = forward_shuffled(lambda rows: rows.cumsum(0), x)
    assert not torch.allclose(cumulative, x.cumsum(0))


def _shuffle_on_rank(rank, world_size, port, out):
    import json

    import torch.distributed as dist
    dist.init_process_group('gloo', init_method=f'tcp://127.0.0.1:{port}',
                            rank=rank, world_size=world_size)
    torch.manual_seed(rank)  # only rank 0's permutation may count
    x = torch.arange(4.).view(4, 1) + 10 * rank
    shuffled, undo = shuffle_across_ranks(x)
    restored = unshuffle_across_ranks(shuffled, undo)
    doubled = forward_shuffled(lambda rows: rows * 2, x)
    result = [shuffled.flatten().tolist(), restored.flatten().tolist(),
              doubled.flatten().tolist(), x.flatten().tolist()]
    gathered = [None] * world_size
    dist.all_gather_object(gathered, result)
    if rank == 0:
        with open(out, 'w') as f:
            json.dump(gathered, f)
    dist.destroy_process_group()


def test_two_ranks_mix_the_global_batch_and_restore_it(tmp_path):
    import json
    import socket

    import torch.multiprocessing as mp
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    out = tmp_path / 'shuffle.json'
    mp.start_processes(_shuffle_on_rank, args=(2, port, str(out)), nprocs=2,
                       start_method='fork')
    ranks = json.loads(out.read_text())
    shuffled = ranks[0][0] + ranks[1][0]
    # One permutation of the 8 global rows, split between the ranks.
    assert sorted(shuffled) == [0., 1., 2., 3., 10., 11., 12., 13.]
    assert shuffled != [0., 1., 2., 3., 10., 11., 12., 13.]
    for _, restored, doubled, own in ranks:
        assert restored == own
        assert doubled == [2 * v for v in own]
