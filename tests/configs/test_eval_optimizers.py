"""Every parameter's lr and weight decay of each evaluation config, built
by the config's own optimizer constructor on a tiny encoder."""
from pathlib import Path

import pytest
from mmaction.registry import MODELS
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope

import stars_mmaction  # noqa: F401

EVAL = Path(__file__).parents[2] / 'configs' / 'stars' / 'eval'
TRAINED = sorted(p.name for p in EVAL.glob('*.py')
                 if p.name.startswith(('linear_', 'finetune_', 'semi')))
DEPTH = 2

# Linear evaluation: (lr, total batch) as the reference (design notes 5).
LINEAR = {
    'linear_4xb64-100e_ntu60-xsub-keypoint-3d.py': (0.1, 256),
    'linear_4xb64-100e_ntu60-xview-keypoint-3d.py': (0.1, 256),
    'linear_4xb64-100e_ntu120-xsub-keypoint-3d.py': (0.1, 256),
    'linear_4xb64-100e_ntu120-xset-keypoint-3d.py': (0.1, 256),
    'linear_4xb32-100e_pku1-xsub-keypoint-3d.py': (0.1, 128),
    'linear_1xb16-100e_pku2-xsub-keypoint-3d.py': (0.01, 16),
    'linear_1xb32-10e_demo-xsub-keypoint-3d.py': (0.1, 32),
}


def tiny_model_and_optimizer(name):
    cfg = Config.fromfile(str(EVAL / name))
    init_default_scope(cfg.default_scope)
    cfg.model.backbone.update(
        embed_dims=16, depth=DEPTH, num_heads=2, init_cfg=None)
    cfg.model.cls_head.in_channels = 16
    if cfg.model.cls_head.type == 'FinetuneHead':
        cfg.model.cls_head.hidden_dims = 8
    model = MODELS.build(cfg.model)
    wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    return cfg, model, wrapper


def lr_and_decay(model, wrapper):
    names = {id(p): n for n, p in model.named_parameters()}
    found = {}
    for group in wrapper.optimizer.param_groups:
        for param in group['params']:
            found[names[id(param)]] = (group['lr'], group['weight_decay'])
    return found


def finetune_layer(name):
    """Layer of a parameter as the reference's layer-wise decay counts it."""
    if name.startswith(('backbone.joints_embed', 'backbone.pos_embed',
                        'backbone.temp_embed')):
        return 0
    if name.startswith('backbone.blocks.'):
        return int(name.split('.')[2]) + 1
    return DEPTH + 1  # final norm and head


def test_every_trained_eval_config_is_pinned():
    assert set(LINEAR) == {n for n in TRAINED if n.startswith('linear_')}
    assert len(TRAINED) == len(LINEAR) + 12  # 6 fine-tune, 6 semi configs


@pytest.mark.parametrize('name', sorted(LINEAR))
def test_linear_lr_batch_and_decay(name):
    lr, total_batch = LINEAR[name]
    cfg, model, wrapper = tiny_model_and_optimizer(name)
    gpus = int(name.split('_')[1].split('xb')[0])
    assert gpus * cfg.train_dataloader.batch_size == total_batch
    assert cfg.auto_scale_lr.base_batch_size == total_batch
    found = lr_and_decay(model, wrapper)
    assert set(found) == {n for n, _ in model.named_parameters()}
    assert all(value == (lr, 0.) for value in found.values()), found
    trained = {n for n, p in model.named_parameters() if p.requires_grad}
    assert trained == {n for n in found if n.startswith('cls_head.')}


@pytest.mark.parametrize(
    'name', [n for n in TRAINED if not n.startswith('linear_')])
def test_finetune_layer_decay_and_weight_decay(name):
    cfg, model, wrapper = tiny_model_and_optimizer(name)
    found = lr_and_decay(model, wrapper)
    params = dict(model.named_parameters())
    assert set(found) == set(params)
    for param_name, (lr, decay) in found.items():
        expected_lr = 3e-4 * 0.8**(DEPTH + 1 - finetune_layer(param_name))
        assert lr == pytest.approx(expected_lr, rel=1e-12), param_name
        # Only 1-D tensors are exempt, as in the reference.
        expected_decay = 0. if params[param_name].ndim == 1 else 0.05
        assert decay == expected_decay, param_name
    assert found['backbone.pos_embed'][1] == 0.05
    assert found['backbone.temp_embed'][1] == 0.05
    assert found['backbone.pos_embed'][0] == pytest.approx(3e-4 * 0.8**3)
