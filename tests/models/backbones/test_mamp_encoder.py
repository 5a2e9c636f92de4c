import pytest
import torch
from mmaction.registry import MODELS


def build(cfg, **overrides):
    encoder = MODELS.build(dict(cfg, **overrides))
    encoder.init_weights()
    return encoder


def test_unmasked_output_is_gcn_layout(tiny_encoder_cfg):
    encoder = build(tiny_encoder_cfg)
    out = encoder(torch.randn(3, 2, 16, 25, 3))
    assert out.shape == (3, 2, 32, 4, 25)  # (N, M, C, T/4, V)


def test_reference_size_tokens_and_masking_keeps_74_of_750():
    encoder = build(dict(type='MAMPEncoder'))
    x = torch.randn(2, 1, 120, 25, 3)
    kept, mask, ids_restore = encoder(x, mask=True)
    # the reference's int(750 * (1 - 0.9)) = int(74.99999999999999) = 74
    assert kept.shape == (2, 74, 256)
    assert mask.shape == ids_restore.shape == (2, 750)
    assert mask.sum(dim=1).tolist() == [676, 676]
    # ids_restore is a permutation
    assert torch.equal(ids_restore.sort(dim=1).values,
                       torch.arange(750).expand(2, -1))


@pytest.mark.parametrize(
    'num_tokens, mask_ratio, expected',
    [(750, 0.9, 74), (750, 0.75, 187), (100, 0.9, 9), (100, 0.7, 30),
     (600, 0.9, 59), (300, 0.8, 59), (100, 0.5, 50)])
