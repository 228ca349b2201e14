"""Data factories and checks shared by the ``test_api_*`` files.

Imported as ``from _data import ...``: pytest's default ``prepend`` import mode
puts this directory (which has no ``__init__.py``) on ``sys.path``.
"""

from collections import Counter

import numpy as np
from sklearn.datasets import make_classification


def binary_data(n_samples=300, n_features=5, random_state=0, weights=(0.8, 0.2)):
    return make_classification(
        n_samples=n_samples,
        n_features=n_features,
        n_informative=3,
        n_redundant=0,
        weights=list(weights),
        class_sep=1.5,
        random_state=random_state,
    )


def three_class_data():
    """Three string classes of 150 / 60 / 30 rows."""
    X, y = make_classification(
        n_samples=240,
        n_features=4,
        n_informative=3,
        n_redundant=0,
        n_classes=3,
        n_clusters_per_class=1,
        weights=[150 / 240, 60 / 240, 30 / 240],
        flip_y=0,
        class_sep=2.0,
        random_state=0,
    )
    names = np.array(["apple", "banana", "cherry"])
    return X, names[y]


def hopeless_data():
    """Each minority point sits inside a tiny ring of 16 majority points."""
    minority = np.array([[10.0 * i, 10.0 * j] for i in range(5) for j in range(4)])
    angles = np.linspace(0, 2 * np.pi, 16, endpoint=False) + 0.1
    ring = 1e-6 * np.c_[np.cos(angles), np.sin(angles)]
    majority = np.vstack([point + ring for point in minority])
    X = np.vstack([majority, minority])
    y = np.r_[np.zeros(len(majority), dtype=int), np.ones(len(minority), dtype=int)]
    return X, y


def assert_resampled_counts(y, y_res, expected_new):
    """Class counts of ``y_res`` are those of ``y`` plus ``expected_new``."""
    before, after = Counter(y), Counter(y_res)
    assert set(after) == set(before)
    for label in before:
        assert after[label] == before[label] + int(expected_new.get(label, 0)), label
