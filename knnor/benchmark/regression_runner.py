"""Run the regression benchmark grid: in parallel, resumable, order-independent.

A task is one (dataset, sampler, repeat, fold); it scores every regressor
(see :func:`knnor.benchmark.regression_protocol.run_regression_fold`). As in
:mod:`knnor.benchmark.runner` (both run their tasks with
:func:`knnor.benchmark.execution.run_tasks`), each finished task is cached as a JSON file
under ``out_dir/cache/`` named by a hash of everything its rows depend on, so
an interrupted run resumes where it stopped and changing one sampler
recomputes that sampler only.
"""

import hashlib
import importlib.util
import json
import sys
from dataclasses import dataclass

import joblib
import numpy as np
from threadpoolctl import threadpool_limits

from knnor.benchmark.execution import backend_params, run_tasks, write_outputs
from knnor.benchmark.protocol import task_seed
from knnor.benchmark.regression_protocol import (
    OPTIONAL_SAMPLERS,
    REGRESSION_RESULT_COLUMNS,
    SKIPPED_NO_EXTREMES,
    make_regression_sampler,
    make_regression_splits,
    make_regressor,
    parse_regression_spec,
    run_regression_fold,
)
from knnor.benchmark.runner import VERSIONS, fingerprint
from knnor.datasets._regression import boxplot_extremes

BASE_SAMPLERS = ("none", "random", "gaussian_noise", "smoter", "smogn", "knnor")
DEFAULT_REGRESSORS = ("ridge", "knn", "random_forest", "hist_gb")
PROTOCOL_VERSION = 1
"""Bumped when the regression protocol changes what a cached task holds."""


def default_regression_samplers():
    """The default field: :data:`BASE_SAMPLERS`, plus the optional wrappers that import.

    Returns
    -------
    list of str
        ``none, random, gaussian_noise, smoter, smogn, knnor``, then
        ``resreg_smoter``, ``resreg_wercs`` (with ``resreg``) and
        ``knnor_reg_003`` (with ``knnor-reg``) when their package is installed.
    """
    optional = [
        name
        for name, module in OPTIONAL_SAMPLERS.items()
        if importlib.util.find_spec(module) is not None
    ]
    return [*BASE_SAMPLERS, *optional]


@dataclass
class _Prepared:
    """A dataset as the runner uses it: float features, its folds and identity."""

    name: str
    X: np.ndarray
    y: np.ndarray
    splits: list
    fingerprint: str
    columns: dict


def describe_regression_dataset(name, X, y):
    """One line of ``datasets.csv``: size, target range, extremes and missing values."""
    low, high = boxplot_extremes(y)
    return {
        "dataset": name,
        "n_samples": len(y),
        "n_features": X.shape[1],
        "n_rare": int(low.sum() + high.sum()),
        "n_rare_low": int(low.sum()),
        "n_rare_high": int(high.sum()),
        "y_min": float(y.min()),
        "y_median": float(np.median(y)),
        "y_max": float(y.max()),
        "n_missing": int(np.isnan(X).sum()),
    }


def _labels(datasets):
    """Dataset labels: the name, or ``source:name`` when two sources share the name."""
    names = [d.name for d in datasets]
    return [
        f"{getattr(d, 'source', '')}:{d.name}" if names.count(d.name) > 1 else d.name
        for d in datasets
    ]


def _prepare(datasets, n_splits, n_repeats, seed, max_samples):
    datasets = list(datasets)
    prepared, summary = [], []
    for label, dataset in zip(_labels(datasets), datasets, strict=True):
        if any(label == p.name for p in prepared):
            raise ValueError(f"two datasets are named {label!r}")
        X = np.asarray(dataset.X, dtype=np.float64)
        y = np.asarray(dataset.y, dtype=np.float64)
        info = describe_regression_dataset(label, X, y)
        note = ""
        if max_samples is not None and len(y) > max_samples:
            note = f"skipped: more than {max_samples} samples"
        elif len(y) < n_splits:
            note = f"skipped: fewer rows than the {n_splits} folds"
        else:
            columns = {name: info[name] for name in REGRESSION_RESULT_COLUMNS[:4]}
            splits = make_regression_splits(len(y), n_splits, n_repeats, seed)
            prepared.append(_Prepared(label, X, y, splits, fingerprint(X, y), columns))
        if note:
            print(f"{label}: {note}", file=sys.stderr)
        summary.append({**info, "n_splits": 0 if note else n_splits, "note": note})
    return prepared, summary


def _task_key(dataset, sampler, regressors, repeat, fold, n_splits, seed):
    """Hash of everything a task's rows depend on."""
    payload = [
        "regression",
        PROTOCOL_VERSION,
        dataset.name,
        dataset.fingerprint,
        [sampler.name, sampler.params],
        [[r.label, r.name, r.params] for r in regressors],
        repeat,
        fold,
        n_splits,
        seed,
        VERSIONS,
    ]
    text = json.dumps(payload, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:40]


