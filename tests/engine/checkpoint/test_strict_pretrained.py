import pytest
import torch
from mmengine.registry import DefaultScope

from stars_mmaction.engine import CheckpointMismatchError
from stars_mmaction.models.backbones import MAMPEncoder


def build(tiny_encoder_cfg, **init_cfg):
    cfg = dict(tiny_encoder_cfg)
    cfg.pop('type')
    return MAMPEncoder(**cfg, init_cfg=init_cfg or None)


def test_loads_every_encoder_weight(tmp_path, tiny_encoder_cfg):
    source = build(tiny_encoder_cfg)
    source.init_weights()
    state = {'backbone.' + k: v for k, v in source.state_dict().items()}
    state['mamp_head.decoder.mask_token'] = torch.zeros(1)
    torch.save({'state_dict': state, 'meta': {}}, tmp_path / 'ckpt.pth')
    with DefaultScope.overwrite_default_scope('mmaction'):
        target = build(tiny_encoder_cfg,
                       type='StrictPretrained',
                       checkpoint=str(tmp_path / 'ckpt.pth'),
                       prefix='backbone.')
        target.init_weights()
    for key, value in source.state_dict().items():
        assert torch.equal(target.state_dict()[key], value), key


def test_wrong_prefix_or_model_is_an_error(tmp_path, tiny_encoder_cfg):
    source = build(tiny_encoder_cfg)
    state = {'encoder.' + k: v for k, v in source.state_dict().items()}
    torch.save({'state_dict': state}, tmp_path / 'ckpt.pth')
    with DefaultScope.overwrite_default_scope('mmaction'):
        target = build(tiny_encoder_cfg,
                       type='StrictPretrained',
                       checkpoint=str(tmp_path / 'ckpt.pth'),
                       prefix='backbone.')
        with pytest.raises(
                CheckpointMismatchError,
                match=r"(?s)'encoder.'.*missing keys 30: \[blocks.0.attn"):
            target.init_weights()
