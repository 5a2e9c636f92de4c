import sys

import pytest

from stars_mmaction.compat import check_versions, patch_missing_drn, versions


def test_mmaction_models_import_and_drn_placeholder_explains_itself():
    import mmaction.models  # noqa: F401  (fails without the drn fix)
    from mmaction.models.localizers.drn.drn import DRN
    if getattr(sys.modules['mmaction.models.localizers.drn'], '__file__',
               None):
        pytest.skip('this mmaction2 ships the real DRN')
    with pytest.raises(ImportError, match='mmaction2#2714'):
        DRN()


def test_drn_patch_is_a_no_op_once_present():
    assert patch_missing_drn() is False


def test_unsupported_version_names_package_and_range(monkeypatch):
    monkeypatch.setattr(versions, 'version', lambda name: '0.1.0')
    with pytest.raises(ImportError, match=r'mmengine>=0\.10\.0,<0\.11\.0.*'
                       r'mmengine==0\.1\.0'):
        check_versions()
