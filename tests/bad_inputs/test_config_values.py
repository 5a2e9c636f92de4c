"""Wrong config values, refused by tools/train.py before any step.

Edits of the configs' own dicts use item assignment: a second
``model = ...`` line would replace the dict (and its stage-1 checkpoint)
instead of merging.
"""
import pytest

from corpus_tools import (assert_refused, stage1_config, stage2_config,
                          train)

DATASET = "train_dataloader['dataset']"
PIPELINE = f"{DATASET}['pipeline']"
STAGE1_CASES = {
    'mask_ratio_zero': ("model['backbone']['mask_ratio'] = 0.0",
                        r'model.backbone.mask_ratio=0.0: masked prediction '
                        r'\(model.mamp_head\) needs 0 < mask_ratio < 1'),
    'mask_ratio_one': ("model['backbone']['mask_ratio'] = 1.0",
                       r'mask_ratio must be in \[0, 1\), got 1.0'),
    'negative_motion_tau': ("model['backbone']['motion_aware_tau'] = -1",
                            r'motion_aware_tau must be >= 0 .*got -1'),
    'frames_not_a_multiple_of_patch': (
        "model['backbone']['num_frames'] = 18",
        r'num_frames=18 must be a multiple of t_patch_size=4'),
    'two_dimensional_dataset': (f"{DATASET}['num_coords'] = 2",
                                r'num_coords=2: only 3D skeletons '
                                r'\(num_coords=3\) are supported'),
    'one_person_for_two_person_data': (
        f"{DATASET}['max_persons'] = 1",
        r'keypoint has 2 persons, expected at most 1 \(max_persons'),
    'subset_ratio_zero': (f"{DATASET}['subset_ratio'] = 0",
                          r'subset_ratio must be in \(0, 1\], got 0'),
    'subset_ratio_percent': (f"{DATASET}['subset_ratio'] = 10",
                             r'subset_ratio must be in \(0, 1\], got 10'),
    'unknown_transform': (
        f"{PIPELINE}.insert(1, dict(type='RandomRotate3D'))",
        r'RandomRotate3D is not in the .*registry'),
    'crop_interval_above_one': (
        f"{PIPELINE}[1]['p_interval'] = (0.5, 1.5)",
        r'p_interval must be \(p,\) or \(low, high\) with 0 < low <= high '
        r'<= 1, got \(0.5, 1.5\)'),
    'crop_interval_reversed': (
        f"{PIPELINE}[1]['p_interval'] = (1.0, 0.5)",
        r'p_interval must be .* got \(1.0, 0.5\)'),
    'negative_clip_len': (f"{PIPELINE}[1]['clip_len'] = -16",
                          r'clip_len \(-16\) and min_crop \(64\) must be '
                          r'positive'),
    'negative_rotation_angle': (
        f"{PIPELINE}.insert(2, dict(type='RandomSkeletonRotation', "
        'max_angle=-0.3))', r'max_angle must be >= 0, got -0.3'),
    'mirror_probability_above_one': (
        f"{PIPELINE}.insert(2, dict(type='RandomSkeletonMirror', prob=1.5))",
        r'prob must be in \[0, 1\], got 1.5'),
    'zero_views': (
        f"{PIPELINE}.insert(1, dict(type='SkeletonMultiView', "
        'transforms=[], num_views=0))', r'num_views must be >= 1, got 0'),
    'unknown_sampler': (
        "train_dataloader['sampler'] = dict(type='EpochSampler')",
        r'EpochSampler is not in the .*registry'),
}


@pytest.mark.parametrize('case', list(STAGE1_CASES))
def test_broken_stage1_config(case, tmp_path, monkeypatch, demo_ann_file):
    extra, pattern = STAGE1_CASES[case]
    config = stage1_config(tmp_path, demo_ann_file, extra='\n' + extra)
    err = train(monkeypatch, config, tmp_path / 'work')
    assert_refused(err, pattern, tmp_path / 'work')


STAGE2_CASES = {
    'tune_ratio_out_of_range':
    ("model['backbone']['tune_ratio'] = 1.5",
     r'tune_ratio must be a number in \[0, 1\].*got 1.5'),
    'layer_decay_rate_zero':
    ('optim_wrapper = dict(paramwise_cfg=dict(layer_decay_rate=0))',
     r'paramwise_cfg.layer_decay_rate must be in \(0, 1\], got 0'),
    'unknown_head_type':
    ("model['contrastive_head'] = dict(_delete_=True, type='NoSuchHead')",
     r'NoSuchHead is not in the mmaction::model registry'),
    'unknown_loss_form':
    ("model['contrastive_head']['loss_form'] = 'two_view'",
     r"loss_form must be one of \('reference', 'symmetric', 'one_view'\), "
     r"got 'two_view'"),
    'non_positive_temperature':
    ("model['contrastive_head']['temperature'] = 0",
     r'temperature must be > 0, got 0'),
    'bank_smaller_than_global_batch':
    ("model['contrastive_head']['bank_size'] = 6",
     r'model.contrastive_head.bank_size=6 is smaller than the global batch 8'
     r' \(train_dataloader.batch_size=8 x 1 processes\)'),
}


@pytest.mark.parametrize('case', list(STAGE2_CASES))
def test_broken_stage2_config(case, tmp_path, monkeypatch, demo_ann_file,
                              stage1_checkpoint):
    extra, pattern = STAGE2_CASES[case]
    config = stage2_config(tmp_path, demo_ann_file, str(stage1_checkpoint),
                           '\n' + extra)
    err = train(monkeypatch, config, tmp_path / 'work')
    assert_refused(err, pattern, tmp_path / 'work')


def test_missing_stage1_checkpoint(tmp_path, monkeypatch, demo_ann_file):
    config = stage2_config(tmp_path, demo_ann_file,
                           str(tmp_path / 'epoch_400.pth'))
    err = train(monkeypatch, config, tmp_path / 'work')
    assert_refused(
        err, r'model.backbone.init_cfg.checkpoint: checkpoint .*epoch_400.pth'
        r' does not exist; train the previous stage first', tmp_path / 'work')


def test_unset_stage1_checkpoint(tmp_path, monkeypatch, demo_ann_file):
    config = stage2_config(tmp_path, demo_ann_file, None)
    err = train(monkeypatch, config, tmp_path / 'work')
    assert_refused(err, r'StrictPretrained needs a checkpoint path',
                   tmp_path / 'work')
