"""Config variables that do not reach their keys are found and named."""
import glob
import os.path as osp

import pytest
from mmengine.config import Config

from stars_mmaction.engine.config_variables import (find_unfed_variables,
                                                    format_unfed_variables,
                                                    variable_places)
from stars_mmaction.engine.hooks import ConfigVariablesCheckHook

REPO = osp.dirname(osp.dirname(osp.dirname(__file__)))
STAGE1 = osp.join(REPO, 'configs/stars/mamp_4xb32-400e_ntu60-xsub-keypoint-3d.py')
STAGE2 = osp.join(REPO, 'configs/stars/stars_4xb32-10e_ntu60-xsub-keypoint-3d.py')
KNN = osp.join(REPO, 'configs/stars/eval/knn_ntu60-xsub-keypoint-3d.py')
LINEAR = osp.join(REPO,
                  'configs/stars/eval/linear_4xb64-100e_ntu60-xsub-keypoint-3d.py')
# stage 1, stage 2 and the KNN, linear and fine-tuning configs (the ablation
# and sweep configs inherit from them; parsing all ~100 takes minutes)
CONFIGS = sorted(
    glob.glob(osp.join(REPO, 'configs/stars/*.py')) +
    glob.glob(osp.join(REPO, 'configs/stars/eval/knn_*.py')) +
    glob.glob(osp.join(REPO, 'configs/stars/eval/*_ntu60-xsub-keypoint-3d.py')))


def unfed(path, options=None):
    cfg = Config.fromfile(path)
    if options:
        cfg.merge_from_dict(options)
    return find_unfed_variables(cfg, ConfigVariablesCheckHook.levels(cfg))


def child(tmp_path, base, body):
    path = tmp_path / 'child.py'
    path.write_text(f"_base_ = ['{base}']\n{body}\n")
    return str(path)


@pytest.mark.parametrize('path', CONFIGS,
                         ids=[osp.relpath(p, REPO) for p in CONFIGS])
def test_every_config_feeds_its_variables(path):
    assert unfed(path) == {}


def test_places_are_the_configs_own_keys():
    cfg = Config.fromfile(STAGE1)
    assert variable_places(cfg, 'clip_len') == [
        'train_dataloader.dataset.pipeline.1.clip_len',
        'model.backbone.num_frames', 'model.mamp_head.decoder.num_frames'
    ]
    knn = Config.fromfile(KNN)
    assert variable_places(knn, 'train_split') == [
        'test_cfg.bank_dataloader.dataset.split']
    assert variable_places(knn, 'num_classes') == [
        'test_dataloader.dataset.num_classes',
        'test_cfg.bank_dataloader.dataset.num_classes',
        'test_evaluator.num_classes'
    ]


def test_variable_on_the_command_line_is_named_with_its_keys():
    found = unfed(STAGE1, {'clip_len': 24})
    assert found == {'clip_len': [
        ('train_dataloader.dataset.pipeline.1.clip_len', 120),
        ('model.backbone.num_frames', 120),
        ('model.mamp_head.decoder.num_frames', 120)]}
    cfg = Config.fromfile(STAGE1)
    cfg.merge_from_dict({'clip_len': 24})
    message = format_unfed_variables(cfg, found, STAGE1)
    assert ('--cfg-options train_dataloader.dataset.pipeline.1.clip_len=24 '
            'model.backbone.num_frames=24 '
            'model.mamp_head.decoder.num_frames=24') in message


@pytest.mark.parametrize('options, name', [
    ({'ann_file': 'data/mine.pkl'}, 'ann_file'),
    ({'num_classes': 10}, 'num_classes'),
    ({'train_split': 'train'}, 'train_split'),
    ({'stage1_checkpoint': 'x.pth'}, 'stage1_checkpoint'),
    ({'max_epochs': 1}, 'max_epochs'),
])
def test_each_variable_alone_is_refused(options, name):
    assert set(unfed(STAGE2, options)) == {name}


def test_keys_set_on_the_command_line_are_trusted():
    assert unfed(STAGE2, {'train_cfg.max_epochs': 1}) == {}
    assert unfed(KNN, {
        'test_split': 'val', 'test_dataloader.dataset.split': 'val'}) == {}


@pytest.mark.parametrize('base, body, name, key', [
    (STAGE2, "stage1_checkpoint = 'mine.pth'", 'stage1_checkpoint',
     'model.backbone.init_cfg.checkpoint'),
    (LINEAR, "encoder_checkpoint = 'mine.pth'", 'encoder_checkpoint',
     'model.backbone.init_cfg.checkpoint'),
    (STAGE1, 'clip_len = 24', 'clip_len', 'model.backbone.num_frames'),
    (KNN, "ann_file = 'mine.pkl'", 'ann_file',
     'test_dataloader.dataset.ann_file'),
])
def test_child_config_variable_alone_is_refused(tmp_path, base, body, name,
                                                key):
    found = unfed(child(tmp_path, base, body))
    assert name in found and key in dict(found[name])


def test_child_config_that_sets_the_keys_passes(tmp_path):
    body = ("stage1_checkpoint = 'mine.pth'\n"
            'model = dict(backbone=dict(init_cfg=dict('
            'checkpoint=stage1_checkpoint)))\n'
            'train_cfg = dict(max_epochs=2)')
    assert unfed(child(tmp_path, STAGE2, body)) == {}
