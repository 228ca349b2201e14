"""Promises that used to break silently: dtypes, y shapes, requests, magnitudes.

Each test reproduces a case of issue 9 that failed before its fix; the promise
table in docs/promises.md points here.
"""

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification

from knnor import KNNOR, _engine
from knnor._kernels.grid import EXACT, FLOAT32, INTEGER


def data(n_samples=300, n_features=5, random_state=0):
    return make_classification(
        n_samples=n_samples,
        n_features=n_features,
        weights=[0.85, 0.15],
        random_state=random_state,
    )


def synthetic_duplicates(X_res, n_original):
    """Synthetic rows equal to any other returned row, compared as returned."""
    values = np.asarray(X_res, dtype=np.float64)
    _, inverse, counts = np.unique(values, axis=0, return_inverse=True, return_counts=True)
    return int((counts[inverse[n_original:]] > 1).sum())


def assert_unanimous_filter(X_res, y_res, n_original, provenance):
    """Every synthetic row's isqrt(k) nearest original rows are of its class,
    with k the length of its walk, measured on the values returned."""
    values = np.asarray(X_res, dtype=np.float64)
    labels = np.asarray(y_res)
    X, y = values[:n_original], labels[:n_original]
    for point, label, walk in zip(
        values[n_original:], labels[n_original:], provenance, strict=True
    ):
        dist = ((X - point) ** 2).sum(axis=1)
        nearest = np.lexsort((np.arange(len(X)), dist))[: math.isqrt(int((walk >= 0).sum()) - 1)]
        assert dist[nearest[0]] > 0
        assert (y[nearest] == label).all()


def colliding_frame(dtype):
    """Values near 1e4 with a spread close to the dtype's resolution there."""
    X, y = data()
    spread = {"float32": 1e-2, "float16": 40.0, "int64": 2.0, "Int64": 2.0}[str(dtype)]
    values = 1e4 + X * spread
    if str(dtype) in ("int64", "Int64"):
        values = np.round(values)
    return pd.DataFrame(values, columns=[f"c{j}" for j in range(X.shape[1])]).astype(dtype), y


@pytest.mark.parametrize("dtype", ["float32", "float16", "int64", "Int64"])
def test_no_duplicates_in_the_returned_dtype(dtype):
    X, y = colliding_frame(dtype)
    sampler = KNNOR(random_state=0, filter_rule="unanimous")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # collisions may leave a shortfall
        X_res, y_res = sampler.fit_resample(X, y)
    assert list(X_res.dtypes) == list(X.dtypes)
    pd.testing.assert_frame_equal(X_res.iloc[: len(X)], X)
    assert len(X_res) > len(X)
    assert synthetic_duplicates(X_res, len(X)) == 0
    assert_unanimous_filter(X_res, y_res, len(X), sampler.provenance_)


def test_float32_array_duplicates_and_filter_checked_as_float32():
    X, y = data()
    X = (1e4 + X * 1e-2).astype(np.float32)
    sampler = KNNOR(random_state=0, filter_rule="unanimous")
    X_res, y_res = sampler.fit_resample(X, y)
    assert X_res.dtype == np.float32
    assert synthetic_duplicates(X_res, len(X)) == 0
    assert_unanimous_filter(X_res, y_res, len(X), sampler.provenance_)


def test_mixed_dtype_frame_keeps_each_column_exact():
    X, y = data()
    frame = pd.DataFrame(
        {
            "float64": X[:, 0],
            "flag": X[:, 1] > 0,
            "count": np.round(np.abs(X[:, 2]) * 3).astype(np.uint8),
            "float32": X[:, 3].astype(np.float32),
        }
    )
    X_res, _ = KNNOR(random_state=0).fit_resample(frame, y)
    assert list(X_res.dtypes) == list(frame.dtypes)
    synthetic = X_res.iloc[len(frame) :]
    # Values round-trip through the engine's float64 unchanged.
    for column in frame:
        as_float = synthetic[column].astype(np.float64)
        np.testing.assert_array_equal(as_float.astype(frame[column].dtype), synthetic[column])
    assert synthetic["count"].between(frame["count"].min(), frame["count"].max()).all()


def test_output_grid_codes():
    codes = _engine.output_grid(
        [np.dtype("float64"), np.dtype("int32"), pd.Int64Dtype(), np.dtype("float32")]
    )
    assert codes.tolist() == [EXACT, INTEGER, INTEGER, FLOAT32]
    assert _engine.output_grid([np.dtype("float64")] * 3) is None


