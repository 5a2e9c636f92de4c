"""Broken raw data given to the converters (tools/data/*_to_pkl.py).

A broken input that stops the conversion exits with status 1 and an
``error:`` line naming the file; a broken sample among good ones is skipped
and named in the printed summary (never silently dropped).
"""
import numpy as np
import pytest

from corpus_tools import load_tool
from skeleton_fixtures import format_ntu_skeleton

NTU = 'tools/data/ntu_skeleton_to_pkl.py'
CTRGCN = 'tools/data/ctrgcn_npz_to_pkl.py'
PKU = 'tools/data/pku_mmd_to_pkl.py'


def convert(tool, argv, capsys):
    """Exit status and printed text of a converter's main(argv)."""
    try:
        status = load_tool(tool).main([str(a) for a in argv])
    except SystemExit as err:  # argparse
        status = err.code
    out = capsys.readouterr()
    return status, out.out + out.err


# ------------------------------------------------------------ NTU RGB+D
@pytest.fixture
def ntu_dir(tmp_path):
    folder = tmp_path / 'skeletons'
    folder.mkdir()
    body = np.arange(75, dtype=float).reshape(25, 3) * 0.01 + 1
    for name in ('S001C001P001R001A001', 'S001C001P002R001A002'):
        (folder / f'{name}.skeleton').write_text(
            format_ntu_skeleton([[('1', body + t)] for t in range(4)]))
    return folder


def test_ntu_missing_source_folder(tmp_path, capsys):
    status, text = convert(NTU, [tmp_path / 'nturgbd', '--out',
                                 tmp_path / 'o.pkl'], capsys)
    assert status == 1
    assert f'error: input not found: {tmp_path / "nturgbd"}' in text


def test_ntu_missing_list_not_found(ntu_dir, tmp_path, capsys):
    status, text = convert(NTU, [ntu_dir, '--missing-list',
                                 tmp_path / 'missing.txt', '--out',
                                 tmp_path / 'o.pkl'], capsys)
    assert status == 1
    assert 'missing-skeleton list not found: ' in text
    assert str(tmp_path / 'missing.txt') in text


def test_ntu_unknown_benchmark(ntu_dir, tmp_path, capsys):
    status, text = convert(NTU, [ntu_dir, '--benchmark', 'ntu90', '--out',
                                 tmp_path / 'o.pkl'], capsys)
    assert status == 2
    assert "argument --benchmark: invalid choice: 'ntu90'" in text


