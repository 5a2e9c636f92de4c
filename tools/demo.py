"""`make demo`: random initialisation vs stage 1 (MAMP) vs stage 2 (STARS).

For every seed, with the project's own tools:

1. a randomly initialised encoder (the stage-1 model built and initialised
   under the seed, saved as ``seed<S>/random_init.pth``);
2. ``tools/train.py`` stage 1 (MAMP pre-training) -> ``seed<S>/mamp``;
3. ``tools/train.py`` stage 2 (STARS tuning of that checkpoint)
   -> ``seed<S>/stars``;
4. ``tools/analysis/knn_table.py`` (``tools/test.py`` per checkpoint) on the
   three encoders -> ``seed<S>/knn``;

then ``tools/analysis/demo_summary.py`` writes ``summary.json``, ``.md`` and
``.png`` and prints KNN k=1 and k=10 top-1 as mean ± std over the seeds with
the stage-1 loss next to its trivial floor::

    python tools/demo.py --work-dir work_dirs/demo --seeds 0 1 2

The seeds run concurrently (``--jobs``), each run with ``--threads`` torch
threads: on a small machine one thread per run wastes least (torch's default
thread count oversubscribes shared cores several times over).
"""
import argparse
import os
import os.path as osp
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Dict, List, Optional, Sequence

TOOLS_DIR = osp.dirname(osp.abspath(__file__))
sys.path.insert(0, osp.join(TOOLS_DIR, 'analysis'))
from demo_summary import write_summary  # noqa: E402

CONFIGS = 'configs/stars/'


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Random init vs stage 1 vs stage 2 on the demo data')
    parser.add_argument('--work-dir', default='work_dirs/demo')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    parser.add_argument('--jobs', type=int,
                        help='seeds run at once; default all of them')
    parser.add_argument('--threads', type=int, default=1,
                        help='torch threads per run; default 1')
    parser.add_argument(
        '--stage1-config',
        default=CONFIGS + 'mamp_1xb32-40e_demo-xsub-keypoint-3d.py')
    parser.add_argument(
        '--stage2-config',
        default=CONFIGS + 'stars_1xb32-10e_demo-xsub-keypoint-3d.py')
    parser.add_argument(
        '--knn-config',
        default=CONFIGS + 'eval/knn_demo-xsub-keypoint-3d.py')
    for stage in ('stage1', 'stage2', 'knn'):
        parser.add_argument(f'--{stage}-cfg-options', nargs='+', default=[],
                            help=f'--cfg-options of the {stage} runs')
    return parser.parse_args(argv)


def save_random_init(config: str, seed: int, path: str) -> None:
    """Save the config's model, randomly initialised under ``seed``.

    Args:
        config (str): The stage-1 config (its encoder is evaluated).
        seed (int): Seed of the initialisation.
        path (str): Output checkpoint.
    """
    import torch
    from mmaction.registry import MODELS
    from mmengine.config import Config
    from mmengine.runner import set_random_seed
    from mmengine.utils import import_modules_from_strings

    cfg = Config.fromfile(config)
    import_modules_from_strings(**cfg.custom_imports)
    set_random_seed(seed)
    model = MODELS.build(cfg.model)
    model.init_weights()
    os.makedirs(osp.dirname(path), exist_ok=True)
    torch.save(dict(state_dict=model.state_dict(),
                    meta=dict(seed=seed, config=config, random_init=True)),
               path)


def last_checkpoint(work_dir: str) -> str:
    """The checkpoint mmengine's CheckpointHook saved last in ``work_dir``."""
    with open(osp.join(work_dir, 'last_checkpoint')) as f:
        return f.read().strip()


def run(command: List[str], log_path: str, env: Dict[str, str]) -> None:
    """Run one tool, its output to ``log_path``; fail loudly."""
    with open(log_path, 'w') as log:
        result = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT,
                                env=env)
    if result.returncode != 0:
        with open(log_path) as log:
            sys.stderr.write(log.read()[-5000:])
        raise RuntimeError(f'{" ".join(command)} failed (exit code '
                           f'{result.returncode}); log: {log_path}')


def options(cfg_options: List[str]) -> List[str]:
    """``--cfg-options ...`` when there are any."""
    return ['--cfg-options', *cfg_options] if cfg_options else []


def run_seed(args: argparse.Namespace, seed: int) -> None:
    """Stage 1, stage 2 and the KNN table of one seed."""
    seed_dir = osp.join(args.work_dir, f'seed{seed}')
    os.makedirs(seed_dir, exist_ok=True)
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads),
               MKL_NUM_THREADS=str(args.threads))
    python, start = sys.executable, time.perf_counter()

    def step(name: str, command: List[str]) -> None:
        run(command, osp.join(seed_dir, f'{name}.log'), env)
        print(f'[seed {seed}] {name} done at '
              f'{time.perf_counter() - start:.0f} s', flush=True)

    random_init = osp.join(seed_dir, 'random_init.pth')
    mamp_dir = osp.join(seed_dir, 'mamp')
    step('stage1', [python, osp.join(TOOLS_DIR, 'train.py'),
                    args.stage1_config, '--work-dir', mamp_dir,
                    '--seed', str(seed)] + options(args.stage1_cfg_options))
    stars_dir = osp.join(seed_dir, 'stars')
    step('stage2', [python, osp.join(TOOLS_DIR, 'train.py'),
                    args.stage2_config, '--work-dir', stars_dir,
                    '--seed', str(seed), '--cfg-options',
                    'model.backbone.init_cfg.checkpoint=' +
                    last_checkpoint(mamp_dir), *args.stage2_cfg_options])
    step('knn', [python, osp.join(TOOLS_DIR, 'analysis', 'knn_table.py'),
                 args.knn_config, '--checkpoints', random_init,
                 last_checkpoint(mamp_dir), last_checkpoint(stars_dir),
                 '--names', 'random', 'stage-1', 'stage-2',
                 '--ks', '1', '10', '--work-dir',
                 osp.join(seed_dir, 'knn')] + options(args.knn_cfg_options))


def main(argv: Optional[Sequence[str]] = None) -> Dict:
    args = parse_args(argv)
    start = time.perf_counter()
    # In this process, before the seeds' threads start: seeding is global.
    for seed in args.seeds:
        save_random_init(args.stage1_config, seed,
                         osp.join(args.work_dir, f'seed{seed}',
                                  'random_init.pth'))
    with ThreadPoolExecutor(args.jobs or len(args.seeds)) as pool:
        for future in [pool.submit(run_seed, args, s) for s in args.seeds]:
            future.result()
    print(f'all seeds done in {time.perf_counter() - start:.0f} s')
    return write_summary(args.work_dir, args.seeds)


if __name__ == '__main__':
    main()
