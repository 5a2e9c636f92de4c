"""The synthetic NTU-layout demo data set (tools/data/make_demo_dataset.py).

Not imported by ``stars_mmaction``: only the generator tool and the tests
need it.
"""
from .actions import ACTIONS, CLASS_NAMES
from .dataset import make_dataset, split_subjects
from .variation import smooth_noise

__all__ = ['ACTIONS', 'CLASS_NAMES', 'make_dataset', 'split_subjects',
           'smooth_noise']
