"""The classifiers every resampled training fold is scored with, by name.

Five families that react differently to synthetic points: neighbours (knn),
axis-aligned splits (tree, random_forest), a linear boundary (linear) and a
kernel boundary (rbf_svm). Each is built with a ``random_state`` derived from
the run seed when it takes one.
"""

from functools import partial

from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

from knnor.benchmark.specs import instantiate, parse_spec, resolve

CLASSIFIERS = {
    "knn": KNeighborsClassifier,
    "tree": DecisionTreeClassifier,
    "linear": partial(LogisticRegression, max_iter=1000),
    # probability=False: Platt scaling would add an internal CV; AUC uses decision_function
    "rbf_svm": partial(SVC, kernel="rbf"),
    "random_forest": partial(RandomForestClassifier, n_estimators=100, n_jobs=1),
}
"""Built-in classifiers: name -> factory taking ``random_state`` and parameters."""


def register_classifier(name, factory):
    """Make ``name`` usable in classifier specifications.

    Parameters
    ----------
    name : str
    factory : callable
        Called with the JSON parameters (and ``random_state`` when it takes
        one); returns a scikit-learn classifier.
    """
    CLASSIFIERS[name] = factory


def make_classifier(spec, random_state):
    """Build the classifier a specification names.

    Parameters
    ----------
    spec : str or Spec
        A name from :data:`CLASSIFIERS` or ``"package.module:ClassName"``;
        optionally followed by JSON parameters and preceded by ``label=``.
    random_state : int

    Returns
    -------
    classifier
    """
    spec = parse_spec(spec)
    return instantiate(resolve(spec.name, CLASSIFIERS, "classifier"), spec.params, random_state)
