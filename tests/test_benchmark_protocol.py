"""The benchmark protocol: leak-free folds, recorded failures, resumable and deterministic runs."""

import math

import numpy as np
import pandas as pd
import pytest
from _benchmark_fixtures import (
    Counting,
    RecordingKNN,
    binary,
    dataset,
    rows_of,
    three_classes,
    without_timing,
)
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import make_pipeline
from sklearn.impute import SimpleImputer
from sklearn.metrics import balanced_accuracy_score, f1_score, roc_auc_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, LinearSVC

from knnor.benchmark import (
    RESULT_COLUMNS,
    classification_metrics,
    load_results,
    make_sampler,
    run_benchmark,
    run_fold,
)
from knnor.benchmark.protocol import make_splits, ranking_scores, task_seed

# ---------------------------------------------------------------------------
# the protocol


def test_predictions_equal_imblearn_pipeline():
    X, y = binary()
    X[:, 1] = np.exp(2 * X[:, 1])  # skewed: a mean imputer would differ from the median
    X[::5, 1] = np.nan  # so that the imputer is part of the pipeline
    (_, _, train, test), *_ = make_splits(y, 5, 1, seed=0)
    knn = RecordingKNN()
    (row,) = run_fold(X, y, train, test, SMOTE(random_state=3), {"knn": knn})

    pipeline = make_pipeline(
        SimpleImputer(strategy="median"),
        StandardScaler(),
        SMOTE(random_state=3),
        KNeighborsClassifier(),
    ).fit(X[train], y[train])
    np.testing.assert_array_equal(knn.predicted_, pipeline.predict(X[test]))
    np.testing.assert_allclose(knn.log[-1][1], pipeline[:2].transform(X[test]))
    assert row["status"] == "ok"
    minority = pipeline.predict_proba(X[test])[:, list(pipeline.classes_).index("minority")]
    assert row["roc_auc"] == roc_auc_score(y[test] == "minority", minority)


def test_runner_scores_equal_pipeline_scores_on_every_fold():
    X, y = binary()
    results = run_benchmark(
        [dataset("d", X, y)], ["SMOTE"], ["knn"], n_splits=3, n_repeats=2, progress=False
    )
    for (repeat, fold, train, test), row in zip(
        make_splits(y, 3, 2, seed=0), results.itertuples(), strict=True
    ):
        assert (row.repeat, row.fold) == (repeat, fold)
        pipeline = make_pipeline(
            StandardScaler(),
            SMOTE(random_state=task_seed(0, repeat, fold)),
            KNeighborsClassifier(),
        ).fit(X[train], y[train])
        assert row.f1 == f1_score(y[test], pipeline.predict(X[test]), pos_label="minority")
        assert row.n_synthetic == len(train) - 2 * (y[train] == "minority").sum()


def test_test_fold_is_scaled_with_the_training_scaler():
    X, y = binary(offset=1000.0)  # features of mean ~1000: raw test rows are far off
    (_, _, train, test), *_ = make_splits(y, 5, 1, seed=0)
    knn = RecordingKNN()
    run_fold(X, y, train, test, make_sampler("none", 0), {"knn": knn})
    scaler = StandardScaler().fit(X[train])
    np.testing.assert_allclose(knn.log[-1][1], scaler.transform(X[test]))

    results = run_benchmark(
        [dataset("far", X, y)], ["SMOTE"], ["rbf_svm"], n_splits=3, n_repeats=1, progress=False
    )
    assert results["balanced_accuracy"].min() > 0.8
    # the same model scored on the raw test fold collapses to one class
    svc = SVC().fit(scaler.transform(X[train]), y[train])
    assert balanced_accuracy_score(y[test], svc.predict(X[test])) == 0.5


def test_folds_are_isolated():
    X, y = binary()
    RecordingKNN.log.clear()
    results = run_benchmark(
        [dataset("d", X, y)], ["recording"], ["recording"], n_repeats=2, progress=False
    )
    log = RecordingKNN.log
    assert [event[0] for event in log] == ["resample", "fit", "predict"] * 10
    for task, row in zip(range(0, len(log), 3), results.itertuples(), strict=True):
        (_, sampler_in, sampler_out), (_, fitted), (_, tested) = log[task : task + 3]
        assert len(sampler_in) == row.n_train and len(tested) == row.n_test
        np.testing.assert_array_equal(fitted, sampler_out)
        synthetic = rows_of(sampler_out) - rows_of(sampler_in)
        assert len(synthetic) == row.n_synthetic > 0
        assert not rows_of(sampler_in) & rows_of(tested)  # no test row in training
        assert not rows_of(fitted) & rows_of(tested)  # nor in what the classifier learns
        assert not synthetic & rows_of(tested)  # no synthetic point in a test fold
    # every row is tested exactly once per repeat
    assert (results.groupby("repeat")["n_test"].sum() == len(y)).all()


def test_failures_are_recorded_not_dropped(tmp_path):
    X, y = binary()
    X[0, 0] = -50.0  # the marked row that makes Flaky fail
    results = run_benchmark(
        [dataset("d", X, y)],
        ["flaky", "none"],
        ["knn", "broken"],
        n_splits=5,
        n_repeats=1,
        out_dir=tmp_path,
        progress=False,
    )
    assert len(results) == 2 * 2 * 5
    assert list(results.columns) == RESULT_COLUMNS

    flaky = results[results["sampler"] == "flaky"]
    failed = flaky[flaky["error"].str.startswith("fit_resample: ValueError: No samples")]
    assert len(failed) == 4 * 2 and (failed["status"] == "failed").all()
    assert failed[["f1", "roc_auc", "fit_resample_seconds"]].isna().all().all()
    assert flaky.query("classifier == 'knn' and status == 'ok'").shape[0] == 1

    broken = results[results["classifier"] == "broken"]
    assert (broken["status"] == "failed").all()
    assert broken.query("sampler == 'none'")["error"].eq("fit: RuntimeError: cannot fit").all()
    assert results.query("sampler == 'none' and classifier == 'knn'")["status"].eq("ok").all()

    pd.testing.assert_frame_equal(load_results(tmp_path), results)
    pd.testing.assert_frame_equal(load_results(tmp_path / "results.csv"), results)


