"""One encoder pass for identical views equals the reference's two passes."""
import copy

import torch
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample


def test_one_pass_equals_two_identical_passes(tiny_encoder_cfg):
    model = MODELS.build(
        dict(
            type='STARSRecognizer',
            backbone=tiny_encoder_cfg,
            contrastive_head=dict(
                type='NNCLRHead', in_channels=32, hidden_channels=64,
                bank_size=16)))
    model.init_weights()
    # fill the bank with earlier projections, as during training
    model.contrastive_head.memory_bank.enqueue(
        torch.nn.functional.normalize(torch.randn(16, 32), dim=1),
        torch.arange(100, 116))
    twin = copy.deepcopy(model)
    samples = [ActionDataSample(metainfo=dict(sample_idx=i)) for i in range(6)]
    clip = torch.randn(6, 1, 2, 16, 25, 3)

    once = model(clip, samples, mode='loss')['loss_nnclr']
    twice = twin(clip.repeat(1, 2, 1, 1, 1, 1), samples,
                 mode='loss')['loss_nnclr']
    once.backward()
    twice.backward()

    assert torch.allclose(once, twice, atol=1e-6)
    for (name, a), (_, b) in zip(model.named_parameters(),
                                 twin.named_parameters()):
        # atol: gradients that are 0 in exact arithmetic (a shift of the
        # pooled feature, e.g. the final norm's bias, is cancelled by the
        # projector's BatchNorm) are float noise of about 1e-5 here.
        assert torch.allclose(a.grad, b.grad, rtol=1e-4, atol=1e-4), name
    bank, twin_bank = (model.contrastive_head.memory_bank,
                       twin.contrastive_head.memory_bank)
    assert torch.allclose(bank.bank, twin_bank.bank, atol=1e-6)
    assert torch.equal(bank.ptr, twin_bank.ptr)
    assert torch.equal(bank.sample_idx, twin_bank.sample_idx)
