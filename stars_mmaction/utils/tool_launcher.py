"""Command lines of the project's ``tools/train.py`` and ``tools/test.py``.

The orchestration tools (``tools/ablate.py``, ``tools/semi_supervised.py``,
``tools/analysis/knn_table.py``) build every train and test command here,
one way: ``python tools/{train,test}.py`` on one process, or
``bash tools/dist_{train,test}.sh`` (torchrun) with ``launcher='pytorch'``.
"""
import os
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Union

LAUNCHERS = ('none', 'pytorch')


def format_value(value: Any) -> str:
    """Config-option text of a value (``[5,10]`` for lists, no spaces).

    Args:
        value (Any): A config value.

    Returns:
        str: Its ``--cfg-options`` text.
    """
    if isinstance(value, (list, tuple)):
        return '[' + ','.join(format_value(v) for v in value) + ']'
    return str(value)


def cfg_options(options: Dict[str, Any]) -> List[str]:
    """``--cfg-options key=value ...`` arguments, none for no options.

    Args:
        options (dict): Config keys and values.

    Returns:
        list[str]: The arguments.
    """
    if not options:
        return []
    return ['--cfg-options'
            ] + [f'{k}={format_value(v)}' for k, v in options.items()]


class ToolLauncher:
    """Builds the commands of the project's tools, single or distributed.

    Args:
        tools_dir (str or Path): The repository's ``tools`` folder.
        launcher (str): ``'none'`` (``python tools/*.py``) or ``'pytorch'``
            (``bash tools/dist_*.sh``, torchrun). Defaults to ``'none'``.
        gpus (int): Processes per run with ``'pytorch'``. Defaults to 1.
        seed (int, optional): ``--seed`` of every training run, so that runs
            differ only in what the caller varies; None leaves it to the
            caller's arguments. Defaults to None.
        python (str): The interpreter of the runs (``dist_*.sh`` reads it
            from ``$PYTHON``). Defaults to this one.
    """

    def __init__(self,
                 tools_dir: Union[str, Path],
                 launcher: str = 'none',
                 gpus: int = 1,
                 seed: Optional[int] = None,
                 python: str = sys.executable) -> None:
        if launcher not in LAUNCHERS:
            raise ValueError(f'--launcher must be one of {LAUNCHERS}, got '
                             f'{launcher!r}')
        if gpus < 1:
            raise ValueError(f'--gpus must be >= 1, got {gpus}')
        if launcher == 'none' and gpus != 1:
            raise ValueError(f'--gpus {gpus} needs --launcher pytorch')
        self.tools_dir = Path(tools_dir)
        self.launcher = launcher
        self.gpus = gpus
        self.seed = seed
        self.python = python

    def train(self, config: str, args: List[str]) -> List[str]:
        """``tools/train.py CONFIG [--seed S] ARGS`` as configured.

        Args:
            config (str): The config.
            args (list[str]): Further ``tools/train.py`` arguments.

        Returns:
            list[str]: The command.
        """
        if self.seed is not None:
            args = ['--seed', str(self.seed)] + list(args)
        if self.launcher == 'pytorch':
            return [
                'bash',
                str(self.tools_dir / 'dist_train.sh'), config,
                str(self.gpus)
            ] + list(args)
        return [self.python,
                str(self.tools_dir / 'train.py'), config] + list(args)

    def test(self, config: str, checkpoint: str, args: List[str]) -> List[str]:
        """``tools/test.py CONFIG CHECKPOINT ARGS`` as configured.

        Args:
            config (str): The config.
            checkpoint (str): The checkpoint to test.
            args (list[str]): Further ``tools/test.py`` arguments.

        Returns:
            list[str]: The command.
        """
        if self.launcher == 'pytorch':
            return [
                'bash',
                str(self.tools_dir / 'dist_test.sh'), config, checkpoint,
                str(self.gpus)
            ] + list(args)
        return [
            self.python,
            str(self.tools_dir / 'test.py'), config, checkpoint
        ] + list(args)

    def env(self) -> Dict[str, str]:
        """The environment of the runs: this one, ``PYTHON`` set."""
        return dict(os.environ, PYTHON=self.python)
