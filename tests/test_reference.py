"""A plain-Python KNNOR (steps 1-5, one candidate at a time) against the engine.

The reference draws its randomness the way the engine documents it: per
class, in class order, ``perm = rng.permutation(n_class)`` for the round-robin
order, then ``seed = rng.randint(2**31 - 1)`` for a ``RandomState`` whose
``random_sample()`` gives one uniform per attempt, ``alpha = u * max_dist``.
Everything else (neighbours, seeds, walk, filter, relaxation) is rewritten here
from the algorithm's description, with numpy and no numba.
"""

import math

import numpy as np
import pytest

from knnor import KNNOR, PAPER_PARAMS

PATIENCE = 10


def relaxed(level, k0, max_dist0, proportion0):
    return (
        max(k0 - level, min(2, k0)),
        max(max_dist0 - 0.01 * level, min(0.01, max_dist0)),
        min(proportion0 + 0.01 * level, max(0.9, proportion0)),
    )


def nearest_rows(X, point):
    """All rows by (distance, row), and the squared distances."""
    dist = ((X - point) ** 2).sum(axis=1)
    return np.lexsort((np.arange(len(X)), dist)), dist


def quorum_for(rule, n_votes):
    """Class rows a candidate needs among its n_votes nearest rows."""
    return n_votes if rule == "unanimous" else n_votes // 2 + 1


def reference_class(
    X,
    y,
    label,
    n_wanted,
    k0,
    max_dist0,
    proportion0,
    use_filter,
    rng,
    rule="unanimous",
    votes=None,
    earlier=(),
):
    """One class; ``earlier`` holds the rows generated for the classes before it."""
    rows = np.flatnonzero(y == label)
    class_x = X[rows]
    n = len(rows)
    sq = ((class_x[:, None, :] - class_x[None, :, :]) ** 2).sum(axis=2)
    np.fill_diagonal(sq, np.inf)
    neighbours = np.argsort(sq, axis=1, kind="stable")[:, :k0]
    k_dist = np.sqrt(sq[np.arange(n), neighbours[:, -1]])
    rank = np.empty(n, dtype=int)
    rank[np.argsort(k_dist, kind="stable")] = np.arange(n)

    order = rng.permutation(n)
    uniforms = np.random.RandomState(rng.randint(np.iinfo(np.int32).max))
    level_cap = 0
    while relaxed(level_cap, k0, max_dist0, proportion0) != relaxed(
        level_cap + 1, k0, max_dist0, proportion0
    ):
        level_cap += 1

    n_votes = min(votes or k0, n - 1)
    out, provenance = [], []
    level = streak = cursor = attempts = 0
    while len(out) < n_wanted and attempts < 50 * n_wanted + 1000:
        k, max_dist, proportion = relaxed(level, k0, max_dist0, proportion0)
        n_seeds = max(1, min(n, int(proportion * n + 0.5)))
        while rank[order[cursor]] >= n_seeds:
            cursor = (cursor + 1) % n
        seed = order[cursor]
        cursor = (cursor + 1) % n
        alpha = uniforms.random_sample() * max_dist
        point = class_x[seed].copy()
        for j in range(k):
            point = point + alpha * (class_x[neighbours[seed, j]] - point)
        attempts += 1

        keep = True
        if use_filter:
            by_dist, dist = nearest_rows(X, point)
            if rule == "unanimous" and votes is None:  # the paper: floor(sqrt(k)), as k relaxes
                enough = (y[by_dist[: math.isqrt(k)]] == label).all()
            else:
                quorum = quorum_for(rule, n_votes)
                enough = (y[by_dist[:n_votes]] == label).sum() >= quorum
            keep = (
                dist[by_dist[0]] > 0
                and enough
                and not any(np.array_equal(point, other) for other in [*earlier, *out])
            )
        if keep:
            out.append(point)
            provenance.append([rows[seed], *rows[neighbours[seed, :k]], *[-1] * (k0 - k)])
            streak = 0
            level = max(level - 1, 0)
        else:
            streak += 1
            if streak == PATIENCE:
                streak = 0
                level = min(level + 1, level_cap)
    return np.array(out).reshape(-1, X.shape[1]), np.array(provenance, dtype=int).reshape(
        -1, k0 + 1
    )


