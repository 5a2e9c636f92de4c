"""Broken annotation files (the pickle's layout), through tools/train.py."""
import copy
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from corpus_tools import (ROOT, assert_refused, demo_data, stage1_config,
                          train, write_pickle)


def with_split(data, name, names):
    data = copy.deepcopy(data)
    data['split'][name] = names
    return data


def first_names(data, n, split='xsub_train'):
    return list(data['split'][split][:n])


# name: (content of the pickle from the demo data, split, expected message)
CASES = {
    'pickle_without_keys': (
        lambda d: {'samples': d['annotations']}, 'xsub_train',
        r"must hold a dict with keys 'split' and 'annotations'.*got a dict "
        r"with keys \['samples'\]"),
    'pickle_of_a_list': (
        lambda d: d['annotations'], 'xsub_train',
        r"must hold a dict with keys 'split' and 'annotations'.*got a list"),
    'no_split_key': (
        lambda d: {'annotations': d['annotations']}, 'xsub_train',
        r"has no 'split' key but split='xsub_train' was requested"),
    'wrong_split_name': (
        lambda d: d, 'xsub_tran',
        r"split 'xsub_tran' is not in .*available splits: \['xsub_train', "
        r"'xsub_val'\]"),
    'split_stored_as_a_list': (
        lambda d: dict(d, split=[d['split']['xsub_train']]), 'xsub_train',
        r"'split' must be a dict mapping split names to lists of "
        r'frame_dir, got a list'),
    'split_names_a_string': (
        lambda d: with_split(d, 'xsub_train', 'S001C001P001R001A001'),
        'xsub_train', r"split 'xsub_train' of .* must be a list of "
        r'frame_dir names, got a str'),
    'empty_split': (
        lambda d: with_split(d, 'xsub_train', []), 'xsub_train',
        r"split 'xsub_train' of .* has no samples"),
    'split_lists_unknown_samples': (
        lambda d: with_split(d, 'xsub_train', first_names(d, 3) +
                             ['S999C001P001R001A001', 'S999C001P001R001A002']),
        'xsub_train', r"split 'xsub_train' of .* lists 2 frame_dir\(s\) with "
        r"no annotation: \['S999C001P001R001A001', 'S999C001P001R001A002'\]"),
    'split_lists_a_sample_twice': (
        lambda d: with_split(d, 'xsub_train', first_names(d, 4) +
                             first_names(d, 1)), 'xsub_train',
        r"split 'xsub_train' of .*: 1 frame_dir\(s\) appear more than once: "
        r"\['S"),
    'annotations_repeat_a_sample': (
        lambda d: dict(d, annotations=d['annotations'] +
                       d['annotations'][:2]), 'xsub_train',
        r'annotations of .*: 2 frame_dir\(s\) appear more than once.*'
        r'expected each sample once'),
    'annotations_not_a_list': (
        lambda d: dict(d, annotations={a['frame_dir']: a
                                       for a in d['annotations']}),
        'xsub_train', r"'annotations' must be a list of dicts \(one per "
        r'sample\), got a dict'),
    'annotations_of_strings': (
        lambda d: dict(d, annotations=[a['frame_dir']
                                       for a in d['annotations']]),
        'xsub_train', r"'annotations' must be a list of dicts .* holding "
        r'str'),
}


@pytest.mark.parametrize('case', list(CASES))
def test_broken_annotation_file(case, tmp_path, monkeypatch, demo_ann_file):
    make, split, pattern = CASES[case]
    ann_file = write_pickle(tmp_path / f'{case}.pkl',
                            make(demo_data(demo_ann_file)))
    config = stage1_config(tmp_path, ann_file, split)
    err = train(monkeypatch, config, tmp_path / 'work')
    assert_refused(err, pattern, tmp_path / 'work')
    assert str(ann_file) in str(err)  # names the file


def test_missing_annotation_file(tmp_path, monkeypatch):
    config = stage1_config(tmp_path, tmp_path / 'none.pkl')
    err = train(monkeypatch, config, tmp_path / 'work')
    assert_refused(
        err, r'annotation file .*none.pkl does not exist; '
        'generate the demo data', tmp_path / 'work')


def test_text_file_instead_of_a_pickle(tmp_path, monkeypatch):
    ann_file = tmp_path / 'notes.pkl'
    ann_file.write_text('frame_dir,label\nS001,1\n')
    err = train(monkeypatch, stage1_config(tmp_path, ann_file),
                tmp_path / 'work')
    assert_refused(
        err, rf'annotation file {ann_file} is not a readable pickle',
        tmp_path / 'work')


def test_command_line_ends_with_the_clear_message(tmp_path, demo_ann_file):
    """What a user sees: a subprocess whose last line is the message."""
    ann_file = tmp_path / 'cut.pkl'
    ann_file.write_bytes(Path(demo_ann_file).read_bytes()[:5000])
    config = stage1_config(tmp_path, ann_file)
    result = subprocess.run(
        [sys.executable, str(ROOT / 'tools/train.py'), str(config),
         '--work-dir', str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env=dict(os.environ, PYTHONWARNINGS='ignore', OMP_NUM_THREADS='1'))
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert re.search(
        rf'AnnotationError: .*annotation file {ann_file} is not '
        r'a readable pickle \(.*\); it may be truncated', last)
