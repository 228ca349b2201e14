"""One fold of the regression benchmark, leak-free like the classification one.

For each (dataset, sampler, repeat, fold), everything is fitted on the
training fold only: the median imputer (when the dataset has missing values)
and the standard scaler of :func:`knnor.benchmark.protocol.preprocess`, the
relevance function phi (box-plot extremes of the *training* targets), then the
sampler; every regressor is fitted on the resampled training fold and scored on
the test fold with every metric of
:data:`~knnor.benchmark.regression_metrics.REGRESSION_METRICS`, all computed
with the training fold's phi. The test targets never shape phi, the test fold
never reaches the sampler, and synthetic rows never reach a test fold.

A training fold whose targets have no box-plot extremes has nothing rare: its
rows get the status ``"skipped: no extremes in training fold"`` for every
sampler alike, and the report leaves them out.
"""

import json
import re
import time
import warnings
from functools import partial

import numpy as np
from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor
from sklearn.linear_model import Ridge
from sklearn.model_selection import RepeatedKFold
from sklearn.neighbors import KNeighborsRegressor

from knnor._relevance import box_plot_control_points, relevance_function
from knnor.benchmark.protocol import _describe, _warning_texts, preprocess
from knnor.benchmark.regression_metrics import REGRESSION_METRICS
from knnor.benchmark.regression_samplers import REGRESSION_SAMPLERS
from knnor.benchmark.specs import Spec, instantiate, parse_spec, resolve
from knnor.regression import KNNORReg

REGRESSION_METRIC_NAMES = list(REGRESSION_METRICS)
"""Metric columns of the results, in :data:`REGRESSION_METRICS` order."""

RARE_THRESHOLD = 0.8
"""Relevance from which a target is rare (the metrics' and samplers' default)."""

SKIPPED_NO_EXTREMES = "skipped: no extremes in training fold"
"""Status of every row of a fold whose training targets have no box-plot extremes."""

REGRESSORS = {
    "ridge": Ridge,
    "knn": KNeighborsRegressor,
    "random_forest": partial(RandomForestRegressor, n_estimators=100, n_jobs=1),
    "hist_gb": HistGradientBoostingRegressor,
}
"""Built-in regressors: name -> factory taking ``random_state`` (when it has one) and params."""

SAMPLERS = {**REGRESSION_SAMPLERS, "knnor": KNNORReg}
"""Regression samplers of the benchmark: the baselines plus ``"knnor"`` (:class:`KNNORReg`)."""

OPTIONAL_SAMPLERS = {
    "resreg_smoter": "resreg",
    "resreg_wercs": "resreg",
    "knnor_reg_003": "knnor_reg",
}
"""Samplers wrapping an optional package: name -> the module they import."""

REGRESSION_RESULT_COLUMNS = [
    "dataset",
    "n_samples",
    "n_features",
    "n_rare",
    "sampler",
    "regressor",
    "repeat",
    "fold",
    "status",
    "error",
    *REGRESSION_METRIC_NAMES,
    "fit_resample_seconds",
    "fit_seconds",
    "predict_seconds",
    "n_synthetic",
    "n_train",
    "n_test",
    "n_rare_train",
    "n_rare_test",
    "warnings",
]
"""Columns of the tidy results, one row per dataset x sampler x regressor x repeat x fold.

``n_rare`` counts the dataset's box-plot extremes (descriptive only);
``n_rare_train`` and ``n_rare_test`` the rows of each fold whose target has a
training-fold relevance of at least :data:`RARE_THRESHOLD`.
"""

_COMPACT = re.compile(
    r"^(?:(?P<label>[^=:{]+)=)?(?P<name>[A-Za-z_][\w-]*):(?P<params>[A-Za-z_]\w*=[^{]*)$"
)


#: Python's spellings of the JSON constants, as users type them on a command line.
_PYTHON_CONSTANTS = {"True": True, "False": False, "None": None}


