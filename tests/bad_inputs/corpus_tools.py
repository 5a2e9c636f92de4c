"""Shared pieces of the bad-input corpus: configs, tools, assertions.

Every case writes one broken input into a temporary directory and runs a
tool (``tools/train.py``, ``tools/test.py``, ``tools/data/*.py``) in this
process for speed: its ``main()`` with ``sys.argv`` set. The error must
name the file, sample, key or value and what was expected, and come before
any training step or feature extraction.
"""
import copy
import importlib.util
import pickle
import re
import sys
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).parents[2]
STAGE1 = ROOT / 'configs/stars/mamp_1xb32-40e_demo-xsub-keypoint-3d.py'
STAGE2 = ROOT / 'configs/stars/stars_1xb32-10e_demo-xsub-keypoint-3d.py'
KNN = ROOT / 'configs/stars/eval/knn_demo-xsub-keypoint-3d.py'
FEWSHOT = ROOT / 'configs/stars/eval/fewshot_demo-xsub-keypoint-3d.py'
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
FEWSHOT_CONFIG = f"""
_base_ = ['{FEWSHOT}']
model = dict(backbone=dict({TINY_TEXT}))
test_dataloader = dict(batch_size=8, num_workers=0, persistent_workers=False,
    dataset=dict(ann_file='{{ann_file}}', pipeline={PIPELINE}))
"""


# ---------------------------------------------------------------- inputs
def demo_data(ann_file):
    with open(ann_file, 'rb') as f:
        return pickle.load(f)


def broken_sample(data, **changes):
    """The demo data with the first training sample changed.

    A value None removes the key, a callable maps the old value.
    """
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
    return data


def write_pickle(path, content):
    path.write_bytes(pickle.dumps(content))
    return path


def encoder_state(**kwargs):
    from stars_mmaction.models.backbones import MAMPEncoder
    cfg = dict(TINY, **kwargs)
    return {
        f'backbone.{k}': v
        for k, v in MAMPEncoder(**cfg).state_dict().items()
    }


def stage2_config(tmp_path, ann_file, stage1, extra=''):
    config = tmp_path / 'config.py'
    config.write_text(
        STAGE2_CONFIG.format(ann_file=ann_file, stage1=repr(stage1)) + extra)
    return config


def stage1_config(tmp_path, ann_file, split='xsub_train', extra=''):
    config = tmp_path / 'config.py'
    config.write_text(
        STAGE1_CONFIG.format(ann_file=ann_file, split=split) + extra)
    return config


# ----------------------------------------------------------------- tools
_TOOLS = {}


def load_tool(path):
    """The module of a tool script (loaded once per session)."""
    path = ROOT / path
    if path not in _TOOLS:
        spec = importlib.util.spec_from_file_location(
            f'{path.stem}_tool', path)
        tool = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(tool)
        _TOOLS[path] = tool
    return _TOOLS[path]


def run_tool(monkeypatch, path, *argv):
    """Run a tool's ``main()`` in-process; return the exception it raised.

    ``SystemExit`` (argparse) counts as the error; its message is what
    argparse printed to stderr.
    """
    tool = load_tool(path)
    monkeypatch.setattr(sys, 'argv', [Path(path).name, *map(str, argv)])
    with pytest.raises((Exception, SystemExit)) as err:
        tool.main()
    return err.value


def train(monkeypatch, config, work_dir, *argv):
    return run_tool(monkeypatch, 'tools/train.py', config, '--work-dir',
                    work_dir, *argv)


def evaluate(monkeypatch, config, checkpoint, work_dir):
    return run_tool(monkeypatch, 'tools/test.py', config, checkpoint,
                    '--work-dir', work_dir)


def assert_refused(err, pattern, work_dir=None):
    """The message matches, and no checkpoint was written."""
    message = str(err)
    assert re.search(pattern, message), f'{type(err).__name__}: {message}'
    # a bare built-in error is a crash, not a message (registry KeyErrors
    # and our errors derived from built-ins are fine)
    assert type(err) not in (AssertionError, TypeError, IndexError,
                             AttributeError, NameError), \
        f'raw {type(err).__name__}: {message}'
    if work_dir is not None:
        assert not list(Path(work_dir).glob('**/*.pth'))


def save_encoder_checkpoint(path, **meta):
    torch.save(dict(state_dict=encoder_state(), meta=meta or dict(epoch=1)),
               path)
    return path
