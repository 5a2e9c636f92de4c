import pytest
import torch
from torch import nn

from stars_mmaction.models.utils.transformer_block import (TransformerBlock,
                                                            run_blocks)


def make_blocks(num_frozen: int, num_tuned: int) -> nn.ModuleList:
    torch.manual_seed(0)
    blocks = nn.ModuleList(
        TransformerBlock(16, num_heads=2) for _ in range(num_frozen +
                                                         num_tuned))
    for block in blocks[:num_frozen]:
        block.requires_grad_(False)
    return blocks


def count_calls(blocks: nn.ModuleList, method: str) -> list:
    """Wrap ``method`` of every block with a call counter."""
    counts = [0] * len(blocks)
    for i, block in enumerate(blocks):
        original = getattr(block, method)

        def counted(x, i=i, original=original):
            counts[i] += 1
            return original(x)

        setattr(block, method, counted)
    return counts


@pytest.mark.parametrize('cp_scope,attention_calls,mlp_calls',
                         [('block', [1, 1, 2, 2], [1, 1, 2, 2]),
                          ('mlp', [1, 1, 1, 1], [1, 1, 2, 2])])
def test_checkpointing_recomputes_exactly_the_tuned_blocks(
        cp_scope, attention_calls, mlp_calls):
    # Two frozen blocks fed by a frozen input, then two tuned ones: the first
    # tuned block's input needs no gradient, yet it must be checkpointed.
    blocks = make_blocks(num_frozen=2, num_tuned=2)
    attention = count_calls(blocks, 'forward_attention')
    mlp = count_calls(blocks, 'forward_mlp')
    for block in blocks:
        # nn.Module.__call__ looks forward up on the class; route it through
        # the counted halves.
        block.forward = (lambda x, b=block: b.forward_mlp(
            b.forward_attention(x)))
    x = torch.randn(2, 5, 16)
    run_blocks(blocks, x, with_cp=True, cp_scope=cp_scope).sum().backward()
    assert attention == attention_calls
    assert mlp == mlp_calls


@pytest.mark.parametrize('cp_scope', ['block', 'mlp'])
def test_checkpointed_gradients_equal_plain_ones(cp_scope):
    blocks = make_blocks(num_frozen=1, num_tuned=2)
    x = torch.randn(2, 5, 16)
    run_blocks(blocks, x).square().sum().backward()
    plain = [p.grad.clone() for p in blocks.parameters() if p.requires_grad]
    blocks.zero_grad()
    run_blocks(blocks, x, True, cp_scope).square().sum().backward()
    checkpointed = [p.grad for p in blocks.parameters() if p.requires_grad]
    assert len(plain) == len(checkpointed) == 2 * 12
    for a, b in zip(plain, checkpointed):
        torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-6)
    assert all(p.grad is None for p in blocks[0].parameters())


def test_no_recomputation_without_gradients():
    blocks = make_blocks(num_frozen=0, num_tuned=2)
    mlp = count_calls(blocks, 'forward_mlp')
    for block in blocks:
        block.forward = (lambda x, b=block: b.forward_mlp(
            b.forward_attention(x)))
    with torch.no_grad():
        run_blocks(blocks, torch.randn(1, 3, 16), with_cp=True)
    assert mlp == [1, 1]