def _value(text):
    """A parameter value of the compact form: JSON or a Python constant
    (``True``, ``False``, ``None``) when it parses, else the string."""
    if text in _PYTHON_CONSTANTS:
        return _PYTHON_CONSTANTS[text]
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def parse_regression_spec(text, registry=None):
    """Parse a sampler or regressor specification, also in the compact form ``name:k=v``.

    Besides :func:`knnor.benchmark.specs.parse_spec`'s ``[label=]name[{json}]``
    (e.g. ``knnor{"target_tolerance": 0.5}``), a registry key may be followed by
    ``:key=value`` pairs separated by ``:``, e.g. ``knnor:target_tolerance=0.5``
    or ``lbl=knnor:n_neighbors=5:target_tolerance=0.5``; values are read as
    JSON when they parse (numbers, ``true``, ``null``), as Python's ``True``,
    ``False`` and ``None``, and as strings otherwise.
    Both forms give the same :class:`~knnor.benchmark.specs.Spec`, hence the
    same default label (``knnor{"target_tolerance":0.5}``) and cached results.
    ``"package.module:ClassName"`` import paths keep their meaning.

    Parameters
    ----------
    text : str or Spec
    registry : dict or None
        Names the compact form accepts; default: :data:`SAMPLERS` and
        :data:`REGRESSORS`.

    Returns
    -------
    Spec
    """
    if isinstance(text, Spec):
        return text
    registry = {**SAMPLERS, **REGRESSORS} if registry is None else registry
    match = _COMPACT.match(text.strip())
    if match is None or match["name"] not in registry:
        return parse_spec(text)
    params = {}
    for pair in match["params"].split(":"):
        key, equals, value = pair.partition("=")
        if not equals or not key.strip().isidentifier():
            raise ValueError(f"expected key=value pairs after {match['name']!r} in {text!r}")
        params[key.strip()] = _value(value.strip())
    return Spec(name=match["name"], params=params, label=(match["label"] or "").strip())


def make_regression_sampler(spec, random_state):
    """Build the regression sampler a specification names.

    Parameters
    ----------
    spec : str or Spec
        A key of :data:`SAMPLERS` or ``"package.module:ClassName"``, with
        parameters as JSON or in the compact form (:func:`parse_regression_spec`).
    random_state : int

    Returns
    -------
    object with ``fit_resample``

    Raises
    ------
    ImportError
        From a sampler whose optional package is missing.
    """
    spec = parse_regression_spec(spec)
    return instantiate(resolve(spec.name, SAMPLERS, "sampler"), spec.params, random_state)


def make_regressor(spec, random_state):
    """Build the regressor a specification names (a key of :data:`REGRESSORS`, or a path)."""
    spec = parse_regression_spec(spec)
    return instantiate(resolve(spec.name, REGRESSORS, "regressor"), spec.params, random_state)


def make_regression_splits(n, n_splits=5, n_repeats=2, seed=0):
    """Repeated k-fold splits of ``n`` rows (not stratified: the target is continuous).

    Repeat ``r`` depends only on ``seed`` and the repeats before it, so adding
    repeats keeps the earlier folds (and their cached results).

    Parameters
    ----------
    n, n_splits, n_repeats, seed : int

    Returns
    -------
    list of (repeat, fold, train_indices, test_indices)
    """
    cv = RepeatedKFold(n_splits=n_splits, n_repeats=n_repeats, random_state=seed)
    return [
        (*divmod(i, n_splits), train, test)
        for i, (train, test) in enumerate(cv.split(np.zeros((n, 1))))
    ]


def training_relevance(y_train):
    """The relevance phi of a training fold: box-plot extremes of its targets.

    Parameters
    ----------
    y_train : array-like of shape (n,)

    Returns
    -------
    RelevanceFunction or None
        ``None`` when ``y_train`` has no box-plot extremes (nothing is rare).

    Raises
    ------
    ValueError
        When the box plot cannot place a control point (see
        :func:`knnor._relevance.box_plot_control_points`).
    """
    points = box_plot_control_points(y_train)
    return relevance_function(points) if len(points) > 1 else None


def regression_metrics(y_true, y_pred, phi):
    """Every metric of :data:`REGRESSION_METRICS` of one prediction, as floats."""
    return {name: float(fn(y_true, y_pred, phi)) for name, (fn, _) in REGRESSION_METRICS.items()}


