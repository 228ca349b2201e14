"""What a scikit-learn / imbalanced-learn user relies on when using KNNOR."""

import pickle
import time
import warnings
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from imblearn.pipeline import make_pipeline
from imblearn.utils import check_sampling_strategy
from scipy import sparse
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, cross_validate

from knnor import KNNOR
from knnor._engine import auto_max_dist_point, auto_n_neighbors, auto_proportion

# ---------------------------------------------------------------------------
# data


def binary_data(n_samples=300, n_features=5, random_state=0, weights=(0.8, 0.2)):
    return make_classification(
        n_samples=n_samples,
        n_features=n_features,
        n_informative=3,
        n_redundant=0,
        weights=list(weights),
        class_sep=1.5,
        random_state=random_state,
    )


def three_class_data():
    """Three string classes of 150 / 60 / 30 rows."""
    X, y = make_classification(
        n_samples=240,
        n_features=4,
        n_informative=3,
        n_redundant=0,
        n_classes=3,
        n_clusters_per_class=1,
        weights=[150 / 240, 60 / 240, 30 / 240],
        flip_y=0,
        class_sep=2.0,
        random_state=0,
    )
    names = np.array(["apple", "banana", "cherry"])
    return X, names[y]


def assert_resampled_counts(y, y_res, expected_new):
    """Class counts of ``y_res`` are those of ``y`` plus ``expected_new``."""
    before, after = Counter(y), Counter(y_res)
    assert set(after) == set(before)
    for label in before:
        assert after[label] == before[label] + int(expected_new.get(label, 0)), label


# ---------------------------------------------------------------------------
# bad input -> a clear ValueError / TypeError


def test_nan_rejected():
    X, y = binary_data()
    X[3, 2] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        KNNOR(random_state=0).fit_resample(X, y)


def test_inf_rejected():
    X, y = binary_data()
    X[3, 2] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        KNNOR(random_state=0).fit_resample(X, y)


@pytest.mark.parametrize("kind", ["string", "category"])
def test_non_numeric_dataframe_column_named(kind):
    X, y = binary_data()
    df = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    values = np.where(y == 1, "red", "blue")
    df["colour"] = values if kind == "string" else pd.Categorical(values)
    with pytest.raises(TypeError, match="colour"):
        KNNOR(random_state=0).fit_resample(df, y)


def test_single_class_rejected():
    X, _ = binary_data()
    with pytest.raises(ValueError, match="class"):
        KNNOR(random_state=0).fit_resample(X, np.zeros(len(X), dtype=int))


@pytest.mark.parametrize("rare", ["rare", 7])
def test_too_small_class_named(rare):
    X, _ = binary_data(n_samples=100)
    y = np.array(["common"] * 95 + ["rare"] * 5) if rare == "rare" else np.r_[[0] * 95, [7] * 5]
    # 5 samples < n_neighbors + 1 = 6: the message must say which class.
    with pytest.raises(ValueError, match=rf"Class '?{rare}'? has"):
        KNNOR(random_state=0, n_neighbors=5).fit_resample(X, y)


def test_mismatched_lengths():
    X, y = binary_data()
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        KNNOR(random_state=0).fit_resample(X, y[:-1])


def test_empty_X():
    with pytest.raises(ValueError, match="0 sample"):
        KNNOR(random_state=0).fit_resample(np.empty((0, 3)), np.array([], dtype=int))


def test_1d_X():
    X, y = binary_data()
    with pytest.raises(ValueError, match="2D array"):
        KNNOR(random_state=0).fit_resample(X[:, 0], y)


@pytest.mark.parametrize(
    "params, name",
    [
        ({"n_neighbors": "5"}, "n_neighbors"),
        ({"n_neighbors": 0}, "n_neighbors"),
        ({"n_neighbors": 2.0}, "n_neighbors"),
        ({"max_dist_point": 1.5}, "max_dist_point"),
        ({"max_dist_point": 0}, "max_dist_point"),
        ({"proportion_minority": 0}, "proportion_minority"),
        ({"proportion_minority": 1.01}, "proportion_minority"),
        ({"reliability_filter": "yes"}, "reliability_filter"),
        ({"n_jobs": 1.5}, "n_jobs"),
        ({"sampling_strategy": "most"}, "sampling_strategy"),
    ],
)
def test_bad_parameters(params, name):
    X, y = binary_data()
    with pytest.raises((ValueError, TypeError), match=name):
        KNNOR(random_state=0, **params).fit_resample(X, y)