def test_kept_token_count_is_the_references(tiny_encoder_cfg, num_tokens,
                                            mask_ratio, expected):
    # expected = int(L * (1 - mask_ratio)) in float64, written out:
    # 750 * (1 - 0.9) = 74.99999999999999, 100 * (1 - 0.9) =
    # 9.999999999999998, 100 * (1 - 0.7) = 30.000000000000004,
    # 300 * (1 - 0.8) = 59.999999999999986
    encoder = build(tiny_encoder_cfg, mask_ratio=mask_ratio)
    tokens = torch.randn(2, num_tokens, 32)
    patches = torch.randn(2, num_tokens // 25, 25, 12)
    kept, mask, _ = encoder.motion_aware_masking(tokens, patches)
    assert kept.shape == (2, expected, 32)
    assert mask.sum(dim=1).tolist() == [num_tokens - expected] * 2


def test_mask_ratio_that_keeps_no_token_is_refused(tiny_encoder_cfg):
    encoder = build(tiny_encoder_cfg, mask_ratio=0.995)
    with pytest.raises(ValueError, match='keeps no token of 100'):
        encoder(torch.randn(1, 1, 16, 25, 3), mask=True)


def test_kept_tokens_are_the_unmasked_ones(tiny_encoder_cfg):
    encoder = build(tiny_encoder_cfg, mask_ratio=0.5)
    x = torch.randn(4, 16, 25, 3)
    tokens = encoder.embed_tokens(x).reshape(4, 100, 32)
    patches = encoder.patchify(x).reshape(4, 4, 25, -1)
    torch.manual_seed(1)
    kept, mask, ids_restore = encoder.motion_aware_masking(tokens, patches)
    for b in range(4):
        unmasked = tokens[b][mask[b] == 0]
        # kept tokens are exactly the unmasked tokens (in shuffled order)
        assert torch.allclose(kept[b].sum(0), unmasked.sum(0), atol=1e-5)
        assert kept.shape[1] == unmasked.shape[0] == 50


def test_motion_aware_masking_prefers_moving_tokens(tiny_encoder_cfg):
    encoder = build(tiny_encoder_cfg, mask_ratio=0.9, motion_aware_tau=0.8)
    x = torch.zeros(400, 16, 25, 3)
    t = torch.linspace(0, 6.28, 16)
    x[:, :, 7, 0] = torch.sin(3 * t)  # only joint 7 (left hand) moves
    x[:, :, 7, 1] = torch.cos(3 * t)
    _, mask, _ = encoder.forward_encoder(x, mask=True)
    mask = mask.reshape(400, 4, 25)
    moving = mask[:, :, 7].mean().item()
    still = torch.cat([mask[:, :, :7], mask[:, :, 8:]], 2).mean().item()
    # 91 of 100 tokens are masked (9 kept, the reference's count); the 4
    # moving tokens almost always are, the others less than uniformly.
    assert moving > 0.99
    assert still < 0.91


def test_random_masking_when_tau_is_zero(tiny_encoder_cfg):
    encoder = build(tiny_encoder_cfg, mask_ratio=0.9, motion_aware_tau=0.)
    x = torch.zeros(400, 16, 25, 3)
    x[:, :, 7] = torch.randn(16, 3)
    _, mask, _ = encoder.forward_encoder(x, mask=True)
    moving = mask.reshape(400, 4, 25)[:, :, 7].mean().item()
    assert abs(moving - 0.91) < 0.03


def test_get_layer_depth_follows_mmpretrain_protocol(tiny_encoder_cfg):
    encoder = build(tiny_encoder_cfg)
    depth = {
        name: encoder.get_layer_depth('backbone.' + name, 'backbone.')
        for name, _ in encoder.named_parameters()
    }
    assert depth['pos_embed'] == depth['temp_embed'] == (0, 4)
    assert depth['joints_embed.proj.weight'] == (0, 4)
    assert depth['blocks.0.attn.qkv.weight'] == (1, 4)
    assert depth['blocks.1.mlp.fc2.bias'] == (2, 4)
    assert depth['norm.weight'] == (3, 4)


def test_parameter_names_match_the_reference_layout():
    encoder = build(dict(type='MAMPEncoder'))
    shapes = {k: tuple(v.shape) for k, v in encoder.state_dict().items()}
    assert shapes['joints_embed.proj.weight'] == (256, 3, 4, 1)
    assert shapes['pos_embed'] == (1, 1, 25, 256)
    assert shapes['temp_embed'] == (1, 30, 1, 256)
    assert shapes['blocks.7.attn.qkv.weight'] == (768, 256)
    assert shapes['blocks.7.mlp.fc1.weight'] == (1024, 256)
    assert 'norm.weight' in shapes and 'blocks.8.norm1.weight' not in shapes


@pytest.mark.parametrize('shape, match', [
    ((2, 16, 25, 3), r'\(N, M, T, V, C\)'),
    ((2, 1, 16, 20, 3), '25 joints x 3'),
    ((2, 1, 15, 25, 3), 'at most 16 frames'),
])
def test_wrong_input_shape_is_a_clear_error(tiny_encoder_cfg, shape, match):
    encoder = build(tiny_encoder_cfg)
    with pytest.raises(ValueError, match=match):
        encoder(torch.randn(*shape))


def test_config_values_out_of_range_are_refused(tiny_encoder_cfg):
    with pytest.raises(ValueError, match='mask_ratio'):
        MODELS.build(dict(tiny_encoder_cfg, mask_ratio=1.0))
    with pytest.raises(ValueError, match='num_frames=18'):
        MODELS.build(dict(tiny_encoder_cfg, num_frames=18))
    with pytest.raises(ValueError, match="cp_scope.*'attention'"):
        MODELS.build(dict(tiny_encoder_cfg, cp_scope='attention'))


def test_tune_ratio_zero_freezes_everything_in_eval_mode(tiny_encoder_cfg):
    encoder = build(tiny_encoder_cfg, tune_ratio=0.)
    encoder.train()
    assert not encoder.training
    assert not any(m.training for m in encoder.modules())
    assert not any(p.requires_grad for p in encoder.parameters())


@pytest.mark.parametrize('tune_ratio,n_tuned', [(0.25, 1), (0.5, 2),
                                                (0.75, 3), (1., 4)])
def test_tune_ratio_freezes_the_first_blocks_at_build(tiny_encoder_cfg,
                                                      tune_ratio, n_tuned):
    depth = 4
    encoder = build(tiny_encoder_cfg, depth=depth, tune_ratio=tune_ratio)
    trainable = {n for n, p in encoder.named_parameters() if p.requires_grad}
    blocks = {int(n.split('.')[1]) for n in trainable if n.startswith('blo')}
    assert blocks == set(range(depth - n_tuned, depth))
    assert 'norm.weight' in trainable
    embeddings = {'pos_embed', 'temp_embed', 'joints_embed.proj.weight'}
    assert (embeddings <= trainable) == (n_tuned == depth)
    assert not embeddings & trainable or n_tuned == depth
    encoder.train()
    assert [b.training for b in encoder.blocks] == \
        [i >= depth - n_tuned for i in range(depth)]
    # no gradient reaches a frozen parameter
    encoder(torch.randn(1, 1, 16, 25, 3)).sum().backward()
    assert {n for n, p in encoder.named_parameters()
            if p.grad is not None} == trainable


@pytest.mark.parametrize('tune_ratio', [-0.1, 1.5, '0.5', True])
def test_tune_ratio_out_of_range_is_refused(tiny_encoder_cfg, tune_ratio):
    with pytest.raises(ValueError, match='tune_ratio must be a number in'):
        MODELS.build(dict(tiny_encoder_cfg, tune_ratio=tune_ratio))


@pytest.mark.parametrize('cp_scope', ['block', 'mlp', 'selective'])
def test_activation_checkpointing_gives_the_same_gradients(
        tiny_encoder_cfg, cp_scope):
    plain = build(tiny_encoder_cfg)
    checkpointed = build(tiny_encoder_cfg, with_cp=True, cp_scope=cp_scope)
    checkpointed.load_state_dict(plain.state_dict())
    x = torch.randn(2, 2, 16, 25, 3)
    plain(x).square().sum().backward()
    checkpointed(x).square().sum().backward()
    for (name, a), (_, b) in zip(plain.named_parameters(),
                                 checkpointed.named_parameters()):
        assert torch.allclose(a.grad, b.grad, atol=1e-5), name
