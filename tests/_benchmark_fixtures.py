"""Data and instruments shared by the benchmark tests: tiny datasets, and
classifiers and samplers that record, count, fail or break on purpose.

Imported as ``from _benchmark_fixtures import ...`` (pytest's ``prepend``
import mode puts ``tests/`` on the path), as ``_data`` is.
"""

from types import SimpleNamespace

import numpy as np
from imblearn.over_sampling import SMOTE
from sklearn.datasets import make_classification
from sklearn.neighbors import KNeighborsClassifier

from knnor import KNNOR
from knnor.benchmark import (
    register_classifier,
    register_sampler,
)


def dataset(name, X, y):
    """A stand-in for knnor.datasets.Dataset: the runner needs name, X and y only."""
    return SimpleNamespace(name=name, X=np.asarray(X, dtype=float), y=np.asarray(y))


def binary(n_samples=150, random_state=0, offset=0.0):
    X, y = make_classification(
        n_samples=n_samples,
        n_features=4,
        n_informative=3,
        n_redundant=0,
        weights=[0.8, 0.2],
        class_sep=1.5,
        random_state=random_state,
    )
    return X + offset, np.where(y == 1, "minority", "majority")


def three_classes():
    X, y = make_classification(
        n_samples=150,
        n_features=4,
        n_informative=3,
        n_redundant=0,
        n_classes=3,
        weights=[0.6, 0.3, 0.1],
        random_state=1,
    )
    return X, y


def without_timing(frame):
    return frame.drop(columns="fit_resample_seconds")


class RecordingKNN(KNeighborsClassifier):
    """k-NN that logs what it is fitted on and what it is asked to predict."""

    log = []

    def fit(self, X, y):
        self.log.append(("fit", np.array(X)))
        return super().fit(X, y)

    def predict(self, X):
        self.predicted_ = super().predict(X)
        self.log.append(("predict", np.array(X)))
        return self.predicted_


class RecordingKNNOR:
    """KNNOR that logs what it receives and returns."""

    log = RecordingKNN.log

    def __init__(self, random_state=None):
        self.sampler = KNNOR(random_state=random_state)

    def fit_resample(self, X, y):
        X_res, y_res = self.sampler.fit_resample(X, y)
        self.log.append(("resample", np.array(X), np.array(X_res)))
        return X_res, y_res


class Counting:
    """SMOTE that counts its calls and can simulate a Ctrl-C at a given call."""

    calls = 0
    interrupt_at = None

    def __init__(self, random_state=None, **params):
        self.sampler = SMOTE(random_state=random_state, **params)

    def fit_resample(self, X, y):
        type(self).calls += 1
        if type(self).calls == type(self).interrupt_at:
            raise KeyboardInterrupt
        return self.sampler.fit_resample(X, y)


class Flaky:
    """Fails on every training fold holding the marked row (scaled feature 0 below -5)."""

    def __init__(self, random_state=None):
        self.random_state = random_state

    def fit_resample(self, X, y):
        if X[:, 0].min() < -5:
            raise ValueError("No samples will be generated with the provided ratio settings.")
        return X, y


class Broken(KNeighborsClassifier):
    def fit(self, X, y):
        raise RuntimeError("cannot fit")


register_sampler("recording", RecordingKNNOR)
register_sampler("counting", Counting)
register_sampler("flaky", Flaky)
register_classifier("recording", RecordingKNN)
register_classifier("broken", Broken)


def rows_of(array):
    return {tuple(row) for row in np.round(array, 10)}