# ---------------------------------------------------------------------------
# the caller's data is never modified


def _inputs():
    X, y = binary_data()
    df = pd.DataFrame(X, columns=list("abcde"))
    df["b"] = df["b"].astype(np.float32)
    X_sparse = sparse.csr_matrix(np.where(np.abs(X) < 0.5, 0.0, X))
    return {
        "float64_c": (np.ascontiguousarray(X), y),
        "float32": (X.astype(np.float32), y),
        "fortran": (np.asfortranarray(X), y),
        "dataframe": (df, pd.Series(y, name="target")),
        "sparse_csr": (X_sparse, y),
    }


def _copy(obj):
    return obj.copy(order="K") if isinstance(obj, np.ndarray) else obj.copy()


def _assert_same(before, after):
    if sparse.issparse(before):
        assert after.format == before.format
        for attr in ("data", "indices", "indptr"):
            np.testing.assert_array_equal(getattr(after, attr), getattr(before, attr))
    elif isinstance(before, pd.DataFrame | pd.Series):
        pd.testing.assert_frame_equal(pd.DataFrame(after), pd.DataFrame(before), check_exact=True)
    else:
        assert after.dtype == before.dtype
        assert after.flags.c_contiguous == before.flags.c_contiguous
        np.testing.assert_array_equal(after, before)


@pytest.mark.parametrize("kind", sorted(_inputs()))
def test_inputs_not_modified(kind):
    X, y = _inputs()[kind]
    X_before, y_before = _copy(X), _copy(y)
    KNNOR(random_state=0).fit_resample(X, y)
    _assert_same(X_before, X)
    _assert_same(y_before, y)


def test_read_only_input_accepted():
    X, y = binary_data()
    X.flags.writeable = False
    y.flags.writeable = False
    X_res, y_res = KNNOR(random_state=0).fit_resample(X, y)
    assert len(X_res) == len(y_res) > len(X)


# ---------------------------------------------------------------------------
# awkward but legal data


