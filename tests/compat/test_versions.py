"""stars_mmaction.compat.versions: the supported ranges, as setup.cfg's."""
import configparser
from importlib.metadata import PackageNotFoundError
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from stars_mmaction.compat import check_versions, versions

ROOT = Path(__file__).parents[2]


def requirements(option, section='options'):
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / 'setup.cfg')
    lines = cfg[section][option].strip().splitlines()
    return {r.name: r.specifier for r in map(Requirement, lines)}


def test_setup_cfg_states_the_ranges_checked_on_import():
    required = requirements('install_requires')
    lite = requirements('lite', 'options.extras_require')
    for names, minimum, maximum in versions.SUPPORTED_VERSIONS:
        expected = SpecifierSet(f'>={minimum},<{maximum}')
        if names[0] == 'mmcv':  # only through the [lite] extra
            assert 'mmcv' not in required and 'mmcv-lite' not in required
            assert lite['mmcv-lite'] == expected
        else:
            assert required[names[0]] == expected


def test_either_mmcv_distribution_is_accepted(monkeypatch):
    def only_lite(name):
        if name == 'mmcv':
            raise PackageNotFoundError(name)
        return {'mmengine': '0.10.7', 'mmaction2': '1.2.0'}.get(name, '2.1.0')

    monkeypatch.setattr(versions, 'version', only_lite)
    check_versions()
    assert versions.installed_version(('mmcv', 'mmcv-lite')) == (
        'mmcv-lite', '2.1.0')


def test_missing_mmcv_says_how_to_get_one(monkeypatch):
    def no_mmcv(name):
        if name.startswith('mmcv'):
            raise PackageNotFoundError(name)
        return {'mmengine': '0.10.7', 'mmaction2': '1.2.0'}[name]

    monkeypatch.setattr(versions, 'version', no_mmcv)
    with pytest.raises(ImportError,
                       match=r"mmcv>=2\.0\.0rc4,<2\.2\.0, which is not "
                       r"installed.*compiled mmcv.*stars_mmaction\[lite\]"):
        check_versions()
