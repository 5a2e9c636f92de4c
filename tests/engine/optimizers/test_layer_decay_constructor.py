import pytest
import torch
import torch.nn as nn
from mmaction.structures import ActionDataSample
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope

from stars_mmaction.engine.optimizers import LayerDecayOptimWrapperConstructor
from stars_mmaction.models.heads import NNCLRHead
from stars_mmaction.models.utils.partial_tuning import (freeze_untuned_layers,
                                                        num_tuned_blocks)

DEPTH, C, BASE_LR = 8, 4, 1e-3


class FakeBlock(nn.Module):

    def __init__(self):
        super().__init__()
        self.norm1 = nn.LayerNorm(C)
        self.attn = nn.Module()
        self.attn.qkv = nn.Linear(C, C)
        self.mlp = nn.Module()
        self.mlp.fc1 = nn.Linear(C, C)

    def forward(self, x):
        return x + self.mlp.fc1(torch.relu(self.attn.qkv(self.norm1(x))))


class FakeEncoder(nn.Module):
    """Parameter names, ``get_layer_depth`` and freezing of ``MAMPEncoder``.
    """

    def __init__(self, depth=DEPTH, tune_ratio=1.):
        super().__init__()
        self.depth = depth
        self.joints_embed = nn.Module()
        self.joints_embed.proj = nn.Conv2d(3,
                                           C,
                                           kernel_size=(2, 1),
                                           stride=(2, 1))
        self.pos_embed = nn.Parameter(torch.randn(1, 1, 5, C) * 0.02)
        self.temp_embed = nn.Parameter(torch.randn(1, 3, 1, C) * 0.02)
        self.blocks = nn.ModuleList(FakeBlock() for _ in range(depth))
        self.norm = nn.LayerNorm(C)
        freeze_untuned_layers(list(self.named_parameters()),
                              lambda name: self.get_layer_depth(name)[0],
                              depth, num_tuned_blocks(depth, tune_ratio))

    def get_layer_depth(self, param_name, prefix=''):
        num_layers = self.depth + 2
        if not param_name.startswith(prefix):
            return num_layers - 1, num_layers
        name = param_name[len(prefix):]
        if name.startswith(('joints_embed', 'pos_embed', 'temp_embed')):
            return 0, num_layers
        if name.startswith('blocks.'):
            return int(name.split('.')[1]) + 1, num_layers
        return num_layers - 1, num_layers

    def forward(self, x):  # x: (B, T=6, V=5, 3) -> (B, C)
        t = self.joints_embed.proj(x.permute(0, 3, 1, 2)).permute(0, 2, 3, 1)
        t = (t + self.pos_embed + self.temp_embed).flatten(1, 2)
        for blk in self.blocks:
            t = blk(t)
        return self.norm(t).mean(1)


class FakeModel(nn.Module):

    def __init__(self, backbone=None, tune_ratio=0.5):
        super().__init__()
        self.backbone = backbone if backbone is not None else FakeEncoder(
            tune_ratio=tune_ratio)
        self.cls_head = NNCLRHead(in_channels=C,
                                  hidden_channels=8,
                                  bank_size=16)


def build(model, alpha=0.45, **optim):
    init_default_scope('mmaction')
    optimizer = dict(type='AdamW', lr=BASE_LR, betas=(0.9, 0.95))
    optimizer.update(optim)
    paramwise_cfg = dict(layer_decay_rate=alpha)
    return build_optim_wrapper(
        model,
        dict(constructor='LayerDecayOptimWrapperConstructor',
             optimizer=optimizer,
             paramwise_cfg=paramwise_cfg))


def expected_lrs(model, alpha, n_tuned, depth=DEPTH):
    """{param_name: lr} by the rule of the issue, written independently."""
    expected = {}
    for name, _ in model.named_parameters():
        if not name.startswith('backbone.'):
            expected[name] = BASE_LR  # heads
        elif name.startswith('backbone.blocks.'):
            i = int(name.split('.')[2])
            if i >= depth - n_tuned:
                expected[name] = BASE_LR * alpha**(depth - i)
        elif name.startswith('backbone.norm.'):
            if n_tuned > 0:
                expected[name] = BASE_LR
        else:  # embeddings
            if n_tuned == depth:
                expected[name] = BASE_LR * alpha**(depth + 1)
    return expected


