"""One task of the image benchmark: resample a long-tailed training set, test on a balanced one.

The protocol of the long-tailed image literature (CIFAR-10-LT, LDAM-DRW,
DeepSMOTE): a balanced test set is held out first, the same number of images
of every class; a long-tailed training set is drawn from the rest with the
exponential profile of :func:`knnor.datasets.long_tail_indices` (head: the
first label). Each sampler resamples the training images only; every
classifier -- a pipeline that flattens the images
(:class:`knnor.image.FlattenImages`), divides the pixels by the dataset's
largest pixel value (a constant: nothing is fitted on the test set) and fits
the model -- is trained on the resampled set and scored on the test set.

Metrics (higher is better; the test set is balanced, so accuracy is ACSA):
``balanced_accuracy`` (ACSA, the average class-specific accuracy: the mean of
the per-class recalls), ``gmean`` (the geometric mean of the per-class
recalls; 0 as soon as one class is never recognised) and ``macro_f1``.

Two statuses besides ``"ok"`` and ``"failed"``:

- :data:`TOO_SMALL`: the sampler needs ``k + 1`` images of every class it
  over-samples (:func:`~knnor.benchmark.image_samplers.min_class_size`) and a
  class of the long-tailed draw has fewer (e.g. digits at IR 100: its tail
  class keeps 1 image). The sampler is not run; ``error`` names the class.
- ``class_weight`` rows say in ``weighting`` how the classifier weighed the
  classes: ``class_weight`` (its ``class_weight="balanced"``: logistic
  regression), ``sample_weight`` (balanced weights passed to ``fit``: the
  MLP) or ``none``: k-NN takes neither, so its row is that of ``none``.
"""

import inspect
import time
import warnings
from functools import partial

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, recall_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils.class_weight import compute_sample_weight

from knnor.benchmark.image_samplers import make_image_sampler, min_class_size, too_small_classes
from knnor.benchmark.protocol import _describe, _warning_texts
from knnor.benchmark.specs import Spec, instantiate, parse_spec, resolve

IMAGE_METRICS = ["balanced_accuracy", "gmean", "macro_f1"]
"""Score columns, higher is better for each."""

TOO_SMALL = "too small"
"""Status of a row whose sampler needs more images of a class than the draw kept."""

IMAGE_CLASSIFIERS = {
    "logistic": partial(LogisticRegression, max_iter=300),
    "knn": KNeighborsClassifier,
    "mlp": partial(MLPClassifier, hidden_layer_sizes=(64,), max_iter=100, early_stopping=False),
}
"""Built-in classifiers: name -> factory taking ``random_state`` (when it has one) and params.

Small on purpose: the benchmark compares samplers, not models. The MLP has
one hidden layer of 64 units and 100 epochs (convergence warnings are
recorded in ``warnings``)."""

IMAGE_RESULT_COLUMNS = [
    "dataset",
    "imbalance_ratio",
    "sampler",
    "classifier",
    "repeat",
    "status",
    "error",
    *IMAGE_METRICS,
    "fit_resample_seconds",
    "fit_seconds",
    "n_synthetic",
    "n_train",
    "n_test",
    "n_head",
    "n_tail",
    "weighting",
    "warnings",
]
"""Columns of the tidy results, one row per dataset x IR x repeat x sampler x classifier.

``n_train`` counts the long-tailed training set before resampling, ``n_head``
and ``n_tail`` its first and last class, ``n_synthetic`` the images the
sampler added."""


def _to_unit(X, pixel_max):
    return np.asarray(X, dtype=np.float64) / pixel_max


def make_image_classifier(spec, random_state, pixel_max=255):
    """The pipeline of a classifier specification: flatten, scale to [0, 1], classify.

    Parameters
    ----------
    spec : str or Spec
        A key of :data:`IMAGE_CLASSIFIERS` or ``"package.module:ClassName"``,
        optionally with JSON parameters and a label.
    random_state : int
    pixel_max : int or float, default=255
        The pixels are divided by it.

    Returns
    -------
    sklearn.pipeline.Pipeline
        Steps ``flatten``, ``scale`` and ``model``.
    """
    from knnor.image import FlattenImages

    spec = parse_spec(spec)
    model = instantiate(
        resolve(spec.name, IMAGE_CLASSIFIERS, "classifier"), spec.params, random_state
    )
    scale = FunctionTransformer(_to_unit, kw_args={"pixel_max": float(pixel_max)})
    return Pipeline([("flatten", FlattenImages()), ("scale", scale), ("model", model)])


def class_weighting(classifier):
    """How a classifier (or a pipeline's last step) can weigh the classes.

    Returns
    -------
    str
        ``"class_weight"`` when it has a ``class_weight`` parameter, else
        ``"sample_weight"`` when its ``fit`` takes one, else ``"none"``.
    """
    model = classifier.steps[-1][1] if hasattr(classifier, "steps") else classifier
    if "class_weight" in model.get_params(deep=False):
        return "class_weight"
    if "sample_weight" in inspect.signature(model.fit).parameters:
        return "sample_weight"
    return "none"


