"""Every config of the project loads and its model builds."""
from pathlib import Path

import pytest
from mmaction.registry import MODELS
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope

CONFIG_ROOT = Path(__file__).parents[2] / 'configs'
CONFIGS = sorted(
    p for p in CONFIG_ROOT.rglob('*.py') if '_base_' not in p.parts)


def test_there_are_configs_for_every_stage():
    names = {p.name for p in CONFIGS}
    assert 'mamp_4xb32-400e_ntu60-xsub-keypoint-3d.py' in names
    assert 'stars_4xb32-10e_ntu60-xsub-keypoint-3d.py' in names
    assert len(CONFIGS) >= 16


@pytest.mark.parametrize('path', CONFIGS,
                         ids=[str(p.relative_to(CONFIG_ROOT)) for p in CONFIGS])
def test_config_loads_and_model_builds(path):
    cfg = Config.fromfile(str(path))
    assert cfg.custom_imports['imports'] == ['stars_mmaction']
    init_default_scope(cfg.default_scope)  # as the Runner does
    model = MODELS.build(cfg.model)
    assert sum(p.numel() for p in model.parameters()) > 0
    # Freezing happens in the model, before DDP wraps it: no config needs
    # DDP to search for unused parameters.
    assert 'find_unused_parameters' not in cfg
    assert 'find_unused_parameters' not in (cfg.get('model_wrapper_cfg')
                                            or {})
    if cfg.get('optim_wrapper', {}).get('constructor') == \
            'LayerDecayOptimWrapperConstructor':
        groups = build_optim_wrapper(model, cfg.optim_wrapper).param_groups
        in_groups = {id(p) for g in groups for p in g['params']}
        trainable = {id(p) for p in model.parameters() if p.requires_grad}
        frozen = {id(p) for p in model.parameters() if not p.requires_grad}
        assert trainable <= in_groups and not frozen & in_groups
