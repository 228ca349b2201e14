"""Output containers (ndarray, pandas, sparse, dtypes) keep the originals first, bit-identical,
and the caller's data is never modified."""

import numpy as np
import pandas as pd
import pytest
from _data import binary_data
from scipy import sparse

from knnor import KNNOR

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
    X_before, y_before = X.copy(), y.copy()
    sampler = KNNOR(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert len(X_res) == len(y_res) > len(X)

    # The same as on a writable copy, bit for bit.
    writable = KNNOR(random_state=0)
    X_copy, y_copy = X.copy(), y.copy()
    assert X_copy.flags.writeable and y_copy.flags.writeable
    X_expected, y_expected = writable.fit_resample(X_copy, y_copy)
    assert X_res.dtype == X_expected.dtype and X_res.shape == X_expected.shape
    assert X_res.tobytes() == X_expected.tobytes()
    assert y_res.dtype == y_expected.dtype
    np.testing.assert_array_equal(y_res, y_expected)
    np.testing.assert_array_equal(sampler.provenance_, writable.provenance_)

    # The input is untouched and still read-only.
    assert not X.flags.writeable and not y.flags.writeable
    assert X.tobytes() == X_before.tobytes()
    np.testing.assert_array_equal(y, y_before)
