import pytest
import torch
import torch.nn.functional as F
from mmaction.structures import ActionDataSample

from stars_mmaction.models.heads import DINOHead
from stars_mmaction.models.losses import KoLeoLoss, sinkhorn_knopp


def make_head(**kwargs):
    cfg = dict(in_channels=8, hidden_channels=16, bottleneck_channels=4,
               num_prototypes=6)
    cfg.update(kwargs)
    return DINOHead(**cfg)


def samples(n):
    return [ActionDataSample() for _ in range(n)]


def test_distillation_loss_averages_cross_view_pairs():
    head = make_head(student_temperature=0.5)
    teacher = torch.softmax(torch.randn(3, 2, 6), dim=-1)
    student = torch.randn(3, 3, 6)  # 2 global + 1 local view
    log_p = F.log_softmax(student / 0.5, dim=-1)

    def ce(i, j):
        return -(teacher[:, i] * log_p[:, j]).sum(-1).mean()

    # Pairs (teacher, student): (0,1) (0,2) (1,0) (1,2); never (i, i).
    expected = (ce(0, 1) + ce(0, 2) + ce(1, 0) + ce(1, 2)) / 4
    torch.testing.assert_close(head.distillation_loss(teacher, student),
                               expected)


def test_loss_matches_its_parts_and_koleo_weight():
    head = make_head(koleo_weight=0.1)
    feats = torch.randn(5, 2, 8, requires_grad=True)
    teacher_feats = torch.randn(5, 2, 8)
    losses = head.loss(feats, samples(5), teacher_feats)
    targets = sinkhorn_knopp(
        head.teacher_projector(teacher_feats.flatten(0, 1)), 0.04,
        3).view(5, 2, -1)
    student = head.projector(feats.detach().flatten(0, 1)).view(5, 2, -1)
    torch.testing.assert_close(losses['loss_dino'],
                               head.distillation_loss(targets, student))
    koleo = (KoLeoLoss()(feats[:, 0]) + KoLeoLoss()(feats[:, 1])) / 2
    torch.testing.assert_close(losses['loss_koleo'], 0.1 * koleo)
    (losses['loss_dino'] + losses['loss_koleo']).backward()
    assert feats.grad.abs().sum() > 0
    assert 0 < losses['teacher_entropy'] <= torch.log(torch.tensor(6.))


def test_teacher_projector_is_an_ema_of_the_student():
    head = make_head(momentum=0.996)
    feats = torch.randn(4, 2, 8)
    head.loss(feats, samples(4), feats)
    student = head.projector.prototypes.weight
    teacher = head.teacher_projector.module.prototypes.weight
    torch.testing.assert_close(teacher, student)
    before = teacher.clone()
    with torch.no_grad():
        student.mul_(2.)
    head.loss(feats, samples(4), feats)
    torch.testing.assert_close(teacher, 0.996 * before + 0.004 * student)


def test_prototype_logits_are_cosines():
    head = make_head()
    logits = head.projector(torch.randn(7, 8) * 100)
    assert logits.abs().max() <= 1 + 1e-5


def test_shape_checks():
    head = make_head()
    with pytest.raises(ValueError, match='teacher features'):
        head.loss(torch.randn(4, 3, 8), samples(4), torch.randn(4, 3, 8))
    with pytest.raises(ValueError, match='num_global_views'):
        make_head(num_global_views=1)
