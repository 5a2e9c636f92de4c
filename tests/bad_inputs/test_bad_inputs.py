"""A corpus of broken data, configs and checkpoints, each refused clearly.

Every case writes one broken input into a temporary directory and runs
``tools/train.py`` or ``tools/test.py`` (in this process for speed; two
cases in a subprocess to check what a user sees). The error must name the
file, key or value and what was expected, and come before any training
step: no checkpoint is written.
"""
import copy
import importlib.util
import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

ROOT = Path(__file__).parents[2]
STAGE1 = ROOT / 'configs/stars/mamp_1xb32-40e_demo-xsub-keypoint-3d.py'
STAGE2 = ROOT / 'configs/stars/stars_1xb32-10e_demo-xsub-keypoint-3d.py'
KNN = ROOT / 'configs/stars/eval/knn_demo-xsub-keypoint-3d.py'
PIPELINE = """[
    dict(type='PreNormalize3D', align_spine=False, align_shoulder=False),
    dict(type='ValidFrameCropResize', clip_len=16, p_interval=(1.0, )),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs', meta_keys=('frame_dir', 'sample_idx'))]"""
TINY = dict(embed_dims=32, depth=2, num_heads=2, num_frames=16)
TINY_TEXT = 'embed_dims=32, depth=2, num_heads=2, num_frames=16'
STAGE1_CONFIG = f"""
_base_ = ['{STAGE1}']
model = dict(backbone=dict({TINY_TEXT}), mamp_head=dict(decoder=dict(
    embed_dims=32, decoder_embed_dims=32, num_heads=2, num_frames=16)))
param_scheduler = []
train_dataloader = dict(batch_size=8, num_workers=0, persistent_workers=False,
    dataset=dict(ann_file='{{ann_file}}', split='{{split}}',
                 pipeline={PIPELINE}))
train_cfg = dict(max_epochs=1)
"""
STAGE2_CONFIG = f"""
_base_ = ['{STAGE2}']
model = dict(
    backbone=dict({TINY_TEXT}, init_cfg=dict(checkpoint={{stage1}})),
    contrastive_head=dict(in_channels=32, hidden_channels=64, bank_size=64))
train_dataloader = dict(batch_size=8, num_workers=0, persistent_workers=False,
    dataset=dict(ann_file='{{ann_file}}', pipeline={PIPELINE}))
train_cfg = dict(max_epochs=1)
"""
KNN_CONFIG = f"""
_base_ = ['{KNN}']
model = dict(backbone=dict({TINY_TEXT}))
loader = dict(batch_size=8, num_workers=0, persistent_workers=False,
              dataset=dict(ann_file='{{ann_file}}', pipeline={PIPELINE}))
test_dataloader = loader
test_cfg = dict(bank_dataloader=loader)
test_evaluator = dict(topk_neighbours={{ks}})
"""


# ---------------------------------------------------------------- inputs
def demo_data(ann_file):
    with open(ann_file, 'rb') as f:
        return pickle.load(f)


def broken_sample(data, **changes):
    """The demo data with the first training sample changed."""
    data = copy.deepcopy(data)
    first = data['split']['xsub_train'][0]
    sample = next(a for a in data['annotations'] if a['frame_dir'] == first)
    for key, value in changes.items():
        if value is None:
            sample.pop(key)
        elif callable(value):
            sample[key] = value(sample[key])
        else:
            sample[key] = value
    return data, first


def with_nan(value):

    def change(keypoint):
        keypoint = keypoint.copy()
        keypoint[0, 3, 5, 1] = value
        return keypoint

    return change


