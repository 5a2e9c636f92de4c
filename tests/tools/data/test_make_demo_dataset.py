import importlib.util
import os.path as osp
import pickle
import subprocess
import sys

import numpy as np

ROOT = osp.abspath(osp.join(osp.dirname(__file__), '..', '..', '..'))
SCRIPT = osp.join(ROOT, 'tools', 'data', 'make_demo_dataset.py')
SMALL = ['--num-subjects', '3', '--num-val-subjects', '1',
         '--num-repetitions', '1', '--num-val-repetitions', '1']


def _load_tool():
    spec = importlib.util.spec_from_file_location('make_demo_dataset', SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_cli_main_in_process(tmp_path, capsys):
    tool = _load_tool()
    out = tmp_path / 'demo'
    tool.main(['--out-dir', str(out), '--num-classes', '5',
               '--frames', '20', '30'] + SMALL)
    text = capsys.readouterr().out
    assert 'samples: 15 (xsub_train 10, xsub_val 5), classes: 5' in text
    with open(out / 'demo_3d.pkl', 'rb') as f:
        data = pickle.load(f)
    assert (out / 'label_map.txt').read_text().splitlines() == [
        'arm circles (forward)', 'arm circles (reversed)',
        'hip circles (forward)', 'hip circles (reversed)',
        'cycling legs (forward)'
    ]
    assert {a['label'] for a in data['annotations']} == set(range(5))
    assert all(20 <= a['total_frames'] <= 30 for a in data['annotations'])


def test_cli_end_to_end_is_deterministic(tmp_path):
    out = tmp_path / 'demo'
    cmd = [sys.executable, SCRIPT, '--out-dir', str(out), '--name', 'x'
           ] + SMALL
    res = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0, res.stderr
    with open(out / 'x.pkl', 'rb') as f:
        data = pickle.load(f)
    assert len(data['annotations']) == 12 * 3
    again = _load_tool().main(['--out-dir', str(tmp_path / 'again')] + SMALL)
    assert again['split'] == data['split']
    for a, b in zip(data['annotations'], again['annotations']):
        np.testing.assert_array_equal(a['keypoint'], b['keypoint'])