def _run_task(index, X, y, train, test, sampler, regressors, random_state):
    # One BLAS/OpenMP thread per task: tasks are the unit of parallelism.
    with threadpool_limits(limits=1):
        return index, run_regression_fold(X, y, train, test, sampler, regressors, random_state)


def run_regression_benchmark(
    datasets,
    samplers=None,
    regressors=DEFAULT_REGRESSORS,
    *,
    n_splits=5,
    n_repeats=2,
    seed=0,
    n_jobs=1,
    backend=None,
    address=None,
    out_dir=None,
    max_samples=None,
    progress=True,
):
    """Score every regression sampler with every regressor on every fold of every dataset.

    Parameters
    ----------
    datasets : iterable
        Objects with ``name``, ``X`` (float, NaN for missing) and ``y`` (float),
        such as :class:`knnor.datasets.RegressionDataset`. Two datasets of
        different sources sharing a name are labelled ``source:name``.
    samplers : sequence of str or Spec, or None
        Specifications (:func:`~knnor.benchmark.regression_protocol.parse_regression_spec`,
        e.g. ``"knnor:target_tolerance=0.5"``); labels must be unique. ``None``:
        :func:`default_regression_samplers`.
    regressors : sequence of str or Spec, default=DEFAULT_REGRESSORS
    n_splits, n_repeats, seed : int
        Repeated k-fold (:func:`~knnor.benchmark.regression_protocol.make_regression_splits`).
        The sampler and regressors of a fold get
        :func:`~knnor.benchmark.protocol.task_seed` ``(seed, repeat, fold)``.
    n_jobs : int or None, default=1
        Tasks run at once (joblib's meaning).
    backend, address : str or None
        See :func:`knnor.benchmark.runner.backend_params`.
    out_dir : path-like or None
        Where to write ``results.csv`` (and ``results.parquet`` with pyarrow),
        ``datasets.csv``, ``run.json`` and the task cache. ``None``: nothing
        is written and nothing is resumed.
    max_samples : int or None
        Skip datasets with more rows (recorded in ``datasets.csv``).
    progress : bool, default=True
        Show a progress bar on stderr.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`~knnor.benchmark.regression_protocol.REGRESSION_RESULT_COLUMNS`,
        rows in the order dataset, sampler, repeat, fold, regressor, whatever ``n_jobs``.
    """
    samplers = default_regression_samplers() if samplers is None else samplers
    samplers = [parse_regression_spec(s) for s in samplers]
    regressors = [parse_regression_spec(r) for r in regressors]
    for kind, specs in (("sampler", samplers), ("regressor", regressors)):
        labels = [s.label for s in specs]
        if len(set(labels)) < len(labels):
            raise ValueError(f"{kind} labels must be unique, got {labels}")
        if not specs:
            raise ValueError(f"no {kind} to run")
    params = backend_params(backend, address)
    for spec in samplers:  # fail on a typo now, not once per task
        try:
            make_regression_sampler(spec, 0)
        except ImportError:
            pass  # a missing optional package fails that sampler's rows only
    for spec in regressors:
        make_regressor(spec, 0)

    prepared, summary = _prepare(datasets, n_splits, n_repeats, seed, max_samples)
    tasks = [
        (dataset, sampler, repeat, fold, train, test)
        for dataset in prepared
        for sampler in samplers
        for repeat, fold, train, test in dataset.splits
    ]

    def key(task):
        dataset, sampler, repeat, fold, _, _ = task
        return _task_key(dataset, sampler, regressors, repeat, fold, n_splits, seed)

    def call(index, task):
        dataset, sampler, repeat, fold, train, test = task
        random_state = task_seed(seed, repeat, fold)
        return joblib.delayed(_run_task)(
            index, dataset.X, dataset.y, train, test, sampler, regressors, random_state
        )

    def identity(task):
        dataset, sampler, repeat, fold, _, _ = task
        return {**dataset.columns, "sampler": sampler.label, "repeat": repeat, "fold": fold}

    frame = run_tasks(
        tasks,
        key=key,
        call=call,
        identity=identity,
        columns=REGRESSION_RESULT_COLUMNS,
        out_dir=out_dir,
        n_jobs=n_jobs,
        backend=backend,
        params=params,
        progress=progress,
    )
    counts = ["n_synthetic", "n_rare_train", "n_rare_test"]
    frame = frame.astype(dict.fromkeys(counts, "float64"))
    if out_dir is not None:
        run = {
            "task": "regression",
            "samplers": [s.label for s in samplers],
            "sampler_specs": {s.label: [s.name, s.params] for s in samplers},
            "regressors": [r.label for r in regressors],
            "regressor_specs": {r.label: [r.name, r.params] for r in regressors},
            "n_splits": n_splits,
            "n_repeats": n_repeats,
            "seed": seed,
            "skipped_status": SKIPPED_NO_EXTREMES,
            "versions": VERSIONS,
        }
        write_outputs(out_dir, frame, summary, run)
    return frame
