"""DINOHead as the STARS code runs it: one normalised Linear as the
prototype logits, KoLeo on those outputs per half-batch chunk, summed."""
import math

import pytest
import torch
from mmaction.structures import ActionDataSample

import stars_mmaction  # noqa: F401
from stars_mmaction.models.heads import DINOHead


def reference_head(**kwargs):
    cfg = dict(in_channels=2, koleo_weight=0.1, koleo_input='head',
               koleo_chunks=4,
               projector=dict(type='NormalizedLinearProjector',
                              in_channels=2, out_channels=2))
    cfg.update(kwargs)
    head = DINOHead(**cfg)
    with torch.no_grad():  # identity: the logits are the normalised inputs
        head.projector.linear.weight.copy_(torch.eye(2))
        head.projector.linear.bias.zero_()
    return head


def unit(degrees):
    return [math.cos(degrees), math.sin(degrees)]


def test_head_shapes_and_teacher_copy():
    head = DINOHead(in_channels=256, projector=dict(
        type='NormalizedLinearProjector', in_channels=256, out_channels=128))
    feats = torch.randn(4, 2, 256)
    losses = head.loss(feats, [ActionDataSample()] * 4, momentum_feats=feats)
    assert set(losses) == {'loss_dino', 'loss_koleo', 'teacher_entropy'}
    assert head.projector(feats[:, 0]).shape == (4, 128)
    teacher = head.teacher_projector.module
    assert type(teacher).__name__ == 'NormalizedLinearProjector'
    torch.testing.assert_close(teacher.linear.weight,
                               head.projector.linear.weight)
    # Entropy of 128 prototypes, not of a 4096-way MLP head.
    assert 0 < losses['teacher_entropy'] <= math.log(128)


def test_koleo_per_half_batch_chunk_summed_matches_hand_computation():
    # Batch of 4, views 0 and 1, points on the unit circle (radians).
    view0 = [0.0, 0.1, 1.0, 1.5]
    view1 = [2.0, 2.4, 3.0, 3.2]
    feats = torch.tensor([[unit(a), unit(b)] for a, b in zip(view0, view1)])
    head = reference_head()
    losses = head.loss(feats * 3, [ActionDataSample()] * 4,
                       momentum_feats=feats)
    # Rows view after view, 4 chunks of 2: (0, .1) (1, 1.5) (2, 2.4) (3, 3.2);
    # in a 2-row chunk each row's nearest neighbour is the other one, at
    # chord length 2 sin(gap / 2).
    chunks = [0.1, 0.5, 0.4, 0.2]
    expected = 0.1 * sum(-math.log(2 * math.sin(gap / 2)) for gap in chunks)
    assert losses['loss_koleo'].item() == pytest.approx(expected, abs=1e-6)
    # Ours (encoder features, mean over views) gives another number.
    ours = reference_head(koleo_input='encoder').loss(
        feats * 3, [ActionDataSample()] * 4,
        momentum_feats=feats)['loss_koleo']
    assert abs(ours.item() - expected) > 0.1


def test_koleo_input_and_chunks_are_checked():
    with pytest.raises(ValueError, match='koleo_input'):
        reference_head(koleo_input='logits')
    head = reference_head(koleo_chunks=4)
    feats = torch.randn(2, 2, 2)  # 4 rows cannot make 4 chunks of 2
    with pytest.raises(ValueError, match='at least 8 rows'):
        head.loss(feats, [ActionDataSample()] * 2, momentum_feats=feats)
