"""How the tasks of a benchmark grid run: backends, the task cache, the parallel loop, outputs.

Shared by the classification (:mod:`.runner`), regression (:mod:`.regression_runner`)
and image (:mod:`.image_runner`) benchmarks: each builds its tasks, and
:func:`run_tasks` runs those not cached yet and gathers every task's rows.
"""

import contextlib
import importlib.util
import json
import os
import sys
import tempfile
from pathlib import Path

import joblib
import pandas as pd

from knnor.benchmark.progress import Progress

BACKENDS = ("loky", "threading", "dask", "ray")
CLUSTER_BACKENDS = {
    "dask": ("distributed", "pip install 'dask[distributed]'"),
    "ray": ("ray", "pip install 'ray[default]'"),
}
"""The backends that run on a cluster: the module each needs, and how to install it."""


def backend_params(backend=None, address=None):
    """Check that ``backend`` can run, and what :func:`run_tasks` needs to reach it.

    Called before any work so that a missing package fails the run at once.

    Parameters
    ----------
    backend : {"loky", "threading", "dask", "ray"} or None
        ``None`` keeps joblib's default (loky processes). With
        ``"threading"``, warnings may be attributed to the wrong task:
        Python's warning capture is process-wide.
    address : str or None
        Scheduler of an existing cluster: a dask scheduler address
        (``tcp://host:8786``), or what ``ray.init(address=...)`` takes
        (``"auto"`` for the cluster ``ray start`` started on this machine).
        Without it, dask uses ``DASK_SCHEDULER_ADDRESS`` or the current
        ``distributed.Client``, and ray ``RAY_ADDRESS`` or the current
        ``ray.init``; failing that, the run starts a local cluster of
        ``n_jobs`` worker processes (one thread each) and stops it at the end.

    Returns
    -------
    dict
        Passed on to :func:`run_tasks` as ``params``.

    Raises
    ------
    ImportError
        When the backend's package is missing, saying what to install.
    ValueError
        For an unknown backend, or an address without a cluster backend.
    """
    if backend in CLUSTER_BACKENDS:
        module, install = CLUSTER_BACKENDS[backend]
        if importlib.util.find_spec(module) is None:
            raise ImportError(
                f"--backend {backend} needs {module}, which is not installed: {install}"
            )
        return {"address": address}
    if backend not in (None, "loky", "threading"):
        raise ValueError(f"unknown backend {backend!r}; choose from {', '.join(BACKENDS)}")
    if address:
        raise ValueError(
            f"--address {address} is the scheduler of a cluster: add --backend dask or "
            "--backend ray"
        )
    return {}


def _local_workers(n_jobs):
    """Worker processes of a local cluster: ``n_jobs`` as joblib counts (None: all cores)."""
    cores = joblib.cpu_count()
    if n_jobs is None:
        return cores
    return n_jobs if n_jobs > 0 else max(1, cores + 1 + n_jobs)


def _say(text):
    """One line on stderr: where a cluster run goes, so a wrong cluster is seen at once."""
    print(text, file=sys.stderr, flush=True)


@contextlib.contextmanager
def _dask_client(address, n_jobs):
    """A ``distributed.Client`` for the run: ``address``'s, the current one, or a local one."""
    import dask
    from distributed import Client, LocalCluster, get_client

    address = address or dask.config.get("scheduler-address", None)  # DASK_SCHEDULER_ADDRESS
    if address:
        try:
            client = Client(address, set_as_default=False)
        except OSError as exc:
            raise OSError(f"--address {address}: no dask scheduler answered ({exc})") from None
        with client:
            yield client
        return
    try:
        client = get_client()
    except ValueError:
        client = None
    if client is not None:
        yield client
        return
    # one thread per worker: warning capture and BLAS limits are process-wide
    with (
        LocalCluster(
            n_workers=_local_workers(n_jobs),
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
        ) as cluster,
        Client(cluster, set_as_default=False) as client,
    ):
        _say(
            "--backend dask without --address, DASK_SCHEDULER_ADDRESS or a current Client: "
            "a local cluster for this run"
        )
        yield client


def _describe_dask(client):
    threads = client.nthreads()
    _say(f"dask scheduler {client.scheduler.address}: {len(threads)} workers")
    if any(n > 1 for n in threads.values()):
        _say(
            "dask workers run several threads: a warning may be recorded on another task's "
            "row (start them with --nthreads 1)"
        )


def _in_one_process(function, *args, **kwargs):
    """Run a task where it landed, its own joblib calls (scikit-learn's) sequential.

    Inside a dask task joblib would send them back to the cluster as tasks of their
    own; a loky or ray worker runs them in place.
    """
    with joblib.parallel_config(backend="sequential"):
        return function(*args, **kwargs)


@contextlib.contextmanager
def _ray_pool(address, n_jobs):
    """One ray actor per CPU of the cluster: ``address``'s, the current or a local one."""
    import ray
    from ray.util.multiprocessing import Pool

    address = address or os.environ.get("RAY_ADDRESS")
    connected_here = not ray.is_initialized()
    if connected_here and address:
        try:
            ray.init(address=address)
        except ConnectionError as exc:
            raise OSError(f"--address {address}: no ray cluster answered ({exc})") from None
    elif connected_here:
        _say(
            "--backend ray without --address, RAY_ADDRESS or ray.init: a local cluster for "
            "this run"
        )
        # "local": a new instance, not one `ray start` left running on this machine
        ray.init(address="local", num_cpus=_local_workers(n_jobs), include_dashboard=False)
    try:
        cpus = int(ray.cluster_resources().get("CPU", 0))
        _say(f"ray cluster {ray.get_runtime_context().gcs_address}: {cpus} CPUs")
        with Pool() as pool:
            yield pool
    finally:
        if connected_here:
            ray.shutdown()


