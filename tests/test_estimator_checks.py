"""KNNOR against the imbalanced-learn and scikit-learn estimator check suites.

Every check of both suites passes, so scikit-learn's ``expected_failed_checks``
is not needed: none of its checks is inapplicable to KNNOR.
"""

import pytest
from imblearn.utils.estimator_checks import parametrize_with_checks as imblearn_checks
from sklearn.utils.estimator_checks import parametrize_with_checks as sklearn_checks

from knnor import KNNOR


def _listed(mark):
    """The same parametrization with its checks in a list (pytest deprecates generators)."""
    names, values = mark.args
    return pytest.mark.parametrize(names, list(values), **mark.kwargs)


@_listed(imblearn_checks([KNNOR(random_state=0)]))
def test_imblearn_compatible(estimator, check):
    check(estimator)


@_listed(sklearn_checks([KNNOR(random_state=0)]))
def test_sklearn_compatible(estimator, check):
    check(estimator)