# name: (change to the annotation dict, expected message (regex), split)
DATA_CASES = {
    'pickle_without_keys': (lambda d: ({
        'samples': d['annotations']
    }, None), r"must hold a dict with keys 'split' and "
                            r"'annotations'.*got a dict with keys "
                            r"\['samples'\]", 'xsub_train'),
    'wrong_split_name': (lambda d: (d, None), r"split 'xsub_tran' is not in "
                         r".*available splits: \['xsub_train', 'xsub_val'\]",
                         'xsub_tran'),
    'keypoint_rank_3': (lambda d: broken_sample(d, keypoint=lambda k: k[0]),
                        r'keypoint must be an array of shape \(M, T, V, C\), '
                        r'got \(\d+, 25, 3\)', 'xsub_train'),
    'wrong_joint_count':
    (lambda d: broken_sample(d, keypoint=lambda k: k[:, :, :17]),
     r'keypoint has 17 joints x 3 coordinates, expected 25 x 3', 'xsub_train'),
    'wrong_coordinate_count':
    (lambda d: broken_sample(d, keypoint=lambda k: k[..., :2]),
     r'keypoint has 25 joints x 2 coordinates, expected 25 x 3', 'xsub_train'),
    'nan_coordinates':
    (lambda d: broken_sample(d, keypoint=with_nan(np.nan)),
     r'keypoint has NaN or infinite coordinates in frames \[3\]',
     'xsub_train'),
    'inf_coordinates':
    (lambda d: broken_sample(d, keypoint=with_nan(np.inf)),
     r'keypoint has NaN or infinite coordinates in frames \[3\]',
     'xsub_train'),
    'empty_sequence':
    (lambda d: broken_sample(d, keypoint=lambda k: k[:, :0], total_frames=0),
     r'is empty: keypoint shape \(\d+, 0, 25, 3\), expected M, T >= 1',
     'xsub_train'),
    'label_out_of_range': (lambda d: broken_sample(d, label=14),
                           r'label 14 out of range, expected an int in '
                           r'\[0, 14\)', 'xsub_train'),
    'negative_label': (lambda d: broken_sample(d, label=-1),
                       r'label -1 out of range', 'xsub_train'),
    'sample_without_keypoint': (lambda d: broken_sample(d, keypoint=None),
                                r"has no 'keypoint' key", 'xsub_train'),
    'total_frames_mismatch':
    (lambda d: broken_sample(d, total_frames=lambda t: t + 5),
     r'total_frames=\d+ but keypoint has \d+ frames', 'xsub_train'),
}


def load_tool(name):
    spec = importlib.util.spec_from_file_location(
        f'{name}_tool', ROOT / 'tools' / f'{name}.py')
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return tool


TOOLS = {}


def run_tool(monkeypatch, name, *argv):
    """Run tools/<name>.py in-process; return the exception it raised."""
    if name not in TOOLS:
        TOOLS[name] = load_tool(name)
    monkeypatch.setattr(sys, 'argv', [f'{name}.py', *map(str, argv)])
    with pytest.raises(Exception) as err:
        TOOLS[name].main()
    return err.value


def assert_refused(err, pattern, work_dir):
    message = str(err)
    assert re.search(pattern, message), f'{type(err).__name__}: {message}'
    # before any training step: nothing was saved
    assert not list(Path(work_dir).glob('**/*.pth'))


@pytest.fixture(scope='module')
def stage1_checkpoint(tmp_path_factory):
    from stars_mmaction.models.backbones import MAMPEncoder
    encoder = MAMPEncoder(**TINY)
    encoder.init_weights()
    path = tmp_path_factory.mktemp('ckpt') / 'stage1.pth'
    torch.save(
        dict(state_dict={
            f'backbone.{k}': v
            for k, v in encoder.state_dict().items()
        },
             meta=dict(epoch=1, iter=6)), path)
    return path


# ----------------------------------------------------------------- data
@pytest.mark.parametrize('case', list(DATA_CASES))
def test_broken_data(case, tmp_path, monkeypatch, demo_ann_file):
    make, pattern, split = DATA_CASES[case]
    data, _ = make(demo_data(demo_ann_file))
    ann_file = tmp_path / f'{case}.pkl'
    ann_file.write_bytes(pickle.dumps(data))
    config = tmp_path / 'config.py'
    config.write_text(STAGE1_CONFIG.format(ann_file=ann_file, split=split))
    err = run_tool(monkeypatch, 'train', config, '--work-dir',
                   tmp_path / 'work')
    assert_refused(err, pattern, tmp_path / 'work')
    assert str(ann_file) in str(err)  # names the file


def test_missing_annotation_file(tmp_path, monkeypatch):
    config = tmp_path / 'config.py'
    config.write_text(
        STAGE1_CONFIG.format(ann_file=tmp_path / 'none.pkl',
                             split='xsub_train'))
    err = run_tool(monkeypatch, 'train', config, '--work-dir',
                   tmp_path / 'work')
    assert_refused(
        err, r'annotation file .*none.pkl does not exist; '
        'generate the demo data', tmp_path / 'work')


