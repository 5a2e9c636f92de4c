import pytest
import torch
import torch.nn.functional as F

from stars_mmaction.models.utils import NNMemoryBank


def test_initial_state():
    bank = NNMemoryBank(size=10, dim=4)
    assert bank.bank.shape == (10, 4)
    torch.testing.assert_close(bank.bank.norm(dim=1), torch.ones(10))
    assert int(bank.ptr) == 0 and bank.ptr.dtype == torch.long
    assert (bank.sample_idx == -1).all() and (bank.label == -1).all()
    assert set(bank.state_dict()) == {'bank', 'ptr', 'sample_idx', 'label'}


def test_nearest_neighbour_skips_same_sample():
    bank = NNMemoryBank(size=4, dim=2)
    bank.bank.copy_(torch.tensor([[1., 0.], [0., 1.], [-1., 0.], [0.6, 0.8]]))
    bank.sample_idx.copy_(torch.tensor([7, 3, -1, 5]))
    z = torch.tensor([[1., 0.], [1., 0.], [0., 1.]])
    nn_feat, rows = bank.nearest_neighbour(z, torch.tensor([7, 1, 3]))
    # query 0 is sample 7: row 0 (its own entry, similarity 1) is skipped.
    # query 1 (sample 1) takes row 0; query 2 (sample 3) skips row 1.
    assert rows.tolist() == [3, 0, 3]
    torch.testing.assert_close(nn_feat, bank.bank[[3, 0, 3]])
    assert not nn_feat.requires_grad


def test_nearest_neighbour_no_gradient():
    bank = NNMemoryBank(size=5, dim=3)
    z = F.normalize(torch.randn(2, 3, requires_grad=True), dim=1)
    nn_feat, _ = bank.nearest_neighbour(z, torch.tensor([0, 1]))
    assert nn_feat.grad_fn is None


def test_enqueue_wraps_around_many_times():
    size, batch = 7, 3  # the size is not a multiple of the batch
    bank = NNMemoryBank(size=size, dim=2)
    expected = bank.bank.clone()
    expected_ids = bank.sample_idx.clone()
    ptr = 0
    for step in range(11):
        ids = torch.arange(step * batch, (step + 1) * batch)
        z = F.normalize(torch.randn(batch, 2), dim=1)
        bank.enqueue(z, ids)
        for i in range(batch):
            expected[(ptr + i) % size] = z[i]
            expected_ids[(ptr + i) % size] = ids[i]
        ptr = (ptr + batch) % size
        assert int(bank.ptr) == ptr
        torch.testing.assert_close(bank.bank, expected)
        assert torch.equal(bank.sample_idx, expected_ids)
    # 33 entries written: the bank holds the last 7, samples 26..32.
    assert sorted(bank.sample_idx.tolist()) == list(range(26, 33))


def test_enqueue_batch_equal_to_size_and_labels():
    bank = NNMemoryBank(size=4, dim=2)
    bank.enqueue(F.normalize(torch.randn(3, 2), dim=1), torch.arange(3),
                 torch.tensor([5, 6, 7]))
    z = F.normalize(torch.randn(4, 2), dim=1)
    bank.enqueue(z, torch.arange(10, 14), torch.tensor([1, 2, 3, 4]))
    assert int(bank.ptr) == 3
    torch.testing.assert_close(bank.bank[[3, 0, 1, 2]], z)
    assert bank.label[[3, 0, 1, 2]].tolist() == [1, 2, 3, 4]


def test_enqueue_too_large_batch_names_both_sizes():
    bank = NNMemoryBank(size=4, dim=2)
    with pytest.raises(ValueError, match=r'5 entries.*size 4'):
        bank.enqueue(torch.randn(5, 2), torch.arange(5))


def test_invalid_size():
    with pytest.raises(ValueError, match='size'):
        NNMemoryBank(size=0, dim=2)
