"""Shared fixtures: the plugin registered, and tiny model sizes."""
import pickle

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


@pytest.fixture(scope='session')
def demo_ann_file(tmp_path_factory):
    """A small synthetic demo data set: the first 7 actions, 4 subjects (1
    val), 2 repetitions: 42 training and 14 validation samples; the label
    map names all 12 demo classes (the demo configs' num_classes). 66-80
    frames: longer than ``ValidFrameCropResize``'s default ``min_crop`` of
    64, which the NTU-style test pipelines keep."""
    from stars_mmaction.demo import CLASS_NAMES, make_dataset
    data = make_dataset(seed=0, num_classes=7, num_subjects=4,
                        num_val_subjects=1, num_repetitions=2,
                        num_val_repetitions=2,
                        frame_range=(66, 80))
    path = tmp_path_factory.mktemp('demo') / 'demo_3d.pkl'
    with open(path, 'wb') as f:
        pickle.dump(data, f)
    (path.parent / 'label_map.txt').write_text('\n'.join(CLASS_NAMES) + '\n')
    return str(path)
