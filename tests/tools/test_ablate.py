"""tools/ablate.py: sweep parsing, the planned runs, resuming, table, plot."""
import csv
import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
SWEEPS = ROOT / 'configs' / 'stars' / 'sweeps'
spec = importlib.util.spec_from_file_location('ablate',
                                              ROOT / 'tools' / 'ablate.py')
ablate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ablate)

EVALS = """[
    dict(name='knn_k10', tool='test', config='knn.py', metric='knn/top1_k10'),
    dict(name='linear', tool='train', config='linear.py', metric='acc/top1'),
]"""


def write_sweep(tmp_path, body, name='sweep.py'):
    path = tmp_path / name
    path.write_text(
        f"_base_ = ['{ROOT}/configs/stars/stars_1xb32-10e_demo-xsub-"
        f"keypoint-3d.py']\nevaluations = {EVALS}\n{body}\n")
    return str(path)


def sweep_body(tmp_path, **kwargs):
    fields = dict(name="'ratio'",
                  key="'optim_wrapper.paramwise_cfg.tune_ratio'",
                  values='[0.0, 0.5]', stage1_checkpoint="'s1.pth'",
                  evaluations='evaluations',
                  work_dir=repr(str(tmp_path / 'sweep')))
    fields.update(kwargs)
    return 'sweep = dict(' + ', '.join(f'{k}={v}'
                                       for k, v in fields.items()) + ')'


def test_demo_tune_epochs_sweep_plans_one_run_with_milestones():
    sweep = ablate.load_sweep(
        str(SWEEPS / 'stars_tune-epochs_demo-xsub-keypoint-3d.py'))
    launcher = ablate.Launcher()
    tune = ablate.tuning_steps(sweep, launcher)
    assert len(tune) == 1
    cmd = tune[0].cmd
    assert 'train_cfg.max_epochs=16' in cmd
    assert 'default_hooks.checkpoint.milestones=[1,2,4,8,16]' in cmd
    assert 'default_hooks.checkpoint.type=MilestoneCheckpointHook' in cmd
    assert [Path(f).name for f in tune[0].done_files] == [
        f'epoch_{e}.pth' for e in (1, 2, 4, 8, 16)]
    evals = ablate.evaluation_steps(sweep, launcher)
    assert len(evals) == 3 * 6  # stage 1 + five epochs, three metrics
    # The baseline is shared with the demo tune-ratio sweep.
    ratio = ablate.load_sweep(
        str(SWEEPS / 'stars_tune-ratio_demo-xsub-keypoint-3d.py'))
    assert ratio.baseline_work_dir == sweep.baseline_work_dir
    assert ratio.max_epochs == 5 and len(ablate.tuning_steps(
        ratio, launcher)) == 5
    linear = [s for s in evals if s.evaluation.name == 'linear'][-1]
    assert linear.cmd[-1].endswith('max_epochs_16/epoch_16.pth')
    assert 'train_cfg.max_epochs=4' in linear.cmd


def test_ntu60_sweeps_and_distributed_commands():
    sweep = ablate.load_sweep(
        str(SWEEPS / 'stars_tune-ratio_ntu60-xsub-keypoint-3d.py'))
    assert sweep.values == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert [e.metric for e in sweep.evaluations] == [
        'knn/top1_k10', 'acc/top1', 'fewshot/avg']
    launcher = ablate.Launcher('pytorch', 8)
    tune = ablate.tuning_steps(sweep, launcher)[1]
    assert tune.cmd[:4] == ['bash', str(ROOT / 'tools' / 'dist_train.sh'),
                            sweep.path, '8']
    assert 'optim_wrapper.paramwise_cfg.tune_ratio=0.25' in tune.cmd
    knn = ablate.evaluation_steps(sweep, launcher)[0]
    assert knn.cmd[1].endswith('dist_test.sh') and knn.cmd[4] == '8'
    epochs = ablate.load_sweep(
        str(SWEEPS / 'stars_tune-epochs_ntu60-xsub-keypoint-3d.py'))
    assert epochs.values == [5, 10, 20, 40, 80] and epochs.mode == \
        'checkpoints'


@pytest.mark.parametrize('body,match', [
    (dict(key="'optim_wrapper.paramwise_cfg.nope'"), 'not a key'),
    (dict(mode="'checkpoints'"), "varies 'train_cfg.max_epochs'"),
    (dict(values='[0.5, 0.5]'), 'distinct'),
    (dict(extra='1'), 'unknown sweep keys'),
])
def test_bad_sweeps_are_refused(tmp_path, body, match):
    with pytest.raises(ValueError, match=match):
        ablate.load_sweep(write_sweep(tmp_path, sweep_body(tmp_path,
                                                           **body)))


