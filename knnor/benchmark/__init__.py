"""Compare oversamplers fairly and reproducibly: the ``knnor-benchmark`` command.

Every sampler is run inside the training folds of the same repeated
stratified k-fold splits, with the same seeds, then scored with several
classifiers on the untouched test folds (see :mod:`knnor.benchmark.protocol`).
Needs pandas (``pip install "knnor[benchmark]"``); ``import knnor`` does not
import this package, and importing it imports pandas only when one of the names
below is used, so that ``knnor-benchmark`` can say what to install.
"""

import importlib

_HOMES = {
    "CLASSIFIERS": "classifiers",
    "make_classifier": "classifiers",
    "register_classifier": "classifiers",
    "METRICS": "protocol",
    "RESULT_COLUMNS": "protocol",
    "classification_metrics": "protocol",
    "run_fold": "protocol",
    "DEFAULT_CLASSIFIERS": "runner",
    "DEFAULT_SAMPLERS": "runner",
    "load_results": "runner",
    "run_benchmark": "runner",
    "SAMPLERS": "samplers",
    "make_sampler": "samplers",
    "register_sampler": "samplers",
}

__all__ = sorted(_HOMES)


def __getattr__(name):
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)


def __dir__():
    return sorted([*globals(), *_HOMES])
