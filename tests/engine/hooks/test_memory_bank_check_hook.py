"""MemoryBankCheckHook refuses a bank smaller than the global batch."""
from types import SimpleNamespace

import pytest
from torch import nn

from stars_mmaction.engine import MemoryBankCheckHook
from stars_mmaction.models.heads import NNCLRHead


def runner_with(bank_size, batch_size):
    model = nn.Module()
    model.contrastive_head = NNCLRHead(in_channels=4,
                                       hidden_channels=8,
                                       bank_size=bank_size)
    return SimpleNamespace(
        model=model, train_dataloader=SimpleNamespace(batch_size=batch_size))


def test_bank_smaller_than_the_global_batch_is_refused():
    with pytest.raises(ValueError,
                       match=r'model.contrastive_head.bank_size=6 is smaller '
                       r'than the global batch 8 \(train_dataloader.'
                       r'batch_size=8 x 1 processes\).*bank_size >= 8'):
        MemoryBankCheckHook().before_train(runner_with(6, 8))


def test_bank_as_large_as_the_batch_passes():
    MemoryBankCheckHook().before_train(runner_with(8, 8))


def test_mocos_queue_is_checked_under_its_own_key():
    from stars_mmaction.models.heads import MoCoHead
    model = nn.Module()
    model.contrastive_head = MoCoHead(in_channels=4, hidden_channels=8,
                                      out_channels=4, queue_size=6)
    runner = SimpleNamespace(model=model,
                             train_dataloader=SimpleNamespace(batch_size=8))
    with pytest.raises(ValueError,
                       match=r'model.contrastive_head.queue_size=6 is smaller'
                       r'.*queue_size >= 8'):
        MemoryBankCheckHook().before_train(runner)
