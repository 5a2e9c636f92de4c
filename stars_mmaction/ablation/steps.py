"""The runs of a sweep: tuning, evaluations, and running one."""
import json
import os
import os.path as osp
import shlex
import subprocess
from dataclasses import dataclass
from typing import Any, List, Optional

from ..utils.tool_launcher import ToolLauncher, cfg_options
from .metrics import read_test_metric, read_train_metric
from .sweep import BASELINE, EPOCHS_KEY, Evaluation, Sweep


@dataclass
class Step:
    """One command of the sweep and where its result lies.

    Args:
        kind (str): ``'tune'`` or ``'eval'``.
        variant (str): ``'stage1'`` or the varied value as text.
        cmd (list[str]): The command.
        work_dir (str): Its work directory (``--work-dir``).
        done_files (list[str]): Files whose existence means it is done.
        evaluation (Evaluation, optional): For ``'eval'`` steps.
        checkpoint (str): The evaluated checkpoint (``'eval'`` steps).
    """
    kind: str
    variant: str
    cmd: List[str]
    work_dir: str
    done_files: List[str]
    evaluation: Optional[Evaluation] = None
    checkpoint: str = ''

    @property
    def done(self) -> bool:
        return all(osp.isfile(f) for f in self.done_files)


def variant_name(sweep: Sweep, value: Any) -> str:
    """Directory name of a variant, e.g. ``tune_ratio_0.25``."""
    return f"{sweep.key.rsplit('.', 1)[-1]}_{value}"


def tuning_run_dir(sweep: Sweep, value: Any) -> str:
    """Work directory of the tuning run that produces ``value``."""
    if sweep.mode == 'checkpoints':
        return osp.join(sweep.work_dir, f'max_epochs_{max(sweep.values)}')
    return osp.join(sweep.work_dir, variant_name(sweep, value))


def tuned_checkpoint(sweep: Sweep, value: Any) -> str:
    """The stage-2 checkpoint evaluated for ``value``."""
    epoch = value if sweep.key == EPOCHS_KEY else sweep.max_epochs
    return osp.join(tuning_run_dir(sweep, value), f'epoch_{epoch}.pth')


def how_it_ran(sweep: Sweep, value: Any) -> str:
    """The table's "run" text of a variant."""
    if sweep.mode == 'checkpoints':
        return (f'one {max(sweep.values)}-epoch run, checkpoint of epoch '
                f'{value}')
    epochs = value if sweep.key == EPOCHS_KEY else sweep.max_epochs
    return f'own {epochs}-epoch run'


def _resume_args(work_dir: str) -> List[str]:
    """``--resume`` when an interrupted run left a checkpoint."""
    return ['--resume'] if osp.isfile(osp.join(work_dir,
                                               'last_checkpoint')) else []


def tuning_steps(sweep: Sweep, launcher: ToolLauncher) -> List[Step]:
    """The tuning runs of the sweep."""
    steps = []
    if sweep.mode == 'checkpoints':
        run_values = [max(sweep.values)]
    else:
        run_values = sweep.values
    for value in run_values:
        work_dir = tuning_run_dir(sweep, value)
        options = {}
        options[sweep.init_checkpoint_key] = sweep.stage1_checkpoint
        options[sweep.key] = value
        if sweep.mode == 'checkpoints':
            # The listed epochs are kept whatever max_keep_ckpts says.
            options.update({
                'default_hooks.checkpoint.type':
                'MilestoneCheckpointHook',
                'default_hooks.checkpoint.milestones':
                sorted(sweep.values),
                'default_hooks.checkpoint.interval':
                -1,
            })
            done = [tuned_checkpoint(sweep, v) for v in sweep.values]
        else:
            done = [tuned_checkpoint(sweep, value)]
        cmd = launcher.train(sweep.path, ['--work-dir', work_dir] +
                             _resume_args(work_dir) + cfg_options(options))
        steps.append(Step('tune', str(value), cmd, work_dir, done))
    return steps


def eval_step(evaluation: Evaluation, checkpoint: str, work_dir: str,
              variant: str, launcher: ToolLauncher) -> Step:
    """The command that evaluates ``checkpoint`` with ``evaluation``."""
    result = osp.join(work_dir, 'result.json')
    if evaluation.tool == 'test':
        cmd = launcher.test(evaluation.config, checkpoint,
                            ['--work-dir', work_dir] +
                            cfg_options(evaluation.cfg_options))
    else:
        options = dict(evaluation.cfg_options)
        options[evaluation.checkpoint_key] = checkpoint
        cmd = launcher.train(evaluation.config, ['--work-dir', work_dir] +
                             _resume_args(work_dir) + cfg_options(options))
    return Step('eval', variant, cmd, work_dir, [result], evaluation,
                checkpoint)


def evaluation_steps(sweep: Sweep, launcher: ToolLauncher) -> List[Step]:
    """Baseline (stage 1) and per-variant evaluations."""
    steps = []
    for ev in sweep.evaluations:
        steps.append(
            eval_step(ev, sweep.stage1_checkpoint,
                      osp.join(sweep.baseline_work_dir, 'eval', ev.name),
                      BASELINE, launcher))
    for value in sweep.values:
        checkpoint = tuned_checkpoint(sweep, value)
        root = osp.join(osp.dirname(checkpoint), 'eval')
        if sweep.mode == 'checkpoints':
            root = osp.join(root, f'epoch_{value}')
        for ev in sweep.evaluations:
            steps.append(
                eval_step(ev, checkpoint, osp.join(root, ev.name), str(value),
                          launcher))
    return steps


def run_step(step: Step,
             launcher: ToolLauncher,
             verbose: bool = False) -> None:
    """Run a step; an eval step then writes its ``result.json``.

    Args:
        step (Step): The step.
        launcher (ToolLauncher): Gives the runs' environment.
        verbose (bool): Stream the output instead of logging it to
            ``ablate_<kind>.log`` in the step's work dir. Defaults to False.
    """
    os.makedirs(step.work_dir, exist_ok=True)
    log_path = osp.join(step.work_dir, f'ablate_{step.kind}.log')
    with open(log_path, 'a') as log:
        proc = subprocess.run(
            step.cmd,
            stdout=None if verbose else log,
            stderr=subprocess.STDOUT if not verbose else None,
            env=launcher.env())
    if proc.returncode != 0:
        raise RuntimeError(f'command failed with exit code '
                           f'{proc.returncode} (log: {log_path}):\n'
                           f'{shlex.join(step.cmd)}')
    if step.kind == 'eval':
        ev = step.evaluation
        read = read_test_metric if ev.tool == 'test' else read_train_metric
        result = dict(evaluation=ev.name,
                      metric=ev.metric,
                      value=read(step.work_dir, ev.metric),
                      checkpoint=step.checkpoint,
                      config=ev.config)
        with open(step.done_files[0], 'w') as f:
            json.dump(result, f, indent=2)
    missing = [f for f in step.done_files if not osp.isfile(f)]
    if missing:
        raise RuntimeError(f'{shlex.join(step.cmd)} finished without '
                           f'writing {missing}')
