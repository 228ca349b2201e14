"""DaskKNNOR against the in-memory KNNOR, on a local cluster of worker processes.

Every resampling here is compared with ``KNNOR`` on the same data and seed:
same rows in the same order, same labels, provenance, walk weights and stats,
whatever the partitioning, the path through the filter or a worker's death.
"""

import importlib.util
import os
import signal
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from imblearn.utils import check_sampling_strategy
from sklearn.base import clone
from sklearn.datasets import make_classification

distributed = pytest.importorskip("distributed")
import cloudpickle  # noqa: E402
import dask  # noqa: E402
import dask.array as da  # noqa: E402
import dask.dataframe as dd  # noqa: E402

from knnor import KNNOR  # noqa: E402
from knnor._dask_plan import strategy_from_counts  # noqa: E402
from knnor.dask import DaskKNNOR  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore:compiling knnor")


@pytest.fixture(scope="module")
def client():
    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # workers cannot import tests
    with (
        distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client
    cloudpickle.unregister_pickle_by_value(sys.modules[__name__])


def overlapping_data(n_samples=3000, weights=(0.9, 0.1), n_classes=2, seed=0):
    """Classes that overlap, so that the filter rejects candidates and the
    context matters."""
    return make_classification(
        n_samples=n_samples,
        n_features=5,
        n_informative=3,
        n_redundant=0,
        n_classes=n_classes,
        n_clusters_per_class=1,
        weights=list(weights),
        class_sep=0.8,
        random_state=seed,
    )


def as_dask_arrays(X, y, n_parts):
    rows = -(-len(X) // n_parts)
    return da.from_array(X, chunks=(rows, X.shape[1])), da.from_array(y, chunks=rows)


def resample_both(params, X, y, dask_X, dask_y, context_scale=None):
    """(in-memory sampler, its output, dask sampler, its computed output)."""
    reference = KNNOR(**params)
    expected = reference.fit_resample(X, y)
    sampler = DaskKNNOR(**params)
    if context_scale is not None:
        sampler._context_scale = context_scale
    X_res, y_res = sampler.fit_resample(dask_X, dask_y)
    return reference, expected, sampler, dask.compute(X_res, y_res)


def assert_same(reference, expected, sampler, got):
    for mine, theirs in zip(got, expected, strict=True):
        if isinstance(theirs, pd.DataFrame | pd.Series):
            mine = mine.reset_index(drop=True)
            if isinstance(theirs, pd.DataFrame):
                pd.testing.assert_frame_equal(mine, theirs, check_exact=True)
            else:
                pd.testing.assert_series_equal(mine, theirs, check_exact=True)
        else:
            assert mine.dtype == theirs.dtype
            assert np.array_equal(mine, theirs)
    assert np.array_equal(sampler.provenance_, reference.provenance_)
    assert np.array_equal(sampler.walk_weights_, reference.walk_weights_)
    assert sampler.class_stats_ == reference.class_stats_
    assert sampler.sampling_strategy_ == reference.sampling_strategy_


@pytest.mark.parametrize("n_parts", [1, 3, 7])
def test_equals_in_memory_knnor_whatever_the_partitioning(client, n_parts):
    X, y = overlapping_data()
    reference, expected, sampler, got = resample_both(
        {"random_state": 0}, X, y, *as_dask_arrays(X, y, n_parts)
    )
    assert_same(reference, expected, sampler, got)
    assert reference.class_stats_[1]["n_rejected_filter"] > 0  # the filter had work to do
    assert got[0].shape[0] > X.shape[0]


def test_rows_the_context_missed_are_found_and_the_run_repeated(client):
    # A context fetched within a fifth of each walk's reach proves little: the
    # verification must find the rows that change verdicts and run again.
    X, y = overlapping_data(seed=1)
    reference, expected, sampler, got = resample_both(
        {"random_state": 1}, X, y, *as_dask_arrays(X, y, 3), context_scale=0.2
    )
    assert_same(reference, expected, sampler, got)
    assert sampler.n_rounds_ >= 2  # a run is repeated only when rows were added


@pytest.mark.parametrize(
    "params",
    [
        {"filter_rule": "majority"},
        {"filter_neighbors": 5},  # unanimous vote over 5 rows
        {"reliability_filter": False},
        {"max_dist_point": "auto", "proportion_minority": "auto"},
        {"n_neighbors": "auto"},  # k0 = 83 here: the filter asks 9 rows
    ],
    ids=["majority", "vote", "no-filter", "auto-step", "auto-k"],
)
def test_every_filter_path_equals_in_memory(client, params):
    X, y = overlapping_data(seed=2)
    params = {"random_state": 2, **params}
    reference, expected, sampler, got = resample_both(params, X, y, *as_dask_arrays(X, y, 4))
    assert_same(reference, expected, sampler, got)
    if not params.get("reliability_filter", True):
        assert sampler.n_context_rows_ == 0 and sampler.n_rounds_ == 1


def test_dataframe_with_integer_and_float32_columns_and_three_string_classes(client):
    X, y = overlapping_data(n_samples=2400, weights=(0.7, 0.2, 0.1), n_classes=3, seed=3)
    frame = pd.DataFrame(
        {
            "count": np.round(X[:, 0] * 20).astype(np.int64),
            "ratio": X[:, 1].astype(np.float32),
            **{f"f{j}": X[:, j] for j in range(2, 5)},
        }
    )
    labels = pd.Series(np.array(["fraud", "normal", "review"])[y], name="kind")
    dask_X, dask_y = dd.from_pandas(frame, npartitions=5), dd.from_pandas(labels, npartitions=5)
    params = {"random_state": 3, "sampling_strategy": "not majority"}
    # The reference sees what dask made of the input (dask stores strings as pyarrow's).
    reference, expected, sampler, got = resample_both(
        params, dask_X.compute(), dask_y.compute(), dask_X, dask_y
    )
    assert_same(reference, expected, sampler, got)
    assert len(reference.class_stats_) == 2
    assert list(got[0].dtypes) == [np.int64, np.float32, np.float64, np.float64, np.float64]
    assert got[0].index[-1] == len(got[0]) - 1  # synthetic rows numbered after the originals


@pytest.mark.filterwarnings("ignore::knnor.KNNORWarning")
def test_candidates_equal_to_rows_of_other_classes_count_as_duplicates(client):
    # Three small-range integer columns: most candidates land on existing rows,
    # some of them of the other class, which the filter calls duplicates (not
    # wrong neighbours) only if the run saw those rows.
    X, y = make_classification(
        n_samples=2000,
        n_features=3,
        n_informative=3,
        n_redundant=0,
        n_clusters_per_class=1,
        weights=[0.85, 0.15],
        class_sep=0.5,
        random_state=1,
    )
    frame = pd.DataFrame(np.round(X * 3).astype(np.int64), columns=["a", "b", "c"])
    labels = pd.Series(y, name="y")
    dask_X, dask_y = dd.from_pandas(frame, npartitions=4), dd.from_pandas(labels, npartitions=4)
    reference, expected, sampler, got = resample_both(
        {"random_state": 1}, frame, labels, dask_X, dask_y
    )
    assert_same(reference, expected, sampler, got)
    assert reference.class_stats_[1]["n_rejected_duplicate"] > 1000


def test_float32_array_keeps_its_dtype_and_the_original_blocks(client):
    X, y = overlapping_data(seed=4)
    dask_X, dask_y = as_dask_arrays(X.astype(np.float32), y, 3)
    reference, expected, sampler, got = resample_both(
        {"random_state": 4}, X.astype(np.float32), y, dask_X, dask_y
    )
    assert_same(reference, expected, sampler, got)
    X_res, _ = sampler.fit_resample(dask_X, dask_y)
    blocks = {key for row in dask_X.__dask_keys__() for key in row}
    assert blocks <= set(X_res.__dask_graph__())  # the input's own tasks, untouched


def kill_worker_on_third_read(block, marker_dir):
    """Pass the block through; on the third read of the first block (the pass
    that looks for each gathered row's nearest rows), kill this worker once."""
    counter = os.path.join(marker_dir, "reads")
    killed = os.path.join(marker_dir, "killed")
    with open(counter, "a") as reads:
        reads.write(".")
    if os.path.getsize(counter) == 3 and not os.path.exists(killed):
        with open(killed, "w") as note:
            note.write(str(os.getpid()))
        os.kill(os.getpid(), signal.SIGKILL)
    return block


def test_a_worker_killed_mid_run_is_replaced_and_the_result_unchanged(client, tmp_path):
    X, y = overlapping_data(seed=5)
    dask_X, dask_y = as_dask_arrays(X, y, 3)
    first = dask_X.blocks[0].map_blocks(kill_worker_on_third_read, str(tmp_path), dtype=X.dtype)
    dask_X = da.concatenate([first, dask_X.blocks[1:]])
    reference, expected, sampler, got = resample_both({"random_state": 5}, X, y, dask_X, dask_y)
    assert (tmp_path / "killed").exists()
    killed_pid = int((tmp_path / "killed").read_text())
    assert killed_pid not in client.run(os.getpid).values()
    assert_same(reference, expected, sampler, got)


def test_memory_budget_error_names_the_counts_bytes_and_parameter(client):
    X, y = overlapping_data()
    n_minority = int(np.bincount(y)[1])
    sampler = DaskKNNOR(memory_budget=1000)
    with pytest.raises(ValueError) as error:
        sampler.fit_resample(*as_dask_arrays(X, y, 3))
    message = str(error.value)
    assert f"{n_minority:,} rows" in message and f"1: {n_minority:,}" in message
    assert f"{n_minority * 5 * 8:,} bytes" in message and "memory_budget=1,000" in message


@pytest.mark.parametrize(
    "strategy",
    [
        "auto",
        "minority",
        "not minority",
        "not majority",
        "all",
        {"b": 90, "c": 70},
        lambda y: {"c": int((y == "a").sum())},
    ],
)
@pytest.mark.parametrize("counts", [[90, 40, 40], [50, 50, 20], [10, 30, 60]])
def test_sampling_strategy_resolves_as_imbalanced_learn(strategy, counts):
    y = np.repeat(np.array(["a", "b", "c"]), counts)
    rng = np.random.default_rng(0)
    y = y[rng.permutation(len(y))]
    classes, class_counts = np.unique(y, return_counts=True)
    try:
        expected = check_sampling_strategy(strategy, y, "over-sampling")
    except ValueError:
        with pytest.raises(ValueError):
            strategy_from_counts(strategy, classes, class_counts, 3)
        return
    assert strategy_from_counts(strategy, classes, class_counts, 3) == dict(expected)


@pytest.mark.parametrize("ratio", [0.5, 1.0, 0.05])
def test_float_sampling_strategy_resolves_as_imbalanced_learn(ratio):
    y = np.repeat([0, 1], [200, 30])
    classes, counts = np.unique(y, return_counts=True)
    try:
        expected = check_sampling_strategy(ratio, y, "over-sampling")
    except ValueError:
        with pytest.raises(ValueError, match="increase the ratio"):
            strategy_from_counts(ratio, classes, counts, 3)
        return
    assert strategy_from_counts(ratio, classes, counts, 3) == dict(expected)


def test_bad_input_is_refused_before_any_work():
    X, y = overlapping_data(n_samples=300)
    dask_X, dask_y = as_dask_arrays(X, y, 3)
    sampler = DaskKNNOR()
    with pytest.raises(TypeError, match="dask collections; X is a numpy.ndarray"):
        sampler.fit_resample(X, dask_y)
    with pytest.raises(ValueError, match=r"compute_chunk_sizes\(\)"):
        sampler.fit_resample(dask_X[dask_X[:, 0] > 0], dask_y)
    with pytest.raises(ValueError, match="X has 300 rows but y has 200"):
        sampler.fit_resample(dask_X, dask_y[:200])
    with_nan = X.copy()
    with_nan[5, 2] = np.nan
    with pytest.raises(ValueError, match="1 missing or infinite values; .* impute"):
        sampler.fit_resample(da.from_array(with_nan, chunks=(100, 5)), dask_y)
    with pytest.raises(ValueError, match="memory_budget"):
        DaskKNNOR(memory_budget=0).fit_resample(dask_X, dask_y)
    with pytest.raises(ValueError, match="filter_search"):
        DaskKNNOR(filter_search="graph").fit_resample(dask_X, dask_y)


def test_parameters_are_knnors_and_memory_budget():
    sampler = DaskKNNOR(filter_rule="majority", memory_budget=10)
    params = clone(sampler).get_params()
    assert set(params) == set(KNNOR().get_params()) | {"memory_budget"}
    assert params["filter_rule"] == "majority" and params["memory_budget"] == 10


def test_benchmark_runs_on_a_tiny_table():
    script = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_dask.py"
    sys.path.insert(0, str(script.parent))  # the script imports its sibling _bench_machine
    try:
        spec = importlib.util.spec_from_file_location("bench_dask", script)
        bench = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(bench)
        figures = bench.main(["--rows", "20000", "--partition-rows", "5000", "--workers", "1"])
    finally:
        sys.path.remove(str(script.parent))
    assert figures["partitions"] == 4 and figures["synthetic_rows"] > 0
    assert set(figures["seconds"]) >= {"count", "gather", "context", "engine"}
    assert len(figures["peak_rss_mib_per_worker"]) == 1
