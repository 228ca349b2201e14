"""One fold of the benchmark, done the way an imbalanced-learn pipeline does it.

For each (dataset, sampler, repeat, fold), everything is fitted on the
training fold only: a median imputer (when the dataset has missing values),
a standard scaler, then the sampler; every classifier is fitted on the
resampled training fold and scored on the test fold transformed by the same
fitted imputer and scaler. This is ``make_pipeline(imputer, scaler, sampler,
classifier)`` with the resampling shared by the classifiers instead of redone
for each. The test fold never reaches the sampler, and synthetic points never
reach a test fold.
"""

import time
import warnings

import numpy as np
from imblearn.metrics import geometric_mean_score
from sklearn.impute import SimpleImputer
from sklearn.metrics import (
    average_precision_score,
    balanced_accuracy_score,
    precision_recall_fscore_support,
    roc_auc_score,
)
from sklearn.model_selection import RepeatedStratifiedKFold
from sklearn.preprocessing import StandardScaler, label_binarize

METRICS = [
    "f1",
    "gmean",
    "precision",
    "recall",
    "balanced_accuracy",
    "roc_auc",
    "average_precision",
]
"""Score columns; higher is better for all of them."""

RESULT_COLUMNS = [
    "dataset",
    "n_samples",
    "n_features",
    "imbalance_ratio",
    "sampler",
    "classifier",
    "repeat",
    "fold",
    "status",
    "error",
    *METRICS,
    "fit_resample_seconds",
    "n_synthetic",
    "n_train",
    "n_test",
    "warnings",
]
"""Columns of the tidy results, one row per dataset x sampler x classifier x repeat x fold."""


def effective_n_splits(y, n_splits):
    """Number of folds stratified k-fold can make: at most the smallest class size.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
    n_splits : int
        Requested number of folds.

    Returns
    -------
    int

    Raises
    ------
    ValueError
        If a class has a single member, which no stratified split can put in
        both a training and a test fold.
    """
    smallest = int(np.unique(y, return_counts=True)[1].min())
    if smallest < 2:
        raise ValueError("a class has a single member; stratified cross-validation needs two")
    return min(n_splits, smallest)


def make_splits(y, n_splits, n_repeats, seed):
    """Repeated stratified k-fold splits.

    Repeat ``r`` depends only on ``seed`` and the repeats before it, so adding
    repeats keeps the earlier folds (and their cached results).

    Parameters
    ----------
    y : array-like of shape (n_samples,)
    n_splits, n_repeats, seed : int

    Returns
    -------
    list of (repeat, fold, train_indices, test_indices)
    """
    cv = RepeatedStratifiedKFold(n_splits=n_splits, n_repeats=n_repeats, random_state=seed)
    return [
        (*divmod(i, n_splits), train, test)
        for i, (train, test) in enumerate(cv.split(np.zeros((len(y), 1)), y))
    ]


def task_seed(seed, repeat, fold):
    """The ``random_state`` given to the sampler and classifiers of one fold.

    It depends on the run seed, repeat and fold only, so every sampler sees
    the same seed on the same fold, and the result of a task does not depend
    on which worker runs it or when.

    Parameters
    ----------
    seed, repeat, fold : int

    Returns
    -------
    int in [0, 2**32)
    """
    return int(np.random.SeedSequence([seed, repeat, fold]).generate_state(1)[0])


def minority_class(y):
    """The smallest class (the first in sorted order on ties): the positive class."""
    classes, counts = np.unique(y, return_counts=True)
    return classes[np.argmin(counts)]


def classification_metrics(y_true, y_pred, scores, classes, positive):
    """Scores of one classifier on one test fold.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    scores : ndarray or None
        Binary: a score per sample, higher meaning more likely ``positive``.
        Multi-class: probabilities of shape (n_samples, n_classes) with
        columns in the order of ``classes``. ``None``: ranking metrics are NaN.
    classes : ndarray
        All labels of the dataset, sorted.
    positive : label
        The minority class, positive for binary F1, ROC AUC and AP.

    Returns
    -------
    dict
        ``f1``, ``precision`` and ``recall`` (of ``positive`` when binary,
        macro otherwise), ``gmean``, ``balanced_accuracy``, ``roc_auc`` and
        ``average_precision`` (macro one-vs-rest when multi-class).
    """
    binary = len(classes) == 2
    if binary:
        average = {"pos_label": positive, "average": "binary"}
    else:
        average = {"labels": classes, "average": "macro"}
    precision, recall, f1, _ = precision_recall_fscore_support(
        y_true, y_pred, zero_division=0.0, **average
    )
    metrics = {
        "f1": f1,
        "gmean": geometric_mean_score(y_true, y_pred, labels=classes),
        "precision": precision,
        "recall": recall,
        "balanced_accuracy": balanced_accuracy_score(y_true, y_pred),
        "roc_auc": np.nan,
        "average_precision": np.nan,
    }
    if scores is not None:
        if binary:
            truth = np.asarray(y_true) == positive
            metrics["roc_auc"] = roc_auc_score(truth, scores)
            metrics["average_precision"] = average_precision_score(truth, scores)
        else:
            metrics["roc_auc"] = roc_auc_score(
                y_true, scores, multi_class="ovr", average="macro", labels=classes
            )
            metrics["average_precision"] = average_precision_score(
                label_binarize(y_true, classes=classes), scores, average="macro"
            )
    return {name: float(value) for name, value in metrics.items()}


