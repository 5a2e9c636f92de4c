"""Work around the mmaction2 1.2.0 wheel that lacks ``localizers/drn``.

``mmaction/models/localizers/__init__.py`` imports ``.drn.drn`` but the wheel
ships no ``drn`` folder (open-mmlab/mmaction2#2714), so ``import
mmaction.models`` fails. When (and only when) the folder is absent, we place a
placeholder package in ``sys.modules`` whose ``DRN`` raises a clear error.
"""
import importlib.util
import os.path as osp
import sys
import types

DRN_PACKAGE = 'mmaction.models.localizers.drn'


class _MissingDRN:
    """Stand-in for mmaction2's DRN localizer, absent from the wheel."""

    def __init__(self, *args, **kwargs) -> None:
        raise ImportError(
            'mmaction2 1.2.0 was installed without '
            '`mmaction/models/localizers/drn` (open-mmlab/mmaction2#2714); '
            'the DRN localizer is unavailable. Install mmaction2 from source '
            'to use it.')


def _drn_is_missing() -> bool:
    if DRN_PACKAGE in sys.modules:
        return False
    # Locate the folder without importing ``mmaction.models``: that import is
    # exactly what fails.
    mmaction = importlib.util.find_spec('mmaction')
    if mmaction is None or not mmaction.submodule_search_locations:
        return False
    return not any(
        osp.isdir(osp.join(path, 'models', 'localizers', 'drn'))
        for path in mmaction.submodule_search_locations)


def patch_missing_drn() -> bool:
    """Install the placeholder ``drn`` modules when the wheel lacks them.

    Returns:
        bool: Whether the placeholder was installed.
    """
    if not _drn_is_missing():
        return False
    package = types.ModuleType(DRN_PACKAGE)
    package.__path__ = []  # a package, so that ``.drn.drn`` resolves
    module = types.ModuleType(DRN_PACKAGE + '.drn')
    _MissingDRN.__name__ = 'DRN'
    module.DRN = _MissingDRN
    package.drn = module
    sys.modules[DRN_PACKAGE] = package
    sys.modules[DRN_PACKAGE + '.drn'] = module
    return True