def test_checkpoint_mode_needs_a_constant_lr(tmp_path):
    body = sweep_body(tmp_path, key="'train_cfg.max_epochs'",
                      values='[1, 2]', mode="'checkpoints'")
    body += "\nparam_scheduler = [dict(type='CosineAnnealingLR', T_max=2)]"
    with pytest.raises(ValueError, match='constant learning rate'):
        ablate.load_sweep(write_sweep(tmp_path, body))


def test_metric_readers(tmp_path):
    run = tmp_path / '20240101_000000'
    run.mkdir()
    (run / '20240101_000000.json').write_text(
        json.dumps({'knn/top1_k10': 0.5}))
    assert ablate.read_test_metric(str(tmp_path), 'knn/top1_k10') == 0.5
    with pytest.raises(ValueError, match='fewshot/avg'):
        ablate.read_test_metric(str(tmp_path), 'fewshot/avg')
    # A resumed linear run: two timestamp dirs, the latest epoch wins.
    for stamp, records in [('20240101_000001', [(5, 0.2), (10, 0.3)]),
                           ('20240102_000000', [(15, 0.4), (20, 0.45)])]:
        (tmp_path / stamp / 'vis_data').mkdir(parents=True)
        (tmp_path / stamp / 'vis_data' / 'scalars.json').write_text(''.join(
            json.dumps({'acc/top1': v, 'step': s}) + '\n' +
            json.dumps({'loss': 1., 'step': s}) + '\n' for s, v in records))
    assert ablate.read_train_metric(str(tmp_path), 'acc/top1') == 0.45


FAKE_TOOL = """
import json, os, sys
args = sys.argv[1:]
work_dir = args[args.index('--work-dir') + 1]
os.makedirs(work_dir, exist_ok=True)
with open(os.path.join(os.path.dirname(work_dir), 'calls.txt'), 'a') as f:
    f.write(work_dir + '\\n')
if os.environ.get('FAIL_ON') and os.environ['FAIL_ON'] in work_dir:
    sys.exit(3)
if 'train_cfg.max_epochs=2' in args:  # the tuning run: its checkpoints
    for e in (1, 2):
        open(os.path.join(work_dir, f'epoch_{e}.pth'), 'w').close()
    sys.exit(0)
ckpt = [a for a in args if a.endswith('.pth')][0]
value = 0.25 if 's1.pth' in ckpt else 0.5 if 'epoch_1' in ckpt else 0.75
stamp = os.path.join(work_dir, '20240101_000000')
if args[0] == 'knn.py':
    os.makedirs(stamp, exist_ok=True)
    json.dump({'knn/top1_k10': 100 * value},  # KNN logs percent
              open(os.path.join(stamp, '20240101_000000.json'), 'w'))
else:
    os.makedirs(os.path.join(stamp, 'vis_data'), exist_ok=True)
    with open(os.path.join(stamp, 'vis_data', 'scalars.json'), 'w') as f:
        # mmaction2's AccMetric logs fractions
        f.write(json.dumps({'acc/top1': value / 2, 'step': 4}) + '\\n')
"""


def test_sweep_runs_resumes_and_writes_table_and_plot(tmp_path, monkeypatch,
                                                      capsys):
    tool = tmp_path / 'fake_tool.py'
    tool.write_text(FAKE_TOOL)
    monkeypatch.setattr(
        ablate.Launcher, 'train',
        lambda self, config, args: [sys.executable, str(tool), config] + args)
    monkeypatch.setattr(
        ablate.Launcher, 'test', lambda self, config, ckpt, args:
        [sys.executable, str(tool), config, ckpt] + args)
    body = sweep_body(tmp_path, key="'train_cfg.max_epochs'",
                      values='[1, 2]', mode="'checkpoints'")
    path = write_sweep(tmp_path, body + '\nparam_scheduler = []')
    # A killed sweep: the evaluations of epoch 2 fail.
    monkeypatch.setenv('FAIL_ON', 'epoch_2')
    with pytest.raises(RuntimeError, match='exit code 3'):
        ablate.main([path])
    monkeypatch.delenv('FAIL_ON')
    ablate.main([path, '--dry-run'])
    out = capsys.readouterr().out
    assert '7 runs, 5 already done' in out
    paths = ablate.main([path])
    # Only the failed evaluation and the one after it ran again.
    calls = (tmp_path / 'sweep' / 'max_epochs_2' / 'eval' /
             'epoch_2' / 'calls.txt').read_text().split()
    assert len(calls) == 3
    with open(paths['csv']) as f:
        rows = list(csv.reader(f))
    assert rows[0] == ['train_cfg.max_epochs', 'run', 'knn_k10 (%)',
                       'linear (%)']
    assert rows[1] == ['stage1', 'stage-1 checkpoint (baseline)', '25.00',
                       '12.50']
    assert rows[2] == ['1', 'one 2-epoch run, checkpoint of epoch 1',
                       '50.00', '25.00']
    assert rows[3][2:] == ['75.00', '37.50']
    md = Path(paths['md']).read_text()
    assert 'ONE 2-epoch tuning run' in md
    assert Path(paths['png']).stat().st_size > 1000
