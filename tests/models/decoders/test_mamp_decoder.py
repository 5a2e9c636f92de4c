import torch
from mmaction.registry import MODELS


def tiny_decoder(**overrides):
    cfg = dict(
        type='MAMPDecoder',
        embed_dims=32,
        decoder_embed_dims=16,
        depth=1,
        num_heads=2,
        num_frames=16,
        num_joints=25,
        t_patch_size=4)
    decoder = MODELS.build(dict(cfg, **overrides))
    decoder.init_weights()
    return decoder


def test_predicts_one_patch_per_token():
    decoder = tiny_decoder()
    ids_restore = torch.stack([torch.randperm(100) for _ in range(3)])
    pred = decoder(torch.randn(3, 10, 32), ids_restore, (4, 25))
    assert pred.shape == (3, 100, 12)  # 4 frames x 3 coordinates


def test_mask_tokens_fill_the_masked_positions():
    decoder = tiny_decoder(depth=0)
    decoder.decoder_pos_embed.data.zero_()
    decoder.decoder_temp_embed.data.zero_()
    decoder.decoder_norm = torch.nn.Identity()
    decoder.decoder_pred = torch.nn.Identity()
    decoder.decoder_embed = torch.nn.Identity()
    decoder.mask_token.data.fill_(-1.)
    kept = torch.arange(1., 4.).reshape(1, 3, 1).expand(1, 3, 16)
    # token order after the keep-first shuffle: positions 5, 0, 9 kept
    ids_shuffle = torch.tensor([[5, 0, 9] + [i for i in range(100)
                                             if i not in (5, 0, 9)]])
    ids_restore = ids_shuffle.argsort(dim=1)
    out = decoder(kept, ids_restore, (4, 25))[0, :, 0]
    assert out[5] == 1 and out[0] == 2 and out[9] == 3
    assert (out[[i for i in range(100) if i not in (5, 0, 9)]] == -1).all()


def test_reference_parameter_names():
    names = set(tiny_decoder().state_dict())
    assert {'decoder_embed.weight', 'mask_token', 'decoder_pos_embed',
            'decoder_temp_embed', 'decoder_blocks.0.attn.qkv.weight',
            'decoder_norm.weight', 'decoder_pred.weight'} <= names