def test_interrupted_run_resumes_from_cache(tmp_path):
    X, y = binary()
    grid = dict(
        datasets=[dataset("d", X, y)],
        samplers=["counting", 'k3=counting{"k_neighbors": 3}'],
        classifiers=["knn", "tree"],
        n_splits=3,
        n_repeats=2,
        progress=False,
    )
    Counting.calls, Counting.interrupt_at = 0, None
    reference = run_benchmark(**grid, out_dir=tmp_path / "reference")
    assert Counting.calls == 12

    Counting.calls, Counting.interrupt_at = 0, 5
    with pytest.raises(KeyboardInterrupt):
        run_benchmark(**grid, out_dir=tmp_path / "run")
    cache = sorted((tmp_path / "run" / "cache").glob("*.json"))
    assert len(cache) == 4

    Counting.calls, Counting.interrupt_at = 0, None
    run_benchmark(**grid, out_dir=tmp_path / "run")
    assert Counting.calls == 8  # the tasks the interruption left undone

    for path in sorted((tmp_path / "run" / "cache").glob("*.json"))[:3]:
        path.unlink()
    Counting.calls = 0
    resumed = run_benchmark(**grid, out_dir=tmp_path / "run")
    assert Counting.calls == 3
    pd.testing.assert_frame_equal(without_timing(resumed), without_timing(reference))


def test_results_do_not_depend_on_n_jobs():
    datasets = [dataset("two", *binary()), dataset("three", *three_classes())]
    grid = dict(samplers=["SMOTE", "KNNOR"], classifiers=["knn", "tree"], n_splits=3)
    one = run_benchmark(datasets, **grid, n_repeats=1, n_jobs=1, progress=False)
    two = run_benchmark(datasets, **grid, n_repeats=1, n_jobs=2, progress=False)
    assert (one["status"] == "ok").all()
    pd.testing.assert_frame_equal(without_timing(one), without_timing(two))


def test_smallest_class_lowers_the_number_of_folds(tmp_path):
    X, y = binary(n_samples=60)
    minority = np.flatnonzero(y == "minority")
    keep = np.setdiff1d(np.arange(len(y)), minority[3:])  # 3 minority rows left
    results = run_benchmark(
        [dataset("tiny", X[keep], y[keep])], ["none"], ["knn"], out_dir=tmp_path, progress=False
    )
    assert sorted(results["fold"].unique()) == [0, 1, 2]
    assert pd.read_csv(tmp_path / "datasets.csv")["n_splits"].tolist() == [3]


# ---------------------------------------------------------------------------
# metrics


def test_binary_metrics_by_hand():
    y_true = np.array(["a", "a", "a", "a", "b", "b"])  # minority "b" is positive
    y_pred = np.array(["a", "a", "b", "a", "b", "a"])  # TP 1, FN 1, FP 1, TN 3
    scores = np.array([0.1, 0.2, 0.6, 0.3, 0.8, 0.4])
    metrics = classification_metrics(y_true, y_pred, scores, np.array(["a", "b"]), "b")
    assert metrics["f1"] == pytest.approx(2 * 1 / (2 * 1 + 1 + 1))
    assert metrics["gmean"] == pytest.approx(math.sqrt(1 / 2 * 3 / 4))
    assert metrics["balanced_accuracy"] == pytest.approx((1 / 2 + 3 / 4) / 2)
    assert metrics["roc_auc"] == pytest.approx(7 / 8)  # 7 of the 8 pairs ordered
    assert metrics["average_precision"] == pytest.approx((1 / 1 + 2 / 3) / 2)


def test_multiclass_metrics_by_hand():
    y_true = np.array([0, 0, 0, 1, 1, 2])
    y_pred = np.array([0, 0, 1, 1, 2, 2])
    proba = np.eye(3)[y_true] * 0.7 + 0.1  # every class ranked perfectly
    metrics = classification_metrics(y_true, y_pred, proba, np.arange(3), 2)
    recalls = [2 / 3, 1 / 2, 1]
    assert metrics["f1"] == pytest.approx((0.8 + 0.5 + 2 / 3) / 3)
    assert metrics["gmean"] == pytest.approx(np.prod(recalls) ** (1 / 3))
    assert metrics["balanced_accuracy"] == pytest.approx(np.mean(recalls))
    assert metrics["roc_auc"] == metrics["average_precision"] == 1.0
    no_proba = classification_metrics(y_true, y_pred, None, np.arange(3), 2)
    assert math.isnan(no_proba["roc_auc"]) and math.isnan(no_proba["average_precision"])


def test_decision_function_scores_the_minority_class():
    X, y = binary()
    y = np.where(y == "minority", "a", "b")  # the minority sorts first: classes_[0]
    svm = LinearSVC().fit(X, y)
    np.testing.assert_array_equal(
        ranking_scores(svm, X, np.array(["a", "b"]), "a"), -svm.decision_function(X)
    )
