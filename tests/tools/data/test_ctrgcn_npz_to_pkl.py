"""End to end: tools/data/ctrgcn_npz_to_pkl.py."""
import importlib.util
import os.path as osp
import pickle
import subprocess
import sys

import numpy as np
import pytest

ROOT = osp.abspath(osp.join(osp.dirname(__file__), '..', '..', '..'))
TOOL = osp.join(ROOT, 'tools', 'data', 'ctrgcn_npz_to_pkl.py')


def load_tool():
    spec = importlib.util.spec_from_file_location('ctrgcn_npz_to_pkl', TOOL)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture
def npz(tmp_path):
    rng = np.random.default_rng(0)
    x = np.zeros((3, 300, 150), np.float32)
    x[0, :100] = rng.normal(size=(100, 150))
    x[1, :50, :75] = rng.normal(size=(50, 75))
    y = np.eye(10, dtype=np.float32)[[1, 2, 3]]
    path = tmp_path / 'NTU60_CV.npz'
    np.savez(path, x_train=x[:2], y_train=y[:2], x_test=x[2:], y_test=y[2:])
    return path, x


def test_cli_subprocess(npz, tmp_path):
    path, x = npz
    out = tmp_path / 'out.pkl'
    res = subprocess.run([sys.executable, TOOL, str(path), '--benchmark',
                          'xview', '--out', str(out)],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert '2 samples written, 1 skipped' in res.stdout
    assert 'skipped (empty sample): 1' in res.stdout
    assert 'val_000000' in res.stdout
    with open(out, 'rb') as f:
        data = pickle.load(f)
    assert data['split'] == {'xview_train': ['train_000000', 'train_000001'],
                             'xview_val': []}
    a0, a1 = data['annotations']
    assert a0['keypoint'].shape == (2, 100, 25, 3)
    assert a1['keypoint'].shape == (1, 50, 25, 3)
    np.testing.assert_array_equal(a1['keypoint'][0].reshape(50, 75),
                                  x[1, :50, :75])
    assert (a0['label'], a1['label']) == (1, 2)


def test_cli_missing_arrays(tmp_path, capsys):
    tool = load_tool()
    path = tmp_path / 'x.npz'
    np.savez(path, x_train=np.zeros((1, 300, 150)))
    assert tool.main([str(path), '--benchmark', 'xsub', '--out',
                      str(tmp_path / 'o.pkl')]) == 1
    err = capsys.readouterr().err
    assert 'y_train' in err and 'x_test' in err and str(path) in err
    assert not (tmp_path / 'o.pkl').exists()
    with pytest.raises(SystemExit) as e:
        tool.main(['--help'])
    assert e.value.code == 0
    assert '--benchmark' in capsys.readouterr().out
