"""tools/semi_supervised.py, and the subsets of the semi-supervised configs."""
import importlib.util
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from mmaction.registry import DATASETS, MODELS
from mmengine.config import Config
from mmengine.registry import DefaultScope

ROOT = Path(__file__).parents[2]
EVAL = ROOT / 'configs' / 'stars' / 'eval'
spec = importlib.util.spec_from_file_location(
    'semi_supervised', ROOT / 'tools' / 'semi_supervised.py')
semi = importlib.util.module_from_spec(spec)
spec.loader.exec_module(semi)


def write_scalars(work_dir, values, stamp='20260101_000000'):
    path = Path(work_dir) / stamp / 'vis_data' / 'scalars.json'
    path.parent.mkdir(parents=True)
    lines = [json.dumps({'loss': 1.0, 'step': 1})]
    lines += [
        json.dumps({
            'acc/top1': v,
            'step': i
        }) for i, v in enumerate(values)
    ]
    path.write_text('\n'.join(lines) + '\n')


def test_summary_reports_last_best_mean_and_std(tmp_path):
    write_scalars(tmp_path / 'seed_0', [0.2, 0.6, 0.5])
    write_scalars(tmp_path / 'seed_1', [0.3, 0.7])
    summary = semi.main([
        'x.py', '--seeds', '0', '1', '--work-dir',
        str(tmp_path), '--summarize-only'
    ])
    # acc/top1 is logged as a fraction; the summary is in percent
    assert summary['last']['mean'] == pytest.approx(60.)
    assert summary['last']['std'] == pytest.approx(10.)
    assert summary['best']['mean'] == pytest.approx(65.)
    assert summary['unit'] == 'percent'
    table = (tmp_path / 'summary.md').read_text()
    assert '| mean ± std | 60.00 ± 10.00 | 65.00 ± 5.00 |' in table
    saved = json.loads((tmp_path / 'summary.json').read_text())
    assert [r['seed'] for r in saved['runs']] == [0, 1]


def test_missing_metric_and_missing_run_are_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match='scalars.json'):
        semi.read_val_metric(str(tmp_path), 'acc/top1')
    write_scalars(tmp_path, [0.5])
    with pytest.raises(ValueError, match="no validation scalar 'acc/mean1'"):
        semi.read_val_metric(str(tmp_path), 'acc/mean1')


def test_validations_from_before_a_resume_are_kept(tmp_path):
    # a run validated at epochs 1 and 2, then resumed and validated at 3
    for stamp, records in [('20260101_000000', [(1, 0.2), (2, 0.4)]),
                           ('20260102_000000', [(3, 0.5)])]:
        path = tmp_path / stamp / 'vis_data' / 'scalars.json'
        path.parent.mkdir(parents=True)
        path.write_text(''.join(
            json.dumps({'acc/top1': v, 'step': s}) + '\n'
            for s, v in records))
    assert semi.read_val_metric(str(tmp_path), 'acc/top1') == [0.2, 0.4, 0.5]


def test_each_seed_sets_its_subset_and_checkpoint():
    args = semi.parse_args([
        'cfg.py', '--seeds', '3', '--gpus', '4', '--checkpoint', 'c.pth',
        '--cfg-options', 'train_cfg.max_epochs=1'
    ])
    command = semi.train_command(args, 3, 'wd/seed_3')
    # the project's one launcher: tools/dist_train.sh CONFIG 4 ...
    assert command[:4] == [
        'bash', str(ROOT / 'tools' / 'dist_train.sh'), 'cfg.py', '4'
    ]
    assert command[command.index('--seed') + 1] == '3'
    options = command[command.index('--cfg-options') + 1:]
    assert options == [
        'train_dataloader.dataset.subset_seed=3',
        'model.backbone.init_cfg.checkpoint=c.pth', 'train_cfg.max_epochs=1'
    ]


def _subset_on_rank(rank, world_size, port, cfg_path, ann_file, out):
    dist.init_process_group('gloo',
                            init_method=f'tcp://127.0.0.1:{port}',
                            rank=rank,
                            world_size=world_size)
    cfg = Config.fromfile(cfg_path)
    cfg.train_dataloader.dataset.ann_file = ann_file
    with DefaultScope.overwrite_default_scope('mmaction'):
        dataset = DATASETS.build(cfg.train_dataloader.dataset)
    names = [
        dataset.get_data_info(i)['frame_dir'] for i in range(len(dataset))
    ]
    gathered = [None] * world_size
    dist.all_gather_object(gathered, names)
    if rank == 0:
        Path(out).write_text(json.dumps(gathered))
    dist.destroy_process_group()


@pytest.mark.parametrize('percent, size', [(1, 1), (10, 4)])
def test_config_subset_is_the_same_on_every_rank_and_sized(
        tmp_path, demo_ann_file, percent, size):
    cfg_path = EVAL / (f'semi{percent}p_finetune_1xb16-10e_demo-xsub-'
                       'keypoint-3d.py')
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    out = tmp_path / 'names.json'
    # fork: the ranks inherit the imported plugin, which keeps this fast.
    mp.start_processes(_subset_on_rank,
                       args=(2, port, str(cfg_path), demo_ann_file, str(out)),
                       nprocs=2,
                       start_method='fork')
    rank0, rank1 = json.loads(out.read_text())
    assert rank0 == rank1
    assert len(rank0) == size  # round(42 * ratio), at least 1


