"""Shared fixtures: the plugin registered, and tiny model sizes."""
import pytest
import torch

import stars_mmaction  # noqa: F401  (registers the plugin's modules)


@pytest.fixture(autouse=True)
def _seed_everything():
    torch.manual_seed(0)
    yield


@pytest.fixture
def tiny_encoder_cfg():
    """A 2-block x 32 encoder on 16-frame clips (4 x 25 tokens)."""
    return dict(
        type='MAMPEncoder',
        embed_dims=32,
        depth=2,
        num_heads=2,
        num_frames=16,
        num_joints=25,
        t_patch_size=4)