# -------------------------------------------------------------- configs
def stage2_config(tmp_path, ann_file, stage1, extra=''):
    config = tmp_path / 'config.py'
    config.write_text(
        STAGE2_CONFIG.format(ann_file=ann_file, stage1=repr(stage1)) + extra)
    return config


CONFIG_CASES = {
    'tune_ratio_out_of_range':
    ('optim_wrapper = dict(paramwise_cfg=dict(tune_ratio=1.5))',
     r'paramwise_cfg.tune_ratio must be in \[0, 1\], got 1.5'),
    'layer_decay_rate_zero':
    ('optim_wrapper = dict(paramwise_cfg=dict(layer_decay_rate=0))',
     r'paramwise_cfg.layer_decay_rate must be in \(0, 1\], got 0'),
    'unknown_head_type':
    # Edits of the config's own `model` dict: a second `model = ...` line
    # would replace it (and its stage-1 checkpoint) instead of merging.
    ("model['contrastive_head'] = dict(_delete_=True, type='NoSuchHead')",
     r'NoSuchHead is not in the mmaction::model registry'),
    'unknown_loss_form':
    ("model['contrastive_head']['loss_form'] = 'two_view'",
     r"loss_form must be one of \('symmetric', 'one_view'\), got 'two_view'"),
    'non_positive_temperature':
    ("model['contrastive_head']['temperature'] = 0",
     r'temperature must be > 0, got 0'),
    'bank_smaller_than_global_batch':
    ("model['contrastive_head']['bank_size'] = 6",
     r'model.contrastive_head.bank_size=6 is smaller than the global batch 8'
     r' \(train_dataloader.batch_size=8 x 1 processes\)'),
}


@pytest.mark.parametrize('case', list(CONFIG_CASES))
def test_broken_config(case, tmp_path, monkeypatch, demo_ann_file,
                       stage1_checkpoint):
    extra, pattern = CONFIG_CASES[case]
    config = stage2_config(tmp_path, demo_ann_file, str(stage1_checkpoint),
                           '\n' + extra)
    err = run_tool(monkeypatch, 'train', config, '--work-dir',
                   tmp_path / 'work')
    assert_refused(err, pattern, tmp_path / 'work')


def test_missing_stage1_checkpoint(tmp_path, monkeypatch, demo_ann_file):
    config = stage2_config(tmp_path, demo_ann_file,
                           str(tmp_path / 'epoch_400.pth'))
    err = run_tool(monkeypatch, 'train', config, '--work-dir',
                   tmp_path / 'work')
    assert_refused(
        err, r'model.backbone.init_cfg.checkpoint: checkpoint .*epoch_400.pth'
        r' does not exist; train the previous stage first', tmp_path / 'work')


def test_unset_stage1_checkpoint(tmp_path, monkeypatch, demo_ann_file):
    config = stage2_config(tmp_path, demo_ann_file, None)
    err = run_tool(monkeypatch, 'train', config, '--work-dir',
                   tmp_path / 'work')
    assert_refused(err, r'StrictPretrained needs a checkpoint path',
                   tmp_path / 'work')


def test_k_larger_than_the_training_set(tmp_path, monkeypatch, demo_ann_file,
                                        stage1_checkpoint):
    config = tmp_path / 'knn.py'
    config.write_text(KNN_CONFIG.format(ann_file=demo_ann_file, ks=(1, 100)))
    err = run_tool(monkeypatch, 'test', config, stage1_checkpoint,
                   '--work-dir', tmp_path / 'work')
    assert_refused(
        err, r'k=100 exceeds the 42 samples of the training '
        'split used as KNN bank', tmp_path / 'work')


# ---------------------------------------------------------- checkpoints
def encoder_state(**kwargs):
    from stars_mmaction.models.backbones import MAMPEncoder
    cfg = dict(TINY, **kwargs)
    return {
        f'backbone.{k}': v
        for k, v in MAMPEncoder(**cfg).state_dict().items()
    }


def wrong_model(path):
    torch.save(dict(state_dict={'conv1.weight': torch.ones(8, 3, 3, 3)}), path)


def missing_keys(path):
    state = {
        k: v
        for k, v in encoder_state().items()
        if not k.startswith('backbone.blocks.1.')
    }
    torch.save(dict(state_dict=state), path)


def wrong_shapes(path):
    torch.save(dict(state_dict=encoder_state(embed_dims=64)), path)


def not_a_checkpoint(path):
    path.write_text('epoch 400, top1 0.85\n')


