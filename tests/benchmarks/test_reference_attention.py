import pytest
import torch
from mmaction.registry import MODELS
from torch import nn

from reference_attention import (WrittenOutAttention,
                                 with_written_out_attention)
from stars_mmaction.models.utils.transformer_block import \
    MultiheadSelfAttention


def build_encoder(cfg):
    encoder = MODELS.build(cfg)
    encoder.init_weights()
    return encoder


@pytest.mark.parametrize('dtype,tol', [(torch.float32, 1e-5),
                                       (torch.float64, 1e-12)])
def test_encoder_output_and_gradients_equal_the_fused_ones(
        tiny_encoder_cfg, dtype, tol):
    fused = build_encoder(tiny_encoder_cfg).to(dtype)
    written = with_written_out_attention(fused)
    assert all(isinstance(b.attn, WrittenOutAttention) for b in written.blocks)
    x = torch.randn(3, 2, 16, 25, 3, dtype=dtype)
    upstream = torch.randn(3, 2, 32, 4, 25, dtype=dtype)
    out_fused, out_written = fused(x), written(x)
    assert (out_written - out_fused).abs().max() < 10 * tol
    (out_fused * upstream).sum().backward()
    (out_written * upstream).sum().backward()
    for (name, a), b in zip(fused.named_parameters(), written.parameters()):
        error = (b.grad - a.grad).norm() / a.grad.norm()
        assert error < tol, (name, error.item())


def test_copy_keeps_names_flags_and_mode_and_leaves_model_alone(
        tiny_encoder_cfg):
    fused = build_encoder(tiny_encoder_cfg)
    fused.blocks[0].requires_grad_(False)
    fused.eval()
    written = with_written_out_attention(fused)
    assert list(written.state_dict()) == list(fused.state_dict())
    flags = [p.requires_grad for p in written.parameters()]
    assert flags == [p.requires_grad for p in fused.parameters()]
    assert not flags[-1] or not all(flags)
    assert not written.blocks[1].attn.training
    assert isinstance(fused.blocks[0].attn, MultiheadSelfAttention)
    # Copies, not shared tensors: training the copy leaves the model as is.
    state = torch.random.get_rng_state()
    with_written_out_attention(fused)
    assert torch.equal(torch.random.get_rng_state(), state)
    with torch.no_grad():
        written.blocks[1].attn.qkv.weight.add_(1.)
    assert not torch.equal(written.blocks[1].attn.qkv.weight,
                           fused.blocks[1].attn.qkv.weight)


def test_reference_size_attention_matches_and_mask_free_model_is_refused():
    torch.manual_seed(0)
    fused = MultiheadSelfAttention(256, num_heads=8).eval()
    written = with_written_out_attention(fused)
    assert isinstance(written, WrittenOutAttention)
    x = torch.randn(2, 750, 256)
    torch.testing.assert_close(written(x), fused(x), rtol=1e-4, atol=1e-5)
    with pytest.raises(ValueError, match='no MultiheadSelfAttention'):
        with_written_out_attention(nn.Linear(2, 2))
