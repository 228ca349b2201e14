"""Baseline oversamplers for imbalanced regression (knnor.benchmark.regression_samplers)."""

import numpy as np
import pytest

import knnor._relevance as relevance_module
from knnor.benchmark.regression_samplers import (
    REGRESSION_SAMPLERS,
    SMOGN,
    SMOTER,
    GaussianNoiseRegressor,
    KnnorRegV003,
    NoResampling,
    RandomOverRegressor,
    ResregSMOTER,
    ResregWERCS,
)


def extreme(values):
    """Relevance 1 beyond |10|, else 0: bumps known by construction."""
    return (np.abs(np.asarray(values)) > 10).astype(float)


def three_bumps(seed=0, n_common=100, n_low=5, n_high=8, n_features=2):
    """Low rare bump (id 0, y < -10), common bump (id 1), high rare bump (id 2, y > 10)."""
    rng = np.random.default_rng(seed)
    X = np.concatenate(
        [
            rng.normal(-5, 1, (n_low, n_features)),
            rng.normal(0, 1, (n_common, n_features)),
            rng.normal(5, 1, (n_high, n_features)),
        ]
    )
    y = np.concatenate(
        [rng.uniform(-30, -20, n_low), rng.uniform(0, 1, n_common), rng.uniform(20, 30, n_high)]
    )
    order = rng.permutation(len(y))
    return X[order], y[order]


OWN = {
    "random": RandomOverRegressor,
    "gaussian_noise": GaussianNoiseRegressor,
    "smoter": SMOTER,
    "smogn": SMOGN,
    "smogn_bump": lambda **kw: SMOGN(max_distance="bump", **kw),
}


# 0.068 * 100 = 6.8 rounds to 7 (KNNORReg's rule), so the 5-row bump gets 2 rows, not 1.
STRATEGIES = [("balance", 100), (0.5, 50), (0.068, 7), (0.03, 3)]


@pytest.mark.parametrize("name", sorted(OWN))
@pytest.mark.parametrize(("strategy", "target"), STRATEGIES)
def test_originals_first_and_counts_per_rare_bump(name, strategy, target):
    X, y = three_bumps()
    X_in, y_in = X.copy(), y.copy()
    sampler = OWN[name](relevance=extreme, sampling_strategy=strategy, random_state=1)
    X_res, y_res = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(X, X_in)  # inputs untouched
    np.testing.assert_array_equal(y, y_in)
    np.testing.assert_array_equal(X_res[: len(y)], X)
    np.testing.assert_array_equal(y_res[: len(y)], y)
    expected = {0: max(0, target - 5), 2: max(0, target - 8)}
    assert sampler.n_synthetic_ == expected
    y_new = y_res[len(y) :]
    assert X_res.shape == (len(y) + sum(expected.values()), 2)
    assert int(np.sum(y_new < -10)) == expected[0]
    assert int(np.sum(y_new > 10)) == expected[2]
    assert np.all(np.isfinite(X_res))


def test_no_rare_bump_is_a_no_op_and_all_rare_raises():
    X, y = three_bumps()
    X_res, y_res = SMOTER(relevance=lambda v: np.zeros(len(v)), random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X)
    np.testing.assert_array_equal(y_res, y)
    with pytest.raises(ValueError, match="no common bump"):
        SMOTER(relevance=lambda v: np.ones(len(v))).fit_resample(X, y)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"sampling_strategy": "extreme"},
        {"sampling_strategy": -1.0},
        {"sampling_strategy": 0},
        {"sampling_strategy": True},
        {"relevance": "kde"},
        {"relevance": np.ones((3, 4))},
        {"relevance": lambda v: np.full(len(v), 2.0)},
        {"relevance": lambda v: np.ones(3)},
        {"rare_threshold": 1.5},
        {"k": 0},
    ],
)
def test_bad_parameters_raise(kwargs):
    X, y = three_bumps()
    with pytest.raises(ValueError):
        SMOTER(**kwargs).fit_resample(X, y)


