import inspect

import pytest
import torch
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample

from stars_mmaction.models.heads import DINOHead, MoCoHead, NNCLRHead
from stars_mmaction.models.heads.base_contrastive_head import \
    BaseContrastiveHead

HEADS = dict(NNCLRHead=dict(type='NNCLRHead',
                            in_channels=32,
                            hidden_channels=32,
                            bank_size=16),
             MoCoHead=dict(type='MoCoHead',
                           in_channels=32,
                           hidden_channels=32,
                           out_channels=8,
                           queue_size=16),
             DINOHead=dict(type='DINOHead',
                           in_channels=32,
                           hidden_channels=32,
                           bottleneck_channels=8,
                           num_prototypes=16))


def samples(n):
    out = []
    for i in range(n):
        sample = ActionDataSample()
        sample.set_metainfo(dict(sample_idx=i))
        out.append(sample)
    return out


@pytest.mark.parametrize('head_cls', [NNCLRHead, MoCoHead, DINOHead])
def test_one_loss_signature(head_cls):
    assert issubclass(head_cls, BaseContrastiveHead)
    params = list(inspect.signature(head_cls.loss).parameters.values())
    assert [p.name for p in params
            ] == ['self', 'feats', 'data_samples', 'momentum_feats']
    assert params[-1].default is None


def test_which_heads_need_momentum_features():
    assert not NNCLRHead.requires_momentum_feats
    assert MoCoHead.requires_momentum_feats
    assert DINOHead.requires_momentum_feats


@pytest.mark.parametrize('name', ['MoCoHead', 'DINOHead'])
def test_stars_recognizer_refuses_a_head_needing_momentum(
        tiny_encoder_cfg, name):
    with pytest.raises(ValueError,
                       match=f"{name} needs a momentum encoder.*"
                       "type='MomentumSTARSRecognizer'"):
        MODELS.build(
            dict(type='STARSRecognizer',
                 backbone=tiny_encoder_cfg,
                 contrastive_head=HEADS[name]))


@pytest.mark.parametrize('recognizer',
                         ['STARSRecognizer', 'MomentumSTARSRecognizer'])
@pytest.mark.parametrize('name', ['NNCLRHead', 'MoCoHead', 'DINOHead'])
def test_each_head_trains_under_the_recognizers_it_should(
        tiny_encoder_cfg, recognizer, name):
    if recognizer == 'STARSRecognizer' and name != 'NNCLRHead':
        pytest.skip('refused at build (test above)')
    torch.manual_seed(0)
    model = MODELS.build(
        dict(type=recognizer,
             backbone=tiny_encoder_cfg,
             contrastive_head=HEADS[name]))
    losses = model.loss(torch.randn(4, 2, 1, 16, 25, 3), samples(4))
    loss = sum(v for k, v in losses.items() if k.startswith('loss'))
    assert torch.isfinite(loss)
    loss.backward()
    assert model.backbone.blocks[0].attn.qkv.weight.grad is not None


def test_a_batch_that_does_not_match_is_refused():
    head = MODELS.build(HEADS['MoCoHead'])
    with pytest.raises(ValueError, match='got 4 features but 3 data'):
        head.loss(torch.randn(4, 2, 32), samples(3), torch.randn(4, 2, 32))
