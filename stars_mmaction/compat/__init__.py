"""Fixes for known breakages of the pinned OpenMMLab stack, applied on import.

Each fix is applied only when the breakage is present, so a future release of
mmaction2 or mmengine that fixes it upstream turns the fix into a no-op.
Checkpoint loading is not a compat fix: :mod:`stars_mmaction.engine.
checkpoint` registers the safe loader for local files.
"""
from .mmaction_drn import patch_missing_drn
from .versions import check_versions

__all__ = ['apply_compat_fixes', 'check_versions', 'patch_missing_drn']


def apply_compat_fixes() -> None:
    """Check versions and apply every compatibility fix that is needed."""
    check_versions()
    patch_missing_drn()
