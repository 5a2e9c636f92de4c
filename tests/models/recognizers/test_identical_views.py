"""One encoder pass for identical views equals the reference's two passes."""
import copy

import torch
from mmaction.structures import ActionDataSample


def test_one_pass_equals_two_identical_passes(nnclr_recognizer):
    model = nnclr_recognizer()
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
