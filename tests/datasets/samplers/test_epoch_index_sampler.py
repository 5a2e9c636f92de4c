"""Augmentations as a function of (seed, epoch, index), not worker state."""
import pickle

import numpy as np
import pytest
import torch
from mmengine.dataset import DefaultSampler, pseudo_collate
from mmengine.registry import init_default_scope
from torch.utils.data import DataLoader

from stars_mmaction.datasets import (EpochIndexSampler, EpochSampleIndex,
                                     SkeletonPoseDataset, sample_random_state)
from stars_mmaction.datasets.transforms import (RandomSkeletonMirror,
                                                RandomSkeletonRotation,
                                                ValidFrameCropResize)

PIPELINE = [
    dict(type='PreNormalize3D', align_spine=False, align_shoulder=False),
    dict(type='ValidFrameCropResize', clip_len=16, p_interval=(0.5, 1),
         min_crop=8),
    dict(type='RandomSkeletonRotation', max_angle=0.3),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs', meta_keys=('frame_dir', 'sample_idx'))
]


def dataset(ann_file, pipeline=PIPELINE):
    init_default_scope('mmaction')
    return SkeletonPoseDataset(ann_file, pipeline, split='xsub_train')


def test_the_index_keeps_its_tags_through_pickle():
    index = EpochSampleIndex(7, epoch=3, seed=42)
    copy = pickle.loads(pickle.dumps(index))
    assert copy == 7 and isinstance(copy, int)
    assert (copy.epoch, copy.seed) == (3, 42)
    assert [10, 11, 12, 13, 14, 15, 16, 17][index] == 17


def test_same_order_as_default_sampler_tagged_with_epoch_and_seed():
    data = list(range(10))
    ours = EpochIndexSampler(data, shuffle=True, seed=5)
    stock = DefaultSampler(data, shuffle=True, seed=5)
    ours.set_epoch(2)
    stock.set_epoch(2)
    indices = list(ours)
    assert indices == list(stock)
    assert all(isinstance(i, EpochSampleIndex) for i in indices)
    assert {(i.epoch, i.seed) for i in indices} == {(2, 5)}


def test_a_sample_depends_on_seed_epoch_index_only(demo_ann_file):
    data = dataset(demo_ann_file)
    np.random.seed(1)
    first = data[EpochSampleIndex(3, epoch=1, seed=0)]['inputs']
    np.random.seed(2)  # another worker state: same sample
    state = np.random.get_state()
    again = data[EpochSampleIndex(3, epoch=1, seed=0)]['inputs']
    assert torch.equal(first, again)
    # numpy's global state is given back untouched
    assert np.random.get_state()[1].tolist() == state[1].tolist()
    other_epoch = data[EpochSampleIndex(3, epoch=2, seed=0)]['inputs']
    other_seed = data[EpochSampleIndex(3, epoch=1, seed=1)]['inputs']
    assert not torch.equal(first, other_epoch)
    assert not torch.equal(first, other_seed)
    # a plain index still uses the global state (mmaction2 behaviour)
    np.random.seed(0)
    plain = data[3]['inputs']
    np.random.seed(0)
    assert torch.equal(plain, data[3]['inputs'])


def batches(data, num_workers, epochs=2):
    sampler = EpochIndexSampler(data, shuffle=True, seed=3)
    loader = DataLoader(data, batch_size=8, sampler=sampler,
                        num_workers=num_workers, collate_fn=pseudo_collate,
                        persistent_workers=num_workers > 0)
    out = []
    for epoch in range(epochs):
        sampler.set_epoch(epoch)
        out.extend(torch.stack(batch['inputs']) for batch in loader)
    return out


def test_same_batches_with_0_1_2_persistent_workers(demo_ann_file):
    data = dataset(demo_ann_file)
    reference = batches(data, 0)
    assert not torch.equal(reference[0], reference[6])  # epochs differ
    for num_workers in (1, 2):
        got = batches(data, num_workers)
        assert len(got) == len(reference)
        assert all(torch.equal(a, b) for a, b in zip(reference, got))


def test_views_draw_different_augmentations(demo_ann_file):
    view = [dict(type='ValidFrameCropResize', clip_len=16,
                 p_interval=(0.5, 1), min_crop=8),
            dict(type='RandomSkeletonRotation', max_angle=0.3)]
    pipeline = [PIPELINE[0],
                dict(type='SkeletonMultiView', transforms=view),
                *PIPELINE[3:]]
    sample = dataset(demo_ann_file, pipeline)[EpochSampleIndex(0, 0, 0)]
    views = sample['inputs']  # (num_views, M, T, V, C)
    assert views.shape[0] == 2 and not torch.equal(views[0], views[1])
    again = dataset(demo_ann_file, pipeline)[EpochSampleIndex(0, 0, 0)]
    assert torch.equal(views, again['inputs'])


def draws(transform_draw, n=4000):
    """One statistic per sample: per-sample generators vs global state."""
    seeded = []
    for i in range(n):
        with sample_random_state(EpochSampleIndex(i, 0, 0)) as rng:
            seeded.append(transform_draw(dict(sample_rng=rng)))
    np.random.seed(0)
    legacy = [transform_draw(dict()) for _ in range(n)]
    return np.array(seeded, float), np.array(legacy, float)


@pytest.mark.parametrize('name', ['crop', 'rotation', 'mirror'])
def test_distributions_are_unchanged(name):
    crop = ValidFrameCropResize(clip_len=16, p_interval=(0.5, 1), min_crop=8)
    rotation = RandomSkeletonRotation(max_angle=0.3)
    mirror = RandomSkeletonMirror(prob=0.3)
    x = np.zeros((1, 1, 25, 3), np.float32)
    x[..., 0] = 1
    x[..., 2] = 1
    draw = dict(
        crop=lambda r: (lambda w: w.stop - w.start)(
            crop.crop_window(100, r.get('sample_rng'))),
        rotation=lambda r: rotation.transform(
            dict(r, keypoint=x.copy()))['keypoint'][0, 0, 0, 1],
        mirror=lambda r: mirror.transform(
            dict(r, keypoint=x.copy()))['keypoint'][0, 0, 0, 0] < 0)[name]
    seeded, legacy = draws(draw)
    # crop: floor(100 * U[0.5, 1]) is uniform on 50..99; mirror: Bernoulli
    expected = dict(crop=(74.5, 14.43), mirror=(0.3, 0.458)).get(name)
    for values in (seeded, legacy):
        if expected is not None:
            assert abs(values.mean() - expected[0]) < 4 * expected[1] / 63
            assert abs(values.std() - expected[1]) < 0.05 * expected[1]
    # same distribution from either source (4000 draws each)
    assert abs(seeded.mean() - legacy.mean()) < 6 * legacy.std() / 63
    assert abs(seeded.std() - legacy.std()) < 0.08 * legacy.std()
