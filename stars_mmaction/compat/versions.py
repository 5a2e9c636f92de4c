"""Version check of the OpenMMLab packages this plugin is written against."""
from importlib.metadata import PackageNotFoundError, version

from mmengine.utils import digit_version

# (distribution name, minimum inclusive, maximum exclusive)
SUPPORTED_VERSIONS = (
    ('mmengine', '0.10.0', '0.11.0'),
    ('mmaction2', '1.2.0', '1.3.0'),
)


def check_versions() -> None:
    """Raise a clear error when mmengine or mmaction2 is missing or unsupported.

    Raises:
        ImportError: When a package is absent or its version is out of range.
    """
    for name, minimum, maximum in SUPPORTED_VERSIONS:
        try:
            found = version(name)
        except PackageNotFoundError as err:
            raise ImportError(
                f'stars_mmaction needs {name}>={minimum},<{maximum}, which is '
                f'not installed. Install the project with '
                f'`pip install -c constraints.txt -e .`.') from err
        if not (digit_version(minimum) <= digit_version(found) <
                digit_version(maximum)):
            raise ImportError(
                f'stars_mmaction needs {name}>={minimum},<{maximum}, but '
                f'{name}=={found} is installed. Install the pinned stack with '
                f'`pip install -c constraints.txt -e .`.')