@pytest.mark.parametrize('alpha', [0.45, 0.2])
@pytest.mark.parametrize('tune_ratio,n_tuned', [(0, 0), (0.25, 2), (0.5, 4),
                                                (0.75, 6), (1, 8)])
def test_exact_lr_of_every_group(alpha, tune_ratio, n_tuned):
    torch.manual_seed(0)
    model = FakeModel(tune_ratio=tune_ratio)
    optim_wrapper = build(model, alpha)
    groups = optim_wrapper.optimizer.param_groups
    got = {g['param_name']: g['lr'] for g in groups}
    assert got == expected_lrs(model, alpha, n_tuned)
    for g in groups:
        assert len(g['params']) == 1
        assert g['lr_scale'] == alpha**(DEPTH + 1 - g['layer_id'])
        assert g['lr'] == BASE_LR * g['lr_scale']
    # spot checks of the formula: block i -> alpha^(8 - i)
    if n_tuned >= 4:
        assert got['backbone.blocks.4.attn.qkv.weight'] == \
            BASE_LR * alpha**4
        assert got['backbone.blocks.7.norm1.bias'] == BASE_LR * alpha
    assert got['cls_head.predictor.1.weight'] == BASE_LR
    # frozen parameters (by the model): not in the optimizer
    for name, param in model.named_parameters():
        assert param.requires_grad == (name in got), name


def test_groups_record_layer_and_weight_decay():
    model = FakeModel()
    groups = build(model, 0.45, weight_decay=0.05).optimizer.param_groups
    by_name = {g['param_name']: g for g in groups}
    assert by_name['backbone.blocks.7.attn.qkv.weight']['layer_id'] == 8
    assert by_name['backbone.norm.weight']['layer_id'] == 9
    assert by_name['cls_head.projector.0.weight']['layer_id'] == 9
    assert all(g['weight_decay'] == 0.05 for g in groups)


def test_decay_mults_and_custom_keys():
    init_default_scope('mmaction')
    model = FakeModel(tune_ratio=1)
    optim_wrapper = build_optim_wrapper(
        model,
        dict(constructor='LayerDecayOptimWrapperConstructor',
             optimizer=dict(type='AdamW', lr=BASE_LR, weight_decay=0.1),
             paramwise_cfg=dict(
                 layer_decay_rate=0.5,
                 flat_decay_mult=0.,
                 custom_keys={'pos_embed': dict(decay_mult=0., lr_mult=2.)})))
    g = {g['param_name']: g for g in optim_wrapper.optimizer.param_groups}
    assert g['backbone.blocks.0.attn.qkv.weight']['weight_decay'] == 0.1
    assert g['backbone.blocks.0.attn.qkv.bias']['weight_decay'] == 0.
    assert g['backbone.norm.weight']['weight_decay'] == 0.
    assert g['cls_head.predictor.1.weight']['weight_decay'] == 0.
    assert g['cls_head.predictor.0.weight']['weight_decay'] == 0.1
    assert g['backbone.pos_embed']['weight_decay'] == 0.
    assert g['backbone.pos_embed']['lr'] == BASE_LR * 0.5**9 * 2
    assert g['backbone.temp_embed']['weight_decay'] == 0.1  # 4-D


