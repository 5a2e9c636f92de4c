"""Views the loss does not differentiate run the encoder without a graph."""
import copy

import pytest
import torch
from mmaction.structures import ActionDataSample


def record_encoder_passes(model):
    """(batch size, grad enabled) of every encoder call."""
    passes = []
    model.backbone.register_forward_pre_hook(
        lambda _, args: passes.append(
            (args[0].shape[0], torch.is_grad_enabled())))
    return passes


def test_reference_view1_has_no_graph_and_the_same_gradient(
        nnclr_recognizer):
    torch.manual_seed(0)
    model = nnclr_recognizer('reference')
    # The twin runs both views in one pass with a graph, as before.
    twin = copy.deepcopy(model)
    twin.extract_view_feat = twin.extract_feat
    samples = [ActionDataSample(metainfo=dict(sample_idx=i)) for i in range(6)]
    views = torch.randn(6, 2, 2, 16, 25, 3)
    passes = record_encoder_passes(model)

    split = model(views, samples, mode='loss')['loss_nnclr']
    joint = twin(views, samples, mode='loss')['loss_nnclr']
    split.backward()
    joint.backward()

    assert passes == [(6, True), (6, False)]
    torch.testing.assert_close(split, joint, rtol=0, atol=1e-6)
    for (name, a), (_, b) in zip(model.named_parameters(),
                                 twin.named_parameters()):
        # atol: gradients that are 0 in exact arithmetic are float noise.
        torch.testing.assert_close(a.grad, b.grad, rtol=1e-4, atol=1e-5,
                                   msg=name)
    assert torch.allclose(model.contrastive_head.memory_bank.bank,
                          twin.contrastive_head.memory_bank.bank, atol=1e-6)


@pytest.mark.parametrize('loss_form, views, expected', [
    ('symmetric', 2, [(12, True)]),
    ('reference', 1, [(6, True)]),
])
def test_differentiated_views_share_one_pass(nnclr_recognizer, loss_form,
                                             views, expected):
    model = nnclr_recognizer(loss_form)
    passes = record_encoder_passes(model)
    samples = [ActionDataSample(metainfo=dict(sample_idx=i)) for i in range(6)]
    model(torch.randn(6, views, 2, 16, 25, 3), samples, mode='loss')
    assert passes == expected


def test_no_grad_context_keeps_one_pass(nnclr_recognizer):
    model = nnclr_recognizer('reference')
    passes = record_encoder_passes(model)
    samples = [ActionDataSample(metainfo=dict(sample_idx=i)) for i in range(6)]
    with torch.no_grad():
        model(torch.randn(6, 2, 2, 16, 25, 3), samples, mode='loss')
    assert passes == [(12, False)]
