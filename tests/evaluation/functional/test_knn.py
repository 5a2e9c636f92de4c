import numpy as np
import pytest
import torch
from sklearn.neighbors import KNeighborsClassifier

from stars_mmaction.evaluation import knn_predict

KS = (1, 2, 3, 4, 5, 10, 20)


def random_split(seed, num_train=120, num_test=80, dims=8, num_classes=3):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(
        (num_train, dims)), rng.integers(0, num_classes, num_train),
            rng.standard_normal((num_test, dims)))


@pytest.mark.parametrize('seed', [0, 1, 2])
def test_uniform_vote_matches_sklearn_cosine_knn_with_ties(seed):
    train, labels, test = random_split(seed)
    preds = knn_predict(torch.from_numpy(train),
                        torch.from_numpy(labels),
                        torch.from_numpy(test),
                        ks=KS)
    num_ties = 0
    for k in KS:
        sk = KNeighborsClassifier(n_neighbors=k, metric='cosine')
        expected = sk.fit(train, labels).predict(test)
        np.testing.assert_array_equal(preds[k].numpy(), expected)
        # Count the rows whose vote is tied, so that ties are exercised.
        neighbours = sk.kneighbors(test, return_distance=False)
        counts = np.stack(
            [np.bincount(labels[n], minlength=3) for n in neighbours])
        num_ties += ((counts == counts.max(1, keepdims=True)).sum(1) > 1).sum()
    assert num_ties > 20


def test_tie_goes_to_the_smallest_label():
    train = torch.tensor([[1., 0.], [1., 0.1], [1., -0.1], [0., 1.]])
    labels = torch.tensor([2, 1, 1, 2])
    preds = knn_predict(train, labels, torch.tensor([[1., 0.]]), ks=(1, 2))
    assert preds[1].tolist() == [2]  # the nearest sample
    # k=2: the nearest is 2, then one of the two 1s at the same distance:
    # one vote each, and the tie goes to label 1.
    assert preds[2].tolist() == [1]


def test_batched_and_unbatched_agree():
    train, labels, test = random_split(3, num_train=300, num_test=101)
    args = (torch.from_numpy(train).float(), torch.from_numpy(labels),
            torch.from_numpy(test).float())
    whole = knn_predict(*args, ks=KS, batch_size=1000)
    for batch_size in (1, 7, 64):
        batched = knn_predict(*args, ks=KS, batch_size=batch_size)
        for k in KS:
            assert torch.equal(whole[k], batched[k])


def test_exp_weighting_follows_the_similarity_weights():
    train, labels, test = random_split(4, num_classes=5)
    preds = knn_predict(torch.from_numpy(train),
                        torch.from_numpy(labels),
                        torch.from_numpy(test),
                        ks=(10, ),
                        weighting='exp',
                        temperature=0.07)
    unit = lambda x: x / np.linalg.norm(x, axis=1, keepdims=True)  # noqa
    sims = unit(test) @ unit(train).T
    expected = []
    for row in sims:
        nearest = np.argsort(-row)[:10]
        votes = np.zeros(5)
        np.add.at(votes, labels[nearest], np.exp(row[nearest] / 0.07))
        expected.append(votes.argmax())
    np.testing.assert_array_equal(preds[10].numpy(), expected)


@pytest.mark.parametrize('ks, message', [((0, ), 'positive'),
                                         ((1, 121), 'exceeds the 120'),
                                         ((), 'empty'), ((2.5, ), 'int')])
def test_bad_k_is_a_clear_error(ks, message):
    train, labels, test = random_split(0)
    with pytest.raises(ValueError, match=message):
        knn_predict(torch.from_numpy(train),
                    torch.from_numpy(labels),
                    torch.from_numpy(test),
                    ks=ks)


def test_empty_splits_and_bad_weighting_are_errors():
    feats, labels = torch.randn(4, 3), torch.tensor([0, 1, 0, 1])
    with pytest.raises(ValueError, match='bank .* is empty'):
        knn_predict(feats[:0], labels[:0], feats, ks=(1, ))
    with pytest.raises(ValueError, match='query set .* is empty'):
        knn_predict(feats, labels, feats[:0], ks=(1, ))
    with pytest.raises(ValueError, match='weighting'):
        knn_predict(feats, labels, feats, ks=(1, ), weighting='distance')
    with pytest.raises(ValueError, match='dims'):
        knn_predict(feats, labels, torch.randn(2, 5), ks=(1, ))