def _apply(delayed_call):
    function, args, kwargs = delayed_call
    return function(*args, **kwargs)


@contextlib.contextmanager
def _as_completed(calls, *, n_jobs, backend, params):
    """The results of ``calls`` (``joblib.delayed`` triples), in the order they finish.

    loky, threading and dask run through joblib. Ray's joblib backend cannot
    hand results over as they finish (nothing would be cached or counted
    before the last task), so ray runs the calls on its own process pool.
    """
    address = (params or {}).get("address")
    if backend == "ray":
        with _ray_pool(address, n_jobs) as pool:
            yield pool.imap_unordered(_apply, calls)
    elif backend == "dask":
        # joblib's dask backend uses every worker of the cluster, whatever n_jobs;
        # the arguments stay top-level so that it sends each dataset once
        alone = (joblib.delayed(_in_one_process)(f, *args, **kwargs) for f, args, kwargs in calls)
        with _dask_client(address, n_jobs) as client:
            _describe_dask(client)
            with joblib.parallel_config("dask", client=client):
                yield joblib.Parallel(return_as="generator_unordered")(alone)
    else:
        with joblib.parallel_config(backend) if backend else contextlib.nullcontext():
            yield joblib.Parallel(n_jobs=n_jobs, return_as="generator_unordered")(calls)


def _read_cache(path):
    try:
        return json.loads(path.read_text())["rows"]
    except (OSError, ValueError, KeyError, TypeError):
        return None  # absent or unreadable: recompute


def _write_atomic(path, text):
    """Write ``text`` to ``path`` so that a reader never sees a partial file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(handle, "w") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def run_tasks(
    tasks,
    *,
    key,
    call,
    identity,
    columns,
    out_dir=None,
    n_jobs=None,
    backend=None,
    params=None,
    progress=True,
):
    """Run the tasks of a benchmark grid that are not cached yet; return every task's rows.

    The execution loop of every task (classification, regression, images):
    each task's rows are read from ``out_dir/cache/<key>.json`` when there,
    else computed (in parallel, on the backend of :func:`backend_params`) and
    written there atomically as soon as they arrive, so an interrupted run
    resumes where it stopped.

    Parameters
    ----------
    tasks : list
        The tasks, in the order of the rows returned.
    key : callable
        ``key(task)``: a hash of everything the task's rows depend on.
    call : callable
        ``call(index, task)``: a ``joblib.delayed`` call returning
        ``(index, rows)``; built lazily, for the pending tasks only.
    identity : callable
        ``identity(task)``: the columns every row of the task starts with.
    columns : list of str
        Columns of the frame.
    out_dir : path-like or None
        Where the cache lives; ``None``: no cache.
    n_jobs : int or None
        Tasks at once (joblib's meaning). With dask or ray, the number of
        worker processes of the local cluster started when there is no other;
        an existing cluster is used whole.
    backend : str or None
    params : dict or None
        From :func:`backend_params`.
    progress : bool

    Returns
    -------
    pandas.DataFrame
        One row per row of each task, tasks in order, whatever ``n_jobs``.
    """
    cache = Path(out_dir, "cache") if out_dir is not None else None
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
    paths, results, pending = [], {}, []
    for index, task in enumerate(tasks):
        paths.append(cache / f"{key(task)}.json" if cache is not None else None)
        rows = _read_cache(paths[-1]) if cache is not None else None
        if rows is None:
            pending.append(index)
        else:
            results[index] = rows

    calls = (call(index, tasks[index]) for index in pending)
    cluster = (  # a fully cached run starts no cluster
        _as_completed(calls, n_jobs=n_jobs, backend=backend, params=params)
        if pending
        else contextlib.nullcontext(())
    )
    with cluster as finished:  # the bar starts once the cluster has said where it runs
        bar = Progress(len(tasks), done=len(results), enabled=progress)
        for index, rows in finished:
            if cache is not None:
                _write_atomic(paths[index], json.dumps({"rows": rows}))
            results[index] = rows
            bar.update()
    bar.close()

    records = [
        {**identity(task), **row} for index, task in enumerate(tasks) for row in results[index]
    ]
    return pd.DataFrame.from_records(records, columns=columns)


def write_outputs(out_dir, frame, summary, run):
    """Write results.csv (and results.parquet with pyarrow), datasets.csv and run.json.

    Parameters
    ----------
    out_dir : path-like
    frame : pandas.DataFrame
        The results.
    summary : list of dict
        One line per dataset.
    run : dict
        What was run, as JSON.
    """
    out_dir = Path(out_dir)
    frame.to_csv(out_dir / "results.csv", index=False)
    if importlib.util.find_spec("pyarrow") is not None:
        frame.to_parquet(out_dir / "results.parquet", index=False)
    pd.DataFrame(summary).to_csv(out_dir / "datasets.csv", index=False)
    (out_dir / "run.json").write_text(json.dumps(run, indent=2, default=str) + "\n")
