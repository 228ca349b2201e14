"""KNNOR as a scikit-learn estimator: determinism, n_jobs, pickling, parameters, cloning,
pipelines and grid search."""

import pickle
import warnings

import numpy as np
import pytest
from _data import binary_data, hopeless_data, three_class_data
from imblearn.pipeline import make_pipeline
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score, f1_score
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_validate

from knnor import KNNOR, PAPER_PARAMS

# ---------------------------------------------------------------------------
# determinism


def _fitted_output(sampler, X, y):
    X_res, y_res = sampler.fit_resample(X, y)
    return X_res, y_res, sampler.provenance_, sampler.class_stats_


def _assert_identical(a, b):
    assert a[0].tobytes() == b[0].tobytes()
    np.testing.assert_array_equal(a[1], b[1])
    np.testing.assert_array_equal(a[2], b[2])
    assert a[3] == b[3]


def test_same_random_state_same_output():
    X, y = three_class_data()
    first = _fitted_output(KNNOR(random_state=42), X, y)
    second = _fitted_output(KNNOR(random_state=42), X, y)
    _assert_identical(first, second)
    # A RandomState instance seeded alike gives the same result too.
    third = _fitted_output(KNNOR(random_state=np.random.RandomState(42)), X, y)
    _assert_identical(first, third)


def test_different_random_state_different_output():
    X, y = three_class_data()
    X_a, _ = KNNOR(random_state=1).fit_resample(X, y)
    X_b, _ = KNNOR(random_state=2).fit_resample(X, y)
    assert X_a.shape == X_b.shape
    assert not np.array_equal(X_a[len(X) :], X_b[len(X) :])


def _noisy_data(n_features, class_sep):
    return make_classification(
        n_samples=3000,
        n_features=n_features,
        n_informative=5,
        n_classes=3,
        weights=[0.7, 0.2, 0.1],
        flip_y=0.05,
        class_sep=class_sep,
        random_state=0,
    )


@pytest.mark.parametrize(
    "make_data",
    [
        lambda: _noisy_data(8, 1.0),
        lambda: _noisy_data(30, 0.3),
        lambda: hopeless_data(),
    ],
    ids=["kd_tree_8_features", "brute_force_30_features", "deep_relaxation"],
)
@pytest.mark.parametrize("params", [{}, {"filter_rule": "majority"}, PAPER_PARAMS])
def test_n_jobs_does_not_change_output(make_data, params):
    X, y = make_data()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the hopeless case warns
        serial = _fitted_output(KNNOR(random_state=0, n_jobs=1, **params), X, y)
        parallel = _fitted_output(KNNOR(random_state=0, n_jobs=2, **params), X, y)
    _assert_identical(serial, parallel)
    if params is not PAPER_PARAMS:
        return
    # The data is noisy enough to exercise the paper's filter and the relaxation.
    stats = serial[3]
    assert sum(s["n_rejected_filter"] for s in stats.values()) > 0
    assert max(s["max_relaxation_level"] for s in stats.values()) > 0


# ---------------------------------------------------------------------------
# pickling, cloning, parameters


def test_pickle_round_trip():
    X, y = three_class_data()
    sampler = KNNOR(random_state=0, n_neighbors=4)
    X_res, y_res = sampler.fit_resample(X, y)
    restored = pickle.loads(pickle.dumps(sampler))

    assert restored.get_params() == sampler.get_params()
    assert restored.n_features_in_ == sampler.n_features_in_
    assert restored.sampling_strategy_ == sampler.sampling_strategy_
    assert restored.class_stats_ == sampler.class_stats_
    np.testing.assert_array_equal(restored.provenance_, sampler.provenance_)
    X_again, y_again = restored.fit_resample(X, y)
    assert X_again.tobytes() == X_res.tobytes()
    np.testing.assert_array_equal(y_again, y_res)


NON_DEFAULT_PARAMS = {
    "sampling_strategy": "not majority",
    "n_neighbors": 3,
    "max_dist_point": 0.3,
    "proportion_minority": "auto",
    "reliability_filter": False,
    "filter_rule": "majority",
    "filter_neighbors": 4,
    "filter_search": "graph",
    "random_state": 7,
    "n_jobs": 2,
}


def test_get_set_params_round_trip():
    sampler = KNNOR()
    assert sampler.set_params(**NON_DEFAULT_PARAMS) is sampler
    assert sampler.get_params() == NON_DEFAULT_PARAMS
    assert KNNOR(**NON_DEFAULT_PARAMS).get_params() == NON_DEFAULT_PARAMS


def test_clone_keeps_parameters_not_fit():
    X, y = three_class_data()
    sampler = KNNOR(**NON_DEFAULT_PARAMS)
    sampler.fit_resample(X, y)
    twin = clone(sampler)
    assert twin.get_params() == NON_DEFAULT_PARAMS
    assert not hasattr(twin, "class_stats_") and not hasattr(twin, "provenance_")


# ---------------------------------------------------------------------------
# pipelines


def test_pipeline_cross_validate():
    X, y = binary_data(n_samples=400)
    pipe = make_pipeline(KNNOR(random_state=0), LogisticRegression())
    result = cross_validate(
        pipe,
        X,
        y,
        cv=3,
        scoring=["balanced_accuracy", "f1"],
        return_estimator=True,
        return_indices=True,
        error_score="raise",
    )
    assert np.isfinite(result["test_balanced_accuracy"]).all()
    assert result["test_balanced_accuracy"].mean() > 0.6
    for fitted in result["estimator"]:
        stats = fitted.named_steps["knnor"].class_stats_[1]
        assert stats["n_accepted"] == stats["n_requested"] > 0

    # The scores are those of resampling each training fold by hand: only the
    # training fold is resampled, and the test fold is scored as it is.
    folds = list(StratifiedKFold(n_splits=3).split(X, y))
    manual_f1, manual_balanced_accuracy = [], []
    for i, (train, test) in enumerate(folds):
        np.testing.assert_array_equal(result["indices"]["train"][i], train)
        np.testing.assert_array_equal(result["indices"]["test"][i], test)
        X_train, y_train = KNNOR(random_state=0).fit_resample(X[train], y[train])
        model = LogisticRegression().fit(X_train, y_train)
        fitted = result["estimator"][i].named_steps["logisticregression"]
        np.testing.assert_array_equal(fitted.coef_, model.coef_)
        y_pred = model.predict(X[test])
        manual_f1.append(f1_score(y[test], y_pred))
        manual_balanced_accuracy.append(balanced_accuracy_score(y[test], y_pred))
    np.testing.assert_array_equal(result["test_f1"], manual_f1)
    np.testing.assert_array_equal(result["test_balanced_accuracy"], manual_balanced_accuracy)


def test_pipeline_grid_search():
    X, y = binary_data(n_samples=400)
    pipe = make_pipeline(KNNOR(random_state=0), LogisticRegression())
    grid = {"knnor__n_neighbors": [2, 4], "knnor__max_dist_point": [0.2, 0.7]}
    search = GridSearchCV(pipe, grid, cv=3, scoring="balanced_accuracy", error_score="raise")
    search.fit(X, y)
    assert len(search.cv_results_["params"]) == 4
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    best = search.best_estimator_.named_steps["knnor"]
    assert best.n_neighbors == search.best_params_["knnor__n_neighbors"]
    # The parameters really reached the sampler.
    assert best.class_stats_[1]["n_neighbors"] == search.best_params_["knnor__n_neighbors"]
    assert best.class_stats_[1]["max_dist_point"] == search.best_params_["knnor__max_dist_point"]
