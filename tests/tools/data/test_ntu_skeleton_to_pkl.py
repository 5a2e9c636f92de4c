"""End to end: tools/data/ntu_skeleton_to_pkl.py."""
import importlib.util
import os.path as osp
import pickle
import subprocess
import sys

import numpy as np
import pytest
from skeleton_fixtures import format_ntu_skeleton

ROOT = osp.abspath(osp.join(osp.dirname(__file__), '..', '..', '..'))
TOOL = osp.join(ROOT, 'tools', 'data', 'ntu_skeleton_to_pkl.py')


def load_tool():
    spec = importlib.util.spec_from_file_location('ntu_skeleton_to_pkl', TOOL)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def write(folder, name, frames):
    (folder / f'{name}.skeleton').write_text(format_ntu_skeleton(frames))


def joints(v):
    return np.full((25, 3), v) + np.arange(75).reshape(25, 3) * 0.01


@pytest.fixture
def ntu_dir(tmp_path):
    src = tmp_path / 'skeletons'
    src.mkdir()
    write(src, 'S001C001P001R001A001',
          [[('1', joints(t)), ('2', joints(0.1 * t))] for t in range(4)])
    write(src, 'S001C002P003R001A002', [[('1', joints(t))] for t in range(3)])
    write(src, 'S001C003P001R001A003', [[('1', joints(1))]])
    write(src, 'S001C001P001R001A004', [[('1', joints(1))]])
    text = format_ntu_skeleton([[('1', joints(1))]] * 2).splitlines()
    (src / 'S001C001P001R001A005.skeleton').write_text(
        '\n'.join(text[:20]) + '\n')
    write(src, 'bad_name', [[('1', joints(1))]])
    (tmp_path / 'missing.txt').write_text('S001C001P001R001A004\n')
    return tmp_path


def test_cli_subprocess(ntu_dir):
    out = ntu_dir / 'out' / 'ntu60_3d.pkl'
    res = subprocess.run(
        [sys.executable, TOOL, str(ntu_dir / 'skeletons'), '--out', str(out),
         '--missing-list', str(ntu_dir / 'missing.txt'), '--benchmark',
         'ntu60'], capture_output=True, text=True, cwd=str(ntu_dir))
    assert res.returncode == 0, res.stderr
    assert '3 samples written, 3 skipped' in res.stdout
    assert 'skipped (in missing-skeleton list): 1' in res.stdout
    assert 'skipped (truncated file): 1' in res.stdout
    assert 'S001C001P001R001A005.skeleton' in res.stdout
    assert 'skipped (bad file name): 1' in res.stdout
    assert 'split xsub_train: 2' in res.stdout
    assert 'NTU skeletons' in res.stderr  # the tqdm bar
    with open(out, 'rb') as f:
        data = pickle.load(f)
    assert data['split'] == {
        'xsub_train': ['S001C001P001R001A001', 'S001C003P001R001A003'],
        'xsub_val': ['S001C002P003R001A002'],
        'xview_train': ['S001C002P003R001A002', 'S001C003P001R001A003'],
        'xview_val': ['S001C001P001R001A001']}
    kp = data['annotations'][0]['keypoint']
    assert kp.shape == (2, 4, 25, 3)
    np.testing.assert_array_equal(kp[1, 2], joints(0.2).astype(np.float32))


def test_cli_main_and_errors(ntu_dir, capsys):
    tool = load_tool()
    out = ntu_dir / 'a.pkl'
    assert tool.main([str(ntu_dir / 'skeletons'), '--out', str(out),
                      '--no-progress', '--max-workers', '2']) == 0
    assert 'benchmark ntu60 chosen' in capsys.readouterr().out
    assert tool.main([str(ntu_dir / 'nothere'), '--out', str(out)]) == 1
    assert 'input not found' in capsys.readouterr().err
    with pytest.raises(SystemExit) as e:
        tool.main(['--help'])
    assert e.value.code == 0
    assert '--missing-list' in capsys.readouterr().out
