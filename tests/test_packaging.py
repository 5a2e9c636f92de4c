"""setup.cfg / setup.py: the plugin installs next to a user's own stack, and
its wheel runs the README's commands.

One fresh virtual environment (no system site packages) holds what a GPU
user already has: torch, mmengine and mmaction2 with their requirements
(linked from the running environment's installed files: unpacking torch's
wheel again took minutes) and a stand-in distribution named ``mmcv`` (mmcv's
pure-Python code under the compiled ``mmcv``'s name, as ``mim install mmcv``
would leave it), installed by pip. The plugin's wheel is installed there
without constraints (and without this machine's pip configuration): pip
resolves the plugin's requirements against that stack. Then its packaged
configs and tools train and test a tiny model from a folder outside the
checkout.
"""
import base64
import hashlib
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import zipfile
from importlib.metadata import Distribution
from pathlib import Path
from typing import Dict, List, Sequence

import mmcv
import pytest
import torch
from packaging.requirements import Requirement

from stars_mmaction.utils import read_scalar_log

ROOT = Path(__file__).parents[1]
MARKER = 'mmcv/stand_in_of_a_compiled_mmcv.txt'
# A GPU user's stack, with everything it requires (setuptools included:
# torch requires a newer one than a new venv has); a new venv has its pip.
USER_STACK = ('torch', 'mmengine', 'mmaction2')
VENV_OWN = ('pip', )
SOURCES = ('stars_mmaction', 'configs', 'tools', 'setup.py', 'setup.cfg',
           'pyproject.toml', 'MANIFEST.in', 'README.md')
PIP_ENV = dict(
    os.environ,
    PIP_CONFIG_FILE=os.devnull,  # no machine-wide constraints or indexes
    PIP_DISABLE_PIP_VERSION_CHECK='1',
    PIP_NO_INPUT='1',
    PYTHONWARNINGS='ignore',
    OMP_NUM_THREADS='1')
PIP_ENV.pop('PIP_CONSTRAINT', None)
PIP_ENV.pop('PYTHONPATH', None)


def run(*cmd, cwd=None) -> str:
    result = subprocess.run([str(c) for c in cmd], cwd=cwd, env=PIP_ENV,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, (
        f'{cmd}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}')
    return result.stdout


def requirement_closure(roots: Sequence[str]) -> List[Distribution]:
    """Installed distributions of ``roots`` and all they require."""
    seen: Dict[str, Distribution] = {}
    todo = list(roots)
    while todo:
        name = todo.pop().lower().replace('_', '-')
        if name in seen or name in VENV_OWN:
            continue
        seen[name] = importlib.metadata.distribution(name)
        for line in seen[name].requires or []:
            requirement = Requirement(line)
            if not requirement.marker or requirement.marker.evaluate(
                    {'extra': ''}):
                todo.append(requirement.name)
    return list(seen.values())


def link_installed(dist: Distribution, site: Path) -> None:
    """Put ``dist``'s installed files into ``site`` (hard links)."""
    for file in dist.files or []:
        source = Path(dist.locate_file(file))
        target = site / file
        if file.parts[0] == '..' or not source.is_file() or target.exists():
            continue  # outside site-packages, or listed twice in RECORD
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:  # another file system
            shutil.copy2(source, target)


def record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest())
    return f'{name},sha256={digest.rstrip(b"=").decode()},{len(data)}'


def write_wheel(folder: Path, name: str, version: str,
                files: Dict[str, bytes], requires: List[str]) -> Path:
    """A minimal valid wheel of ``files`` with the given metadata."""
    info = f'{name}-{version}.dist-info'
    files = dict(files)
    files[f'{info}/METADATA'] = '\n'.join(
        ['Metadata-Version: 2.1', f'Name: {name}', f'Version: {version}'] +
        [f'Requires-Dist: {r}' for r in requires]).encode() + b'\n'
    files[f'{info}/WHEEL'] = (b'Wheel-Version: 1.0\nGenerator: test\n'
                              b'Root-Is-Purelib: true\nTag: py3-none-any\n')
    lines = [record_line(n, d) for n, d in files.items()]
    files[f'{info}/RECORD'] = '\n'.join(lines + [f'{info}/RECORD,,']).encode()
    path = folder / f'{name}-{version}-py3-none-any.whl'
    with zipfile.ZipFile(path, 'w') as wheel:
        for member, data in files.items():
            wheel.writestr(member, data)
    return path


def stand_in_mmcv(folder: Path) -> Path:
    """A distribution named ``mmcv`` holding the running mmcv's code."""
    source = Path(mmcv.__file__).parent
    files = {
        f'mmcv/{p.relative_to(source)}': p.read_bytes()
        for p in source.rglob('*')
        if p.is_file() and '__pycache__' not in p.parts
    }
    files[MARKER] = b'must survive the plugin install\n'
    owner = importlib.metadata.packages_distributions()['mmcv'][0]
    return write_wheel(folder, 'mmcv', mmcv.__version__, files,
                       importlib.metadata.requires(owner) or [])


def freeze(python: Path) -> Dict[str, str]:
    """``pip freeze`` lines by normalised distribution name."""
    lines = run(python, '-m', 'pip', 'freeze', '--all').split('\n')
    return {
        re.split(r'==| @ ', line)[0].lower().replace('_', '-'): line
        for line in lines if '==' in line or ' @ ' in line
    }


