"""Every config selects STARSRunner and the run lifecycle hook."""
import sys
from pathlib import Path

import pytest
from mmaction.registry import RUNNERS
from mmengine.config import Config

from stars_mmaction.engine import RunLifecycleHook, STARSRunner

sys.path.insert(0, str(Path(__file__).parents[1] / 'checkpoint'))
from toy_runner import toy_cfg  # noqa: E402

ROOT = Path(__file__).parents[3]
CONFIGS = sorted((ROOT / 'configs' / 'stars').rglob('*.py'))


@pytest.mark.parametrize('config', CONFIGS, ids=lambda p: p.stem)
def test_config_selects_the_plugin_runner_and_hook(config):
    cfg = Config.fromfile(str(config))
    assert cfg.runner_type == 'STARSRunner'
    assert cfg.default_hooks.run_lifecycle == dict(type='RunLifecycleHook')
    assert cfg.trusted_checkpoints == []


def test_runner_registers_the_hook_when_a_config_dropped_it(tmp_path):
    cfg = toy_cfg(tmp_path, runner_type='STARSRunner')
    cfg.default_hooks.pop('run_lifecycle')
    runner = RUNNERS.build(cfg)
    assert isinstance(runner, STARSRunner)
    assert sum(isinstance(h, RunLifecycleHook) for h in runner.hooks) == 1
