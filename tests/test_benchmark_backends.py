"""knnor-benchmark on dask and ray: a small grid on a local cluster gives the loky backend's
results exactly, through the runner and through the command line with --address."""

import subprocess
import sys

import pandas as pd
import pytest

from knnor.benchmark import load_results, run_benchmark
from knnor.benchmark.cli import main
from knnor.datasets import get_dataset

DATASETS = ["glass1", "cleveland-0_vs_4"]  # bundled: nothing is fetched
SAMPLERS = ["KNNOR", 'SMOTE-k10=SMOTE{"k_neighbors": 10}']  # fails on cleveland's folds
CLASSIFIERS = ['linear-5=linear{"max_iter": 5}']  # warns: lbfgs does not converge
GRID = dict(samplers=SAMPLERS, classifiers=CLASSIFIERS, n_splits=3, n_repeats=1, seed=0)

# A ray head owned by its own process, as `ray start --head` would be: the command line
# under test connects to it by address. It stops when its stdin closes.
RAY_HEAD = """
import sys
import ray

ray.init(num_cpus=2, include_dashboard=False)
print(ray.get_runtime_context().gcs_address, flush=True)
sys.stdin.read()
ray.shutdown()
"""


def run_grid(**options):
    datasets = [get_dataset(name, "quick") for name in DATASETS]
    return run_benchmark(datasets, **GRID, progress=False, **options)


def run_cli(out, *options):
    argv = ["run", "--suite", "quick", "--datasets", ",".join(DATASETS)]
    argv += [f"--samplers={spec}" for spec in SAMPLERS]
    argv += [f"--classifiers={spec}" for spec in CLASSIFIERS]
    argv += ["--folds", "3", "--repeats", "1", "--seed", "0", "--out", str(out)]
    assert main([*argv, "--no-report", "--quiet", *options]) == 0
    return load_results(out)


def assert_same_results(got, expected):
    """Every row and value but the timings, which no two runs share."""
    timing = "fit_resample_seconds"
    pd.testing.assert_frame_equal(
        got.drop(columns=timing), expected.drop(columns=timing), check_exact=True
    )


@pytest.fixture(scope="module")
def loky_results():
    results = run_grid(backend="loky", n_jobs=2)
    # what the comparisons rely on: scores, a recorded failure and recorded warnings
    assert set(results["status"]) == {"ok", "failed"}
    assert results["warnings"].str.contains("ConvergenceWarning").any()
    return results


@pytest.fixture(scope="module")
def loky_cli_results(tmp_path_factory):
    return run_cli(tmp_path_factory.mktemp("loky"), "--backend", "loky", "--n-jobs", "2")


# ---------------------------------------------------------------------------
# dask


@pytest.fixture(scope="module")
def dask_cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0"
    ) as cluster:
        yield cluster


def tasks_run_on(cluster, run):
    """The keys of the dask tasks the cluster ran during ``run()``."""
    from distributed import Client, get_task_stream

    with Client(cluster, set_as_default=False) as client, get_task_stream(client) as stream:
        run()
    return [task["key"] for task in stream.data]


def assert_one_dask_task_per_batch_of_benchmark_tasks(keys):
    # no other kind: scikit-learn's own joblib calls stay inside each task
    assert keys and all(key.startswith("batch_of__in_one_process_") for key in keys), keys


def test_dask_with_the_current_client_gives_the_loky_results(dask_cluster, loky_results):
    from distributed import Client

    results = []
    with Client(dask_cluster):  # the user's session: run_benchmark finds it
        keys = tasks_run_on(dask_cluster, lambda: results.append(run_grid(backend="dask")))
    assert_one_dask_task_per_batch_of_benchmark_tasks(keys)
    assert_same_results(results[0], loky_results)


def test_dask_cli_with_address_gives_the_loky_results(
    dask_cluster, loky_cli_results, tmp_path, capsys
):
    address = dask_cluster.scheduler_address
    results = []
    keys = tasks_run_on(
        dask_cluster,
        lambda: results.append(run_cli(tmp_path, "--backend", "dask", "--address", address)),
    )
    assert f"dask scheduler {address}: 2 workers" in capsys.readouterr().err
    assert_one_dask_task_per_batch_of_benchmark_tasks(keys)
    assert_same_results(results[0], loky_cli_results)


def test_dask_without_address_or_client_runs_on_a_local_cluster(loky_results, capsys):
    dask = pytest.importorskip("dask")
    pytest.importorskip("distributed")
    with dask.config.set({"scheduler-address": None}):  # as if DASK_SCHEDULER_ADDRESS were unset
        results = run_grid(backend="dask", n_jobs=2)
    err = capsys.readouterr().err
    assert "--backend dask without --address, DASK_SCHEDULER_ADDRESS or a current Client: " in err
    assert ": 2 workers" in err
    assert_same_results(results, loky_results)


def test_dask_address_nobody_answers_is_a_usage_error(tmp_path, capsys):
    dask = pytest.importorskip("dask")
    pytest.importorskip("distributed")
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        status = main(
            ["run", "--suite", "quick", "--datasets", "glass1", "--samplers", "none"]
            + ["--classifiers", "knn", "--out", str(tmp_path), "--quiet", "--no-report"]
            + ["--backend", "dask", "--address", "tcp://127.0.0.1:9"]
        )
    assert status == 2
    assert "--address tcp://127.0.0.1:9: no dask scheduler answered" in capsys.readouterr().err


# ---------------------------------------------------------------------------
# ray


def test_ray_without_address_runs_on_a_local_cluster(loky_results, capsys, monkeypatch):
    ray = pytest.importorskip("ray")
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    results = run_grid(backend="ray", n_jobs=2)
    err = capsys.readouterr().err
    assert "--backend ray without --address, RAY_ADDRESS or ray.init: a local cluster" in err
    assert ": 2 CPUs" in err
    assert not ray.is_initialized()  # the run stopped what it started
    assert_same_results(results, loky_results)


@pytest.fixture(scope="module")
def ray_head():
    pytest.importorskip("ray")
    head = subprocess.Popen(
        [sys.executable, "-c", RAY_HEAD], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        yield head.stdout.readline().strip()
    finally:
        head.stdin.close()
        head.wait(timeout=60)


def test_ray_cli_with_address_gives_the_loky_results(ray_head, loky_cli_results, tmp_path, capsys):
    import ray

    results = run_cli(tmp_path, "--backend", "ray", "--address", ray_head)
    assert f"ray cluster {ray_head}: 2 CPUs" in capsys.readouterr().err
    assert not ray.is_initialized()  # disconnected; the head runs on
    assert_same_results(results, loky_cli_results)
