"""MoCoHead as the STARS code runs it: the BN-MLP head, shuffled keys."""
import pytest
import torch
import torch.nn as nn
from mmaction.structures import ActionDataSample

import stars_mmaction  # noqa: F401
from stars_mmaction.models.heads import MoCoHead

REFERENCE = dict(type='BNMLPProjector', in_channels=256,
                 hidden_channels=4096, out_channels=256, input_norm=True,
                 hidden_bias=False)


def test_reference_head_on_both_encoders_and_queue_shape():
    head = MoCoHead(in_channels=256, out_channels=256, queue_size=64,
                    projector=REFERENCE, shuffle_keys=True)
    for projector in (head.projector, head.momentum_projector.module):
        assert [type(m) for m in projector] == [
            nn.BatchNorm1d, nn.Linear, nn.BatchNorm1d, nn.ReLU, nn.Linear
        ]
        assert projector[1].weight.shape == (4096, 256)
        assert projector[1].bias is None
        assert projector[4].weight.shape == (256, 4096)
    assert head.memory_bank.bank.shape == (64, 256)
    feats = torch.randn(8, 2, 256)
    losses = head.loss(feats, [ActionDataSample()] * 8,
                       momentum_feats=feats.clone())
    assert losses['loss_moco'].ndim == 0
    assert int(head.memory_bank.ptr) == 8


def test_shuffled_keys_equal_unshuffled_ones_on_one_process():
    # BatchNorm statistics of a permuted batch are the same, so on one
    # process the shuffle changes nothing (as in the reference).
    torch.manual_seed(0)
    feats = torch.randn(6, 2, 8)
    small = dict(type='BNMLPProjector', in_channels=8, hidden_channels=16,
                 out_channels=4, input_norm=True, hidden_bias=False)
    heads = [
        MoCoHead(in_channels=8, out_channels=4, queue_size=12,
                 projector=small, shuffle_keys=shuffle)
        for shuffle in (False, True)
    ]
    heads[1].load_state_dict(heads[0].state_dict())
    for head in heads:
        head.loss(feats, [ActionDataSample()] * 6, momentum_feats=feats)
    for name in ('bank', 'ptr', 'sample_idx', 'label'):
        torch.testing.assert_close(getattr(heads[0].memory_bank, name),
                                   getattr(heads[1].memory_bank, name))


def test_projector_must_match_the_queue_dimension():
    with pytest.raises(ValueError, match='out_channels=256, expected'):
        MoCoHead(in_channels=256, out_channels=128, projector=REFERENCE)
