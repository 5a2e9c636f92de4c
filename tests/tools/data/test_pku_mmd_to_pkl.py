"""End to end: tools/data/pku_mmd_to_pkl.py."""
import importlib.util
import os.path as osp
import pickle
import subprocess
import sys

import numpy as np
import pytest

ROOT = osp.abspath(osp.join(osp.dirname(__file__), '..', '..', '..'))
TOOL = osp.join(ROOT, 'tools', 'data', 'pku_mmd_to_pkl.py')


def load_tool():
    spec = importlib.util.spec_from_file_location('pku_mmd_to_pkl', TOOL)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture
def pku(tmp_path):
    skel = np.zeros((30, 150))
    skel[:, :75] = np.arange(30 * 75).reshape(30, 75) * 0.001
    (tmp_path / 'skel').mkdir()
    (tmp_path / 'label').mkdir()
    np.savetxt(tmp_path / 'skel' / '0002-L.txt', skel, fmt='%.3f')
    np.savetxt(tmp_path / 'skel' / '0291-L.txt', skel[::-1], fmt='%.3f')
    (tmp_path / 'label' / '0002-L.txt').write_text('3,2,11,1\n60,0,3,1\n')
    (tmp_path / 'label' / '0291-L.txt').write_text('51,0,29,2\n')
    (tmp_path / 'cross-subject.txt').write_text(
        'Training videos: \n0002-L, 0002-M\nValidataion videos: \n0291-L\n')
    (tmp_path / 'cross-view.txt').write_text('train: 0291-L\nval: 0002-L\n')
    return tmp_path, skel


def test_cli_subprocess(pku):
    root, skel = pku
    out = root / 'pku.pkl'
    res = subprocess.run(
        [sys.executable, TOOL, '--skeleton-dir', str(root / 'skel'),
         '--label-dir', str(root / 'label'), '--xsub-split',
         str(root / 'cross-subject.txt'), '--xview-split',
         str(root / 'cross-view.txt'), '--out', str(out)],
        capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert '2 samples written, 1 skipped' in res.stdout
    assert 'skipped (label out of range): 1' in res.stdout
    assert '0002-L_001' in res.stdout and 'label 60' in res.stdout
    with open(out, 'rb') as f:
        data = pickle.load(f)
    assert data['split'] == {'xsub_train': ['0002-L_000'],
                             'xsub_val': ['0291-L_000'],
                             'xview_train': ['0291-L_000'],
                             'xview_val': ['0002-L_000']}
    a = data['annotations'][0]
    assert a['label'] == 2 and a['total_frames'] == 10
    np.testing.assert_array_equal(
        a['keypoint'], skel[2:12, :75].reshape(1, 10, 25, 3).astype('f4'))


def test_cli_main_errors(pku, capsys):
    root, _ = pku
    tool = load_tool()
    (root / 'bad-split.txt').write_text('0002-L\n')
    assert tool.main(['--skeleton-dir', str(root / 'skel'), '--label-dir',
                      str(root / 'label'), '--xsub-split',
                      str(root / 'bad-split.txt'), '--out',
                      str(root / 'o.pkl'), '--no-progress']) == 1
    assert 'bad-split.txt: line 1' in capsys.readouterr().err
    with pytest.raises(SystemExit) as e:
        tool.main(['--help'])
    assert e.value.code == 0
    assert '--xview-split' in capsys.readouterr().out
