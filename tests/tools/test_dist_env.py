"""tools/dist_env.sh: the interpreter and port of dist_train.sh/dist_test.sh."""
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


def sh(script, env=None, cwd=None):
    env = dict(env if env is not None else os.environ)
    return subprocess.run(
        ['bash', '-c', f'source {ROOT}/tools/dist_env.sh; {script}'],
        env=env, cwd=cwd, capture_output=True, text=True, timeout=120)


def fake_python(folder, target):
    """An executable that runs ``target`` (a venv's bin/python)."""
    path = folder / 'bin' / 'python'
    path.parent.mkdir(parents=True)
    path.write_text(f'#!/bin/sh\nexec {target} "$@"\n')
    path.chmod(0o755)
    return str(path)


@pytest.fixture
def clean_env(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ('PYTHON', 'PORT', 'VIRTUAL_ENV', 'PYTHONPATH')}
    env['PATH'] = '/usr/bin:/bin'  # no python with the project on PATH
    return env


def test_python_order_active_venv_then_checkout_venv(tmp_path, clean_env):
    project = fake_python(tmp_path / 'active', sys.executable)
    bare = fake_python(tmp_path / 'bare', '/bin/false')
    checkout = tmp_path / 'checkout'
    in_checkout = fake_python(checkout / '.venv', sys.executable)
    # the active venv wins when it has the project
    env = dict(clean_env, VIRTUAL_ENV=str(tmp_path / 'active'))
    assert sh(f'find_python {checkout}', env).stdout == project + '\n'
    # a venv without the project is passed over for the checkout's .venv
    env = dict(clean_env, VIRTUAL_ENV=str(tmp_path / 'bare'))
    assert sh(f'find_python {checkout}', env).stdout == in_checkout + '\n'
    assert bare != in_checkout
    # PYTHON is taken as given
    env = dict(clean_env, PYTHON='/my/python')
    assert sh(f'find_python {checkout}', env).stdout == '/my/python\n'


def test_no_python_with_the_project_is_a_clear_error(tmp_path, clean_env):
    result = sh(f'find_python {tmp_path}', clean_env)
    assert result.returncode == 1
    assert 'no python with torch, mmaction and stars_mmaction' in \
        result.stderr
    assert 'set PYTHON=' in result.stderr


def test_port_from_the_os_unless_given(clean_env):
    result = sh(f'find_port {sys.executable} 1', clean_env)
    port = int(result.stdout)
    with socket.socket() as s:
        s.bind(('127.0.0.1', port))  # it is free
    env = dict(clean_env, PORT='29511')
    assert sh(f'find_port {sys.executable} 1', env).stdout == '29511\n'
    result = sh(f'find_port {sys.executable} 2', clean_env)
    assert result.returncode == 1 and 'set PORT' in result.stderr


def test_dist_train_runs_the_checkout_venv_without_python_or_port(
        tmp_path, clean_env):
    # the checkout's .venv (this interpreter) is found, a port is chosen
    checkout = tmp_path / 'checkout'
    (checkout / 'tools').mkdir(parents=True)
    for name in ('dist_train.sh', 'dist_env.sh'):
        (checkout / 'tools' / name).write_text(
            (ROOT / 'tools' / name).read_text())
    (checkout / 'tools' / 'train.py').write_text(
        'import os, sys; print("rank", os.environ["RANK"], '
        'os.environ["MASTER_PORT"], sys.executable, sys.argv[1:])\n')
    venv_python = fake_python(checkout / '.venv', sys.executable)
    result = subprocess.run(
        ['bash', str(checkout / 'tools' / 'dist_train.sh'), 'cfg.py', '2',
         '--seed', '0'], env=dict(clean_env, OMP_NUM_THREADS='1'),
        cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    ranks = sorted(line for line in result.stdout.splitlines()
                   if line.startswith('rank'))
    assert [r.split()[1] for r in ranks] == ['0', '1']
    assert len({r.split()[2] for r in ranks}) == 1
    assert f'{venv_python} -m torch.distributed.run' in result.stderr
    assert "['cfg.py', '--launcher', 'pytorch', '--seed', '0']" in ranks[0]
