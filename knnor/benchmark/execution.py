"""How the tasks of a benchmark grid run: backends, the task cache, the parallel loop, outputs.

Shared by the classification (:mod:`.runner`), regression (:mod:`.regression_runner`)
and image (:mod:`.image_runner`) benchmarks: each builds its tasks, and
:func:`run_tasks` runs those not cached yet and gathers every task's rows.
"""

import contextlib
import importlib.util
import json
import os
import tempfile
from pathlib import Path

import joblib
import pandas as pd

from knnor.benchmark.progress import Progress

BACKENDS = ("loky", "threading", "dask", "ray")


def backend_params(backend=None, address=None):
    """Check that ``backend`` can run, and the parameters joblib needs for it.

    Called before any work so that a missing package fails the run at once.

    Parameters
    ----------
    backend : {"loky", "threading", "dask", "ray"} or None
        ``None`` keeps joblib's default (loky processes). With
        ``"threading"``, warnings may be attributed to the wrong task:
        Python's warning capture is process-wide.
    address : str or None
        Scheduler of an existing cluster: a dask scheduler address, or what
        ``ray.init(address=...)`` takes (``"auto"`` for the local Ray head).
        Without it, dask uses the current ``Client``.

    Returns
    -------
    dict
        Keyword arguments of :func:`joblib.parallel_config` besides ``backend``.

    Raises
    ------
    ImportError
        When the backend's package is missing, saying what to install.
    """
    params = {}
    if backend == "dask":
        if importlib.util.find_spec("distributed") is None:
            raise ImportError(
                "--backend dask needs dask.distributed: pip install 'dask[distributed]', "
                "then start a scheduler and pass its address with --address"
            )
        if address:
            params["scheduler_host"] = address
    elif backend == "ray":
        try:
            import ray
            from ray.util.joblib import register_ray
        except ImportError as exc:
            raise ImportError(
                f"--backend ray needs ray: pip install 'ray[default]' ({exc})"
            ) from None
        register_ray()
        if address and not ray.is_initialized():
            ray.init(address=address)
    elif backend not in (None, "loky", "threading"):
        raise ValueError(f"unknown backend {backend!r}; choose from {', '.join(BACKENDS)}")
    return params


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
    else computed (in parallel, by joblib) and written there atomically as
    soon as they arrive, so an interrupted run resumes where it stopped.

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

    bar = Progress(len(tasks), done=len(results), enabled=progress)
    # parallel_config applies when built (not when entered): build it here
    config = (
        joblib.parallel_config(backend, **(params or {})) if backend else contextlib.nullcontext()
    )
    with config:
        calls = (call(index, tasks[index]) for index in pending)
        finished = joblib.Parallel(n_jobs=n_jobs, return_as="generator_unordered")(calls)
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
