"""tools/analysis/tsne.py and its feature extraction, on tiny demo data."""
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

ROOT = Path(__file__).parents[3]
ANALYSIS = ROOT / 'tools' / 'analysis'
sys.path.insert(0, str(ANALYSIS))
import feature_extraction  # noqa: E402


def load_tool(name):
    spec = importlib.util.spec_from_file_location(name,
                                                  ANALYSIS / f'{name}.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TINY_KNN = """
_base_ = ['{root}/configs/stars/eval/knn_demo-xsub-keypoint-3d.py']
model = dict(backbone=dict(embed_dims=32, depth=1, num_heads=2))
test_dataloader = dict(num_workers=0, dataset=dict(ann_file='{ann}'))
test_evaluator = dict(label_map=None)
"""


@pytest.fixture(scope='module')
def tiny_knn(tmp_path_factory, demo_ann_file):
    """A tiny KNN config on the fixture data and a random checkpoint."""
    tmp = tmp_path_factory.mktemp('tsne')
    config = tmp / 'knn_tiny.py'
    config.write_text(TINY_KNN.format(root=ROOT, ann=demo_ann_file))
    _, model = feature_extraction.load_encoder_model(str(config), None)
    checkpoint = tmp / 'encoder.pth'
    torch.save({'state_dict': {f'backbone.{k}': v for k, v in
                               model.backbone.state_dict().items()}},
               checkpoint)
    return str(config), str(checkpoint), model


def test_extracted_features_are_the_models_pooled_features(tiny_knn):
    config, checkpoint, model = tiny_knn
    feats, labels, names = feature_extraction.extract_features(
        config, checkpoint)
    assert feats.shape == (len(labels), 32)
    assert set(labels.tolist()) == set(range(7))
    assert names[:2] == ['0', '1']
    sub, sub_labels, _ = feature_extraction.extract_features(
        config, checkpoint, max_samples=5)
    assert sub.shape == (5, 32)
    rows = [np.flatnonzero((feats == row).all(axis=1)) for row in sub]
    assert all(len(r) == 1 for r in rows)  # a subset of the same features
    assert (labels[[r[0] for r in rows]] == sub_labels).all()


def test_a_checkpoint_of_another_model_is_refused(tiny_knn, tmp_path):
    config, _, _ = tiny_knn
    bad = tmp_path / 'bad.pth'
    torch.save({'state_dict': {'head.fc.weight': torch.zeros(2, 2)}}, bad)
    with pytest.raises(KeyError, match='backbone'):
        feature_extraction.extract_features(config, str(bad))


def test_tsne_png(tiny_knn, tmp_path):
    config, checkpoint, _ = tiny_knn
    out = tmp_path / 'tsne.png'
    load_tool('tsne').main([config, checkpoint, '--out', str(out),
                            '--tsne-iters', '250'])
    assert out.stat().st_size > 5000


def test_random_projector_figure(tiny_knn, tmp_path):
    config, checkpoint, _ = tiny_knn
    tool = load_tool('random_projector_figure')
    out = tmp_path / 'fig2.png'
    stats = tool.main([config, checkpoint, '--out', str(out),
                       '--hidden-channels', '64', '--split', 'xsub_train',
                       '--tsne-iters', '250'])
    assert out.stat().st_size > 5000
    assert 0 <= stats['neighbour_overlap'] <= 1
    assert -1 <= stats['silhouette_projected'] <= 1


def test_neighbour_overlap_and_random_projection_by_hand():
    tool = load_tool('random_projector_figure')
    x = np.array([[1., 0.], [0.9, 0.1], [0., 1.], [0.1, 0.9]])
    assert tool.neighbour_overlap(x, x, k=1) == 1.
    swapped = x[:, ::-1].copy()  # neighbours unchanged by a reflection
    assert tool.neighbour_overlap(x, swapped, k=1) == 1.
    y = np.array([[1., 0.], [0., 1.], [0.9, 0.1], [0.1, 0.9]])
    # Under y, sample 0's nearest is 2 (was 1): nobody keeps its neighbour.
    assert tool.neighbour_overlap(x, y, k=1) == 0.
    out = tool.random_projection(np.random.randn(6, 8).astype(np.float32),
                                 'projection', hidden_channels=16)
    # Projection = BatchNorm with the set's statistics, then L2-normalised.
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1., rtol=1e-5)


def test_first_per_class_by_hand():
    tool = load_tool('tsne')
    labels = np.array([3, 1, 3, 2, 1, 3, 1, 0])
    # Class 3 at 0 and 2 (5 is a third), class 1 at 1 and 4 (6 is a third).
    assert tool.first_per_class(labels, [1, 3], 2) == [0, 1, 2, 4]
    assert tool.first_per_class(labels, [0, 2], 100) == [3, 7]
    assert len(tool.REFERENCE_CLASSES) == 15
    with pytest.raises(ValueError, match='no test sample'):
        tool.first_per_class(labels, [9], 1)


def test_reference_selection_takes_raw_features_of_the_first_samples(
        tiny_knn, tmp_path):
    config, checkpoint, _ = tiny_knn
    tool = load_tool('tsne')
    split = 'xsub_train'  # 3 samples per class (the val split has 1)
    labels = feature_extraction.split_labels(config, split)
    indices = tool.first_per_class(labels, [0, 1, 2], 2)
    assert len(indices) == 6 and labels[indices].tolist().count(1) == 2
    every, every_labels, _ = feature_extraction.extract_features(
        config, checkpoint, split)
    assert (every_labels == labels).all()
    picked, picked_labels, _ = feature_extraction.extract_features(
        config, checkpoint, split, indices=indices)
    np.testing.assert_allclose(picked, every[indices], rtol=1e-5, atol=1e-6)
    assert (picked_labels == labels[indices]).all()
    out = tmp_path / 'tsne_reference.png'
    tool.main([config, checkpoint, '--out', str(out), '--tsne-iters', '250',
               '--split', split, '--reference-selection', '--classes', '0',
               '1', '2', '--per-class', '2'])
    assert out.stat().st_size > 5000


def test_reference_tsne_settings_and_raw_features(monkeypatch):
    import sklearn.manifold
    calls = []

    class RecordingTSNE:

        def __init__(self, **kwargs):
            self.kwargs = kwargs

        def fit_transform(self, x):
            calls.append((self.kwargs, x))
            return np.zeros((len(x), 2))

    monkeypatch.setattr(sklearn.manifold, 'TSNE', RecordingTSNE)
    feats = np.random.default_rng(0).normal(size=(100, 4)) * 7
    feature_extraction.tsne_embedding(feats, 42, 30., normalize=False)
    feature_extraction.tsne_embedding(feats, 42, 30.)
    (settings, raw), (_, normalised) = calls
    assert (settings['random_state'], settings['init'],
            settings['perplexity']) == (42, 'pca', 30.)
    np.testing.assert_array_equal(raw, feats)  # not L2-normalised
    np.testing.assert_allclose(np.linalg.norm(normalised, axis=1), 1.)
