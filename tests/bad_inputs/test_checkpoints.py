"""Broken checkpoints given to tools/train.py (stage 1 weights, --resume,
load_from) and tools/test.py, each refused naming the file."""
import pytest
import torch

from corpus_tools import (KNN_CONFIG, assert_refused, encoder_state,
                          evaluate, stage2_config, train)


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


def empty_file(path):
    path.write_bytes(b'')


def a_list(path):
    torch.save([1, 2, 3], path)


CASES = {
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
    'empty_file': (empty_file, r'is not a readable checkpoint'),
    'a_list': (a_list, r'holds a list, expected a dict with a state_dict'),
}


@pytest.mark.parametrize('case', list(CASES))
def test_broken_stage1_checkpoint(case, tmp_path, monkeypatch, demo_ann_file):
    make, pattern = CASES[case]
    path = tmp_path / 'stage1.pth'
    make(path)
    config = stage2_config(tmp_path, demo_ann_file, str(path))
    err = train(monkeypatch, config, tmp_path / 'work')
    assert_refused(err, pattern, tmp_path / 'work')
    assert str(path) in str(err)


@pytest.mark.parametrize('case', ['wrong_model', 'not_a_checkpoint',
                                  'truncated'])
def test_broken_checkpoint_for_tools_test(case, tmp_path, monkeypatch,
                                          demo_ann_file):
    make, pattern = CASES[case]
    path = tmp_path / 'model.pth'
    make(path)
    config = tmp_path / 'knn.py'
    config.write_text(KNN_CONFIG.format(ann_file=demo_ann_file, ks=(1, )))
    err = evaluate(monkeypatch, config, path, tmp_path / 'work')
    assert_refused(err, pattern, tmp_path / 'work')
    assert str(path) in str(err)


def test_missing_checkpoint_for_tools_test(tmp_path, monkeypatch,
                                           demo_ann_file):
    config = tmp_path / 'knn.py'
    config.write_text(KNN_CONFIG.format(ann_file=demo_ann_file, ks=(1, )))
    path = tmp_path / 'epoch_10.pth'
    err = evaluate(monkeypatch, config, path, tmp_path / 'work')
    assert_refused(err, rf'{path} does not exist', tmp_path / 'work')


def test_resume_from_another_models_checkpoint(tmp_path, monkeypatch,
                                               demo_ann_file,
                                               stage1_checkpoint):
    # a stage-1 checkpoint given to --resume of a stage-2 run
    config = stage2_config(tmp_path, demo_ann_file, str(stage1_checkpoint))
    err = train(monkeypatch, config, tmp_path / 'work', '--resume',
                stage1_checkpoint)
    assert_refused(
        err, r'resume checkpoint .*stage1.pth does not match the '
        r"model under prefix '':\n  missing keys \d+: "
        r'\[contrastive_head.memory_bank.bank', tmp_path / 'work')


def test_resume_from_a_weights_only_file(tmp_path, monkeypatch, demo_ann_file,
                                         stage1_checkpoint):
    path = tmp_path / 'weights.pth'
    torch.save(encoder_state(), path)
    config = stage2_config(tmp_path, demo_ann_file, str(stage1_checkpoint))
    err = train(monkeypatch, config, tmp_path / 'work', '--resume', path)
    assert_refused(
        err, r'resume checkpoint .*weights.pth is not a training '
        r"checkpoint: expected keys 'state_dict' and 'meta'",
        tmp_path / 'work')


@pytest.mark.parametrize('case', ['missing', 'truncated'])
def test_broken_resume_path(case, tmp_path, monkeypatch, demo_ann_file,
                            stage1_checkpoint):
    path = tmp_path / 'epoch_3.pth'
    if case == 'truncated':
        truncated(path)
    config = stage2_config(tmp_path, demo_ann_file, str(stage1_checkpoint))
    err = train(monkeypatch, config, tmp_path / 'work', '--resume', path)
    pattern = dict(missing='does not exist',
                   truncated='is not a readable checkpoint')[case]
    assert_refused(err, rf'resume checkpoint {path} {pattern}',
                   tmp_path / 'work')


@pytest.mark.parametrize('case', ['missing', 'truncated'])
def test_broken_load_from(case, tmp_path, monkeypatch, demo_ann_file,
                          stage1_checkpoint):
    path = tmp_path / 'init.pth'
    if case == 'truncated':
        truncated(path)
    config = stage2_config(tmp_path, demo_ann_file, str(stage1_checkpoint),
                           f"\nload_from = '{path}'")
    err = train(monkeypatch, config, tmp_path / 'work')
    pattern = dict(missing='does not exist',
                   truncated='is not a readable checkpoint')[case]
    assert_refused(err, rf'load_from.*{path} {pattern}', tmp_path / 'work')
