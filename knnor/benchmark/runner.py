"""Run the benchmark grid: in parallel, resumable, with the same results whatever the order.

A task is one (dataset, sampler, repeat, fold); it scores every classifier
(see :func:`knnor.benchmark.protocol.run_fold`). Each finished task is cached
as a small JSON file under ``out_dir/cache/`` named by a hash of everything
its result depends on, so a run that stops (Ctrl-C, a lost node) resumes
where it stopped, and changing one sampler recomputes that sampler only
(:func:`knnor.benchmark.execution.run_tasks`, which every task's runner shares).
"""

import hashlib
import importlib.util
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import imblearn
import joblib
import numpy as np
import pandas as pd
import sklearn
from threadpoolctl import threadpool_limits

import knnor
from knnor.benchmark.classifiers import make_classifier
from knnor.benchmark.execution import BACKENDS, backend_params, run_tasks, write_outputs
from knnor.benchmark.protocol import (
    RESULT_COLUMNS,
    effective_n_splits,
    make_splits,
    run_fold,
    task_seed,
)
from knnor.benchmark.samplers import make_sampler
from knnor.benchmark.specs import parse_spec

__all__ = [  # BACKENDS and backend_params live in .execution
    "BACKENDS",
    "DEFAULT_CLASSIFIERS",
    "DEFAULT_SAMPLERS",
    "STRONG_FIELD",
    "VERSIONS",
    "backend_params",
    "describe_dataset",
    "fingerprint",
    "load_results",
    "run_benchmark",
]

DEFAULT_SAMPLERS = (
    "none",
    "RandomOverSampler",
    "SMOTE",
    "BorderlineSMOTE",
    "SVMSMOTE",
    "ADASYN",
    "KMeansSMOTE",
    "SMOTEENN",
    "SMOTETomek",
    "KNNOR",
)
STRONG_FIELD = (
    "sv:polynom_fit_SMOTE_star",
    "sv:ProWSyn",
    "sv:SMOTE_IPF",
    "sv:Lee",
    "sv:SMOBD",
)
"""smote-variants' top-ranked oversamplers, added by ``--strong-field``."""
DEFAULT_CLASSIFIERS = ("knn", "tree", "linear", "rbf_svm", "random_forest")

VERSIONS = {
    "knnor": knnor.__version__,
    "scikit-learn": sklearn.__version__,
    "imbalanced-learn": imblearn.__version__,
}
"""Library versions a cached result depends on; a new version recomputes."""


@dataclass
class _Prepared:
    """A dataset as the runner uses it: float features, its folds and identity."""

    name: str
    X: np.ndarray
    y: np.ndarray
    n_splits: int
    splits: list
    fingerprint: str
    columns: dict


def fingerprint(X, y):
    """Hash of the data, so a changed dataset under the same name is recomputed.

    Parameters
    ----------
    X : ndarray of float64
    y : ndarray

    Returns
    -------
    str
    """
    digest = hashlib.sha256(repr(X.shape).encode())
    digest.update(np.ascontiguousarray(X).tobytes())
    digest.update("\0".join(map(str, y)).encode())
    return digest.hexdigest()


def describe_dataset(name, X, y):
    """One line of ``datasets.csv``: size, classes, imbalance and missing values."""
    labels, counts = np.unique(y, return_counts=True)
    return {
        "dataset": name,
        "n_samples": len(y),
        "n_features": X.shape[1],
        "n_classes": len(labels),
        "imbalance_ratio": float(counts.max() / counts.min()),
        "class_counts": json.dumps({str(k): int(v) for k, v in zip(labels, counts, strict=True)}),
        "n_missing": int(np.isnan(X).sum()),
    }


def _prepare(datasets, n_splits, n_repeats, seed, max_samples):
    """Folds and identity of each dataset to run, and a line per dataset for datasets.csv."""
    prepared, summary = [], []
    for dataset in datasets:
        if any(dataset.name == p.name for p in prepared):
            raise ValueError(f"two datasets are named {dataset.name!r}")
        X, y = np.asarray(dataset.X, dtype=np.float64), np.asarray(dataset.y)
        info = describe_dataset(dataset.name, X, y)
        k, note = 0, ""
        if max_samples is not None and len(y) > max_samples:
            note = f"skipped: more than {max_samples} samples"
        else:
            try:
                k = effective_n_splits(y, n_splits)
            except ValueError as exc:
                note = f"skipped: {exc}"
        if k:
            columns = {name: info[name] for name in RESULT_COLUMNS[:4]}
            splits = make_splits(y, k, n_repeats, seed)
            prepared.append(_Prepared(dataset.name, X, y, k, splits, fingerprint(X, y), columns))
            if k < n_splits:
                note = f"{k} folds instead of {n_splits}: the smallest class has {k} members"
        if note:
            print(f"{dataset.name}: {note}", file=sys.stderr)
        summary.append({**info, "n_splits": k, "note": note})
    return prepared, summary


def _task_key(dataset, sampler, classifiers, repeat, fold, seed):
    """Hash of everything a task's rows depend on."""
    payload = [
        dataset.name,
        dataset.fingerprint,
        [sampler.name, sampler.params],
        [[c.label, c.name, c.params] for c in classifiers],
        repeat,
        fold,
        dataset.n_splits,
        seed,
        VERSIONS,
    ]
    text = json.dumps(payload, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:40]