def test_auto_relevance_and_control_points_agree():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(300, 3))
    y = np.exp(rng.normal(0, 1, 300))  # a long right tail: extremes on the right
    auto = SMOGN(random_state=4).fit_resample(X, y)
    points = relevance_module.box_plot_control_points(y)
    given = SMOGN(relevance=points, random_state=4).fit_resample(X, y)
    np.testing.assert_array_equal(auto[0], given[0])
    np.testing.assert_array_equal(auto[1], given[1])
    phi = relevance_module.relevance_function(points)(y)
    _, bumps = relevance_module.find_bumps(y, phi, 0.8)
    largest = max(b.n_samples for b in bumps if not b.rare)
    n_new = sum(largest - b.n_samples for b in bumps if b.rare)
    assert n_new > 0
    assert len(auto[1]) == len(y) + n_new


def test_auto_relevance_without_extremes_is_a_no_op():
    rng = np.random.default_rng(2)
    X, y = rng.normal(size=(50, 2)), rng.uniform(0, 1, 50)
    sampler = SMOTER(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X)
    np.testing.assert_array_equal(y_res, y)
    assert sampler.n_synthetic_ == {}


def test_smoter_target_is_the_distance_weighted_mean_in_1d():
    rng = np.random.default_rng(0)
    X = np.concatenate([rng.uniform(0, 1, (30, 1)), [[10.0], [12.0]]])
    y = np.concatenate([rng.uniform(0, 1, 30), [50.0, 60.0]])
    X_res, y_res = SMOTER(relevance=extreme, random_state=7).fit_resample(X, y)
    x_new, y_new = X_res[len(y) :, 0], y_res[len(y) :]
    assert len(x_new) == 28
    assert np.all((x_new >= 10) & (x_new <= 12))  # on the seed-neighbour segment
    d1, d2 = np.abs(x_new - 10), np.abs(x_new - 12)  # symmetric in which end is the seed
    np.testing.assert_allclose(y_new, (d2 * 50 + d1 * 60) / (d1 + d2), rtol=1e-12)
    assert len(np.unique(x_new)) == 28  # u really is drawn


def _point_segment_distance(points, a, b):
    t = np.clip((points - a) @ (b - a) / ((b - a) @ (b - a)), 0, 1)
    return np.linalg.norm(points - (a + t[:, None] * (b - a)), axis=1)


def test_smoter_rows_lie_on_bump_edges_with_weighted_targets():
    rng = np.random.default_rng(1)
    corners = np.array([[20.0, 20.0], [24.0, 20.0], [20.0, 23.0]])  # a triangle
    X = np.concatenate([rng.uniform(0, 1, (40, 2)), corners])
    y = np.concatenate([rng.uniform(0, 1, 40), [50.0, 60.0, 80.0]])
    X_res, y_res = SMOTER(relevance=extreme, random_state=2).fit_resample(X, y)
    x_new, y_new = X_res[len(y) :], y_res[len(y) :]
    edges = [(0, 1), (0, 2), (1, 2)]
    dist = np.stack([_point_segment_distance(x_new, corners[i], corners[j]) for i, j in edges])
    on = np.argmin(dist, axis=0)
    assert np.all(dist.min(axis=0) < 1e-9)
    expected = np.empty_like(y_new)
    for e, (i, j) in enumerate(edges):
        rows = on == e
        d1 = np.linalg.norm(x_new[rows] - corners[i], axis=1)
        d2 = np.linalg.norm(x_new[rows] - corners[j], axis=1)
        expected[rows] = (d2 * y[40 + i] + d1 * y[40 + j]) / (d1 + d2)
    np.testing.assert_allclose(y_new, expected, rtol=1e-12)
    assert len(np.unique(on)) == 3


