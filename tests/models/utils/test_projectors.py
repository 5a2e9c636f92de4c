"""The reference code's MoCo and DINO heads, built from config."""
import torch
import torch.nn as nn
from mmaction.registry import MODELS

import stars_mmaction  # noqa: F401


def test_moco_reference_head_layers_and_shapes():
    head = MODELS.build(
        dict(type='BNMLPProjector', in_channels=256, hidden_channels=4096,
             out_channels=256, input_norm=True, hidden_bias=False))
    bn_in, fc1, bn_hidden, relu, fc2 = head
    assert isinstance(bn_in, nn.BatchNorm1d) and bn_in.num_features == 256
    assert (fc1.in_features, fc1.out_features, fc1.bias) == (256, 4096, None)
    assert isinstance(bn_hidden, nn.BatchNorm1d) and \
        bn_hidden.num_features == 4096
    assert isinstance(relu, nn.ReLU)
    assert (fc2.in_features, fc2.out_features) == (4096, 256)
    assert fc2.bias is not None
    assert head(torch.randn(5, 256)).shape == (5, 256)


def test_default_bn_mlp_is_moco_v2_projector():
    head = MODELS.build(
        dict(type='BNMLPProjector', in_channels=8, hidden_channels=16,
             out_channels=4))
    assert [type(m) for m in head] == [
        nn.Linear, nn.BatchNorm1d, nn.ReLU, nn.Linear
    ]
    assert head[0].bias is not None


def test_dino_reference_head_is_one_normalised_linear_layer():
    head = MODELS.build(
        dict(type='NormalizedLinearProjector', in_channels=256,
             out_channels=128))
    shapes = {n: tuple(p.shape) for n, p in head.named_parameters()}
    assert shapes == {'linear.weight': (128, 256), 'linear.bias': (128, )}
    x = torch.randn(6, 256)
    out = head(x)
    assert out.shape == (6, 128)
    torch.testing.assert_close(out.norm(dim=1), torch.ones(6))
    expected = head.linear(x)
    torch.testing.assert_close(out, expected / expected.norm(dim=1,
                                                             keepdim=True))