def ranking_scores(classifier, X, classes, positive):
    """Scores for ROC AUC and AP, from ``predict_proba`` else ``decision_function``.

    Parameters
    ----------
    classifier : fitted classifier
    X : ndarray
    classes : ndarray
        All labels of the dataset, sorted.
    positive : label

    Returns
    -------
    ndarray or None
        Binary: the minority class's score per sample. Multi-class: class
        probabilities in the order of ``classes`` (zero for a class the
        classifier never saw); ``None`` without ``predict_proba``.
    """
    seen = list(classifier.classes_)
    if hasattr(classifier, "predict_proba"):
        proba = classifier.predict_proba(X)
        if len(classes) == 2:
            return proba[:, seen.index(positive)]
        aligned = np.zeros((len(X), len(classes)))
        for column, label in enumerate(seen):
            aligned[:, np.searchsorted(classes, label)] = proba[:, column]
        return aligned
    if len(classes) == 2 and hasattr(classifier, "decision_function"):
        decision = classifier.decision_function(X)  # positive values mean classes_[1]
        return decision if seen[1] == positive else -decision
    return None


def preprocess(X, train, test):
    """Fit the imputer (if ``X`` has NaN) and the scaler on the training fold only.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features), float
    train, test : ndarray of int
        Row indices of the two folds.

    Returns
    -------
    X_train, X_test : ndarray
        Both transformed by the transformers fitted on ``X[train]``.
    """
    steps = [SimpleImputer(strategy="median")] if np.isnan(X).any() else []
    X_train, X_test = X[train], X[test]
    for step in [*steps, StandardScaler()]:
        X_train = step.fit_transform(X_train)
        X_test = step.transform(X_test)
    return X_train, X_test


def _describe(stage, kind, message):
    """``"stage: Type: message"`` on one line, so that a CSV row stays one line."""
    return f"{stage}: {kind.__name__}: {' '.join(str(message).split())}"


def _warning_texts(stage, caught):
    """Distinct warnings, in the order they were raised."""
    return list(dict.fromkeys(_describe(stage, w.category, w.message) for w in caught))


def run_fold(X, y, train, test, sampler, classifiers):
    """Resample one training fold and score every classifier on the test fold.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features), float
        The whole dataset; NaN marks a missing value.
    y : ndarray of shape (n_samples,)
    train, test : ndarray of int
        Row indices of the folds.
    sampler : object with ``fit_resample``
    classifiers : dict of str to classifier
        Label -> unfitted classifier; each is fitted in place.

    Returns
    -------
    list of dict
        One per classifier, with the keys of :data:`RESULT_COLUMNS` from
        ``classifier`` on, except ``repeat`` and ``fold``. ``status`` is
        ``"ok"`` or ``"failed"`` and ``error`` says which stage (preprocess,
        fit_resample, fit, predict, metrics) raised what: a sampler that
        raises fails the rows of every classifier, a classifier that raises
        fails its own row only. ``n_train`` counts the training
        fold before resampling; ``n_synthetic`` the rows the sampler added.
        Warnings are collected into ``warnings``, not shown.
    """
    classes = np.unique(y)
    positive = minority_class(y)
    y_train, y_test = y[train], y[test]
    unscored = dict.fromkeys(METRICS, np.nan)
    resampled = {"fit_resample_seconds": np.nan, "n_synthetic": np.nan}
    sizes = {"n_train": len(train), "n_test": len(test)}

    error, stage = "", "preprocess"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            X_train, X_test = preprocess(X, train, test)
            stage = "fit_resample"
            start = time.perf_counter()
            X_res, y_res = sampler.fit_resample(X_train, y_train)
            resampled["fit_resample_seconds"] = time.perf_counter() - start
            resampled["n_synthetic"] = len(y_res) - len(y_train)
        except Exception as exc:
            error = _describe(stage, type(exc), exc)
    sampler_warnings = _warning_texts("fit_resample", caught)

    rows = []
    for name, classifier in classifiers.items():
        row = {"classifier": name, "status": "failed", "error": error, **unscored}
        if not error:
            stage = "fit"
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    classifier.fit(X_res, y_res)
                    stage = "predict"
                    y_pred = classifier.predict(X_test)
                    scores = ranking_scores(classifier, X_test, classes, positive)
                    stage = "metrics"
                    row.update(classification_metrics(y_test, y_pred, scores, classes, positive))
                    row["status"] = "ok"
                except Exception as exc:
                    row["error"] = _describe(stage, type(exc), exc)
        texts = sampler_warnings + ([] if error else _warning_texts("classifier", caught))
        rows.append({**row, **resampled, **sizes, "warnings": " | ".join(texts)})
    return rows
