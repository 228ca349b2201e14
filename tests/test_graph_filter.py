"""filter_search="graph": the filter's rule applied to the neighbour lists alone.

Each piece is checked against a plain numpy reference: the cell lists against
brute force, the merge step against a re-ranking in Python, the verdict against
the rule applied by hand to the same neighbourhood; then the estimator against
the exact filter on the same candidates (knnor._agreement).
"""

import numpy as np
import pytest
from sklearn.datasets import make_classification

from knnor import KNNOR, KNNORReg, _cell_lists, _neighbourhood
from knnor._agreement import filter_agreement
from knnor._cell_lists import cell_lists
from knnor._engine import GroupGeometry
from knnor._kernels.filter import DUPLICATE, RELIABLE, WRONG_NEIGHBOURS
from knnor._kernels.graph import graph_verdict, merged_lists
from knnor._kernels.judge import anchors_of


def overlapping(n=1500, n_features=6, seed=0):
    X, y = make_classification(
        n_samples=n,
        n_features=n_features,
        n_informative=n_features // 2 + 1,
        n_redundant=0,
        weights=[0.85, 0.15],
        flip_y=0.03,
        class_sep=0.6,
        random_state=seed,
    )
    return X, y.astype(np.int64)


def brute_lists(group, other, n_listed, radius_sq):
    sq = ((group[:, None, :] - other[None, :, :]) ** 2).sum(axis=2)
    lists = np.full((group.shape[0], n_listed), -1)
    for i, row in enumerate(sq):
        near = [j for j in np.lexsort((np.arange(row.shape[0]), row)) if row[j] <= radius_sq[i]]
        lists[i, : min(n_listed, len(near))] = near[:n_listed]
    return lists


def test_cell_lists_probing_every_cell_are_the_exact_lists(monkeypatch):
    rng = np.random.default_rng(1)
    group, other = rng.normal(size=(40, 5)), rng.normal(size=(300, 5))
    radius_sq = rng.uniform(0.5, 3.0, 40)
    monkeypatch.setattr(_cell_lists, "N_PROBE", 1000)  # every cell probed: nothing missed
    found = cell_lists(group, other, 7, radius_sq)
    assert np.array_equal(found.lists, brute_lists(group, other, 7, radius_sq))
    assert sorted(found.other_order) == list(range(300))
    assert sorted(found.group_order) == list(range(40))


def test_cell_lists_find_most_near_rows_and_nothing_beyond_the_radius():
    rng = np.random.default_rng(2)
    centres = rng.normal(scale=4, size=(30, 12))
    group = centres[rng.integers(0, 30, 800)] + rng.normal(size=(800, 12))
    other = centres[rng.integers(0, 30, 6000)] + rng.normal(size=(6000, 12))
    radius_sq = np.full(800, 12.0)
    found = cell_lists(group, other, 10, radius_sq).lists
    exact = brute_lists(group, other, 10, radius_sq)
    for i in range(0, 800, 7):
        listed = found[i][found[i] >= 0]
        assert ((other[listed] - group[i]) ** 2).sum(axis=1).max(initial=0) <= radius_sq[i]
        assert len(set(listed)) == len(listed)
    recall = np.mean(
        [
            len(set(f[f >= 0]) & set(e[e >= 0])) / max(1, (e >= 0).sum())
            for f, e in zip(found, exact, strict=True)
        ]
    )
    assert recall > 0.9


def test_merged_lists_keep_the_nearest_of_own_and_neighbours_lists():
    rng = np.random.default_rng(3)
    group, other = rng.normal(size=(50, 4)), rng.normal(size=(200, 4))
    lists = np.where(rng.random((50, 6)) < 0.8, rng.integers(0, 200, (50, 6)), -1)
    lists = np.sort(lists, axis=1)[:, ::-1].copy()  # -1 padding last
    neighbours = rng.integers(0, 50, (50, 3))
    radius_sq = rng.uniform(1.0, 6.0, 50)
    merged = merged_lists(group, other, lists, neighbours, radius_sq)
    for i in range(50):
        pool = {p for row in [i, *neighbours[i]] for p in lists[row] if p >= 0}
        sq = {p: ((other[p] - group[i]) ** 2).sum() for p in pool}
        near = sorted((d, p) for p, d in sq.items() if d <= radius_sq[i])[:6]
        expected = [p for _, p in near] + [-1] * (6 - len(near))
        assert list(merged[i]) == expected


def reference_verdict(candidate, anchors, n_votes, quorum, class_side, other_side):
    """The rule applied by hand to the graph neighbourhood."""
    pool = {}
    for a in anchors:
        for position in [a, *class_side.neighbours[a]]:
            pool[(True, class_side.rows[position])] = class_side.data[position]
    other_tree = other_side.tree
    for a in anchors:
        for position in other_side.lists[a]:
            if position >= 0:
                row = other_side.rows[other_tree.order[position]]
                pool[(False, row)] = other_tree.points[position]
    ranked = sorted(
        (((point - candidate) ** 2).sum(), row, is_class)
        for (is_class, row), point in pool.items()
    )
    if ranked[0][0] == 0.0 or any((row == candidate).all() for row in class_side.data):
        return DUPLICATE
    n_class = sum(is_class for _, _, is_class in ranked[:n_votes])
    return RELIABLE if n_class >= quorum else WRONG_NEIGHBOURS