def test_one_step_changes_exactly_the_tuned_parameters():
    torch.manual_seed(0)
    model = FakeModel()
    optim_wrapper = build(model, 0.45, weight_decay=0.01)
    tuned = {g['param_name'] for g in optim_wrapper.optimizer.param_groups}
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    x = torch.randn(6, 6, 5, 3)
    feats = model.backbone(x)[:, None]
    samples = []
    for i in range(6):
        ds = ActionDataSample()
        ds.set_metainfo(dict(sample_idx=i))
        samples.append(ds)
    loss = model.cls_head.loss(feats, samples)['loss_nnclr']
    optim_wrapper.backward(loss)
    for name, param in model.named_parameters():
        assert (param.grad is not None) == (name in tuned), name
    # the projector's BN bias has a zero gradient in exact arithmetic (the
    # predictor's BN removes any shift), so whether AdamW moves it depends
    # on rounding noise: leave it out of the comparison
    bias = 'cls_head.projector.0.bias'
    assert model.cls_head.projector[0].bias.grad.abs().max() < 1e-6
    optim_wrapper.step()
    changed = {
        n
        for n, p in model.named_parameters()
        if not torch.equal(p.detach(), before[n])
    }
    assert changed - {bias} == tuned - {bias}
    assert 'backbone.blocks.3.attn.qkv.weight' not in tuned
    assert 'backbone.blocks.4.attn.qkv.weight' in tuned
    for name, param in model.named_parameters():
        if name not in tuned:
            assert param.grad is None, name
            assert not param.requires_grad
            assert torch.equal(param.detach(), before[name]), name


def test_rounding_of_tune_ratio():
    model = FakeModel(tune_ratio=0.3)
    got = {
        g['param_name']
        for g in build(model, 0.45).optimizer.param_groups
    }  # 8 * 0.3 = 2.4 -> 2 blocks
    assert 'backbone.blocks.6.attn.qkv.weight' in got
    assert 'backbone.blocks.5.attn.qkv.weight' not in got


@pytest.mark.parametrize('key,value', [('layer_decay_rate', 0),
                                       ('layer_decay_rate', 1.5),
                                       ('layer_decay_rate', -0.2)])
def test_out_of_range_values(key, value):
    paramwise_cfg = dict(layer_decay_rate=0.45)
    paramwise_cfg[key] = value
    with pytest.raises(ValueError, match=rf'{key}.*{value}'):
        LayerDecayOptimWrapperConstructor(
            dict(optimizer=dict(type='AdamW', lr=BASE_LR)), paramwise_cfg)


def test_tune_ratio_in_paramwise_cfg_points_to_the_encoder():
    with pytest.raises(ValueError,
                       match=r'set model\.backbone\.tune_ratio=0\.5 instead'):
        LayerDecayOptimWrapperConstructor(
            dict(optimizer=dict(type='AdamW', lr=BASE_LR)),
            dict(layer_decay_rate=0.45, tune_ratio=0.5))


def test_the_constructor_never_changes_requires_grad():
    model = FakeModel(tune_ratio=0.5)
    before = {n: p.requires_grad for n, p in model.named_parameters()}
    build(model, 0.45)
    assert {n: p.requires_grad for n, p in model.named_parameters()} == \
        before
    assert not before['backbone.blocks.3.attn.qkv.weight']
    assert before['backbone.blocks.4.attn.qkv.weight']


def test_unknown_key_and_model_without_layer_depth():
    with pytest.raises(ValueError, match='layer_decay'):
        LayerDecayOptimWrapperConstructor(
            dict(optimizer=dict(type='AdamW', lr=BASE_LR)),
            dict(layer_decay=0.45))
    model = nn.Module()
    model.backbone = nn.Linear(2, 2)
    constructor = LayerDecayOptimWrapperConstructor(
        dict(optimizer=dict(type='AdamW', lr=BASE_LR)),
        dict(layer_decay_rate=0.45))
    with pytest.raises(ValueError, match='get_layer_depth'):
        constructor(model)


def test_real_mamp_encoder():
    from stars_mmaction.models.backbones import MAMPEncoder
    torch.manual_seed(0)
    encoder = MAMPEncoder(embed_dims=C * 2,
                          depth=DEPTH,
                          num_heads=2,
                          num_frames=8,
                          num_joints=5,
                          t_patch_size=4,
                          tune_ratio=0.5)
    model = FakeModel(backbone=encoder)
    groups = build(model, 0.45).optimizer.param_groups
    got = {g['param_name']: g['lr'] for g in groups}
    assert got == expected_lrs(model, 0.45, 4)
    assert got['backbone.blocks.4.attn.qkv.weight'] == BASE_LR * 0.45**4
    assert not encoder.joints_embed.proj.weight.requires_grad
    assert not encoder.blocks[3].norm1.weight.requires_grad
