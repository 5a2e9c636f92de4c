import torch

from stars_mmaction.models.data_preprocessors import (pcg_hash,
                                                      uniform_from_keys)


def test_pcg_hash_matches_the_published_32_bit_function():
    def reference(value):  # uint32 arithmetic, as in the paper's GLSL
        state = (value * 747796405 + 2891336453) % 2**32
        word = (((state >> ((state >> 28) + 4)) ^ state) * 277803737) % 2**32
        return (word >> 22) ^ word

    values = [0, 1, 12345, 2**31, 2**32 - 1]
    assert pcg_hash(torch.tensor(values)).tolist() == [
        reference(v) for v in values]


def test_draws_depend_only_on_key_and_counter():
    keys = torch.tensor([5, -3, 2**62 + 11, 0, 5])
    first = uniform_from_keys(keys, 3)
    assert first[0] == first[4]
    # Another batch composition and order: same numbers per key.
    again = uniform_from_keys(keys[[2, 0, 1]], 3)
    assert torch.equal(again, first[[2, 0, 1]])
    assert not torch.equal(uniform_from_keys(keys, 4), first)


def test_uniform_statistics():
    u = uniform_from_keys(torch.arange(20000) * 7919 + 2**40, 1)
    assert u.dtype == torch.float64 and 0 <= u.min() and u.max() < 1
    assert abs(u.mean() - 0.5) < 0.01
    assert abs(u.std() - (1 / 12)**0.5) < 0.005
    counts = torch.histc(u.float(), bins=10, min=0, max=1)
    assert (counts - 2000).abs().max() < 200  # about 4.7 sigma
    v = uniform_from_keys(torch.arange(20000) * 7919 + 2**40, 2)
    assert abs(torch.corrcoef(torch.stack([u, v]))[0, 1]) < 0.03
