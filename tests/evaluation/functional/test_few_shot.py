import numpy as np
import pytest
import torch

from stars_mmaction.evaluation import (episode_rng, few_shot_accuracies,
                                       nearest_support_accuracy,
                                       sample_episode)

LABELS = np.repeat(np.arange(60, 66), [6, 6, 7, 8, 9, 10])


@pytest.mark.parametrize('shot', [1, 2, 5])
def test_support_and_query_partition_the_samples(shot):
    support, query = sample_episode(LABELS, shot, episode_rng(0, shot, 3))
    assert np.intersect1d(support, query).size == 0
    assert np.array_equal(np.union1d(support, query), np.arange(len(LABELS)))
    counts = np.bincount(LABELS[support], minlength=66)[60:]
    assert counts.tolist() == [shot] * 6
    assert set(LABELS[query]) == set(LABELS)


def test_episodes_are_reproducible_from_the_seed():
    draw = lambda seed, episode: sample_episode(  # noqa: E731
        LABELS, 2, episode_rng(seed, 2, episode))[0]
    assert np.array_equal(draw(0, 7), draw(0, 7))
    assert not np.array_equal(draw(0, 7), draw(0, 8))
    assert not np.array_equal(draw(0, 7), draw(1, 7))


def test_a_class_without_query_is_an_error():
    with pytest.raises(ValueError, match='class 60 has 6 samples'):
        sample_episode(LABELS, 6, episode_rng(0, 6, 0))


def test_nearest_support_accuracy():
    feats = torch.tensor([[1., 0.], [0., 1.], [0.9, 0.1], [0.2, 0.8],
                          [0.6, 0.4]])
    labels = torch.tensor([0, 1, 0, 1, 1])
    acc = nearest_support_accuracy(feats, labels, np.array([0, 1]),
                                   np.array([2, 3, 4]))
    assert acc == pytest.approx(2 / 3)  # sample 4 is nearer to class 0


def test_separable_features_score_one_and_random_ones_near_chance():
    labels = torch.from_numpy(LABELS)
    separable = torch.nn.functional.one_hot(labels - 60).float()
    separable += 0.01 * torch.randn_like(separable)
    accs = few_shot_accuracies(separable, labels, (1, 2), num_episodes=5)
    assert all(np.allclose(a, 1.0) for a in accs.values())
    assert accs[1].shape == (5, )
    noise = few_shot_accuracies(torch.randn(len(LABELS), 16),
                                labels, (1, ),
                                num_episodes=50)
    assert 0.05 < noise[1].mean() < 0.35  # chance is 1/6


def test_few_shot_bad_inputs():
    labels = torch.from_numpy(LABELS)
    with pytest.raises(ValueError, match='no samples'):
        few_shot_accuracies(torch.randn(0, 4), labels[:0])
    with pytest.raises(ValueError, match='at least 2 classes'):
        few_shot_accuracies(torch.randn(5, 4), labels[:5], (1, ))