def _build(spec_or_model, make, seed):
    """An estimator given as such, or built from its specification with ``seed``."""
    if isinstance(spec_or_model, (str, Spec)):
        return make(spec_or_model, seed)
    return spec_or_model


def run_regression_fold(X, y, train, test, sampler, regressors, seed=None):
    """Resample one training fold and score every regressor on the test fold.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features), float
        The whole dataset; NaN marks a missing value.
    y : ndarray of shape (n_samples,), float
    train, test : ndarray of int
        Row indices of the folds.
    sampler : object with ``fit_resample``, str or Spec
        A specification is built with ``random_state=seed`` inside the fold, so
        that a sampler whose optional package is missing fails its rows only.
    regressors : dict of str to regressor (or specification), or sequence of specs
        Label -> unfitted regressor, fitted in place; a specification is built
        with ``random_state=seed``. A sequence of specifications is labelled
        by their labels.
    seed : int or None
        ``random_state`` of what is built here.

    Returns
    -------
    list of dict
        One per regressor, with the keys of :data:`REGRESSION_RESULT_COLUMNS`
        from ``regressor`` on, except ``repeat`` and ``fold``. ``status`` is
        ``"ok"``, ``"failed"`` (``error`` says which stage -- relevance,
        sampler, preprocess, fit_resample, regressor, fit, predict, metrics --
        raised what: a failing sampler fails the rows of every regressor, a
        failing regressor its own row only) or :data:`SKIPPED_NO_EXTREMES`
        (nothing is run). Warnings are collected into ``warnings``.
    """
    if not isinstance(regressors, dict):
        regressors = {parse_regression_spec(spec).label: spec for spec in regressors}
    y = np.asarray(y, dtype=np.float64)
    y_train, y_test = y[train], y[test]
    unscored = dict.fromkeys(REGRESSION_METRIC_NAMES, np.nan)
    timed = dict.fromkeys(["fit_resample_seconds", "n_synthetic"], np.nan)
    sizes = {"n_train": len(train), "n_test": len(test)}
    rare = dict.fromkeys(["n_rare_train", "n_rare_test"], np.nan)

    error, status, stage = "", "failed", "relevance"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            phi = training_relevance(y_train)
            if phi is None:
                status = SKIPPED_NO_EXTREMES
            else:
                rare["n_rare_train"] = int(np.sum(phi(y_train) >= RARE_THRESHOLD))
                rare["n_rare_test"] = int(np.sum(phi(y_test) >= RARE_THRESHOLD))
                stage = "sampler"
                estimator = _build(sampler, make_regression_sampler, seed)
                stage = "preprocess"
                X_train, X_test = preprocess(np.asarray(X, dtype=np.float64), train, test)
                stage = "fit_resample"
                start = time.perf_counter()
                X_res, y_res = estimator.fit_resample(X_train, y_train)
                timed["fit_resample_seconds"] = time.perf_counter() - start
                timed["n_synthetic"] = len(y_res) - len(y_train)
        except Exception as exc:
            error = _describe(stage, type(exc), exc)
    sampler_warnings = _warning_texts("fit_resample", caught)
    usable = not error and status != SKIPPED_NO_EXTREMES

    rows = []
    for name, regressor in regressors.items():
        row = {"regressor": name, "status": status, "error": error, **unscored}
        row |= dict.fromkeys(["fit_seconds", "predict_seconds"], np.nan)
        caught = []
        if usable:
            stage = "regressor"
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    model = _build(regressor, make_regressor, seed)
                    stage = "fit"
                    start = time.perf_counter()
                    model.fit(X_res, y_res)
                    row["fit_seconds"] = time.perf_counter() - start
                    stage = "predict"
                    start = time.perf_counter()
                    y_pred = np.asarray(model.predict(X_test), dtype=np.float64)
                    row["predict_seconds"] = time.perf_counter() - start
                    stage = "metrics"
                    row.update(regression_metrics(y_test, y_pred, phi))
                    row["status"] = "ok"
                except Exception as exc:
                    row["error"] = _describe(stage, type(exc), exc)
        texts = sampler_warnings + _warning_texts("regressor", caught)
        rows.append({**row, **timed, **sizes, **rare, "warnings": " | ".join(texts)})
    return rows
