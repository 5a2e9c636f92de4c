"""Retarget the NTU-60 configs to another data set through tools/train.py and
tools/test.py: a child config outside the repository (stage 1), then
``--cfg-options`` (stage 2 and KNN), on 24-frame sequences of 5 classes with
other split names; and the silent mistakes now stop the run."""
import os
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).parents[2]
CONFIGS = ROOT / 'configs' / 'stars'
CHILD = """
_base_ = ['{base}']
ann_file = '{ann_file}'
num_classes = 5
train_split = 'mine_train'
clip_len = 24
max_epochs = 1
model = dict(
    backbone=dict(num_frames=clip_len, embed_dims=32, depth=2, num_heads=2),
    mamp_head=dict(decoder=dict(num_frames=clip_len, embed_dims=32,
                                decoder_embed_dims=32, depth=1,
                                num_heads=2)))
train_pipeline = [
    dict(t, clip_len=clip_len, min_crop=16)
    if t['type'] == 'ValidFrameCropResize' else t
    for t in _base_.train_pipeline]
train_dataloader = dict(
    batch_size=4, num_workers=0, persistent_workers=False,
    dataset=dict(ann_file=ann_file, num_classes=num_classes,
                 split=train_split, pipeline=train_pipeline))
train_cfg = dict(max_epochs=max_epochs)
"""


def make_dataset(folder: Path) -> Path:
    """24-frame, one-person sequences of 5 classes; splits mine_*."""
    rng = np.random.RandomState(0)
    annotations, split = [], {'mine_train': [], 'mine_test': []}
    for i in range(30):
        label = i % 5
        t = np.linspace(0, 1, 24)[:, None, None]
        pose = rng.normal(0, 0.3, (1, 25, 3))
        keypoint = pose + np.sin(2 * np.pi * (label + 1) * t) * 0.2
        name = f'seq_{i:03d}'
        annotations.append(dict(frame_dir=name, label=label, total_frames=24,
                                keypoint=keypoint[None].astype(np.float32)))
        split['mine_train' if i < 20 else 'mine_test'].append(name)
    path = folder / 'mine_3d.pkl'
    with open(path, 'wb') as f:
        pickle.dump(dict(split=split, annotations=annotations), f)
    (folder / 'label_map.txt').write_text(
        '\n'.join(f'action {c}' for c in range(5)) + '\n')
    return path


def run_tool(tool, *args, ok=True):
    env = dict(os.environ, PYTHONWARNINGS='ignore', OMP_NUM_THREADS='1')
    result = subprocess.run(
        [sys.executable, str(ROOT / 'tools' / tool), *map(str, args)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    out = result.stdout + result.stderr
    assert (result.returncode == 0) == ok, out[-4000:]
    return out


@pytest.fixture(scope='module')
def retargeted(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('retarget')
    ann_file = make_dataset(tmp)
    child = tmp / 'mamp_mine.py'
    child.write_text(CHILD.format(
        base=CONFIGS / 'mamp_4xb32-400e_ntu60-xsub-keypoint-3d.py',
        ann_file=ann_file))
    log = run_tool('train.py', child, '--work-dir', tmp / 'mamp', '--seed',
                   '0')
    return dict(tmp=tmp, ann_file=ann_file, child=child, log=log)


def data_options(ann_file, loaders, pipeline_index=1):
    options = [f'ann_file={ann_file}', 'num_classes=5', 'clip_len=24',
               'model.backbone.num_frames=24', 'model.backbone.embed_dims=32',
               'model.backbone.depth=2', 'model.backbone.num_heads=2']
    for loader, split in loaders:
        dataset = f'{loader}.dataset'
        options += [f'{dataset}.ann_file={ann_file}',
                    f'{dataset}.num_classes=5', f'{dataset}.split={split}',
                    f'{dataset}.pipeline.{pipeline_index}.clip_len=24',
                    f'{loader}.num_workers=0',
                    f'{loader}.persistent_workers=False']
    return options


def test_child_config_trains_stage1_on_24_frames(retargeted):
    assert 'loss_mamp' in retargeted['log']
    import torch
    ckpt = torch.load(retargeted['tmp'] / 'mamp' / 'epoch_1.pth',
                      map_location='cpu', weights_only=False)
    # 24 frames / 4 per token = 6 time tokens
    assert ckpt['state_dict']['backbone.temp_embed'].shape == (1, 6, 1, 32)


def test_cfg_options_retarget_stage2_and_knn(retargeted):
    tmp, ann_file = retargeted['tmp'], retargeted['ann_file']
    stage1 = tmp / 'mamp' / 'epoch_1.pth'
    run_tool(
        'train.py', CONFIGS / 'stars_4xb32-10e_ntu60-xsub-keypoint-3d.py',
        '--work-dir', tmp / 'stars', '--seed', '0', '--cfg-options',
        *data_options(ann_file, [('train_dataloader', 'mine_train')]),
        'train_split=mine_train', f'stage1_checkpoint={stage1}',
        f'model.backbone.init_cfg.checkpoint={stage1}',
        'model.contrastive_head.in_channels=32',
        'model.contrastive_head.hidden_channels=64',
        'model.contrastive_head.bank_size=64',
        'train_dataloader.batch_size=4', 'max_epochs=1',
        'train_cfg.max_epochs=1')
    stage2 = tmp / 'stars' / 'epoch_1.pth'
    assert stage2.is_file()
    label_map = tmp / 'label_map.txt'
    out = run_tool(
        'test.py', CONFIGS / 'eval' / 'knn_ntu60-xsub-keypoint-3d.py', stage2,
        '--work-dir', tmp / 'knn', '--cfg-options',
        *data_options(ann_file, [('test_dataloader', 'mine_test'),
                                 ('test_cfg.bank_dataloader', 'mine_train')]),
        'train_split=mine_train', 'test_split=mine_test',
        f'label_map={label_map}', f'test_evaluator.label_map={label_map}',
        'test_evaluator.num_classes=5', 'test_evaluator.topk_neighbours=[1,5]')
    assert 'knn/top1_k1' in out and 'knn/top1_k5' in out


def test_variable_alone_on_the_command_line_stops_the_run(retargeted):
    out = run_tool('train.py', retargeted['child'], '--work-dir',
                   retargeted['tmp'] / 'bad', '--cfg-options', 'clip_len=16',
                   ok=False)
    assert 'clip_len=16 but' in out
    for key in ('train_dataloader.dataset.pipeline.1.clip_len=24',
                'model.backbone.num_frames=24',
                'model.mamp_head.decoder.num_frames=24'):
        assert key in out, key
    assert 'loss_mamp' not in out
