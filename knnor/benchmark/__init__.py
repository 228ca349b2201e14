"""Compare oversamplers fairly and reproducibly: the ``knnor-benchmark`` command.

Every sampler is run inside the training folds of the same repeated
stratified k-fold splits, with the same seeds, then scored with several
classifiers on the untouched test folds (see :mod:`knnor.benchmark.protocol`).
Needs pandas (``pip install "knnor[benchmark]"``); ``import knnor`` does not
import this package.
"""

from knnor.benchmark.classifiers import CLASSIFIERS, make_classifier, register_classifier
from knnor.benchmark.protocol import METRICS, RESULT_COLUMNS, classification_metrics, run_fold
from knnor.benchmark.runner import (
    DEFAULT_CLASSIFIERS,
    DEFAULT_SAMPLERS,
    load_results,
    run_benchmark,
)
from knnor.benchmark.samplers import SAMPLERS, make_sampler, register_sampler

__all__ = [
    "CLASSIFIERS",
    "DEFAULT_CLASSIFIERS",
    "DEFAULT_SAMPLERS",
    "METRICS",
    "RESULT_COLUMNS",
    "SAMPLERS",
    "classification_metrics",
    "load_results",
    "make_classifier",
    "make_sampler",
    "register_classifier",
    "register_sampler",
    "run_benchmark",
    "run_fold",
]
