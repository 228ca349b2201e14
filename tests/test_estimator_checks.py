"""KNNOR against the imbalanced-learn and scikit-learn estimator check suites."""

from imblearn.utils.estimator_checks import parametrize_with_checks as imblearn_checks
from sklearn.utils.estimator_checks import parametrize_with_checks as sklearn_checks

from knnor import KNNOR


@imblearn_checks([KNNOR(random_state=0)])
def test_imblearn_compatible(estimator, check):
    check(estimator)


@sklearn_checks([KNNOR(random_state=0)])
def test_sklearn_compatible(estimator, check):
    check(estimator)
