"""Find the project's configs and tools, in a checkout or an installed wheel.

A wheel ships ``configs/`` and ``tools/`` inside the package, at
``stars_mmaction/.mim/`` (OpenMMLab's layout: mmaction2's wheel has
``mmaction/.mim/configs``); a source checkout (also an editable install) has
them at the repository root. Usage::

    python -m stars_mmaction.configs path stars/mamp_1xb32-40e_demo-xsub-keypoint-3d.py
    python -m stars_mmaction.configs tool train.py
    python -m stars_mmaction.configs list demo

``path`` and ``tool`` print an absolute path, so a shell can run
``python "$(python -m stars_mmaction.configs tool train.py)" \\
"$(python -m stars_mmaction.configs path stars/...py)"``.
"""
import argparse
import difflib
import os
import os.path as osp
import sys
from typing import List, Optional, Sequence

__all__ = ['resource_root', 'config_path', 'tool_path', 'list_configs']

PACKAGE_DIR = osp.dirname(osp.abspath(__file__))


def resource_root() -> str:
    """The folder holding ``configs/`` and ``tools/``.

    Returns:
        str: ``stars_mmaction/.mim`` in an installed wheel, else the root of
        the source checkout.
    """
    for root in (osp.join(PACKAGE_DIR, '.mim'), osp.dirname(PACKAGE_DIR)):
        if osp.isdir(osp.join(root, 'configs')):
            return root
    raise FileNotFoundError(
        f'no configs/ in {osp.join(PACKAGE_DIR, ".mim")} (installed wheel) '
        f'or {osp.dirname(PACKAGE_DIR)} (source checkout): reinstall '
        'stars_mmaction from its wheel or repository')


def _find(kind: str, name: str) -> str:
    folder = osp.join(resource_root(), kind)
    relative = name[len(kind) + 1:] if name.startswith(kind + '/') else name
    path = osp.join(folder, relative)
    if osp.isfile(path):
        return path
    known = _files(folder)
    close = difflib.get_close_matches(relative, known, n=3, cutoff=0.5)
    hint = f'; did you mean {close}?' if close else ''
    raise FileNotFoundError(
        f'no {kind[:-1]} {relative!r} in {folder}{hint} (`python -m '
        f'stars_mmaction.configs list` shows them all)')


def config_path(name: str) -> str:
    """Absolute path of a config, given relative to ``configs/``.

    Args:
        name (str): e.g. ``'stars/eval/knn_demo-xsub-keypoint-3d.py'``; a
            leading ``'configs/'`` is accepted.

    Returns:
        str: The config's absolute path.
    """
    return _find('configs', name)


def tool_path(name: str) -> str:
    """Absolute path of a script of ``tools/`` (e.g. ``'train.py'``)."""
    return _find('tools', name)


def list_configs(pattern: str = '') -> List[str]:
    """Configs (relative to ``configs/``) whose path contains ``pattern``."""
    folder = osp.join(resource_root(), 'configs')
    return [
        f for f in _files(folder)
        if pattern in f and not f.startswith('_base_/')
    ]


def _files(folder: str) -> List[str]:
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != '__pycache__')
        found += [
            osp.relpath(osp.join(root, f), folder) for f in sorted(files)
            if f.endswith(('.py', '.sh'))
        ]
    return found


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Print a config's or tool's path, or list the configs."""
    parser = argparse.ArgumentParser(
        prog='python -m stars_mmaction.configs',
        description='Paths of the configs and tools shipped with '
        'stars_mmaction')
    sub = parser.add_subparsers(dest='command', required=True)
    sub.add_parser('path', help='absolute path of a config').add_argument(
        'name', help='relative to configs/, e.g. stars/mamp_...py')
    sub.add_parser('tool', help='absolute path of a tool').add_argument(
        'name', help='relative to tools/, e.g. train.py')
    sub.add_parser('list', help='configs whose path contains PATTERN'
                   ).add_argument('pattern', nargs='?', default='')
    args = parser.parse_args(argv)
    try:
        if args.command == 'list':
            print('\n'.join(list_configs(args.pattern)))
        else:
            find = config_path if args.command == 'path' else tool_path
            print(find(args.name))
    except FileNotFoundError as error:
        print(f'error: {error}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
