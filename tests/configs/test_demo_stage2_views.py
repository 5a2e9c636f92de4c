"""The demo's stage 2 tunes the whole encoder on two augmented views; the
reference recipe (NTU configs, the demo sweeps) keeps its identical views and
tunes half the encoder."""
from pathlib import Path
from typing import List, Tuple

from mmengine.config import Config

STARS = Path(__file__).parents[2] / 'configs' / 'stars'


def pipeline_types(config: str) -> Tuple[Config, List[str]]:
    """The config and the types of its training pipeline's transforms."""
    cfg = Config.fromfile(str(STARS / config))
    return cfg, [t['type'] for t in cfg.train_dataloader.dataset.pipeline]


def test_demo_stage2_makes_two_cropped_rotated_views():
    cfg, types = pipeline_types('stars_1xb32-10e_demo-xsub-keypoint-3d.py')
    assert types == ['FastPreNormalize3D', 'SkeletonMultiView',
                     'FormatGCNInput', 'PackActionInputs']
    views = cfg.train_dataloader.dataset.pipeline[1]
    assert views['num_views'] == 2
    crop, rotation = views['transforms']
    assert (crop['type'], tuple(crop['p_interval'])) == \
        ('ValidFrameCropResize', (0.5, 1.0))
    assert crop['clip_len'] == cfg.clip_len == 24
    # the demo cameras turn +-45 degrees about the vertical (y) axis
    assert (rotation['type'], tuple(rotation['max_angle'])) == \
        ('RandomSkeletonRotation', (0.3, 0.8, 0.3))
    # the whole 4-block encoder tunes, with layer decay, 3 epochs from 2e-3
    # down to 0 on a cosine, per iteration
    assert cfg.model.backbone.tune_ratio == 1.0
    assert cfg.optim_wrapper.paramwise_cfg.layer_decay_rate == 0.75
    assert (cfg.train_cfg.max_epochs, cfg.optim_wrapper.optimizer.lr) == \
        (3, 2e-3)
    (cosine, ) = cfg.param_scheduler
    assert (cosine['type'], cosine['eta_min'], cosine['begin'],
            cosine['end'], cosine['T_max']) == ('CosineAnnealingLR', 0., 0,
                                                3, 3)
    assert cosine['convert_to_iter_based']
    # the reference gradient, with a bank of every full batch of an epoch
    head = cfg.model.contrastive_head
    assert head.get('loss_form', 'reference') == 'reference'
    assert head['bank_size'] == 1800 // 32 * 32


def test_reference_recipe_keeps_identical_views():
    for config in ('stars_4xb32-10e_ntu60-xsub-keypoint-3d.py',
                   'sweeps/stars_tune-ratio_demo-xsub-keypoint-3d.py',
                   'sweeps/stars_tune-epochs_demo-xsub-keypoint-3d.py'):
        cfg, types = pipeline_types(config)
        assert 'SkeletonMultiView' not in types, config
        crop = cfg.train_dataloader.dataset.pipeline[types.index(
            'ValidFrameCropResize')]
        assert tuple(crop['p_interval']) == (1.0, ), config
        assert cfg.model.backbone.tune_ratio == 0.5, config
        assert cfg.optim_wrapper.optimizer.lr == 1e-3, config
        assert not cfg.get('param_scheduler'), config  # a constant lr