def test_duplicate_rows_and_constant_feature():
    X, y = binary_data(n_features=4)
    minority = y == 1
    X = np.vstack([X[~minority], np.repeat(X[minority], 3, axis=0)])
    y = np.r_[y[~minority], np.repeat(y[minority], 3)]
    X[:, 2] = 3.0  # zero variance
    sampler = KNNOR(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    expected = check_sampling_strategy("auto", y, "over-sampling")
    assert_resampled_counts(y, y_res, expected)
    assert np.isfinite(X_res).all()
    assert (X_res[:, 2] == 3.0).all()


# ---------------------------------------------------------------------------
# output containers: originals first and bit-identical


def test_ndarray_originals_first():
    X, y = binary_data()
    X_res, y_res = KNNOR(random_state=0).fit_resample(X, y)
    assert isinstance(X_res, np.ndarray) and isinstance(y_res, np.ndarray)
    assert X_res.tobytes()[: X.nbytes] == np.ascontiguousarray(X).tobytes()
    np.testing.assert_array_equal(y_res[: len(y)], y)
    assert len(X_res) > len(X)


def test_dataframe_and_series_round_trip():
    X, y = binary_data()
    df = pd.DataFrame(X, columns=["alpha", "beta", "gamma", "delta", "eps"])
    df["beta"] = df["beta"].astype(np.float32)
    y_series = pd.Series(np.where(y == 1, "pos", "neg"), name="target")
    X_res, y_res = KNNOR(random_state=0).fit_resample(df, y_series)

    assert isinstance(X_res, pd.DataFrame) and isinstance(y_res, pd.Series)
    assert list(X_res.columns) == list(df.columns)
    pd.testing.assert_series_equal(X_res.dtypes, df.dtypes)
    assert X_res["beta"].dtype == np.float32
    assert y_res.name == "target"
    n = len(df)
    for column in df.columns:
        assert X_res[column].to_numpy()[:n].tobytes() == df[column].to_numpy().tobytes()
    np.testing.assert_array_equal(y_res.to_numpy()[:n], y_series.to_numpy())
    assert len(X_res) > n


def test_sparse_csr_matches_dense():
    X, y = binary_data()
    X = np.where(np.abs(X) < 0.5, 0.0, X)
    X_sparse = sparse.csr_matrix(X)
    X_res, y_res = KNNOR(random_state=3).fit_resample(X_sparse, y)
    X_dense, y_dense = KNNOR(random_state=3).fit_resample(X, y)

    assert sparse.issparse(X_res) and X_res.format == "csr"
    assert X_res.dtype == X_sparse.dtype
    n = X.shape[0]
    assert (X_res[:n] != X_sparse).nnz == 0
    assert X_res.toarray().tobytes() == X_dense.tobytes()
    np.testing.assert_array_equal(y_res, y_dense)


def test_float32_stays_float32():
    X, y = binary_data()
    X32 = X.astype(np.float32)
    X_res, _ = KNNOR(random_state=0).fit_resample(X32, y)
    assert X_res.dtype == np.float32
    assert X_res[: len(X32)].tobytes() == X32.tobytes()


def test_integer_X_gives_float64():
    X, y = binary_data()
    X_int = np.round(X * 100).astype(np.int64)
    X_res, _ = KNNOR(random_state=0).fit_resample(X_int, y)
    assert X_res.dtype == np.float64
    np.testing.assert_array_equal(X_res[: len(X_int)], X_int)
    # Synthetic points are interpolated, not rounded to the integer grid.
    assert (X_res[len(X_int) :] != np.round(X_res[len(X_int) :])).any()


# ---------------------------------------------------------------------------
# labels and sampling_strategy


def test_binary_float_strategy_string_labels():
    X, y = binary_data()
    y = np.where(y == 1, "yes", "no")
    sampler = KNNOR(random_state=0, sampling_strategy=0.6)
    X_res, y_res = sampler.fit_resample(X, y)
    expected = check_sampling_strategy(0.6, y, "over-sampling")
    assert_resampled_counts(y, y_res, expected)
    assert y_res.dtype.kind == "U"


@pytest.mark.parametrize(
    "strategy",
    [
        "minority",
        "not minority",
        "not majority",
        "all",
        "auto",
        {"banana": 100, "cherry": 90},
        lambda y: {"cherry": 80},
    ],
    ids=["minority", "not_minority", "not_majority", "all", "auto", "dict", "callable"],
)
@pytest.mark.parametrize("container", ["ndarray", "object", "list"])
def test_multiclass_strategies(strategy, container):
    X, y = three_class_data()
    y_in = {"ndarray": y, "object": y.astype(object), "list": y.tolist()}[container]
    expected = check_sampling_strategy(strategy, y, "over-sampling")
    sampler = KNNOR(random_state=0, sampling_strategy=strategy)
    X_res, y_res = sampler.fit_resample(X, y_in)

    assert_resampled_counts(y, np.asarray(y_res), expected)
    assert len(X_res) == len(y_res)
    assert {k: int(v) for k, v in sampler.sampling_strategy_.items()} == {
        k: int(v) for k, v in expected.items()
    }
    wanted = {label for label, n in expected.items() if n > 0}
    assert set(sampler.class_stats_) == wanted
    # Synthetic labels are the classes asked for, nothing else.
    assert set(np.asarray(y_res)[len(y) :]) == wanted


def test_float_strategy_rejected_for_multiclass():
    X, y = three_class_data()
    with pytest.raises(ValueError, match="binary"):
        KNNOR(random_state=0, sampling_strategy=0.5).fit_resample(X, y)


# ---------------------------------------------------------------------------
# determinism


def _fitted_output(sampler, X, y):
    X_res, y_res = sampler.fit_resample(X, y)
    return X_res, y_res, sampler.provenance_, sampler.class_stats_


def _assert_identical(a, b):
    assert a[0].tobytes() == b[0].tobytes()
    np.testing.assert_array_equal(a[1], b[1])
    np.testing.assert_array_equal(a[2], b[2])
    assert a[3] == b[3]


def test_same_random_state_same_output():
    X, y = three_class_data()
    first = _fitted_output(KNNOR(random_state=42), X, y)
    second = _fitted_output(KNNOR(random_state=42), X, y)
    _assert_identical(first, second)
    # A RandomState instance seeded alike gives the same result too.
    third = _fitted_output(KNNOR(random_state=np.random.RandomState(42)), X, y)
    _assert_identical(first, third)


def test_different_random_state_different_output():
    X, y = three_class_data()
    X_a, _ = KNNOR(random_state=1).fit_resample(X, y)
    X_b, _ = KNNOR(random_state=2).fit_resample(X, y)
    assert X_a.shape == X_b.shape
    assert not np.array_equal(X_a[len(X) :], X_b[len(X) :])


def _noisy_data(n_features, class_sep):
    return make_classification(
        n_samples=3000,
        n_features=n_features,
        n_informative=5,
        n_classes=3,
        weights=[0.7, 0.2, 0.1],
        flip_y=0.05,
        class_sep=class_sep,
        random_state=0,
    )


@pytest.mark.parametrize(
    "make_data",
    [
        lambda: _noisy_data(8, 1.0),
        lambda: _noisy_data(30, 0.3),
        lambda: _hopeless_data(),
    ],
    ids=["kd_tree_8_features", "brute_force_30_features", "deep_relaxation"],
)
def test_n_jobs_does_not_change_output(make_data):
    X, y = make_data()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the hopeless case warns
        serial = _fitted_output(KNNOR(random_state=0, n_jobs=1), X, y)
        parallel = _fitted_output(KNNOR(random_state=0, n_jobs=2), X, y)
    _assert_identical(serial, parallel)
    # The data is noisy enough to exercise the filter and the relaxation.
    stats = serial[3]
    assert sum(s["n_rejected_filter"] for s in stats.values()) > 0
    assert max(s["max_relaxation_level"] for s in stats.values()) > 0


# ---------------------------------------------------------------------------
# pickling, cloning, parameters


def test_pickle_round_trip():
    X, y = three_class_data()
    sampler = KNNOR(random_state=0, n_neighbors=4)
    X_res, y_res = sampler.fit_resample(X, y)
    restored = pickle.loads(pickle.dumps(sampler))

    assert restored.get_params() == sampler.get_params()
    assert restored.n_features_in_ == sampler.n_features_in_
    assert restored.sampling_strategy_ == sampler.sampling_strategy_
    assert restored.class_stats_ == sampler.class_stats_
    np.testing.assert_array_equal(restored.provenance_, sampler.provenance_)
    X_again, y_again = restored.fit_resample(X, y)
    assert X_again.tobytes() == X_res.tobytes()
    np.testing.assert_array_equal(y_again, y_res)


NON_DEFAULT_PARAMS = {
    "sampling_strategy": "not majority",
    "n_neighbors": 3,
    "max_dist_point": 0.3,
    "proportion_minority": "auto",
    "reliability_filter": False,
    "random_state": 7,
    "n_jobs": 2,
}


def test_get_set_params_round_trip():
    sampler = KNNOR()
    assert sampler.set_params(**NON_DEFAULT_PARAMS) is sampler
    assert sampler.get_params() == NON_DEFAULT_PARAMS
    assert KNNOR(**NON_DEFAULT_PARAMS).get_params() == NON_DEFAULT_PARAMS


def test_clone_keeps_parameters_not_fit():
    X, y = three_class_data()
    sampler = KNNOR(**NON_DEFAULT_PARAMS)
    sampler.fit_resample(X, y)
    twin = clone(sampler)
    assert twin.get_params() == NON_DEFAULT_PARAMS
    assert not hasattr(twin, "class_stats_") and not hasattr(twin, "provenance_")


# ---------------------------------------------------------------------------
# pipelines


def test_pipeline_cross_validate():
    X, y = binary_data(n_samples=400)
    pipe = make_pipeline(KNNOR(random_state=0), LogisticRegression())
    result = cross_validate(
        pipe, X, y, cv=3, scoring="balanced_accuracy", return_estimator=True, error_score="raise"
    )
    assert np.isfinite(result["test_score"]).all()
    assert result["test_score"].mean() > 0.6
    for fitted in result["estimator"]:
        stats = fitted.named_steps["knnor"].class_stats_[1]
        assert stats["n_accepted"] == stats["n_requested"] > 0


def test_pipeline_grid_search():
    X, y = binary_data(n_samples=400)
    pipe = make_pipeline(KNNOR(random_state=0), LogisticRegression())
    grid = {"knnor__n_neighbors": [2, 4], "knnor__max_dist_point": [0.2, 0.7]}
    search = GridSearchCV(pipe, grid, cv=3, scoring="balanced_accuracy", error_score="raise")
    search.fit(X, y)
    assert len(search.cv_results_["params"]) == 4
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    best = search.best_estimator_.named_steps["knnor"]
    assert best.n_neighbors == search.best_params_["knnor__n_neighbors"]
    # The parameters really reached the sampler.
    assert best.class_stats_[1]["n_neighbors"] == search.best_params_["knnor__n_neighbors"]
    assert best.class_stats_[1]["max_dist_point"] == search.best_params_["knnor__max_dist_point"]


# ---------------------------------------------------------------------------
# provenance_ and class_stats_


@pytest.mark.parametrize("reliability_filter", [False, True])
def test_provenance(reliability_filter):
    X, y = three_class_data()
    k = 4
    sampler = KNNOR(random_state=0, n_neighbors=k, reliability_filter=reliability_filter)
    X_res, y_res = sampler.fit_resample(X, y)
    n = len(X)
    synthetic, synthetic_y = X_res[n:], y_res[n:]
    provenance = sampler.provenance_

    assert provenance.dtype == np.int64
    assert provenance.shape == (len(synthetic), k + 1)
    seeds = provenance[:, 0]
    assert ((seeds >= 0) & (seeds < n)).all()
    np.testing.assert_array_equal(y[seeds], synthetic_y)
    if not reliability_filter:
        # Nothing is rejected, so nothing is relaxed: every walk is complete.
        assert (provenance >= 0).all()

    for point, label, walk in zip(synthetic, synthetic_y, provenance, strict=True):
        walked = walk[1:][walk[1:] >= 0]
        # -1 only pads the end of shortened walks.
        assert (walk[1 : 1 + len(walked)] >= 0).all()
        assert len(walked) >= 1
        assert (y[walked] == label).all()
        assert walk[0] not in walked
        # Walked rows are the seed's nearest class-mates, nearest first.
        class_rows = np.flatnonzero((y == label) & (np.arange(n) != walk[0]))
        dist = np.linalg.norm(X[class_rows] - X[walk[0]], axis=1)
        walked_dist = np.linalg.norm(X[walked] - X[walk[0]], axis=1)
        np.testing.assert_allclose(walked_dist, np.sort(dist)[: len(walked)])
        # The point lies between the seed and the rows walked through.
        corners = X[np.r_[walk[0], walked]]
        tol = 1e-12 * (1 + np.abs(corners).max())
        assert (point >= corners.min(axis=0) - tol).all()
        assert (point <= corners.max(axis=0) + tol).all()


def test_class_stats_consistent():
    X, y = three_class_data()
    sampler = KNNOR(random_state=0, sampling_strategy="not majority")
    _, y_res = sampler.fit_resample(X, y)
    synthetic_counts = Counter(y_res[len(y) :])
    assert set(sampler.class_stats_) == set(synthetic_counts)
    for label, stats in sampler.class_stats_.items():
        assert stats["n_accepted"] == synthetic_counts[label]
        assert stats["n_requested"] == sampler.sampling_strategy_[label]
        assert stats["n_generated"] == (
            stats["n_accepted"] + stats["n_rejected_filter"] + stats["n_rejected_duplicate"]
        )
        assert stats["n_seeds"] == max(1, round(stats["proportion_minority"] * Counter(y)[label]))


def _hopeless_data():
    """Each minority point sits inside a tiny ring of 16 majority points."""
    minority = np.array([[10.0 * i, 10.0 * j] for i in range(5) for j in range(4)])
    angles = np.linspace(0, 2 * np.pi, 16, endpoint=False) + 0.1
    ring = 1e-6 * np.c_[np.cos(angles), np.sin(angles)]
    majority = np.vstack([point + ring for point in minority])
    X = np.vstack([majority, minority])
    y = np.r_[np.zeros(len(majority), dtype=int), np.ones(len(minority), dtype=int)]
    return X, y


def test_unreachable_target_warns_and_returns():
    X, y = _hopeless_data()
    sampler = KNNOR(random_state=0)
    start = time.perf_counter()
    with pytest.warns(UserWarning) as record:
        X_res, y_res = sampler.fit_resample(X, y)
    elapsed = time.perf_counter() - start

    stats = sampler.class_stats_[1]
    assert stats["n_requested"] == 300
    assert stats["n_accepted"] < stats["n_requested"]
    messages = [str(w.message) for w in record if issubclass(w.category, UserWarning)]
    assert any(
        f"{stats['n_accepted']} of the {stats['n_requested']}" in message for message in messages
    ), messages
    assert stats["n_generated"] == (
        stats["n_accepted"] + stats["n_rejected_filter"] + stats["n_rejected_duplicate"]
    )
    assert len(X_res) == len(y_res) == len(X) + stats["n_accepted"]
    assert len(sampler.provenance_) == stats["n_accepted"]
    assert (y_res[len(X) :] == 1).all()
    assert elapsed < 10


def test_unreachable_warning_points_at_caller():
    # Like scikit-learn's own warnings, it must name the line that called
    # fit_resample, so that users can find and filter it.
    X, y = _hopeless_data()
    with pytest.warns(UserWarning, match="accepted") as record:
        KNNOR(random_state=0).fit_resample(X, y)
    assert [w.filename for w in record] == [__file__] * len(record)


def test_no_warning_when_target_reached():
    X, y = binary_data()
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        KNNOR(random_state=0).fit_resample(X, y)


# ---------------------------------------------------------------------------
# "auto" parameters


def test_auto_parameters_within_documented_ranges():
    X, y = three_class_data()
    sampler = KNNOR(
        random_state=0,
        n_neighbors="auto",
        max_dist_point="auto",
        proportion_minority="auto",
    )
    X_res, y_res = sampler.fit_resample(X, y)
    counts = Counter(y)
    assert_resampled_counts(y, y_res, check_sampling_strategy("auto", y, "over-sampling"))
    for label, stats in sampler.class_stats_.items():
        assert isinstance(stats["n_neighbors"], int)
        assert 1 <= stats["n_neighbors"] <= counts[label] - 1
        assert 0.01 <= stats["max_dist_point"] <= 1.0
        assert 0.5 <= stats["proportion_minority"] <= 1.0
    width = max(s["n_neighbors"] for s in sampler.class_stats_.values()) + 1
    assert sampler.provenance_.shape == (len(X_res) - len(X), width)


def _one_d(minority, majority):
    X = np.r_[minority, majority].astype(float).reshape(-1, 1)
    y = np.r_[np.ones(len(minority), dtype=int), np.zeros(len(majority), dtype=int)]
    return X, y


def test_auto_n_neighbors_by_hand():
    # Points 0..10: the end points have the fewest points closer than their
    # mean squared distance (385 / 11 = 35 -> 0..5, six points), so k = 6 // 2.
    points = np.arange(11.0).reshape(-1, 1)
    assert auto_n_neighbors(points) == 3
    X, y = _one_d(np.arange(11.0), np.arange(100.0, 130.0))
    sampler = KNNOR(random_state=0, n_neighbors="auto")
    sampler.fit_resample(X, y)
    assert sampler.class_stats_[1]["n_neighbors"] == 3


@pytest.mark.parametrize(
    "k_distances, expected",
    [
        ([1.0] * 8 + [13.0, 20.0], 0.8),  # elbow at the last flat point (index 7)
        ([1.0] * 8 + [10.0, 10.0], 0.8),
        ([1.0] * 2 + [10.0] * 8, 0.5),  # elbow at index 1 -> 0.2, raised to the floor
        ([2.0] * 10, 1.0),  # all equally dense
        (list(range(10)), 1.0),  # a straight line has nothing below its chord
    ],
)
def test_auto_proportion_by_hand(k_distances, expected):
    assert auto_proportion(np.array(k_distances)) == pytest.approx(expected)


def test_auto_proportion_through_sampler():
    # With k = 1 the k-distances of 0..7, 20, 40 are eight 1s, then 13 and 20.
    X, y = _one_d([0, 1, 2, 3, 4, 5, 6, 7, 20, 40], np.arange(1000.0, 1031.0))
    sampler = KNNOR(random_state=0, n_neighbors=1, proportion_minority="auto")
    sampler.fit_resample(X, y)
    stats = sampler.class_stats_[1]
    assert stats["proportion_minority"] == pytest.approx(0.8)
    assert stats["n_seeds"] == 8


@pytest.mark.parametrize(
    "minority, majority, expected",
    [
        ([0, 1, 3], [5, 7, 8], 2 / 3),  # diameter 3, gap 2
        ([0, 1], [5, 9], 1 / 4),  # diameter 1, gap 4
        ([0, 10], [10.5, 12], 0.05),  # diameter 10, gap 0.5
        ([0, 10], [10.001, 12], 0.01),  # 1e-4 clipped to 0.01
        ([0, 1, 3], [3, 7], 2 / 3),  # a zero distance (shared point) is ignored
    ],
)
def test_auto_max_dist_point_by_hand(minority, majority, expected):
    class_data = np.array(minority, dtype=float).reshape(-1, 1)
    other = np.array(majority, dtype=float).reshape(-1, 1)
    assert auto_max_dist_point(class_data, other) == pytest.approx(expected)


def test_auto_max_dist_point_through_sampler():
    X, y = _one_d([0, 1, 3], [5, 7, 8, 9, 10, 11])
    sampler = KNNOR(random_state=0, n_neighbors=2, max_dist_point="auto")
    sampler.fit_resample(X, y)
    assert sampler.class_stats_[1]["max_dist_point"] == pytest.approx(2 / 3)