def reference_knnor(
    X, y, n_wanted, k0, max_dist0, proportion0, use_filter, random_state, **filter_rule
):
    rng = np.random.RandomState(random_state)
    results, earlier = [], []
    for label, n in n_wanted.items():
        results.append(
            reference_class(
                X,
                y,
                label,
                n,
                k0,
                max_dist0,
                proportion0,
                use_filter,
                rng,
                **filter_rule,
                earlier=earlier,
            )
        )
        earlier = [*earlier, *results[-1][0]]
    X_res = np.vstack([X, *[r[0] for r in results]])
    new_labels = [np.full(len(r[0]), label) for label, r in zip(n_wanted, results, strict=True)]
    y_res = np.concatenate([y, *new_labels])
    return X_res, y_res, np.vstack([r[1] for r in results])


def overlapping_classes(n_per_class, seed, n_features=4):
    """Three overlapping Gaussian classes: the filter rejects many points."""
    rng = np.random.default_rng(seed)
    X = np.vstack(
        [rng.normal(loc=c * 0.2, size=(n, n_features)) for c, n in enumerate(n_per_class)]
    )
    y = np.repeat(np.arange(len(n_per_class)), n_per_class)
    return X, y


@pytest.mark.parametrize(
    "params",
    [
        dict(n_neighbors=5, max_dist_point=0.5, proportion_minority=0.9),
        dict(n_neighbors=4, max_dist_point=0.9, proportion_minority=0.6),
        dict(n_neighbors=8, max_dist_point=0.3, proportion_minority=1.0),
        dict(n_neighbors=1, max_dist_point=0.005, proportion_minority=0.95),
    ],
)
@pytest.mark.parametrize("use_filter", [True, False])
@pytest.mark.parametrize("n_features", [4, 24])  # kd-tree and BLAS-scan filters
def test_engine_equals_plain_python_reference(params, use_filter, n_features):
    X, y = overlapping_classes([300, 60, 25], seed=params["n_neighbors"], n_features=n_features)
    sampler = KNNOR(
        sampling_strategy={1: 300, 2: 300},
        reliability_filter=use_filter,
        random_state=7,
        **params,
    )
    X_res, y_res = sampler.fit_resample(X, y)
    n_wanted = {1: 300 - 60, 2: 300 - 25}
    expected_X, expected_y, expected_prov = reference_knnor(
        X,
        y,
        n_wanted,
        params["n_neighbors"],
        params["max_dist_point"],
        params["proportion_minority"],
        use_filter,
        random_state=7,
    )
    np.testing.assert_array_equal(sampler.provenance_, expected_prov)
    np.testing.assert_array_equal(y_res, expected_y)
    np.testing.assert_allclose(X_res, expected_X, rtol=1e-13, atol=0)
    if use_filter and params["n_neighbors"] > 1:
        # The case must exercise the relaxation for the comparison to mean much.
        assert max(s["max_relaxation_level"] for s in sampler.class_stats_.values()) > 0


@pytest.mark.parametrize("n_features", [4, 24])
def test_engine_equals_reference_with_ties_and_duplicates(n_features):
    # Five minority rows appear four times each: their three nearest class rows
    # are their copies (tied at distance 0, ordered by row), so walks from them
    # stay put and land on an original row, a duplicate the filter must reject.
    rng = np.random.default_rng(n_features)
    X = np.vstack([rng.normal(size=(340, n_features)), rng.normal(0.3, 1, (50, n_features))])
    X = np.vstack([X, np.repeat(X[340:345], 3, axis=0)])
    y = np.repeat([0, 1], [340, 65])
    sampler = KNNOR(random_state=3)  # the defaults: k = 3, every row a seed
    X_res, y_res = sampler.fit_resample(X, y)
    expected_X, expected_y, expected_prov = reference_knnor(
        X, y, {1: 340 - 65}, 3, 0.5, 1.0, True, random_state=3
    )
    np.testing.assert_array_equal(sampler.provenance_, expected_prov)
    np.testing.assert_array_equal(y_res, expected_y)
    np.testing.assert_allclose(X_res, expected_X, rtol=1e-13, atol=0)
    assert sampler.class_stats_[1]["n_rejected_duplicate"] > 0


