"""The demo's stage-1 schedule, and the checkpoints the later configs load
are the ones the earlier ones write."""
from pathlib import Path

import pytest
from mmengine.config import Config

STARS = Path(__file__).parents[2] / 'configs' / 'stars'


def load(name: str) -> Config:
    return Config.fromfile(str(STARS / name))


def last_checkpoint(cfg: Config) -> str:
    """The file name of the last checkpoint CheckpointHook writes."""
    epochs = cfg.train_cfg.max_epochs
    assert epochs % cfg.default_hooks.checkpoint.interval == 0
    return f'epoch_{epochs}.pth'


def test_demo_stage1_warms_up_then_decays_to_half():
    cfg = load('mamp_1xb32-40e_demo-xsub-keypoint-3d.py')
    warmup, cosine = cfg.param_scheduler
    assert cfg.train_cfg.max_epochs == 14
    assert (warmup['type'], warmup['begin'], warmup['end']) == \
        ('LinearLR', 0, 1)
    assert (cosine['type'], cosine['begin'], cosine['end'],
            cosine['T_max']) == ('CosineAnnealingLR', 1, 14, 13)
    assert cfg.optim_wrapper.optimizer.lr == 6e-3
    assert cosine['eta_min'] == pytest.approx(3e-3)
    assert warmup['convert_to_iter_based'] and \
        cosine['convert_to_iter_based']


def test_demo_configs_load_what_the_demo_writes():
    stage1 = last_checkpoint(load('mamp_1xb32-40e_demo-xsub-keypoint-3d.py'))
    stage2_cfg = load('stars_1xb32-10e_demo-xsub-keypoint-3d.py')
    stage2 = last_checkpoint(stage2_cfg)
    assert stage2_cfg.stage1_checkpoint == \
        f'work_dirs/demo/seed0/mamp/{stage1}'
    for name in ('linear_1xb32-10e_demo-xsub-keypoint-3d.py',
                 'finetune_1xb16-10e_demo-xsub-keypoint-3d.py'):
        assert load(f'eval/{name}').encoder_checkpoint == \
            f'work_dirs/demo/seed0/stars/{stage2}', name
    sweep = load('sweeps/stars_tune-ratio_demo-xsub-keypoint-3d.py')
    assert sweep.stage1_checkpoint.endswith(f'/{stage1}')
    stage_a = last_checkpoint(
        load('stars-3stage-a_1xb32-10e_demo-xsub-keypoint-3d.py'))
    stage_b = load('stars-3stage-b_1xb32-10e_demo-xsub-keypoint-3d.py')
    assert stage_b.load_from == f'work_dirs/demo/stars-3stage-a/{stage_a}'
