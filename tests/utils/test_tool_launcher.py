import sys
from pathlib import Path

import pytest

from stars_mmaction.utils.tool_launcher import (ToolLauncher, cfg_options,
                                                format_value)

TOOLS = Path('/repo/tools')


def test_single_process_commands():
    launcher = ToolLauncher(TOOLS, seed=3, python='/venv/bin/python')
    assert launcher.train('c.py', ['--work-dir', 'w']) == [
        '/venv/bin/python', '/repo/tools/train.py', 'c.py', '--seed', '3',
        '--work-dir', 'w'
    ]
    assert launcher.test('c.py', 'e.pth', ['--work-dir', 'w']) == [
        '/venv/bin/python', '/repo/tools/test.py', 'c.py', 'e.pth',
        '--work-dir', 'w'
    ]
    assert launcher.env()['PYTHON'] == '/venv/bin/python'


def test_distributed_commands_go_through_dist_scripts():
    launcher = ToolLauncher(TOOLS, 'pytorch', 4)
    assert launcher.train('c.py', ['--amp']) == [
        'bash', '/repo/tools/dist_train.sh', 'c.py', '4', '--amp'
    ]
    assert launcher.test('c.py', 'e.pth', []) == [
        'bash', '/repo/tools/dist_test.sh', 'c.py', 'e.pth', '4'
    ]
    assert ToolLauncher(TOOLS).python == sys.executable


@pytest.mark.parametrize('kwargs,match', [
    (dict(launcher='slurm'), "one of \\('none', 'pytorch'\\), got 'slurm'"),
    (dict(launcher='pytorch', gpus=0), '--gpus must be >= 1, got 0'),
    (dict(gpus=2), '--gpus 2 needs --launcher pytorch'),
])
def test_bad_launchers_are_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ToolLauncher(TOOLS, **kwargs)


def test_cfg_options_text():
    assert format_value([5, (1, 2)]) == '[5,[1,2]]'
    assert cfg_options({}) == []
    assert cfg_options(dict(a=1,
                            b=[1, 2])) == ['--cfg-options', 'a=1', 'b=[1,2]']