def test_gaussian_noise_scale_is_pert_times_the_bump_sd():
    rng = np.random.default_rng(5)
    steps = np.arange(10.0)
    rare_X = np.column_stack([100 + steps, 100 * steps])
    rare_y = 50 + steps
    X = np.concatenate([rng.normal(0, 1, (2000, 2)), rare_X])
    y = np.concatenate([rng.uniform(0, 1, 2000), rare_y])
    pert = 0.02
    X_res, y_res = GaussianNoiseRegressor(
        relevance=extreme, pert=pert, random_state=6
    ).fit_resample(X, y)
    x_new, y_new = X_res[len(y) :], y_res[len(y) :]
    seed = np.rint(y_new - 50).astype(int)  # noise << spacing: the seed is recoverable
    assert np.array_equal(np.bincount(seed, minlength=10), np.full(10, 199))
    noise = np.column_stack([x_new - rare_X[seed], y_new - rare_y[seed]])
    scale = pert * np.array(
        [rare_X[:, 0].std(ddof=1), rare_X[:, 1].std(ddof=1), rare_y.std(ddof=1)]
    )
    ratio = noise.std(axis=0) / scale
    assert np.all(np.abs(ratio - 1) < 0.07), ratio
    assert np.all(np.abs(noise.mean(axis=0)) < 0.1 * scale)
    assert abs(np.corrcoef(noise[:, 0], noise[:, 1])[0, 1]) < 0.1  # independent per column


@pytest.mark.parametrize("max_distance", ["neighbours", "bump"])
def test_smogn_interpolates_close_neighbours_and_perturbs_far_ones(max_distance):
    # P0 and P1 are 0.1 apart; every other pair is >= 9.9 apart. maxD is about 5
    # for P0/P1 and about 6-7 for the far points, so only P0-P1 is close.
    rng = np.random.default_rng(8)
    rare_X = np.array(
        [[0.0, 0.0], [0.1, 0.0], [10.0, 0.0], [-10.0, 0.0], [0.0, 10.0], [0.0, -10.0]]
    )
    rare_y = np.array([100.0, 200.0, 300.0, 400.0, 500.0, 600.0])
    X = np.concatenate([rng.normal(0, 1, (1000, 2)) + 50, rare_X])
    y = np.concatenate([rng.uniform(0, 1, 1000), rare_y])
    sampler = SMOGN(relevance=extreme, max_distance=max_distance, random_state=9)
    X_res, y_res = sampler.fit_resample(X, y)
    x_new, y_new = X_res[len(y) :], y_res[len(y) :]
    assert len(y_new) == 994
    # Noise keeps a row next to its seed in x and y (pert 0.02 * sd ~ 0.13 in x, ~3.7 in y).
    near_seed = np.min(np.abs(y_new[:, None] - rare_y), axis=1) < 25
    interpolated = ~near_seed
    assert interpolated.sum() >= 10 and near_seed.sum() >= 500
    xi, yi = x_new[interpolated], y_new[interpolated]
    np.testing.assert_array_equal(xi[:, 1], 0.0)  # on the P0-P1 segment exactly
    assert np.all((xi[:, 0] > 0) & (xi[:, 0] < 0.1))
    np.testing.assert_allclose(yi, 100 + 1000 * xi[:, 0], rtol=1e-12)
    # No row on a far segment: those lie on an axis exactly, noise never does.
    on_axis = (x_new[:, 0] == 0) | (x_new[:, 1] == 0)
    assert np.all(~on_axis | ((x_new[:, 1] == 0) & (x_new[:, 0] >= 0) & (x_new[:, 0] <= 0.1)))
    nearest = np.min(np.linalg.norm(x_new[near_seed][:, None] - rare_X, axis=2), axis=1)
    assert np.all(nearest < 1.0)
    assert np.sum(near_seed & (x_new[:, 1] != 0)) >= 500  # really perturbed


def test_smogn_single_row_bump_and_small_bumps():
    X, y = three_bumps(n_low=1, n_high=2)
    X_res, y_res = SMOGN(relevance=extreme, random_state=0).fit_resample(X, y)
    low = y_res[len(y) :] < -10
    assert low.sum() == 99
    np.testing.assert_array_equal(X_res[len(y) :][low], np.repeat(X[y < -10], 99, axis=0))


