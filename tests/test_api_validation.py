"""KNNOR rejects bad input and bad parameters with a clear error, and copes with awkward data."""

import numpy as np
import pandas as pd
import pytest
from _data import assert_resampled_counts, binary_data
from imblearn.utils import check_sampling_strategy

from knnor import KNNOR

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
        ({"filter_rule": "strict"}, "filter_rule"),
        ({"filter_neighbors": 0}, "filter_neighbors"),
        ({"n_jobs": 1.5}, "n_jobs"),
        ({"sampling_strategy": "most"}, "sampling_strategy"),
    ],
)
def test_bad_parameters(params, name):
    X, y = binary_data()
    with pytest.raises((ValueError, TypeError), match=name):
        KNNOR(random_state=0, **params).fit_resample(X, y)


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
