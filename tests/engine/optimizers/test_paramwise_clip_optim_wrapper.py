import pytest
import torch
from mmaction.registry import OPTIM_WRAPPERS
from torch import nn


def wrapper_for(params, **clip):
    optimizer = torch.optim.SGD(params, lr=1.)
    return OPTIM_WRAPPERS.build(
        dict(type='ParamwiseClipOptimWrapper', optimizer=optimizer,
             clip_grad=dict(max_norm=3, **clip)))


def test_each_parameter_is_clipped_on_its_own():
    a = nn.Parameter(torch.zeros(2))
    b = nn.Parameter(torch.zeros(1))
    wrapper = wrapper_for([a, b], per_parameter=True)
    a.grad = torch.tensor([3., 4.])  # norm 5 -> scaled to 3
    b.grad = torch.tensor([1.])  # norm 1 -> kept
    wrapper.step()
    assert torch.allclose(a.data, -torch.tensor([1.8, 2.4]), atol=1e-5)
    assert torch.allclose(b.data, torch.tensor([-1.]))
    logged = wrapper.message_hub.get_scalar('train/grad_norm').current()
    assert logged == pytest.approx((25 + 1)**.5)


@pytest.mark.parametrize('norm_type', [2., 1., float('inf')])
def test_per_parameter_clipping_equals_clip_grad_norm_on_each(norm_type):
    torch.manual_seed(0)
    grads = [torch.randn(5, 3) * 4, torch.randn(7), torch.zeros(4),
             torch.randn(2) * 1e-3]
    params = [nn.Parameter(torch.zeros_like(g)) for g in grads]
    expected = []
    for param, grad in zip(params, grads):
        alone = nn.Parameter(torch.zeros_like(grad))
        alone.grad = grad.clone()
        torch.nn.utils.clip_grad_norm_(alone, 3, norm_type=norm_type)
        expected.append(alone.grad)
        param.grad = grad.clone()
    wrapper_for(params, per_parameter=True, norm_type=norm_type)._clip_grad()
    for param, want in zip(params, expected):
        torch.testing.assert_close(param.grad, want)


def test_per_parameter_refuses_other_clip_arguments():
    with pytest.raises(ValueError, match='error_if_nonfinite'):
        wrapper_for([nn.Parameter(torch.zeros(1))], per_parameter=True,
                    error_if_nonfinite=True)


def test_without_per_parameter_the_global_norm_is_clipped():
    a = nn.Parameter(torch.zeros(2))
    b = nn.Parameter(torch.zeros(1))
    wrapper = wrapper_for([a, b])
    a.grad = torch.tensor([3., 4.])
    b.grad = torch.tensor([0.])
    wrapper.step()
    assert torch.allclose(a.data, -torch.tensor([1.8, 2.4]), atol=1e-5)


def test_per_parameter_needs_norm_clipping():
    with pytest.raises(ValueError, match='per_parameter'):
        wrapper_for([nn.Parameter(torch.zeros(1))], per_parameter=True,
                    type='value')


def test_bf16_wrapper_autocasts_and_clips_per_parameter():
    model = nn.Linear(4, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    wrapper = OPTIM_WRAPPERS.build(
        dict(type='BF16AutocastOptimWrapper', optimizer=optimizer,
             clip_grad=dict(max_norm=3, per_parameter=True)))
    with wrapper.optim_context(model):
        out = model(torch.randn(3, 4))
    assert out.dtype == torch.bfloat16
    assert wrapper.per_parameter