@pytest.mark.parametrize('case', ['truncated', 'bad_name', 'not_numbers'])
def test_ntu_broken_file_is_skipped_and_named(case, ntu_dir, tmp_path,
                                              capsys):
    good = (ntu_dir / 'S001C001P001R001A001.skeleton').read_text()
    name, text, expected = dict(
        truncated=('S001C001P003R001A003', good[:len(good) // 2],
                   'truncated'),
        bad_name=('clip_0001', good,
                  'file name does not match SsssCcccPpppRrrrAaaa'),
        not_numbers=('S001C001P003R001A003',
                     good.replace('\n1\n', '\nabc\n', 1), 'expected'))[case]
    (ntu_dir / f'{name}.skeleton').write_text(text)
    status, printed = convert(NTU, [ntu_dir, '--out', tmp_path / 'o.pkl',
                                    '--no-progress'], capsys)
    assert status == 0
    assert '1 skipped' in printed and name in printed
    assert expected in printed


# ------------------------------------------------------- CTR-GCN npz
def ctrgcn_arrays(n=4, t=10, width=150):
    x = np.ones((n, t, width), np.float32)
    y = np.eye(3)[np.arange(n) % 3]
    return dict(x_train=x, y_train=y, x_test=x, y_test=y)


@pytest.mark.parametrize('case', ['missing', 'text', 'single_array',
                                  'missing_arrays', 'x_shape', 'y_length'])
def test_ctrgcn_broken_npz(case, tmp_path, capsys):
    path = tmp_path / 'NTU60_CS.npz'
    arrays = ctrgcn_arrays()
    if case == 'text':
        path.write_text('x_train,y_train\n')
    elif case == 'single_array':
        with open(path, 'wb') as f:
            np.save(f, arrays['x_train'])
    elif case == 'missing_arrays':
        np.savez(path, x_train=arrays['x_train'], y_train=arrays['y_train'])
    elif case == 'x_shape':
        np.savez(path, **dict(arrays, x_train=arrays['x_train'][..., :75]))
    elif case == 'y_length':
        np.savez(path, **dict(arrays, y_train=arrays['y_train'][:3]))
    expected = dict(
        missing=f'npz file not found: {path}',
        text=f'{path}: not a readable npz file',
        single_array=f'{path}: expected an .npz archive, got a single array',
        missing_arrays=f'{path}: missing array(s) x_test, y_test',
        x_shape=f'{path}: x_train has shape (4, 10, 75), expected '
        '(N, T, 150)',
        y_length=f'{path}: y_train has shape (3, 3), expected (4, '
        'num_class) or (4,)')[case]
    status, text = convert(CTRGCN, [path, '--benchmark', 'xsub', '--out',
                                    tmp_path / 'o.pkl', '--no-progress'],
                           capsys)
    assert status == 1
    assert expected in text
    assert not (tmp_path / 'o.pkl').exists()


# -------------------------------------------------------------- PKU-MMD
@pytest.fixture
def pku(tmp_path):
    skeleton = np.zeros((30, 150))
    skeleton[:, :75] = np.arange(30 * 75).reshape(30, 75) * 0.001
    (tmp_path / 'skel').mkdir()
    (tmp_path / 'label').mkdir()
    np.savetxt(tmp_path / 'skel' / '0002-L.txt', skeleton, fmt='%.3f')
    np.savetxt(tmp_path / 'skel' / '0291-L.txt', skeleton, fmt='%.3f')
    (tmp_path / 'label' / '0002-L.txt').write_text('3,2,11,1\n')
    (tmp_path / 'label' / '0291-L.txt').write_text('51,0,29,2\n')
    return tmp_path


SPLIT_CASES = {
    'unknown_section': ('Evaluation videos: 0002-L\n',
                        "line 1: unknown section 'Evaluation'"),
    'names_before_a_header': ('0002-L\nTraining videos: 0291-L\n',
                              'line 1: video names before a'),
    'video_in_both_lists': ('train: 0002-L\nval: 0002-L, 0291-L\n',
                            "videos in both the training and the "
                            "validation list: ['0002-L']"),
    'no_validation_videos': ('train: 0002-L, 0291-L\n',
                             'no val videos found'),
}


@pytest.mark.parametrize('case', list(SPLIT_CASES))
def test_pku_broken_split_file(case, pku, capsys):
    text, expected = SPLIT_CASES[case]
    split = pku / 'cross-subject.txt'
    split.write_text(text)
    status, printed = convert(PKU, [
        '--skeleton-dir', pku / 'skel', '--label-dir', pku / 'label',
        '--xsub-split', split, '--out', pku / 'o.pkl', '--no-progress'
    ], capsys)
    assert status == 1
    assert f'{split}: {expected}' in printed


@pytest.mark.parametrize('case', ['split_file', 'skeleton_dir', 'labels'])
def test_pku_missing_input(case, pku, capsys):
    skeleton_dir, label_dir = pku / 'skel', pku / 'label'
    argv = ['--out', pku / 'o.pkl', '--no-progress']
    if case == 'split_file':
        argv += ['--xsub-split', pku / 'cross-subject.txt']
        expected = f'split file not found: {pku / "cross-subject.txt"}'
    elif case == 'skeleton_dir':
        skeleton_dir = pku / 'skeletons'
        expected = f'folder not found: {skeleton_dir}'
    else:
        label_dir = pku / 'empty'
        label_dir.mkdir()
        expected = f'no label files (*.txt) in {label_dir}'
    status, printed = convert(PKU, ['--skeleton-dir', skeleton_dir,
                                    '--label-dir', label_dir, *argv], capsys)
    assert status == 1
    assert expected in printed


def test_pku_label_out_of_range_is_skipped_and_named(pku, capsys):
    (pku / 'label' / '0002-L.txt').write_text('3,2,11,1\n60,0,3,1\n')
    status, printed = convert(PKU, [
        '--skeleton-dir', pku / 'skel', '--label-dir', pku / 'label',
        '--out', pku / 'o.pkl', '--no-progress'
    ], capsys)
    assert status == 0
    assert 'skipped (label out of range): 1' in printed
    assert '0002-L_001' in printed and 'label 60' in printed
