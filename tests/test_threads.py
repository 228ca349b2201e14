"""n_jobs governs numba's threads and BLAS's; the first compile says so."""

import logging

import numba
import numpy as np
import pytest
from _data import binary_data
from threadpoolctl import threadpool_info

import knnor._engine as engine
from knnor import KNNOR
from knnor._compile_notice import MESSAGE, compile_notice


@pytest.mark.parametrize(("n_jobs", "numba_threads"), [(1, 1), (None, 1), (-1, None), (2, 2)])
@pytest.mark.parametrize("n_features", [4, 40])
def test_n_jobs_sets_numba_threads_and_blas_runs_on_one(
    monkeypatch, n_jobs, numba_threads, n_features
):
    seen = []
    run_group = engine.oversample_one_group

    def recording(*args, **kwargs):
        blas = [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]
        seen.append((numba.get_num_threads(), blas))
        return run_group(*args, **kwargs)

    monkeypatch.setattr(engine, "oversample_one_group", recording)
    before = numba.get_num_threads()
    X, y = binary_data(n_features=n_features)
    KNNOR(random_state=0, n_jobs=n_jobs).fit_resample(X, y)
    expected = numba.config.NUMBA_NUM_THREADS if numba_threads is None else numba_threads
    assert seen and all(
        threads == min(expected, numba.config.NUMBA_NUM_THREADS) for threads, _ in seen
    )
    assert all(blas and set(blas) == {1} for _, blas in seen)
    assert numba.get_num_threads() == before  # restored after the call


def _fresh_kernel(module):
    """A new jitted function that claims to live in ``module``."""

    def add_one(x):
        return x + 1

    add_one.__module__ = module
    return numba.njit(add_one)


def test_compile_notice_logs_once_per_call_that_compiles(caplog):
    caplog.set_level(logging.WARNING, logger="knnor")
    with compile_notice():
        _fresh_kernel("knnor._kernels.fake")(1)
        _fresh_kernel("knnor._kernels.fake")(2.0)
    assert [r.getMessage() for r in caplog.records] == [MESSAGE]
    caplog.clear()
    with compile_notice():
        _fresh_kernel("somebody.elses")(1)  # not one of ours
    _fresh_kernel("knnor._kernels.fake")(1)  # outside the block
    assert caplog.records == []


def test_warm_call_says_nothing(caplog):
    X, y = binary_data()
    KNNOR(random_state=0).fit_resample(X, y)  # compiled (or loaded) here
    caplog.set_level(logging.WARNING, logger="knnor")
    X_res, _ = KNNOR(random_state=1).fit_resample(X, y)
    assert len(X_res) > len(X)
    assert not [r for r in caplog.records if r.getMessage() == MESSAGE]


def test_results_do_not_depend_on_n_jobs_on_the_blas_path():
    X, y = binary_data(n_features=40)
    outputs = [KNNOR(random_state=0, n_jobs=n).fit_resample(X, y)[0] for n in (1, 2)]
    np.testing.assert_array_equal(*outputs)
