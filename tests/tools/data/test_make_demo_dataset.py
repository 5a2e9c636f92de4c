import importlib.util
import os.path as osp
import pickle
import subprocess
import sys

import numpy as np

ROOT = osp.abspath(osp.join(osp.dirname(__file__), '..', '..', '..'))
SCRIPT = osp.join(ROOT, 'tools', 'data', 'make_demo_dataset.py')
SMALL = ['--num-subjects', '3', '--num-val-subjects', '1',
         '--num-repetitions', '1']


def _load_tool():
    spec = importlib.util.spec_from_file_location('make_demo_dataset', SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_cli_main_in_process(tmp_path, capsys):
    tool = _load_tool()
    out = tmp_path / 'demo'
    tool.main(['--out-dir', str(out), '--seed', '0', '--num-classes', '5'] + SMALL)
    text = capsys.readouterr().out
    assert '1-NN' in text and 'samples: 15' in text
    with open(out / 'synthetic_ntu.pkl', 'rb') as f:
        data = pickle.load(f)
    labels = (out / 'label_map.txt').read_text().splitlines()
    assert len(labels) == 5
    assert len(data['annotations']) == 5 * 3
    assert {a['label'] for a in data['annotations']} == set(range(5))
    assert set(data['split']) == {'xsub_train', 'xsub_val'}


def test_cli_end_to_end(tmp_path):
    out = tmp_path / 'demo'
    cmd = [sys.executable, SCRIPT, '--out-dir', str(out), '--seed', '0',
           '--no-eval'] + SMALL
    res = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0, res.stderr
    assert 'samples:' in res.stdout and '1-NN' not in res.stdout
    pkl = out / 'synthetic_ntu.pkl'
    with open(pkl, 'rb') as f:
        data = pickle.load(f)
    names = (out / 'label_map.txt').read_text().splitlines()
    from stars_mmaction.datasets.synthetic_ntu import CLASS_NAMES
    assert names == CLASS_NAMES
    assert len(data['annotations']) == len(names) * 3
    for a in data['annotations']:
        assert a['keypoint'].dtype == np.float32
        assert a['keypoint'].shape[1:] == (a['total_frames'], 25, 3)
    # deterministic: an in-process run writes identical arrays
    out2 = tmp_path / 'demo2'
    _load_tool().main(['--out-dir', str(out2), '--seed', '0', '--no-eval'] + SMALL)
    with open(out2 / 'synthetic_ntu.pkl', 'rb') as f:
        data2 = pickle.load(f)
    assert data2['split'] == data['split']
    for a, b in zip(data['annotations'], data2['annotations']):
        np.testing.assert_array_equal(a['keypoint'], b['keypoint'])
