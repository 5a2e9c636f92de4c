import numpy as np
import pytest
import torch
from mmaction.registry import MODELS
from torch import nn


class FixedPrediction(nn.Module):
    """Stands in for the decoder: returns a given prediction."""

    def __init__(self, pred):
        super().__init__()
        self.pred = pred

    def forward(self, kept, ids_restore, grid):
        return self.pred


def build_head(**overrides):
    cfg = dict(
        type='MAMPHead',
        decoder=dict(type='MAMPDecoder', embed_dims=8, decoder_embed_dims=8,
                     depth=1, num_heads=1, num_frames=8, num_joints=1))
    return MODELS.build(dict(cfg, **overrides))


def sequence():
    """One person, 8 frames, 1 joint, 1 coordinate: x[t] = t^2."""
    t = torch.arange(8.)
    return (t**2).reshape(1, 8, 1, 1)


def normalise(patch):
    patch = np.asarray(patch, dtype=np.float64)
    return (patch - patch.mean()) / np.sqrt(patch.var(ddof=1) + 1e-6)


def test_motion_target_by_hand():
    target = build_head().construct_target(sequence())
    # motion x[t+1] - x[t] = 2t + 1, last frame 0; segments of 4 frames
    expected = [normalise([1, 3, 5, 7]), normalise([9, 11, 13, 0])]
    assert target.shape == (1, 2, 4)
    assert np.allclose(target[0].numpy(), expected, atol=1e-5)


def test_coordinates_target_by_hand():
    head = build_head(target='coordinates')
    target = head.construct_target(sequence())
    expected = [normalise([0, 1, 4, 9]), normalise([16, 25, 36, 49])]
    assert np.allclose(target[0].numpy(), expected, atol=1e-5)


def test_unnormalised_target_is_the_raw_motion():
    head = build_head(norm_target=False)
    target = head.construct_target(sequence())
    assert target[0].tolist() == [[1, 3, 5, 7], [9, 11, 13, 0]]


def test_masked_loss_by_hand_and_no_gradient_to_unmasked_tokens():
    head = build_head(norm_target=False)
    pred = torch.tensor([[[1., 3., 5., 9.], [0., 0., 0., 0.]]],
                        requires_grad=True)
    head.decoder = FixedPrediction(pred)
    mask = torch.tensor([[1., 0.]])  # token 0 masked, token 1 kept
    loss = head.loss(None, mask, None, sequence())['loss_mamp']
    # only token 0 counts: errors (0, 0, 0, 2) -> mean 1.0
    assert loss.item() == pytest.approx(1.0)
    loss.backward()
    assert torch.equal(pred.grad[0, 1], torch.zeros(4))
    assert torch.allclose(pred.grad[0, 0], torch.tensor([0., 0., 0., 1.]))


def test_loss_averages_over_masked_tokens_of_all_sequences():
    head = build_head(norm_target=False)
    x = torch.cat([sequence(), torch.zeros(1, 8, 1, 1)])  # absent person
    pred = torch.zeros(2, 2, 4)
    head.decoder = FixedPrediction(pred)
    mask = torch.tensor([[0., 1.], [1., 0.]])
    loss = head.loss(None, mask, None, x)['loss_mamp']
    # token 1 of person 0: mean(81, 121, 169, 0) / 4; person 1's token: 0
    assert loss.item() == pytest.approx((81 + 121 + 169) / 4 / 2)


def test_real_person_diagnostics_by_hand():
    """One real person and one all-zero (padded) second person."""
    head = build_head(norm_target=False)
    x = torch.cat([sequence(), torch.zeros(1, 8, 1, 1)])
    pred = torch.tensor([[[1., 3., 5., 9.], [9., 11., 13., 2.]],
                         [[1., 1., 1., 1.], [0., 0., 0., 0.]]])
    head.decoder = FixedPrediction(pred)
    mask = torch.tensor([[1., 1.], [1., 0.]])
    out = head.loss(None, mask, None, x)
    # person 0 masked tokens: errors (0, 0, 0, 4) and (0, 0, 0, 4)
    # -> per-token means 1, 1; person 1 (padding): target 0, error 1
    assert out['loss_mamp'].item() == pytest.approx((1 + 1 + 1) / 3)
    assert out['mse_real'].item() == pytest.approx(1.0)
    # predicting zero on person 0's masked tokens: targets (1, 3, 5, 7) and
    # (9, 11, 13, 0): mean squares 84 / 4 and 371 / 4
    floor = (84 / 4 + 371 / 4) / 2
    assert out['mse_zero_floor'].item() == pytest.approx(floor)
    assert not out['mse_real'].requires_grad


def test_zero_floor_of_normalised_target_is_near_one():
    # a normalised patch has mean 0 and unbiased variance 1: its mean
    # square is (n - 1) / n = 3 / 4 for 4 values (the floor of the demo)
    head = build_head()
    x = torch.cat([sequence(), torch.zeros(1, 8, 1, 1)])
    head.decoder = FixedPrediction(torch.zeros(2, 2, 4))
    out = head.loss(None, torch.ones(2, 2), None, x)
    assert out['mse_zero_floor'].item() == pytest.approx(0.75, abs=1e-4)
    # loss_mamp averages in the padded person's zero error
    assert out['loss_mamp'].item() == pytest.approx(0.75 / 2, abs=1e-4)


def test_unknown_target_is_refused():
    with pytest.raises(ValueError, match="'velocity'"):
        build_head(target='velocity')
