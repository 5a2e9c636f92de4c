"""Fixtures of the bad-input corpus."""
import pytest

from corpus_tools import save_encoder_checkpoint


@pytest.fixture(scope='session')
def stage1_checkpoint(tmp_path_factory):
    """A tiny encoder's stage-1 checkpoint."""
    path = tmp_path_factory.mktemp('ckpt') / 'stage1.pth'
    return save_encoder_checkpoint(path, epoch=1, iter=6)