def build_wheel(folder: Path) -> Path:
    """The plugin's wheel, built from a copy of the project's files."""
    source = folder / 'source'
    ignore = shutil.ignore_patterns('__pycache__', '*.pyc', '*.egg-info')
    for name in SOURCES:
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy
        kwargs = dict(ignore=ignore) if (ROOT / name).is_dir() else {}
        copy(ROOT / name, source / name, **kwargs)
    run(sys.executable, '-m', 'pip', 'wheel', '-q', '--no-deps',
        '--no-build-isolation', '-w', folder / 'dist', source)
    wheel, = (folder / 'dist').glob('stars_mmaction-*.whl')
    return wheel


@pytest.fixture(scope='module')
def plugin_wheel(tmp_path_factory):
    return build_wheel(tmp_path_factory.mktemp('wheel'))


@pytest.fixture(scope='module')
def user_env(tmp_path_factory, plugin_wheel):
    """A venv with a GPU user's stack: torch, mmcv, mmengine, mmaction2."""
    tmp = tmp_path_factory.mktemp('user_env')
    run(sys.executable, '-m', 'venv', tmp / 'venv')
    python = tmp / 'venv' / 'bin' / 'python'
    site = Path(run(python, '-c', 'import sysconfig; '
                    'print(sysconfig.get_paths()["purelib"])').strip())
    run(python, '-m', 'pip', 'uninstall', '-q', '-y', 'setuptools')
    for dist in requirement_closure(USER_STACK):
        link_installed(dist, site)
    # --no-compile: imports compile what they use.
    run(python, '-m', 'pip', 'install', '-q', '--no-compile', '--no-deps',
        stand_in_mmcv(tmp))
    run(python, '-m', 'pip', 'check')  # the stack is complete
    before = freeze(python)
    run(python, '-m', 'pip', 'install', '-q', '--no-compile', plugin_wheel)
    return dict(tmp=tmp, python=python, site=site, before=before,
                after=freeze(python))


def test_requirements_are_ranges_and_mmcv_lite_is_an_extra(plugin_wheel):
    with zipfile.ZipFile(plugin_wheel) as wheel:
        name, = [n for n in wheel.namelist() if n.endswith('/METADATA')]
        metadata = wheel.read(name).decode()
    requires = [
        Requirement(line.split(': ', 1)[1])
        for line in metadata.splitlines() if line.startswith('Requires-Dist')
    ]
    pinned = [str(r) for r in requires
              if any(s.operator in ('==', '===') for s in r.specifier)]
    assert not pinned, f'exact pins in install_requires: {pinned}'
    lite = [r for r in requires if r.name == 'mmcv-lite']
    assert lite and all('extra' in str(r.marker) for r in lite)
    assert 'mmcv' not in {r.name for r in requires}


def test_install_keeps_the_users_torch_and_mmcv(user_env):
    before, after = user_env['before'], user_env['after']
    cfg = (user_env['python'].parents[1] / 'pyvenv.cfg').read_text()
    assert 'include-system-site-packages = false' in cfg
    # the same distribution, from the same place ('torch==V' or 'mmcv @ URL')
    assert before['torch'] == after['torch'] == f'torch=={torch.__version__}'
    assert after['mmcv'] == before['mmcv']
    assert f'mmcv-{mmcv.__version__}-' in after['mmcv']
    assert 'mmcv-lite' not in after, 'mmcv-lite overwrote the mmcv package'
    for name in ('mmengine', 'mmaction2', 'numpy'):
        assert after[name] == before[name]
    # pip resolved the plugin's own requirements
    assert 'stars-mmaction' in after and 'scikit-learn' in after
    assert 'scikit-learn' not in before
    assert (user_env['site'] / MARKER).is_file()


def test_wheel_runs_packaged_configs_and_tools(user_env):
    python, work = user_env['python'], user_env['tmp'] / 'outside_checkout'
    work.mkdir()

    def locate(kind, name):
        return run(python, '-m', 'stars_mmaction.configs', kind, name,
                   cwd=work).strip()

    mamp = locate('path', 'stars/mamp_1xb32-40e_demo-xsub-keypoint-3d.py')
    knn = locate('path', 'stars/eval/knn_demo-xsub-keypoint-3d.py')
    for path in (mamp, knn, locate('tool', 'train.py')):
        assert '/site-packages/stars_mmaction/.mim/' in path, path
        assert not path.startswith(str(ROOT))
    run(python, locate('tool', 'data/make_demo_dataset.py'), '--out-dir',
        'data/demo', '--name', 'demo_3d', '--num-subjects', '5',
        '--num-val-subjects', '1', '--num-repetitions', '1',
        '--num-val-repetitions', '1',
        cwd=work)  # 48 training samples: the KNN config's largest k is 40
    loaders = ['train_dataloader', 'test_dataloader',
               'test_cfg.bank_dataloader']
    light = [f'{d}.{k}' for d in loaders
             for k in ('num_workers=0', 'persistent_workers=False')]
    run(python, locate('tool', 'train.py'), mamp, '--work-dir', 'w/mamp',
        '--cfg-options', 'train_cfg.max_epochs=1', *light[:2], cwd=work)
    log = run(python, locate('tool', 'test.py'), knn, 'w/mamp/epoch_1.pth',
              '--work-dir', 'w/knn', '--cfg-options', *light[2:], cwd=work)
    assert 'knn/top1_k10' in log
    result = read_scalar_log(str(work / 'w' / 'knn')).latest_test()
    assert 0 <= result['knn/top1_k10'] <= 100
