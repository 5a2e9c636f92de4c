"""STARS for mmaction2: MAMP pre-training and contrastive tuning of skeleton
transformers.

Importing this package checks the OpenMMLab versions, applies the
compatibility fixes of :mod:`stars_mmaction.compat` and registers every module
of the plugin into mmaction2's registries.
"""
from .compat import apply_compat_fixes

apply_compat_fixes()

from . import datasets, engine, evaluation, models  # noqa: E402,F401
from .version import __version__  # noqa: E402

__all__ = ['__version__', 'datasets', 'engine', 'evaluation', 'models']
