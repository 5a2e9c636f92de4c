import pytest
import torch

from stars_mmaction.engine import (CheckpointMismatchError,
                                   check_checkpoint_keys)

MODULE = {
    'norm.weight': torch.zeros(4),
    'blocks.0.fc.weight': torch.zeros(4, 4)
}


def prefixed(state, prefix='backbone.'):
    return {prefix + k: v for k, v in state.items()}


def test_matching_checkpoint_passes_and_other_modules_are_ignored():
    ckpt = prefixed(MODULE)
    ckpt['mamp_head.decoder.weight'] = torch.zeros(2)
    check_checkpoint_keys(MODULE, ckpt)


def test_missing_and_unexpected_keys_are_listed():
    ckpt = prefixed({
        'norm.weight': torch.zeros(4),
        'extra.bias': torch.zeros(1)
    })
    with pytest.raises(CheckpointMismatchError) as err:
        check_checkpoint_keys(MODULE, ckpt, source='ckpt.pth')
    message = str(err.value)
    assert 'ckpt.pth' in message
    assert 'missing keys 1: [blocks.0.fc.weight]' in message
    assert 'unexpected keys 1: [extra.bias]' in message


def test_wrong_prefix_names_the_checkpoint_prefixes():
    with pytest.raises(CheckpointMismatchError,
                       match=r"no key starts with 'backbone.'.*'encoder.'"):
        check_checkpoint_keys(MODULE, prefixed(MODULE, 'encoder.'))


def test_shape_mismatch_is_an_error():
    ckpt = prefixed(dict(MODULE, **{'norm.weight': torch.zeros(8)}))
    with pytest.raises(CheckpointMismatchError,
                       match=r'norm.weight \(8,\) vs \(4,\)'):
        check_checkpoint_keys(MODULE, ckpt)
