"""Version check of the OpenMMLab packages this plugin is written against.

The ranges here are those of ``install_requires`` in ``setup.cfg`` (a test
keeps the two equal). ``mmcv`` is not in ``install_requires``: a GPU user's
compiled ``mmcv`` and the CPU-only ``mmcv-lite`` (the ``[lite]`` extra) are
two distributions of the same ``mmcv`` package, and either one is accepted.
"""
from importlib.metadata import PackageNotFoundError, version
from typing import Optional, Tuple

from mmengine.utils import digit_version

# (distribution names, minimum inclusive, maximum exclusive); the first
# installed distribution of a row is checked.
SUPPORTED_VERSIONS: Tuple[Tuple[Tuple[str, ...], str, str], ...] = (
    (('mmengine', ), '0.10.0', '0.11.0'),
    (('mmaction2', ), '1.2.0', '1.3.0'),
    # mmaction2 1.2.0's own check: mmcv>=2.0.0rc4,<2.2.0.
    (('mmcv', 'mmcv-lite'), '2.0.0rc4', '2.2.0'),
)
INSTALL_HINT = {
    'mmcv': "a compiled mmcv (`mim install 'mmcv>=2.0.0rc4,<2.2.0'`) or, "
    "without CUDA ops, `pip install 'stars_mmaction[lite]'` (mmcv-lite)",
}


def installed_version(names: Tuple[str, ...]) -> Optional[Tuple[str, str]]:
    """(distribution, version) of the first of ``names`` installed."""
    for name in names:
        try:
            return name, version(name)
        except PackageNotFoundError:
            continue
    return None


def check_versions() -> None:
    """Raise a clear error when an OpenMMLab package is missing or unsupported.

    Raises:
        ImportError: When a package is absent or its version is out of range.
    """
    for names, minimum, maximum in SUPPORTED_VERSIONS:
        wanted = f'{names[0]}>={minimum},<{maximum}'
        hint = INSTALL_HINT.get(
            names[0], 'the tested stack with `pip install -c constraints.txt '
            "-e '.[lite]'`")
        found = installed_version(names)
        if found is None:
            raise ImportError(
                f'stars_mmaction needs {wanted}, which is not installed. '
                f'Install {hint}.')
        name, found_version = found
        if not (digit_version(minimum) <= digit_version(found_version) <
                digit_version(maximum)):
            raise ImportError(
                f'stars_mmaction needs {wanted}, but {name}=={found_version} '
                f'is installed. Install {hint}.')
