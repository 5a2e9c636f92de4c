"""The stock-mmaction2 export config: RecognizerGCN + our encoder + GCNHead."""
import os.path as osp

import pytest
import torch
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from mmengine.config import Config
from mmengine.registry import init_default_scope

ROOT = osp.abspath(osp.join(osp.dirname(__file__), '..', '..'))
CONFIG = osp.join(
    ROOT, 'configs', 'stars', 'export',
    'recognizergcn_mamp-encoder_gcnhead_ntu60-xsub-keypoint-3d.py')
DIMS, FRAMES, CLASSES = 32, 16, 5
SIZES = dict(embed_dims=DIMS, depth=2, num_heads=2, num_frames=FRAMES)


@pytest.fixture
def stage_checkpoint(tmp_path, tiny_encoder_cfg):
    """A tiny checkpoint of ours (stage 1, with the decoder's keys too)."""
    model = MODELS.build(
        dict(
            type='STARSRecognizer',
            backbone=tiny_encoder_cfg,
            mamp_head=dict(
                type='MAMPHead',
                decoder=dict(
                    type='MAMPDecoder',
                    embed_dims=DIMS,
                    decoder_embed_dims=DIMS,
                    depth=1,
                    num_heads=2,
                    num_frames=FRAMES))))
    state_dict = {
        k: torch.randn_like(v)
        for k, v in model.state_dict().items()
    }
    path = tmp_path / 'epoch_1.pth'
    torch.save(dict(state_dict=state_dict, meta=dict(epoch=1)), path)
    return path, state_dict


def build_export_model(checkpoint):
    cfg = Config.fromfile(CONFIG)
    cfg.merge_from_dict({
        'model.backbone.init_cfg.checkpoint': str(checkpoint),
        'model.cls_head.in_channels': DIMS,
        'model.cls_head.num_classes': CLASSES,
        **{f'model.backbone.{k}': v
           for k, v in SIZES.items()},
    })
    # As the runner does: RecognizerGCN builds its preprocessor by name.
    init_default_scope('mmaction')
    return cfg, MODELS.build(cfg.model)


def test_config_uses_stock_mmaction2_parts():
    cfg = Config.fromfile(CONFIG)
    assert cfg.model.type == 'RecognizerGCN'
    assert cfg.model.cls_head.type == 'GCNHead'
    assert cfg.model.cls_head.in_channels == 256
    assert cfg.model.cls_head.num_classes == 60
    assert cfg.model.backbone.type == 'MAMPEncoder'
    assert cfg.model.backbone.num_frames == 120
    assert cfg.model.backbone.init_cfg == dict(
        type='Pretrained',
        checkpoint=cfg.encoder_checkpoint,
        prefix='backbone.')
    assert cfg.train_dataloader.dataset.split == 'xsub_train'
    assert cfg.val_dataloader.dataset.split == 'xsub_val'


def test_encoder_weights_load_and_train(stage_checkpoint):
    path, state_dict = stage_checkpoint
    _, model = build_export_model(path)
    model.init_weights()
    loaded = model.backbone.state_dict()
    assert len(loaded) == sum(k.startswith('backbone.') for k in state_dict)
    for key, value in loaded.items():
        assert torch.equal(value, state_dict['backbone.' + key]), key

    B, M = 3, 2
    inputs = torch.randn(B, 1, M, FRAMES, 25, 3)
    samples = [
        ActionDataSample().set_gt_label(torch.tensor([i % CLASSES]))
        for i in range(B)
    ]
    model.train()
    data = model.data_preprocessor(
        dict(inputs=list(inputs), data_samples=samples), training=True)
    losses = model(**data, mode='loss')
    assert torch.isfinite(losses['loss_cls'])
    losses['loss_cls'].backward()
    assert model.backbone.blocks[0].attn.qkv.weight.grad.abs().sum() > 0
    assert model.cls_head.fc.weight.grad.abs().sum() > 0

    model.eval()
    with torch.no_grad():
        preds = model(inputs, samples, mode='predict')
    assert preds[0].pred_score.shape == (CLASSES, )
    torch.testing.assert_close(preds[0].pred_score.sum(), torch.tensor(1.))


def test_wrong_checkpoint_leaves_no_silent_random_encoder(tmp_path):
    """A checkpoint without 'backbone.' keys fails to load in mmengine."""
    path = tmp_path / 'other.pth'
    torch.save(dict(state_dict={'cls_head.fc.weight': torch.zeros(1)}), path)
    _, model = build_export_model(path)
    with pytest.raises(AssertionError,
                       match='backbone. is not in the pretrained model'):
        model.init_weights()
