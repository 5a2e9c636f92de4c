"""Packaging hook: ship configs/ and tools/ inside the wheel.

The metadata lives in setup.cfg. A built wheel (``pip install .``, ``pip
wheel .``) carries the repository's ``configs/`` and ``tools/`` at
``stars_mmaction/.mim/``, OpenMMLab's layout (mmaction2's wheel has
``mmaction/.mim/configs``), so relative ``_base_`` paths keep working and
``python -m stars_mmaction.configs path NAME`` finds them. An editable
install reads them from the checkout instead.
"""
import os.path as osp
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = osp.dirname(osp.abspath(__file__))
SHIPPED = ('configs', 'tools')


class BuildPyWithResources(build_py):
    """``build_py`` that also copies configs/ and tools/ into the package."""

    def run(self) -> None:
        super().run()
        if getattr(self, 'editable_mode', False):
            return
        for name in SHIPPED:
            target = osp.join(self.build_lib, 'stars_mmaction', '.mim', name)
            if osp.isdir(target):
                shutil.rmtree(target)
            shutil.copytree(
                osp.join(ROOT, name), target,
                ignore=shutil.ignore_patterns('__pycache__', '*.pyc'))


setup(cmdclass={'build_py': BuildPyWithResources})