@pytest.mark.parametrize("n_votes, quorum", [(1, 1), (3, 3), (3, 2), (5, 3)])
def test_graph_verdict_applies_the_rule_to_the_neighbourhood(n_votes, quorum, monkeypatch):
    X, y = overlapping(n_features=20)  # scanned: cells, rows in cell order
    monkeypatch.setattr(_neighbourhood, "GRAPH_EXACT_PAIRS", 0)
    geometry = GroupGeometry.of(X, y, 1, 3, 1.0)
    class_side, other_side, _, _ = _neighbourhood.filter_sides(
        X,
        y,
        geometry.rows,
        geometry.data,
        geometry.index,
        geometry.neighbours,
        geometry.k_distances,
        True,
        "unanimous",
        "auto",
        3,
        "graph",
    )
    rng = np.random.default_rng(4)
    seen = set()
    for _ in range(300):
        seed = int(rng.integers(0, geometry.rows.shape[0]))
        anchors = anchors_of(seed, geometry.neighbours, 3)
        weights = rng.dirichlet(np.ones(4))
        candidate = weights @ geometry.data[anchors]
        if rng.random() < 0.05:
            candidate = geometry.data[anchors[1]].copy()  # a duplicate
        verdict = graph_verdict(candidate, anchors, n_votes, quorum, class_side, other_side)
        assert verdict == reference_verdict(
            candidate, anchors, n_votes, quorum, class_side, other_side
        )
        seen.add(int(verdict))
    assert seen == {RELIABLE, WRONG_NEIGHBOURS, DUPLICATE}


def test_with_every_other_row_listed_graph_never_accepts_what_exact_rejects(monkeypatch):
    X, y = overlapping(n=1200, n_features=5)
    monkeypatch.setattr(_neighbourhood, "GRAPH_LIST_SIZE", 10**6)
    monkeypatch.setattr(_neighbourhood, "OTHER_LIST_RADIUS", np.inf)
    monkeypatch.setattr(_cell_lists, "N_PROBE", 10**6)
    agreement = filter_agreement(X, y, 1, 4000, filter_rule="majority")
    assert agreement.false_accepts == 0
    assert agreement.both_reject > 100 and agreement.both_accept > 1000
    assert (
        agreement.n_candidates
        == 4000
        == (
            agreement.both_accept
            + agreement.both_reject
            + agreement.false_accepts
            + agreement.false_rejects
        )
    )


#: (features, whether the lists come from cells): a kd-tree lists exactly; on
#: small scanned data cells are forced by lowering the pair threshold.
LIST_KINDS = [(6, False), (40, False), (40, True)]


@pytest.mark.parametrize("n_features, cells", LIST_KINDS)
def test_graph_agrees_with_the_exact_filter(n_features, cells, monkeypatch):
    if cells:
        monkeypatch.setattr(_neighbourhood, "GRAPH_EXACT_PAIRS", 0)
    X, y = overlapping(n=4000, n_features=n_features, seed=5)
    agreement = filter_agreement(X, y, 1, 20000)
    assert agreement.both_reject > 50
    assert agreement.false_accepts <= 20000 * 0.001
    assert agreement.agreement > 0.998


@pytest.mark.parametrize("n_features, cells", LIST_KINDS)
def test_graph_output_is_bit_identical_whatever_n_jobs(n_features, cells, monkeypatch):
    if cells:
        monkeypatch.setattr(_neighbourhood, "GRAPH_EXACT_PAIRS", 0)
    X, y = overlapping(n=3000, n_features=n_features, seed=6)
    runs = [
        KNNOR(filter_search="graph", random_state=7, n_jobs=n).fit_resample(X, y) for n in (1, 2)
    ]
    assert np.array_equal(runs[0][0], runs[1][0]) and np.array_equal(runs[0][1], runs[1][1])


def test_graph_keeps_the_promises_and_reports_itself():
    X, y = overlapping(n=3000, n_features=8, seed=8)
    sampler = KNNOR(filter_search="graph", random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    synthetic = X_res[len(X) :]
    assert len(np.unique(X_res, axis=0)) == len(X_res)  # no duplicates of any row
    assert (y[sampler.provenance_[:, 0]] == y_res[len(X) :]).all()
    stats = sampler.class_stats_[1]
    assert stats["filter_search"] == "graph" and stats["n_accepted"] == len(synthetic)
    assert stats["n_rejected_filter"] > 0 and stats["n_accepted"] == stats["n_requested"]


def test_graph_without_the_filter_is_the_unfiltered_walk():
    X, y = overlapping(n=1000, seed=9)
    plain = KNNOR(reliability_filter=False, random_state=1).fit_resample(X, y)[0]
    graph = KNNOR(reliability_filter=False, filter_search="graph", random_state=1)
    assert np.array_equal(graph.fit_resample(X, y)[0], plain)


def test_regression_takes_the_graph_filter():
    rng = np.random.default_rng(10)
    X = rng.normal(size=(600, 5))
    y = np.exp(X[:, 0] + 0.1 * rng.normal(size=600))
    sampler = KNNORReg(filter_search="graph", random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert len(X_res) > len(X) and np.isfinite(y_res).all()
    assert {s["filter_search"] for s in sampler.bump_stats_.values()} == {"graph"}


def test_unknown_filter_search_is_refused_by_name():
    X, y = overlapping(n=200)
    with pytest.raises(ValueError, match="filter_search"):
        KNNOR(filter_search="approximate").fit_resample(X, y)