@pytest.mark.parametrize("container", ["array", "frame"])
def test_one_hot_y_keeps_its_shape(container):
    X, y = data()
    one_hot = np.eye(2, dtype=np.int64)[y]
    if container == "frame":
        one_hot = pd.DataFrame(one_hot, columns=["no", "yes"])
    X_res, y_res = KNNOR(random_state=0).fit_resample(X, one_hot)
    assert y_res.shape == (len(X_res), 2)
    np.testing.assert_array_equal(np.asarray(y_res)[: len(X)], np.asarray(one_hot))
    assert (np.asarray(y_res).sum(axis=1) == 1).all()
    assert np.asarray(y_res)[len(X) :, 1].all()  # the synthetic rows are the minority's
    if container == "frame":
        assert list(y_res.columns) == ["no", "yes"]


def test_two_d_y_that_is_not_one_hot_rejected():
    X, y = data()
    with pytest.raises(ValueError, match="one-hot"):
        KNNOR().fit_resample(X, np.column_stack([y, y]))


def test_mixed_label_types_named():
    X, y = data()
    mixed = np.array([0 if label == 0 else "rare" for label in y], dtype=object)
    with pytest.raises(TypeError, match="y mixes label types"):
        KNNOR().fit_resample(X, mixed)


def _engine_must_not_run(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the engine ran before the input was checked")

    monkeypatch.setattr("knnor.classification.oversample", refuse)


@pytest.mark.parametrize(
    "strategy, error, words",
    [
        ({1: 300.5}, TypeError, "300.5 samples of class 1"),
        ({1: "300"}, TypeError, "'300' samples of class 1"),
        ({1: True}, TypeError, "True samples of class 1"),
        ({1: 2**63}, ValueError, "of class 1"),
        ({1: 10**13}, ValueError, "of class 1"),
        (lambda y: [1, 2], TypeError, "returned list"),
        (lambda y: {1: 400.0}, TypeError, "400.0 samples of class 1"),
    ],
)
def test_bad_counts_named_before_any_work(monkeypatch, strategy, error, words):
    X, y = data()
    _engine_must_not_run(monkeypatch)
    with pytest.raises(error, match="sampling_strategy") as caught:
        KNNOR(sampling_strategy=strategy).fit_resample(X, y)
    assert words in str(caught.value)


def test_request_bounded_by_memory_and_overridable(monkeypatch):
    X, y = data()
    n_new = np.bincount(y).max() - np.bincount(y).min()
    monkeypatch.setenv("KNNOR_MEMORY_LIMIT", str(n_new * 5 * 24 - 1))  # one byte short
    with pytest.raises(ValueError, match=f"{n_new} synthetic rows .* KNNOR_MEMORY_LIMIT"):
        KNNOR().fit_resample(X, y)
    monkeypatch.setenv("KNNOR_MEMORY_LIMIT", "none")
    X_res, _ = KNNOR(random_state=0).fit_resample(X, y)
    assert len(X_res) == len(X) + n_new


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_blas_filter_holds_across_float32_range(seed):
    """Magnitudes from 1e-25 to 1e20 in one data set, above 16 features: the
    single-precision preselection must neither overflow nor miss a row."""
    rng = np.random.default_rng(seed)
    n_features = 20
    tiny = rng.normal(size=(400, n_features)) * 1e-25
    minority = np.vstack(
        [rng.normal(size=(30, n_features)) * 1e-25, rng.normal(size=(30, n_features)) * 1e20]
    )
    X = np.vstack([tiny, minority])
    y = np.repeat([0, 1], [400, 60])
    sampler = KNNOR(random_state=seed, filter_rule="unanimous")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        X_res, y_res = sampler.fit_resample(X, y)
    assert sampler.class_stats_[1]["n_rejected_filter"] > 0
    assert_unanimous_filter(X_res, y_res, len(X), sampler.provenance_)


def test_provenance_of_shorter_walks_padded_with_minus_one():
    # n_neighbors="auto" gives each class its own k, so walks differ in length.
    rng = np.random.default_rng(0)
    X = np.vstack(
        [
            rng.normal(size=(300, 2)) * 3,
            rng.normal(size=(40, 2)) * 0.3 + 10,  # one cluster: a large k
            np.vstack([rng.normal(size=(8, 2)) * 0.1 - 10, rng.normal(size=(40, 2)) * 0.1 + 20]),
        ]
    )
    y = np.repeat([0, 1, 2], [300, 40, 48])
    sampler = KNNOR(n_neighbors="auto", random_state=0, filter_rule="unanimous")
    X_res, y_res = sampler.fit_resample(X, y)
    k = {label: sampler.class_stats_[label]["n_neighbors"] for label in (1, 2)}
    assert k[1] != k[2]
    assert sampler.provenance_.shape[1] == max(k.values()) + 1
    for label in (1, 2):
        walks = sampler.provenance_[y_res[len(X) :] == label]
        assert (walks[:, : k[label] + 1] >= 0).all()  # relaxation stays off here
        assert (walks[:, k[label] + 1 :] == -1).all()
        assert (y[walks[:, : k[label] + 1]] == label).all()