def _balance(classifier, weighting, y):
    """Set balanced class weights, or return the balanced sample weights for ``fit``."""
    prefix = f"{classifier.steps[-1][0]}__" if hasattr(classifier, "steps") else ""
    if weighting == "class_weight":
        classifier.set_params(**{f"{prefix}class_weight": "balanced"})
    elif weighting == "sample_weight":
        return {f"{prefix}sample_weight": compute_sample_weight("balanced", y)}
    return {}


def image_metrics(y_true, y_pred, classes):
    """ACSA (``balanced_accuracy``), G-mean and macro-F1 of one prediction.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n,)
    classes : array-like
        Every class of the dataset: a class never predicted counts with recall 0.

    Returns
    -------
    dict of str to float
    """
    recalls = recall_score(y_true, y_pred, labels=classes, average=None, zero_division=0.0)
    gmean = float(np.exp(np.mean(np.log(recalls)))) if np.all(recalls > 0) else 0.0
    macro_f1 = f1_score(y_true, y_pred, labels=classes, average="macro", zero_division=0.0)
    return {
        "balanced_accuracy": float(np.mean(recalls)),
        "gmean": gmean,
        "macro_f1": float(macro_f1),
    }


def _build(spec_or_model, make, seed, *args):
    if isinstance(spec_or_model, (str, Spec)):
        return make(spec_or_model, seed, *args)
    return spec_or_model


def _too_small_error(sampler, small, label):
    classes = ", ".join(f"class {c!r} has {n}" for c, n in small)
    return (
        f"{TOO_SMALL}: {classes} training image(s); {label} needs "
        f"k + 1 = {min_class_size(sampler)} per class it over-samples"
    )


def run_image_task(images, y, train, test, sampler, classifiers, *, pixel_max, seed=None):
    """Resample one long-tailed training set and score every classifier on the test set.

    Parameters
    ----------
    images : ndarray of shape (n, H, W[, C])
        The whole dataset.
    y : ndarray of shape (n,)
    train, test : ndarray of int
        The long-tailed training set and the balanced test set.
    sampler : object with ``fit_resample``, str or Spec
        A specification is built here with ``random_state=seed``.
    classifiers : dict of str to classifier (or specification), or sequence of specs
        Label -> pipeline or specification (built with
        :func:`make_image_classifier`); a sequence is labelled by the specs' labels.
    pixel_max : int or float
        Largest pixel value of the dataset.
    seed : int or None

    Returns
    -------
    list of dict
        One per classifier, with the keys of :data:`IMAGE_RESULT_COLUMNS` from
        ``classifier`` on, except ``repeat``. ``status`` is ``"ok"``,
        :data:`TOO_SMALL` or ``"failed"`` (``error`` says which stage --
        sampler, fit_resample, classifier, fit, predict, metrics -- raised
        what).
    """
    if not isinstance(classifiers, dict):
        classifiers = {parse_spec(spec).label: spec for spec in classifiers}
    classes = np.unique(y)
    y_train, y_test = y[train], y[test]
    label = (
        parse_spec(sampler).label if isinstance(sampler, (str, Spec)) else type(sampler).__name__
    )
    timed = {"fit_resample_seconds": np.nan, "n_synthetic": np.nan}
    sizes = {
        "n_train": len(train),
        "n_test": len(test),
        "n_head": int(np.sum(y_train == classes[0])),
        "n_tail": int(np.sum(y_train == classes[-1])),
    }

    error, status, stage, weighted = "", "failed", "sampler", False
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            estimator = _build(sampler, make_image_sampler, seed)
            weighted = bool(getattr(estimator, "class_weighting", False))
            small = too_small_classes(estimator, y_train)
            if small:
                status, error = TOO_SMALL, _too_small_error(estimator, small, label)
            else:
                stage = "fit_resample"
                start = time.perf_counter()
                X_res, y_res = estimator.fit_resample(images[train], y_train)
                timed["fit_resample_seconds"] = time.perf_counter() - start
                timed["n_synthetic"] = len(y_res) - len(y_train)
        except Exception as exc:
            error = _describe(stage, type(exc), exc)
    sampler_warnings = _warning_texts("fit_resample", caught)
    usable = not error

    rows = []
    for name, classifier in classifiers.items():
        row = {"classifier": name, "status": status, "error": error}
        row |= dict.fromkeys([*IMAGE_METRICS, "fit_seconds"], np.nan)
        row["weighting"] = ""
        caught = []
        if usable:
            stage = "classifier"
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    model = _build(classifier, make_image_classifier, seed, pixel_max)
                    fit_params = {}
                    if weighted:
                        row["weighting"] = class_weighting(model)
                        fit_params = _balance(model, row["weighting"], y_res)
                    stage = "fit"
                    start = time.perf_counter()
                    model.fit(X_res, y_res, **fit_params)
                    row["fit_seconds"] = time.perf_counter() - start
                    stage = "predict"
                    y_pred = model.predict(images[test])
                    stage = "metrics"
                    row.update(image_metrics(y_test, y_pred, classes))
                    row["status"] = "ok"
                except Exception as exc:
                    row["error"] = _describe(stage, type(exc), exc)
        texts = sampler_warnings + _warning_texts("classifier", caught)
        rows.append({**row, **timed, **sizes, "warnings": " | ".join(texts)})
    return rows
