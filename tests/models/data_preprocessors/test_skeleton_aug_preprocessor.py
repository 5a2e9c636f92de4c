import math

import pytest
import torch
from mmaction.registry import MODELS
from mmengine.dataset import pseudo_collate
from mmengine.registry import DefaultScope

from stars_mmaction.datasets import EpochSampleIndex, SkeletonPoseDataset

NORMALIZE = dict(type='FastPreNormalize3D', align_spine=False,
                 align_shoulder=False)
BATCHED = [
    NORMALIZE,
    dict(type='PadRawSkeleton', max_frames=96),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs',
         meta_keys=('frame_dir', 'sample_idx', 'valid_len', 'aug_key'))
]


def per_sample_pipeline(p):
    return [
        NORMALIZE,
        dict(type='ValidFrameCropResize', clip_len=16, p_interval=(p, )),
        dict(type='FormatGCNInput', num_person=2),
        dict(type='PackActionInputs', meta_keys=('frame_dir', 'sample_idx'))
    ]


def dataset(ann_file, pipeline):
    with DefaultScope.overwrite_default_scope('mmaction'):
        return SkeletonPoseDataset(ann_file, pipeline, split='xsub_train')


def preprocessor(**kwargs):
    return MODELS.build(dict(type='SkeletonAugDataPreprocessor', clip_len=16,
                             **kwargs))


def batch(data, indices):
    return pseudo_collate([data[i] for i in indices])


@pytest.mark.parametrize('p,on_device', [(0.95, False), (1.0, False),
                                          (0.95, True), (1.0, True)])
def test_deterministic_path_equals_per_sample_pipeline(demo_ann_file, p,
                                                       on_device):
    reference = dataset(demo_ann_file, per_sample_pipeline(p))
    # Pre-normalised in the loader, or on the device from raw sequences.
    batched = dataset(demo_ann_file, BATCHED[int(on_device):])
    indices = list(range(0, len(batched), 5))
    expected = torch.stack([reference[i]['inputs'] for i in indices])
    for training in (True, False):
        out = preprocessor(p_interval=(p, ), eval_p_interval=(p, ),
                           pre_normalize=on_device)(
            batch(batched, indices), training)
        assert out['inputs'].shape == (len(indices), 1, 2, 16, 25, 3)
        torch.testing.assert_close(out['inputs'], expected, rtol=1e-6,
                                   atol=1e-6)


def test_sample_augmentation_ignores_batch_composition(demo_ann_file):
    data = dataset(demo_ann_file, BATCHED)
    model = preprocessor(max_angle=0.3, mirror_prob=0.5, num_views=2)
    tagged = [EpochSampleIndex(i, epoch=3, seed=11) for i in (0, 4, 9)]
    first = model(batch(data, tagged), True)['inputs']
    second = model(batch(data, [tagged[2], EpochSampleIndex(5, 3, 11),
                                tagged[0]]), True)['inputs']
    assert torch.equal(second[0], first[2])
    assert torch.equal(second[2], first[0])
    assert not torch.equal(first[0, 0], first[0, 1])  # two views differ
    later = model(batch(data, [EpochSampleIndex(0, 4, 11)]), True)['inputs']
    assert not torch.equal(later[0], first[0])  # a new epoch, new draws


def test_draw_statistics_match_the_per_sample_transforms():
    n = 4000
    model = preprocessor(max_angle=0.3, mirror_prob=0.5, num_views=2)
    keys = torch.arange(n) * 6700417 - 2**40
    valid = torch.full((n, ), 300)
    views = [model.draw(valid, keys, view) for view in range(2)]
    for params in views:
        angles = params['angles']
        # U[-0.3, 0.3]: mean 0, std 0.3 / sqrt(3).
        assert angles.abs().max() <= 0.3 and angles.abs().max() > 0.299
        assert angles.mean(0).abs().max() < 0.01
        assert (angles.std(0) - 0.3 / math.sqrt(3)).abs().max() < 0.005
        assert abs(params['flip'].double().mean() - 0.5) < 0.03
        fraction = params['length'].double() / 300
        assert 0.5 <= fraction.min() and fraction.max() <= 1.0
        assert abs(fraction.mean() - 0.75) < 0.01
    # The views' draws are independent.
    assert (views[0]['flip'] == views[1]['flip']).double().mean() < 0.55
    assert abs(torch.corrcoef(torch.stack(
        [views[0]['angles'][:, 0], views[1]['angles'][:, 0]]))[0, 1]) < 0.05


def test_per_axis_rotation_ranges_as_the_per_sample_transform():
    model = preprocessor(max_angle=(0., 0.8, 0.3))
    keys = torch.arange(4000) * 6700417 - 2**40
    angles = model.draw(torch.full((4000, ), 300), keys, 0)['angles']
    # U[-r, r] per axis: no turn about x, the largest about y.
    assert (angles[:, 0] == 0).all()
    assert 0.79 < angles[:, 1].abs().max() <= 0.8
    assert 0.29 < angles[:, 2].abs().max() <= 0.3


def test_per_sample_input_is_refused_in_training(demo_ann_file):
    data = batch(dataset(demo_ann_file, per_sample_pipeline(0.95)), [0, 1])
    with pytest.raises(ValueError, match='PadRawSkeleton'):
        preprocessor()(data, True)
    # Outside training, clips of a per-sample test pipeline pass through.
    out = preprocessor()(data, False)
    assert out['inputs'].shape == (2, 1, 2, 16, 25, 3)


def test_bad_settings_and_metainfo_are_named(demo_ann_file):
    with pytest.raises(ValueError, match='p_interval'):
        preprocessor(p_interval=(1.0, 0.5))
    with pytest.raises(ValueError, match='mirror_prob'):
        preprocessor(mirror_prob=2)
    with pytest.raises(ValueError, match='max_angle must be >= 0'):
        preprocessor(max_angle=-0.1)
    with pytest.raises(ValueError, match='one number or three'):
        preprocessor(max_angle=(0.3, 0.3))
    data = batch(dataset(demo_ann_file, BATCHED), [0, 1])
    data['data_samples'][1].set_metainfo(dict(valid_len=500))
    with pytest.raises(ValueError, match=r'valid_len must be in \[1, 96\]'):
        preprocessor()(data, True)
