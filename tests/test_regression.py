"""KNNORReg: the target formula, the filter's promises by brute force, bad input, pipelines."""

import warnings

import numpy as np
import pytest
from imblearn.pipeline import Pipeline
from sklearn.linear_model import Ridge
from sklearn.model_selection import KFold, cross_validate

from knnor import KNNORReg
from knnor._kernels.target import walk_weights


def skewed(n=400, d=3, seed=0):
    """Rows whose target has a long high tail, driven by the first feature."""
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, d))
    y = np.exp(X[:, 0] + 0.2 * rng.normal(size=n))
    return X, y


def test_walk_weights_by_hand():
    # m1 = v + a (n1 - v); m2 = m1 + a (n2 - m1) with a = 1/2:
    # m2 = v/4 + n1/4 + n2/2.
    out = np.empty(4)
    walk_weights(0.5, 2, out)
    np.testing.assert_array_equal(out, [0.25, 0.25, 0.5, 0.0])
    walk_weights(0.2, 3, out)
    np.testing.assert_allclose(out, [0.8**3, 0.2 * 0.8**2, 0.2 * 0.8, 0.2])


def test_synthetic_row_and_target_are_one_combination_of_the_sources():
    X, y = skewed()
    sampler = KNNORReg(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    sources = sampler.provenance_.clip(min=0)
    weights = sampler.walk_weights_
    assert (weights[sampler.provenance_ < 0] == 0).all()
    np.testing.assert_allclose(weights.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(X_res[len(X) :], np.einsum("ij,ijk->ik", weights, X[sources]))
    np.testing.assert_allclose(y_res[len(y) :], (weights * y[sources]).sum(axis=1))
    # One step a explains all the weights: w_last = a, w_0 = (1 - a)^k.
    k = (sampler.provenance_ >= 0).sum(axis=1) - 1
    alpha = weights[np.arange(len(k)), k]
    np.testing.assert_allclose(weights[:, 0], (1 - alpha) ** k)
    assert (alpha <= sampler.max_dist_point).all()


def brute_force_nearest(X, candidate, n):
    """Rows of X nearest to candidate in (distance, row) order."""
    dist = ((X - candidate) ** 2).sum(axis=1)
    return np.lexsort((np.arange(len(X)), dist))[:n]


@pytest.mark.parametrize("target_tolerance", [1.0, 0.3])
def test_promises_hold_on_the_returned_rows(target_tolerance):
    X, y = skewed(seed=1)
    X_before, y_before = X.copy(), y.copy()
    sampler = KNNORReg(target_tolerance=target_tolerance, random_state=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # a tight tolerance may fall short
        X_res, y_res = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)
    np.testing.assert_array_equal(X_res[: len(X)], X)
    np.testing.assert_array_equal(y_res[: len(y)], y)
    n_new = len(y_res) - len(y)
    assert n_new == sum(stats["n_accepted"] for stats in sampler.bump_stats_.values()) > 0

    # Bumps: rows with phi >= threshold, contiguous in y.
    phi = sampler.relevance_(y)
    rare_low = min(b.low for b in sampler.bumps_ if b.rare)
    assert ((phi >= 0.8) == (y >= rare_low)).all()
    bump_of = np.searchsorted([b.low for b in sampler.bumps_], y, side="right") - 1

    # No duplicates among originals and synthetic rows.
    assert len(np.unique(X_res, axis=0)) == len(X_res)

    for i in range(n_new):
        sources = sampler.provenance_[i][sampler.provenance_[i] >= 0]
        bump = bump_of[sources[0]]
        assert (bump_of[sources] == bump).all()
        value = y_res[len(y) + i]
        assert y[sources].min() <= value <= y[sources].max()
        k = len(sources) - 1
        nearest = brute_force_nearest(X, X_res[len(X) + i], max(1, int(np.sqrt(k))))
        assert (bump_of[nearest] == bump).all()
        tolerance = sampler.bump_stats_[bump]["target_tolerance"]
        np.testing.assert_allclose(tolerance, target_tolerance * y[bump_of == bump].std())
        assert (np.abs(y[nearest] - value) <= tolerance).all()


def test_target_check_rejects_and_counts():
    X, y = skewed(seed=2)
    loose = KNNORReg(target_tolerance=None, random_state=0).fit(X, y)
    tight = KNNORReg(target_tolerance=0.05, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # it may fall short
        tight.fit_resample(X, y)
    for stats in (*loose.bump_stats_.values(), *tight.bump_stats_.values()):
        rejected = (
            stats["n_rejected_filter"] + stats["n_rejected_target"] + stats["n_rejected_duplicate"]
        )
        assert stats["n_generated"] == stats["n_accepted"] + rejected
    assert all(s["n_rejected_target"] == 0 for s in loose.bump_stats_.values())
    assert all(s["n_rejected_target"] > 0 for s in tight.bump_stats_.values())


def test_sampling_strategy_sizes():
    X, y = skewed()
    balanced = KNNORReg(random_state=0).fit(X, y)
    common = max(b.n_samples for b in balanced.bumps_ if not b.rare)
    for bump, n_new in balanced.sampling_strategy_.items():
        assert balanced.bumps_[bump].n_samples + n_new == common
    half = KNNORReg(sampling_strategy=0.5, random_state=0).fit(X, y)
    for bump, n_new in half.sampling_strategy_.items():
        assert half.bumps_[bump].n_samples + n_new == max(
            round(0.5 * common), half.bumps_[bump].n_samples
        )
    rare = next(iter(balanced.sampling_strategy_))
    size = balanced.bumps_[rare].n_samples + 7
    exact = KNNORReg(sampling_strategy={rare: size}, random_state=0)
    X_res, _ = exact.fit_resample(X, y)
    assert len(X_res) == len(X) + 7


def test_low_and_high_tails_both_grow():
    rng = np.random.RandomState(3)
    X = rng.normal(size=(600, 2))
    y = X[:, 0] ** 3 + 0.05 * rng.normal(size=600)  # heavy tails on both sides
    sampler = KNNORReg(random_state=0)
    _, y_res = sampler.fit_resample(X, y)
    rare = [i for i, b in enumerate(sampler.bumps_) if b.rare]
    assert rare == [0, len(sampler.bumps_) - 1]
    new = y_res[len(y) :]
    assert (new <= sampler.bumps_[0].high).sum() == sampler.sampling_strategy_[0]
    assert (new >= sampler.bumps_[-1].low).sum() == sampler.sampling_strategy_[rare[-1]]


def test_user_relevance_and_callable():
    X, y = skewed()
    points = [[np.median(y), 0.0], [np.quantile(y, 0.9), 1.0]]
    by_points = KNNORReg(relevance=points, random_state=0).fit(X, y)
    by_callable = KNNORReg(relevance=by_points.relevance_, random_state=0).fit(X, y)
    assert by_points.bumps_ == by_callable.bumps_
    assert by_callable.control_points_ is None
    assert by_points.bumps_[-1].low == pytest.approx(y[by_points.relevance_(y) >= 0.8].min())


@pytest.mark.parametrize(
    ("y_change", "error", "match"),
    [
        (lambda y: np.full_like(y, 3.0), ValueError, "constant"),
        (lambda y: np.where(np.arange(len(y)) == 5, np.nan, y), ValueError, "NaN or infinite"),
        (lambda y: np.where(np.arange(len(y)) == 5, np.inf, y), ValueError, "NaN or infinite"),
        (lambda y: np.linspace(0, 1, len(y)), ValueError, "no box-plot extremes"),
        (lambda y: np.c_[y, y], ValueError, "one continuous target"),
        (lambda y: y.astype(str), TypeError, "numeric"),
        (lambda y: y[:-1], ValueError, "one target per row"),
    ],
)
def test_bad_targets_get_clear_errors(y_change, error, match):
    X, y = skewed()
    with pytest.raises(error, match=match):
        KNNORReg().fit_resample(X, y_change(y))


def test_too_few_rare_rows_for_k():
    X, y = skewed(n=60)
    sampler = KNNORReg(n_neighbors=50)
    with pytest.raises(ValueError, match="rare bump .* fewer than n_neighbors"):
        sampler.fit_resample(X, y)


def test_bad_parameters_and_columns():
    X, y = skewed()
    with pytest.raises(ValueError, match="not rare bumps"):
        KNNORReg(sampling_strategy={0: 500}).fit_resample(X, y)
    with pytest.raises(ValueError, match="rare_threshold"):
        KNNORReg(rare_threshold=1.5).fit_resample(X, y)
    with pytest.raises(ValueError, match="relevance callable"):
        KNNORReg(relevance=lambda t: t * 10).fit_resample(X, y)
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(X, columns=["a", "b", "c"]).assign(c=["x"] * len(X))
    with pytest.raises(TypeError, match="not numeric: c"):
        KNNORReg().fit_resample(frame, y)


def test_same_seed_same_output_whatever_n_jobs():
    X, y = skewed(n=3000, d=5)
    first = KNNORReg(random_state=7, n_jobs=1).fit_resample(X, y)
    second = KNNORReg(random_state=7, n_jobs=2).fit_resample(X, y)
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)
    other = KNNORReg(random_state=8).fit_resample(X, y)
    assert not np.array_equal(first[1], other[1])


def test_pandas_in_pandas_out_and_dtypes_kept():
    pd = pytest.importorskip("pandas")
    X, y = skewed()
    frame = pd.DataFrame(X, columns=["a", "b", "c"]).astype({"b": np.float32})
    frame["count"] = np.arange(len(X)) % 5
    target = pd.Series(y, name="price")
    X_res, y_res = KNNORReg(random_state=0).fit_resample(frame, target)
    assert list(X_res.columns) == ["a", "b", "c", "count"]
    assert list(X_res.dtypes) == list(frame.dtypes)
    assert isinstance(y_res, pd.Series) and y_res.name == "price"
    assert (X_res.index == y_res.index).all()
    X32, y32 = KNNORReg(random_state=0).fit_resample(X.astype(np.float32), y.astype(np.float32))
    assert X32.dtype == np.float32 and y32.dtype == np.float32


class _RowCounter(Ridge):
    """Ridge that records how many rows each fit saw."""

    seen = []

    def fit(self, X, y, sample_weight=None):
        _RowCounter.seen.append(len(X))
        return super().fit(X, y, sample_weight)


def test_pipeline_with_cross_validate_resamples_training_folds_only():
    X, y = skewed(n=300)
    _RowCounter.seen = []
    pipeline = Pipeline([("knnor", KNNORReg(random_state=0)), ("ridge", _RowCounter())])
    scores = cross_validate(pipeline, X, y, cv=KFold(3), scoring="neg_mean_absolute_error")
    assert np.isfinite(scores["test_score"]).all()
    assert len(_RowCounter.seen) == 3 and all(n > 200 for n in _RowCounter.seen)
    predictions = pipeline.fit(X, y).predict(X)
    assert predictions.shape == (300,)
