import math

import pytest
import torch

from stars_mmaction.models.losses import KoLeoLoss


def test_square_on_the_unit_circle():
    # Each corner's nearest neighbour is sqrt(2) away.
    points = torch.tensor([[1., 0.], [0., 1.], [-1., 0.], [0., -1.]])
    loss = KoLeoLoss(eps=0.)(points * 5)  # scale is normalised away
    assert loss.item() == pytest.approx(-math.log(math.sqrt(2)), abs=1e-6)


def test_known_three_points_and_weight():
    angles = [0., 90., 10.]
    points = torch.tensor([[math.cos(math.radians(a)),
                            math.sin(math.radians(a))] for a in angles])
    # Chord lengths 2 sin(dtheta / 2): 0-10 deg for points 0 and 2, 10-90
    # deg for point 1.
    near = 2 * math.sin(math.radians(5))
    far = 2 * math.sin(math.radians(40))
    expected = -(2 * math.log(near) + math.log(far)) / 3
    loss = KoLeoLoss(eps=0., loss_weight=0.1)(points)
    assert loss.item() == pytest.approx(0.1 * expected, rel=1e-5)


def test_spreading_points_lowers_the_loss_and_gradients_flow():
    x = torch.tensor([[1., 0.], [1., 0.05], [0., 1.]], requires_grad=True)
    loss = KoLeoLoss()(x)
    loss.backward()
    assert x.grad.abs().sum() > 0
    spread = KoLeoLoss()(torch.tensor([[1., 0.], [-1., 0.05], [0., 1.]]))
    assert spread < loss


def test_rejects_a_single_feature():
    with pytest.raises(ValueError, match='B >= 2'):
        KoLeoLoss()(torch.zeros(1, 4))


def test_chunked_koleo_sums_the_chunks():
    from stars_mmaction.models.losses import chunked_koleo
    points = torch.tensor([[1., 0.], [0., 1.], [1., 0.1], [0., -1.]])
    koleo = KoLeoLoss()
    expected = koleo(points[:2]) + koleo(points[2:])
    torch.testing.assert_close(chunked_koleo(koleo, points, 2), expected)
    # Two rows per chunk: each row's neighbour is the other (chord sqrt 2).
    assert koleo(points[:2]).item() == pytest.approx(-math.log(math.sqrt(2)),
                                                     abs=1e-6)
    with pytest.raises(ValueError, match='at least 6 rows'):
        chunked_koleo(koleo, points, 3)