WRAPPERS = {
    "resreg_smoter": "resreg",
    "resreg_wercs": "resreg",
    "knnor_reg_003": "knnor_reg",
}


def test_registry_names_and_factories():
    assert set(REGRESSION_SAMPLERS) == {
        "none",
        "random",
        "gaussian_noise",
        "smoter",
        "smogn",
        "resreg_smoter",
        "resreg_wercs",
        "knnor_reg_003",
    }
    X, y = three_bumps()
    for name, factory in REGRESSION_SAMPLERS.items():
        sampler = factory(random_state=3)
        assert hasattr(sampler, "fit_resample")
        if name == "none":
            X_res, y_res = sampler.fit_resample(X, y)
            assert X_res is X and y_res is y
    assert isinstance(REGRESSION_SAMPLERS["none"](random_state=0), NoResampling)


@pytest.mark.parametrize("name", sorted(REGRESSION_SAMPLERS))
def test_same_seed_same_output_and_global_rng_untouched(name):
    if name in WRAPPERS:
        pytest.importorskip(WRAPPERS[name])
    X, y = three_bumps(n_common=60)
    factory = REGRESSION_SAMPLERS[name]
    kwargs = {} if name in ("none", "knnor_reg_003") else {"relevance": extreme}
    np.random.seed(123)  # noqa: NPY002 (the global state must be left alone)
    before = np.random.get_state()[1].copy()  # noqa: NPY002
    first = factory(random_state=11, **kwargs).fit_resample(X, y)
    np.testing.assert_array_equal(np.random.get_state()[1], before)  # noqa: NPY002
    second = factory(random_state=11, **kwargs).fit_resample(X, y)
    other = factory(random_state=12, **kwargs).fit_resample(X, y)
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])
    np.testing.assert_array_equal(first[0][: len(y)], X)
    if name != "none":
        assert len(first[1]) > len(y)
        assert first[0].shape != other[0].shape or not np.array_equal(first[0], other[0])


def test_resreg_smoter_counts_and_targets():
    pytest.importorskip("resreg")
    X, y = three_bumps()
    sampler = ResregSMOTER(relevance=extreme, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(X_res[: len(y)], X)
    assert sampler.n_synthetic_ == {0: 95, 2: 92}
    y_new = y_res[len(y) :]
    assert np.sum(y_new < -10) == 95 and np.sum(y_new > 10) == 92
    low, high = y[y < -10], y[y > 10]
    assert np.all((y_new[:95] >= low.min() - 1e-6) & (y_new[:95] <= low.max() + 1e-6))
    assert np.all((y_new[95:] >= high.min() - 1e-6) & (y_new[95:] <= high.max() + 1e-6))


def test_resreg_wercs_adds_copies_of_relevant_rows():
    pytest.importorskip("resreg")
    X, y = three_bumps()
    X_res, y_res = ResregWERCS(relevance=extreme, random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(X_res[: len(y)], X)
    rows = np.concatenate([X, y[:, None]], axis=1)
    new = np.concatenate([X_res[len(y) :], y_res[len(y) :, None]], axis=1)
    assert len(new) == 95 + 92
    relevant = {tuple(r) for r in rows[np.abs(y) > 10]}
    assert all(tuple(r) in relevant for r in new)


def test_knnor_reg_003_puts_originals_first():
    pytest.importorskip("knnor_reg")
    pytest.importorskip("matplotlib")
    X, y = three_bumps(n_common=80, n_low=10, n_high=12)
    X_res, y_res = KnnorRegV003(random_state=0).fit_resample(X, y)
    assert len(y_res) > len(y)
    np.testing.assert_array_equal(X_res[: len(y)], X)
    np.testing.assert_array_equal(y_res[: len(y)], y)