def truncated(path):
    torch.save(dict(state_dict=encoder_state()), path)
    data = path.read_bytes()
    path.write_bytes(data[:len(data) // 2])


CHECKPOINT_CASES = {
    'wrong_model': (wrong_model, r"no key starts with 'backbone.'; its keys "
                    r"start with \['conv1.'\]"),
    'missing_keys': (missing_keys, r'missing keys \d+: \[blocks.1.attn'),
    'wrong_shapes': (wrong_shapes, r'shape mismatch \(checkpoint vs model\)'
                     r' \d+: \[blocks.0.attn.proj.bias \(64,\) vs \(32,\)'),
    'not_a_checkpoint': (not_a_checkpoint, r'is not a readable checkpoint '
                         r'\(\w+Error: .*expected a file saved by '
                         r'torch.save'),
    'truncated': (truncated, r'is not a readable checkpoint .*may be '
                  r'truncated'),
}


@pytest.mark.parametrize('case', list(CHECKPOINT_CASES))
def test_broken_stage1_checkpoint(case, tmp_path, monkeypatch, demo_ann_file):
    make, pattern = CHECKPOINT_CASES[case]
    path = tmp_path / 'stage1.pth'
    make(path)
    config = stage2_config(tmp_path, demo_ann_file, str(path))
    err = run_tool(monkeypatch, 'train', config, '--work-dir',
                   tmp_path / 'work')
    assert_refused(err, pattern, tmp_path / 'work')
    assert str(path) in str(err)


@pytest.mark.parametrize('case', ['wrong_model', 'not_a_checkpoint'])
def test_broken_checkpoint_for_tools_test(case, tmp_path, monkeypatch,
                                          demo_ann_file):
    make, pattern = CHECKPOINT_CASES[case]
    path = tmp_path / 'model.pth'
    make(path)
    config = tmp_path / 'knn.py'
    config.write_text(KNN_CONFIG.format(ann_file=demo_ann_file, ks=(1, )))
    err = run_tool(monkeypatch, 'test', config, path, '--work-dir',
                   tmp_path / 'work')
    assert_refused(err, pattern, tmp_path / 'work')
    assert str(path) in str(err)


def test_resume_from_another_models_checkpoint(tmp_path, monkeypatch,
                                               demo_ann_file,
                                               stage1_checkpoint):
    # a stage-1 checkpoint given to --resume of a stage-2 run
    config = stage2_config(tmp_path, demo_ann_file, str(stage1_checkpoint))
    err = run_tool(monkeypatch, 'train', config, '--work-dir',
                   tmp_path / 'work', '--resume', stage1_checkpoint)
    assert_refused(
        err, r'resume checkpoint .*stage1.pth does not match the '
        r"model under prefix '':\n  missing keys \d+: "
        r'\[contrastive_head.memory_bank.bank', tmp_path / 'work')


def test_resume_from_a_weights_only_file(tmp_path, monkeypatch, demo_ann_file,
                                         stage1_checkpoint):
    path = tmp_path / 'weights.pth'
    torch.save(encoder_state(), path)
    config = stage2_config(tmp_path, demo_ann_file, str(stage1_checkpoint))
    err = run_tool(monkeypatch, 'train', config, '--work-dir',
                   tmp_path / 'work', '--resume', path)
    assert_refused(
        err, r'resume checkpoint .*weights.pth is not a training '
        r"checkpoint: expected keys 'state_dict' and 'meta'",
        tmp_path / 'work')


# ------------------------------------------------- what a user sees
def test_command_line_ends_with_the_clear_message(tmp_path, demo_ann_file):
    ann_file = tmp_path / 'cut.pkl'
    ann_file.write_bytes(Path(demo_ann_file).read_bytes()[:5000])
    config = tmp_path / 'config.py'
    config.write_text(
        STAGE1_CONFIG.format(ann_file=ann_file, split='xsub_train'))
    result = subprocess.run([
        sys.executable,
        str(ROOT / 'tools/train.py'),
        str(config), '--work-dir',
        str(tmp_path)
    ],
                            cwd=ROOT,
                            capture_output=True,
                            text=True,
                            timeout=120,
                            env=dict(os.environ, PYTHONWARNINGS='ignore'))
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert re.search(
        rf'AnnotationError: .*annotation file {ann_file} is not '
        r'a readable pickle \(.*\); it may be truncated', last)
