"""The renaming rules between the reference checkpoints and our keys."""
from collections import OrderedDict

import pytest
import torch
from mmaction.registry import MODELS

from stars_mmaction.engine.checkpoint.reference_mapping import (
    CheckpointMappingError, check_against_model, detect_kind,
    ours_to_reference, reference_names_of, reference_to_ours,
    unwrap_reference_checkpoint)


@pytest.fixture
def mamp_model(tiny_encoder_cfg):
    return MODELS.build(
        dict(
            type='STARSRecognizer',
            backbone=tiny_encoder_cfg,
            mamp_head=dict(
                type='MAMPHead',
                decoder=dict(
                    type='MAMPDecoder',
                    embed_dims=32,
                    decoder_embed_dims=16,
                    depth=1,
                    num_heads=2,
                    num_frames=16))))


@pytest.fixture
def stars_model(tiny_encoder_cfg):
    return MODELS.build(
        dict(
            type='STARSRecognizer',
            backbone=tiny_encoder_cfg,
            contrastive_head=dict(
                type='NNCLRHead',
                in_channels=32,
                hidden_channels=8,
                bank_size=6)))


def test_mamp_renaming_table(mamp_model):
    ours = mamp_model.state_dict()
    reference = ours_to_reference(ours, 'mamp')
    names = reference_names_of(reference, 'mamp')
    expected = {
        'backbone.joints_embed.proj.weight': 'joints_embed.proj.weight',
        'backbone.pos_embed': 'pos_embed',
        'backbone.temp_embed': 'temp_embed',
        'backbone.blocks.1.attn.qkv.weight': 'blocks.1.attn.qkv.weight',
        'backbone.norm.bias': 'norm.bias',
        'mamp_head.decoder.decoder_embed.weight': 'decoder_embed.weight',
        'mamp_head.decoder.mask_token': 'mask_token',
        'mamp_head.decoder.decoder_pos_embed': 'decoder_pos_embed',
        'mamp_head.decoder.decoder_temp_embed': 'decoder_temp_embed',
        'mamp_head.decoder.decoder_blocks.0.mlp.fc1.bias':
        'decoder_blocks.0.mlp.fc1.bias',
        'mamp_head.decoder.decoder_norm.weight': 'decoder_norm.weight',
        'mamp_head.decoder.decoder_pred.bias': 'decoder_pred.bias',
    }
    for our_key, ref_key in expected.items():
        assert names[our_key] == ref_key
        assert reference[ref_key] is ours[our_key]  # a renaming, no copy
    assert len(reference) == len(ours)
    back = reference_to_ours(reference, 'mamp')
    assert list(back) == list(ours)


def test_stars_queue_layout_and_round_trip(stars_model):
    bank = stars_model.contrastive_head.memory_bank
    bank.ptr.fill_(4)
    bank.sample_idx.copy_(torch.arange(6))
    bank.label.copy_(torch.arange(6) + 10)
    ours = stars_model.state_dict()
    reference = ours_to_reference(ours, 'stars')
    assert reference['queue'].shape == (32, 6)
    assert torch.equal(reference['queue'], bank.bank.t())
    assert reference['queue_ptr'].tolist() == [4]
    assert torch.equal(reference['queue_id'], torch.arange(6))
    assert 'encoder_student.head.predictor.3.bias' in reference
    assert 'encoder_student.head.projector.0.num_batches_tracked' in \
        reference
    assert not any('label' in k for k in reference)  # no counterpart

    back = reference_to_ours(reference, 'stars')
    assert set(back) == set(ours)
    assert back['contrastive_head.memory_bank.ptr'].shape == ()
    assert int(back['contrastive_head.memory_bank.ptr']) == 4
    assert torch.equal(back['contrastive_head.memory_bank.bank'], bank.bank)
    # The diagnostic labels are unknown after import.
    assert back['contrastive_head.memory_bank.label'].tolist() == [-1] * 6
    for key in ours:
        if not key.endswith('memory_bank.label'):
            assert torch.equal(back[key], ours[key]), key


def test_prefixes_do_not_capture_longer_names():
    reference = OrderedDict(
        norm_extra=torch.zeros(1), queue_ptr=torch.zeros(1,
                                                        dtype=torch.long))
    with pytest.raises(CheckpointMappingError) as err:
        reference_to_ours(reference, 'mamp')
    assert "2 unknown key(s) in the reference MAMP checkpoint: " \
           "['norm_extra', 'queue_ptr']" in str(err.value)


def test_queue_ptr_must_hold_one_value():
    reference = dict(queue=torch.zeros(4, 3), queue_ptr=torch.zeros(2),
                     queue_id=torch.zeros(3))
    with pytest.raises(CheckpointMappingError, match='queue_ptr must hold '
                       r'one value, got shape \(2,\)'):
        reference_to_ours(reference, 'stars')


def test_derived_label_needs_queue_id():
    with pytest.raises(CheckpointMappingError, match='cannot derive'):
        reference_to_ours(dict(queue=torch.zeros(4, 3)), 'stars')


def test_detect_kind():
    assert detect_kind({'encoder_student.norm.weight': None}) == 'stars'
    assert detect_kind({'queue': None}) == 'stars'
    assert detect_kind({'blocks.0.norm1.weight': None}) == 'mamp'
    with pytest.raises(CheckpointMappingError,
                       match=r"first keys: \['fc.weight'\]"):
        detect_kind({'fc.weight': None})
    with pytest.raises(CheckpointMappingError, match='unknown checkpoint '
                       "kind 'moco'"):
        reference_to_ours({}, 'moco')


def test_unwrap_reference_checkpoint():
    w = torch.ones(2)
    assert list(unwrap_reference_checkpoint(
        dict(model={'norm.weight': w}, epoch=3))) == ['norm.weight']
    assert list(unwrap_reference_checkpoint(
        dict(state_dict={'module.queue': w}))) == ['queue']
    assert list(unwrap_reference_checkpoint({'queue_id': w})) == ['queue_id']
    with pytest.raises(CheckpointMappingError, match=r"\['epoch'\]"):
        unwrap_reference_checkpoint({'queue': w, 'epoch': 3})
    with pytest.raises(CheckpointMappingError, match='got list'):
        unwrap_reference_checkpoint([w])


def test_check_against_model_lists_every_problem():
    target = dict(a=torch.zeros(2, 3), b=torch.zeros(4), c=torch.zeros(1))
    converted = dict(a=torch.zeros(3, 2), b=torch.zeros(4), d=torch.zeros(1))
    with pytest.raises(CheckpointMappingError) as err:
        check_against_model(converted, target, dict(a='ref_a'))
    message = str(err.value)
    assert 'a (reference ref_a): checkpoint (3, 2), model (2, 3)' in message
    assert "missing keys ['c']" in message
    assert "unexpected keys ['d']" in message
    check_against_model(dict(target), target)  # an exact match passes
