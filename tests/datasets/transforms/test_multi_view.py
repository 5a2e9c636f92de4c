import numpy as np
import pytest
from mmaction.datasets.transforms import FormatGCNInput

from stars_mmaction.datasets.transforms import SkeletonMultiView


def test_views_become_clips_after_format_gcn_input():
    np.random.seed(0)
    keypoint = np.random.randn(1, 40, 25, 3).astype(np.float32)
    multi_view = SkeletonMultiView(
        transforms=[
            dict(type='ValidFrameCropResize', clip_len=16,
                 p_interval=(0.5, 1), min_crop=8),
            dict(type='RandomSkeletonRotation', max_angle=0.3)
        ],
        num_views=2)
    results = multi_view(dict(keypoint=keypoint, total_frames=40))
    assert results['num_clips'] == 2
    results = FormatGCNInput(num_person=2)(results)
    clips = results['keypoint']
    assert clips.shape == (2, 2, 16, 25, 3)  # (views, M, T, V, C)
    assert not np.allclose(clips[0], clips[1])  # independent augmentations
    assert (clips[:, 1] == 0).all()  # padded second person


def test_views_of_different_shapes_are_refused():
    lengths = iter([8, 12])

    def crop(results):
        results['keypoint'] = results['keypoint'][:, :next(lengths)]
        return results

    with pytest.raises(ValueError, match='same shape'):
        SkeletonMultiView(transforms=[crop])(
            dict(keypoint=np.ones((1, 20, 25, 3))))
