import pytest
import torch
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample


def tiny_mamp(encoder_cfg, **head):
    return dict(
        type='STARSRecognizer',
        backbone=encoder_cfg,
        mamp_head=dict(
            type='MAMPHead',
            decoder=dict(type='MAMPDecoder', embed_dims=32,
                         decoder_embed_dims=32, depth=1, num_heads=2,
                         num_frames=16)),
        **head)


def samples(n):
    out = []
    for i in range(n):
        sample = ActionDataSample().set_gt_label(i % 3)
        sample.set_metainfo(dict(sample_idx=i))
        out.append(sample)
    return out


def test_stage1_loss_and_features(tiny_encoder_cfg):
    model = MODELS.build(tiny_mamp(tiny_encoder_cfg))
    model.init_weights()
    inputs = torch.randn(3, 1, 2, 16, 25, 3)
    losses = model(inputs, samples(3), mode='loss')
    assert set(losses) == {'loss_mamp', 'mse_real', 'mse_zero_floor'}
    assert losses['loss_mamp'].item() > 0
    assert model(inputs).shape == (3, 1, 32)


def test_extract_feat_is_the_mean_over_persons_and_tokens(tiny_encoder_cfg):
    model = MODELS.build(tiny_mamp(tiny_encoder_cfg))
    inputs = torch.randn(2, 2, 2, 16, 25, 3)
    tokens = model.backbone(inputs.flatten(0, 1))  # (4, M, D, T', V)
    expected = tokens.mean(dim=(1, 3, 4)).reshape(2, 2, 32)
    assert torch.allclose(model.extract_feat(inputs), expected)


def test_predict_attaches_clip_averaged_features(tiny_encoder_cfg):
    model = MODELS.build(tiny_mamp(tiny_encoder_cfg)).eval()
    inputs = torch.randn(2, 1, 2, 16, 25, 3)
    out = model(inputs, samples(2), mode='predict')
    feats = model.extract_feat(inputs)[:, 0]
    assert torch.allclose(torch.stack([s.feature for s in out]), feats)


def test_heads_losses_add_up_for_mamp_plus_nnclr(tiny_encoder_cfg):
    cfg = tiny_mamp(
        tiny_encoder_cfg,
        contrastive_head=dict(type='NNCLRHead', in_channels=32,
                              hidden_channels=64, bank_size=16))
    model = MODELS.build(cfg)
    model.init_weights()
    losses = model(torch.randn(4, 1, 2, 16, 25, 3), samples(4), mode='loss')
    assert {'loss_mamp', 'loss_nnclr'} <= set(losses)


def test_reference_parameter_counts():
    """Design notes: STARS 8.43 M, MAMP with its decoder 10.34 M.

    The published counts leave out the four positional-embedding tensors
    (28,160 values); with them the models hold 8,442,112 and 10,368,524.
    """
    encoder = dict(type='MAMPEncoder')
    mamp = MODELS.build(dict(
        type='STARSRecognizer', backbone=encoder,
        mamp_head=dict(type='MAMPHead',
                       decoder=dict(type='MAMPDecoder', depth=5))))
    stars = MODELS.build(dict(
        type='STARSRecognizer', backbone=encoder,
        contrastive_head=dict(type='NNCLRHead', bank_size=64)))

    def count(model):
        return sum(p.numel() for p in model.parameters())

    embeddings = 25 * 256 + 30 * 256
    assert count(mamp.backbone) == 6_336_000
    assert count(mamp) == 10_368_524
    assert count(mamp) - 2 * embeddings == 10_340_364  # 10.34 M
    assert count(stars) == 8_442_112
    assert count(stars) - embeddings == 8_428_032  # 8.43 M


def test_wrong_input_layout_is_a_clear_error(tiny_encoder_cfg):
    model = MODELS.build(tiny_mamp(tiny_encoder_cfg))
    with pytest.raises(ValueError, match=r'\(B, num_clips, M, T, V, C\)'):
        model(torch.randn(2, 2, 16, 25, 3))
    with pytest.raises(ValueError, match='Invalid mode'):
        model(torch.randn(2, 1, 2, 16, 25, 3), mode='train')


def test_masked_prediction_needs_masked_tokens(tiny_encoder_cfg):
    cfg = tiny_mamp(dict(tiny_encoder_cfg, mask_ratio=0.0))
    with pytest.raises(ValueError, match=r'mask_ratio=0.0: masked '
                       r'prediction \(model.mamp_head\) needs 0 < mask_ratio'):
        MODELS.build(cfg)
    # without a masked-prediction head (stage 2) no token is masked anyway
    MODELS.build(dict(type='STARSRecognizer',
                      backbone=dict(tiny_encoder_cfg, mask_ratio=0.0)))
