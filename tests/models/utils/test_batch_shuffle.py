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