@pytest.mark.parametrize("rule", ["unanimous", "majority"])
@pytest.mark.parametrize("votes", [None, 1, 4, 7])
@pytest.mark.parametrize("n_features", [4, 24])
def test_vote_rules_equal_plain_python_reference(rule, votes, n_features):
    X, y = overlapping_classes([300, 60, 25], seed=len(rule) + (votes or 0), n_features=n_features)
    # Exact ties: duplicated rows of both classes and a minority row copied into the majority.
    X = np.vstack([X, X[300:305], X[310:312]])
    y = np.concatenate([y, [1] * 5, [0] * 2])
    params = dict(n_neighbors=4, max_dist_point=0.7, proportion_minority=1.0)
    sampler = KNNOR(
        sampling_strategy={1: 305, 2: 305},
        filter_rule=rule,
        filter_neighbors="auto" if votes is None else votes,
        random_state=5,
        **params,
    )
    X_res, y_res = sampler.fit_resample(X, y)
    expected_X, expected_y, expected_prov = reference_knnor(
        X,
        y,
        {1: 305 - 65, 2: 305 - 25},
        params["n_neighbors"],
        params["max_dist_point"],
        params["proportion_minority"],
        True,
        random_state=5,
        rule=rule,
        votes=votes,
    )
    np.testing.assert_array_equal(sampler.provenance_, expected_prov)
    np.testing.assert_array_equal(y_res, expected_y)
    np.testing.assert_allclose(X_res, expected_X, rtol=1e-13, atol=0)
    stats = sampler.class_stats_.values()
    if n_features == 4:  # the comparison must see rejections to mean much
        assert sum(s["n_rejected_filter"] + s["n_rejected_duplicate"] for s in stats) > 0


def test_engine_equals_reference_at_the_relaxation_ceiling():
    # 89 minority rows in a cluster, each with a majority twin at the same place
    # (which comes first on ties): every candidate near them is rejected, so the
    # relaxation climbs to its cap. 11 sparse minority rows far away can seed
    # accepted points, but they rank last by density: only the proportion's
    # ceiling of 0.9 lets exactly one of them seed.
    rng = np.random.default_rng(11)
    cluster = 0.5 + rng.normal(scale=0.02, size=(89, 2))
    sparse = 5.0 + rng.normal(size=(11, 2))
    X = np.vstack([rng.uniform(size=(500, 2)), cluster, cluster, sparse])
    y = np.repeat([0, 1], [589, 100])
    sampler = KNNOR(
        sampling_strategy={1: 120}, n_neighbors=6, proportion_minority=0.5, random_state=2
    )
    with pytest.warns(UserWarning, match="accepted"):
        X_res, _ = sampler.fit_resample(X, y)
    expected_X, _, expected_prov = reference_knnor(X, y, {1: 20}, 6, 0.5, 0.5, True, 2)
    np.testing.assert_array_equal(sampler.provenance_, expected_prov)
    np.testing.assert_allclose(X_res, expected_X, rtol=1e-13, atol=0)
    stats = sampler.class_stats_[1]
    assert stats["max_relaxation_level"] == 50  # the cap: 0.5 - 0.01 * 49 > 0.01
    assert stats["final_proportion_minority"] == 0.9
    assert 0 < stats["n_accepted"] < 20
    seeds = set(sampler.provenance_[:, 0].tolist())
    assert len(seeds) == 1 and seeds.pop() >= 589 + 89  # one sparse seed, at the ceiling


def test_paper_params_give_the_papers_algorithm():
    X, y = overlapping_classes([300, 60, 25], seed=4)
    sampler = KNNOR(sampling_strategy={1: 300, 2: 300}, random_state=9, **PAPER_PARAMS)
    X_res, _ = sampler.fit_resample(X, y)
    expected_X, _, expected_prov = reference_knnor(
        X, y, {1: 240, 2: 275}, 5, 0.5, 0.9, True, random_state=9
    )
    np.testing.assert_array_equal(sampler.provenance_, expected_prov)
    np.testing.assert_allclose(X_res, expected_X, rtol=1e-13, atol=0)