def _run_task(index, X, y, train, test, sampler, classifiers):
    # One BLAS/OpenMP thread per task, in every backend: tasks are the unit of
    # parallelism, timings stay comparable, and results do not depend on n_jobs.
    with threadpool_limits(limits=1):
        return index, run_fold(X, y, train, test, sampler, classifiers)


def run_benchmark(
    datasets,
    samplers=DEFAULT_SAMPLERS,
    classifiers=DEFAULT_CLASSIFIERS,
    *,
    n_splits=5,
    n_repeats=2,
    seed=0,
    n_jobs=None,
    backend=None,
    address=None,
    out_dir=None,
    max_samples=None,
    progress=True,
):
    """Score every sampler with every classifier on every fold of every dataset.

    Parameters
    ----------
    datasets : iterable
        Objects with ``name``, ``X`` (float, NaN for missing) and ``y``, such
        as :class:`knnor.datasets.Dataset`.
    samplers, classifiers : sequence of str or Spec
        Specifications (see :mod:`knnor.benchmark.specs`); labels must be
        unique.
    n_splits, n_repeats, seed : int
        Repeated stratified k-fold. A dataset whose smallest class has fewer
        than ``n_splits`` members gets that many folds (recorded in
        ``datasets.csv``); one with a single-member class is skipped.
    n_jobs : int or None
        Tasks run at once (joblib's meaning: ``-1`` for all cores, ``None``
        for the backend's default: 1 locally, the whole cluster for dask/ray).
    backend, address : str or None
        See :func:`backend_params`.
    out_dir : path-like or None
        Where to write ``results.csv`` (and ``results.parquet`` when pyarrow
        is installed), ``datasets.csv``, ``run.json`` and the task cache.
        ``None``: nothing is written and nothing is resumed.
    max_samples : int or None
        Skip datasets with more rows (recorded in ``datasets.csv``).
    progress : bool
        Show a progress bar on stderr.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`~knnor.benchmark.protocol.RESULT_COLUMNS`, rows in the
        order dataset, sampler, repeat, fold, classifier, whatever ``n_jobs``.
    """
    samplers = [parse_spec(s) for s in samplers]
    classifiers = [parse_spec(c) for c in classifiers]
    for kind, specs in (("sampler", samplers), ("classifier", classifiers)):
        labels = [s.label for s in specs]
        if len(set(labels)) < len(labels):
            raise ValueError(f"{kind} labels must be unique, got {labels}")
    params = backend_params(backend, address)
    for spec in samplers:  # fail on a typo now, not once per task
        make_sampler(spec, 0)
    for spec in classifiers:
        make_classifier(spec, 0)

    prepared, summary = _prepare(datasets, n_splits, n_repeats, seed, max_samples)
    tasks = [
        (dataset, sampler, repeat, fold, train, test)
        for dataset in prepared
        for sampler in samplers
        for repeat, fold, train, test in dataset.splits
    ]

    def key(task):
        dataset, sampler, repeat, fold, _, _ = task
        return _task_key(dataset, sampler, classifiers, repeat, fold, seed)

    def call(index, task):
        dataset, sampler, repeat, fold, train, test = task
        random_state = task_seed(seed, repeat, fold)
        models = {c.label: make_classifier(c, random_state) for c in classifiers}
        estimator = make_sampler(sampler, random_state)
        return joblib.delayed(_run_task)(
            index, dataset.X, dataset.y, train, test, estimator, models
        )

    def identity(task):
        dataset, sampler, repeat, fold, _, _ = task
        return {**dataset.columns, "sampler": sampler.label, "repeat": repeat, "fold": fold}

    frame = run_tasks(
        tasks,
        key=key,
        call=call,
        identity=identity,
        columns=RESULT_COLUMNS,
        out_dir=out_dir,
        n_jobs=n_jobs,
        backend=backend,
        params=params,
        progress=progress,
    )
    # float whether or not a failure left a NaN, so every run has the same dtypes
    frame = frame.astype({"n_synthetic": "float64"})
    if out_dir is not None:
        run = {
            "samplers": [s.label for s in samplers],
            "sampler_specs": {s.label: [s.name, s.params] for s in samplers},
            "classifiers": [c.label for c in classifiers],
            "classifier_specs": {c.label: [c.name, c.params] for c in classifiers},
            "n_splits": n_splits,
            "n_repeats": n_repeats,
            "seed": seed,
            "versions": VERSIONS,
        }
        write_outputs(out_dir, frame, summary, run)
    return frame


def load_results(path):
    """Read results written by :func:`run_benchmark`.

    Parameters
    ----------
    path : path-like
        A results file (``.parquet`` or ``.csv``) or the directory holding
        one (parquet preferred: it keeps the dtypes).

    Returns
    -------
    pandas.DataFrame
    """
    path = Path(path)
    if path.is_dir():
        parquet = path / "results.parquet"
        usable = parquet.exists() and importlib.util.find_spec("pyarrow") is not None
        path = parquet if usable else path / "results.csv"
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    text = ["error", "warnings"]
    frame = pd.read_csv(path, dtype=dict.fromkeys(text, str))
    frame[text] = frame[text].fillna("")  # CSV writes "" and NaN alike
    return frame
