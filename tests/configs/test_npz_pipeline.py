"""npz-converted data reaches the encoder exactly as the reference feeders
give it; mmaction2's PreNormalize3D would change it.

The reference feeder (CTR-GCN/MAMP ``Feeder`` + ``valid_crop_resize``) is
written out below: count the frames whose coordinates do not sum to zero,
crop among the first that many frames, resize with bilinear interpolation.
"""
import os.path as osp

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from mmaction.registry import TRANSFORMS
from mmcv.transforms import Compose
from mmengine.config import Config

from stars_mmaction.datasets.converters.ctrgcn_npz import \
    ctrgcn_sample_to_keypoint

REPO = osp.dirname(osp.dirname(osp.dirname(__file__)))
PIPELINES = Config.fromfile(
    osp.join(REPO, 'configs/_base_/pipelines/skeleton_3d.py'))


def reference_feeder(x, p_interval, window=120):
    """One npz row (300, 150) -> (C, window, V, M), as the reference does."""
    data = x.reshape(x.shape[0], 2, 25, 3).transpose(3, 0, 2, 1)  # C,T,V,M
    valid = int(np.sum(data.sum(0).sum(-1).sum(-1) != 0))
    if len(p_interval) == 1:
        bias = int((1 - p_interval[0]) * valid / 2)
        data = data[:, bias:valid - bias]
    else:
        p = np.random.rand(1) * (p_interval[1] - p_interval[0]) + \
            p_interval[0]
        length = np.minimum(np.maximum(int(np.floor(valid * p[0])), 64),
                            valid)
        bias = np.random.randint(0, valid - length + 1)
        data = data[:, bias:bias + length]
    C, T, V, M = data.shape
    seq = torch.tensor(data, dtype=torch.float).permute(0, 2, 3, 1)
    seq = seq.contiguous().view(C * V * M, T)[None, None]
    seq = F.interpolate(seq, size=(C * V * M, window), mode='bilinear',
                        align_corners=False).squeeze()
    return seq.view(C, V, M, window).permute(0, 3, 1, 2).numpy()


def npz_row(actor1_frames, actor2_frames, seed):
    """A zero-padded (300, 150) npz row; each actor present on its frames."""
    rng = np.random.RandomState(seed)
    x = np.zeros((300, 2, 25, 3), np.float32)
    for person, frames in enumerate((actor1_frames, actor2_frames)):
        walk = np.cumsum(rng.normal(0, 0.02, (300, 25, 3)), axis=0)
        x[frames, person] = (walk + rng.normal(0, 0.3, (1, 25, 3)))[frames]
    return x.reshape(300, 150)


# actor 1 enters late, has a gap and leaves early; actor 2 is there longer
# (PreNormalize3D swaps the persons) or shorter with nobody at the start
# (PreNormalize3D keeps person 0 and drops its absent frames).
SAMPLES = {
    'swap': (np.r_[20:70, 90:130], np.r_[0:150]),
    'no_swap': (np.r_[10:60, 80:120], np.r_[30:100]),
}


def run(pipeline, x):
    keypoint = ctrgcn_sample_to_keypoint(x)
    results = dict(keypoint=keypoint, total_frames=keypoint.shape[1],
                   frame_dir='train_000000', label=0, sample_idx=0)
    packed = Compose([TRANSFORMS.build(t) for t in pipeline])(results)
    return packed['inputs'][0].numpy()  # (M, T, V, C)


def as_ctvm(inputs):
    return inputs.transpose(3, 1, 2, 0)


@pytest.mark.parametrize('name', sorted(SAMPLES))
@pytest.mark.parametrize('pipeline_name', ['npz_test_pipeline',
                                           'npz_tune_pipeline'])
def test_npz_pipeline_gives_the_reference_feeder_result(name, pipeline_name):
    x = npz_row(*SAMPLES[name], seed=len(name))
    pipeline = PIPELINES[pipeline_name]
    p_interval = pipeline[0]['p_interval']
    expected = reference_feeder(x, p_interval)
    got = as_ctvm(run(pipeline, x))
    assert got.shape == expected.shape == (3, 120, 25, 2)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-6)

    # PreNormalize3D (the pipeline for mmaction2's NTU pickles) drops the
    # frames without person 0 or swaps the persons, and re-centres
    normalised = as_ctvm(run(PIPELINES[pipeline_name.replace('npz_', '')], x))
    assert np.abs(normalised - expected).max() > 0.1


def test_npz_random_crop_is_the_reference_crop():
    crop = PIPELINES.npz_train_pipeline[0]
    assert crop['type'] == 'ValidFrameCropResize'
    x = npz_row(*SAMPLES['swap'], seed=3)
    for seed in range(5):
        np.random.seed(seed)
        expected = reference_feeder(x, crop['p_interval'])
        np.random.seed(seed)
        got = as_ctvm(run([crop, dict(type='FormatGCNInput', num_person=2),
                           dict(type='PackActionInputs')], x))
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-6)


def test_valid_count_is_the_number_of_non_zero_frames():
    # frames 0-9 are empty (nobody there): the reference counts 110 valid
    # frames and crops among frames 0-109, not 10-119
    from stars_mmaction.datasets.transforms.crop_resize import \
        num_valid_frames
    keypoint = ctrgcn_sample_to_keypoint(npz_row(*SAMPLES['no_swap'], 0))
    assert keypoint.shape[1] == 120
    assert num_valid_frames(keypoint) == 110