def test_one_seed_end_to_end(tmp_path, demo_ann_file):
    encoder = MODELS.build(
        dict(type='MAMPEncoder',
             embed_dims=64,
             depth=4,
             num_heads=4,
             num_frames=24))
    ckpt = tmp_path / 'stage2.pth'
    torch.save(
        {
            'state_dict': {
                'backbone.' + k: v
                for k, v in encoder.state_dict().items()
            }
        }, ckpt)
    result = subprocess.run([
        sys.executable,
        str(ROOT / 'tools' / 'semi_supervised.py'),
        str(EVAL / 'semi10p_finetune_1xb16-10e_demo-xsub-keypoint-3d.py'),
        '--seeds', '1', '--work-dir',
        str(tmp_path), '--checkpoint',
        str(ckpt), '--cfg-options',
        f'train_dataloader.dataset.ann_file={demo_ann_file}',
        f'val_dataloader.dataset.ann_file={demo_ann_file}',
        'train_dataloader.num_workers=0', 'val_dataloader.num_workers=0',
        'train_cfg.max_epochs=1', 'train_cfg.val_interval=1'
    ],
                            cwd=ROOT,
                            env=dict(os.environ, PYTHONWARNINGS='ignore'),
                            capture_output=True,
                            text=True,
                            timeout=150)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert '| mean ± std |' in result.stdout
    summary = json.loads((tmp_path / 'summary.json').read_text())
    (run, ) = summary['runs']
    assert run['seed'] == 1 and 0 <= run['last'] <= run['best'] <= 100
    assert summary['last']['std'] == 0


def test_reference_draw_uses_subset_seed_0_and_a_subset_per_rank():
    args = semi.parse_args(['cfg.py', '--seeds', '3', '--gpus', '2',
                            '--subset-draw', 'per_rank'])
    command = semi.train_command(args, 3, 'wd/seed_3')
    assert command[command.index('--seed') + 1] == '3'
    options = command[command.index('--cfg-options') + 1:]
    assert options == [
        'train_dataloader.dataset.subset_seed=0',
        'train_dataloader.dataset.subset_draw=per_rank'
    ]


@pytest.mark.parametrize('draw', ['shared', 'per_rank'])
def test_summary_states_draw_distinct_samples_and_steps(
        tmp_path, demo_ann_file, draw):
    for seed in (0, 1):
        write_scalars(tmp_path / f'seed_{seed}', [0.5])
    config = EVAL / 'semi10p_finetune_1xb16-10e_demo-xsub-keypoint-3d.py'
    summary = semi.main([
        str(config), '--seeds', '0', '1', '--gpus', '2', '--work-dir',
        str(tmp_path), '--summarize-only', '--subset-draw', draw,
        '--cfg-options', f'train_dataloader.dataset.ann_file={demo_ann_file}'
    ])
    # 42 training samples; 10% -> 4 per rank; 2 ranks x 16, 10 epochs:
    # ceil(4 / 2) = 2 samples per rank -> 1 step per epoch.
    from stars_mmaction.datasets import subset_indices
    anns = [dict(label=0)] * 42
    if draw == 'shared':
        expected = {0: (0, 4), 1: (1, 4)}
    else:  # ranks draw with seeds 0 and 1, for both runs
        union = len(set(subset_indices(anns, 0.1, 0)) |
                    set(subset_indices(anns, 0.1, 1)))
        expected = {0: (0, union), 1: (0, union)}
    for seed, (subset_seed, distinct) in expected.items():
        facts = summary['labelled'][seed]
        assert (facts['subset_seed'], facts['distinct'], facts['split_size'],
                facts['steps']) == (subset_seed, distinct, 42, 10)
    table = (tmp_path / 'summary.md').read_text()
    assert f'Subset draw: `{draw}`' in table
    assert f'| 1 | {expected[1][0]} | {expected[1][1]} of 42 (' in table
    assert '| 10 |' in table


def test_per_rank_draw_differs_between_ranks(tmp_path, demo_ann_file):
    cfg = Config.fromfile(
        str(EVAL / 'semi10p_finetune_1xb16-10e_demo-xsub-keypoint-3d.py'))
    cfg.train_dataloader.dataset.subset_draw = 'per_rank'
    cfg_path = tmp_path / 'per_rank.py'
    cfg.dump(str(cfg_path))
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    out = tmp_path / 'names.json'
    mp.start_processes(_subset_on_rank,
                       args=(2, port, str(cfg_path), demo_ann_file, str(out)),
                       nprocs=2,
                       start_method='fork')
    rank0, rank1 = json.loads(out.read_text())
    assert len(rank0) == len(rank1) == 4 and rank0 != rank1
