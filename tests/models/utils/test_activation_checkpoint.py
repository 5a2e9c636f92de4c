import pytest
import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from stars_mmaction.models.utils.activation_checkpoint import run_blocks
from stars_mmaction.models.utils.transformer_block import TransformerBlock


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


@pytest.mark.parametrize('cp_scope', ['block', 'mlp', 'selective'])
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


def matmul_flops(blocks: nn.ModuleList, x: torch.Tensor, with_cp: bool,
                 cp_scope: str) -> int:
    with FlopCounterMode(display=False) as counter:
        run_blocks(blocks, x, with_cp, cp_scope).sum().backward()
    return counter.get_total_flops()


@pytest.mark.parametrize('cp_scope,recomputed', [
    ('selective', ['proj']),
    ('mlp', ['fc1']),
    ('block', ['qkv', 'proj', 'fc1']),
])
def test_recomputed_matmuls(cp_scope, recomputed):
    # The 'selective' scope recomputes the square output projection only:
    # qkv, fc1 and attention outputs are kept. No scope recomputes fc2: no
    # gradient needs its output, and recomputation stops once the needed
    # tensors are back. (torch's counter has no formula for the CPU fused
    # attention, so the attention kernel's FLOPs are not in the count.)
    # Two tuned blocks of width 16 (MLP 64), 2 x 5 tokens.
    blocks = make_blocks(num_frozen=1, num_tuned=2)
    x = torch.randn(2, 5, 16)
    plain = matmul_flops(blocks, x, False, cp_scope)
    tokens = 2 * 5
    forward = dict(qkv=2 * tokens * 16 * 48,
                   proj=2 * tokens * 16 * 16,
                   fc1=2 * tokens * 16 * 64)
    extra = matmul_flops(blocks, x, True, cp_scope) - plain
    assert extra == 2 * sum(forward[name] for name in recomputed)
