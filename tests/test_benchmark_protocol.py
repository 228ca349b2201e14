"""The benchmark protocol: leak-free folds, recorded failures, resumable and deterministic runs."""

import importlib.util
import io
import json
import math
import sys
import types
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import make_pipeline
from sklearn.datasets import make_classification
from sklearn.impute import SimpleImputer
from sklearn.metrics import balanced_accuracy_score, f1_score, roc_auc_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, LinearSVC

from knnor import KNNOR
from knnor.benchmark import (
    RESULT_COLUMNS,
    classification_metrics,
    load_results,
    make_sampler,
    register_classifier,
    register_sampler,
    run_benchmark,
    run_fold,
)
from knnor.benchmark.cli import main
from knnor.benchmark.progress import Progress
from knnor.benchmark.protocol import make_splits, ranking_scores, task_seed
from knnor.benchmark.specs import parse_spec, split_specs

# ---------------------------------------------------------------------------
# data and instruments


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


# ---------------------------------------------------------------------------
# smote-variants adapter, specifications, backends


def fake_smote_variants():
    """A stand-in for the smote_variants module: records its calls, duplicates a class."""
    module = types.ModuleType("smote_variants")
    module.calls = []

    def duplicate_last_class(X, y):
        assert np.issubdtype(y.dtype, np.integer)  # labels arrive as integer codes
        last = y == y.max()
        return np.vstack([X, X[last]]), np.hstack([y, y[last]])

    class SMOTE:
        def __init__(self, proportion=1.0, random_state=None):
            module.calls.append(("SMOTE", proportion, random_state))

        def sample(self, X, y):
            return duplicate_last_class(X, y)

    class MulticlassOversampling:
        def __init__(self, oversampler, oversampler_params):
            module.calls.append(("multiclass", oversampler, oversampler_params))

        def sample(self, X, y):
            return duplicate_last_class(X, y)

    module.SMOTE = SMOTE
    module.MulticlassOversampling = MulticlassOversampling
    return module


def test_smote_variants_adapter(monkeypatch):
    fake = fake_smote_variants()
    monkeypatch.setitem(sys.modules, "smote_variants", fake)
    X = np.arange(12.0).reshape(6, 2)

    sampler = make_sampler('sv:SMOTE{"proportion": 0.5}', random_state=7)
    X_res, y_res = sampler.fit_resample(X, np.array(["n", "n", "n", "n", "p", "p"]))
    assert fake.calls == [("SMOTE", 0.5, 7)]
    assert y_res.tolist() == ["n"] * 4 + ["p"] * 4  # labels mapped back
    np.testing.assert_array_equal(X_res[6:], X[4:])

    make_sampler("sv:SMOTE", random_state=7).fit_resample(X, np.array([0, 0, 0, 1, 1, 2]))
    assert fake.calls[-1] == ("multiclass", "SMOTE", {"random_state": 7})

    with pytest.raises(ValueError, match="no oversampler 'NoSuchSMOTE'"):
        make_sampler("sv:NoSuchSMOTE", random_state=0)
    monkeypatch.setitem(sys.modules, "smote_variants", None)  # not installed
    with pytest.raises(ValueError, match="pip install smote-variants"):
        make_sampler("sv:SMOTE", random_state=0)


def test_specifications():
    assert split_specs('SMOTE, k3=KNNOR{"n_neighbors": 3, "max_dist_point": 0.4},none') == [
        "SMOTE",
        'k3=KNNOR{"n_neighbors": 3, "max_dist_point": 0.4}',
        "none",
    ]
    spec = parse_spec('KNNOR{"reliability_filter": false}')
    assert (spec.name, spec.params, spec.label) == (
        "KNNOR",
        {"reliability_filter": False},
        'KNNOR{"reliability_filter":false}',
    )
    assert parse_spec("imblearn.over_sampling:SMOTE").label == "imblearn.over_sampling:SMOTE"
    assert isinstance(make_sampler("imblearn.over_sampling:SMOTE", 0), SMOTE)
    assert make_sampler('KNNOR{"n_neighbors": 3}', 5).get_params()["random_state"] == 5
    with pytest.raises(ValueError, match="unknown sampler 'SMOOTE'"):
        make_sampler("SMOOTE", 0)


@pytest.mark.skipif(
    importlib.util.find_spec("distributed") is not None, reason="dask.distributed is installed"
)
def test_missing_backend_says_what_to_install(capsys):
    with pytest.raises(ImportError, match="pip install 'dask"):
        run_benchmark([dataset("d", *binary())], ["none"], ["knn"], backend="dask")


# ---------------------------------------------------------------------------
# command line


def fake_datasets_module(datasets):
    """A stand-in for knnor.datasets serving ``datasets`` from any source."""
    module = types.ModuleType("knnor.datasets")

    def summary(d):
        labels, counts = np.unique(d.y, return_counts=True)
        return {
            "name": d.name,
            "n_samples": len(d.y),
            "n_features": d.X.shape[1],
            "n_classes": len(labels),
            "imbalance_ratio": counts.max() / counts.min(),
            "class_counts": dict(zip(labels.tolist(), counts.tolist(), strict=True)),
        }

    module.list_datasets = lambda source: [summary(d) for d in datasets]
    module.iter_datasets = lambda source, nominal="onehot", binary_only=False: iter(datasets)

    def get_dataset(name, source="quick", nominal="onehot"):
        for d in datasets:
            if d.name == name:
                return d
        raise ValueError(f"no dataset {name!r} in source {source!r}")

    module.get_dataset = get_dataset
    return module


def test_cli_datasets_and_run(tmp_path, monkeypatch, capsys):
    datasets = [dataset("two", *binary()), dataset("three", *three_classes())]
    monkeypatch.setitem(sys.modules, "knnor.datasets", fake_datasets_module(datasets))

    assert main(["datasets", "--source", "quick"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["name", "n", "features", "classes", "IR", "class", "counts"]
    assert table[2].split() == ["two", "150", "4", "2", "3.84"]
    assert table[3].split() == ["three", "150", "4", "3", "5.18", "88/45/17"]

    out = tmp_path / "out"
    report = importlib.util.find_spec("knnor.benchmark.report") is not None
    argv = ["run", "--suite", "quick", "--datasets", "two", "--samplers", "none,KNNOR"]
    argv += ["--classifiers", "knn", "--folds", "2", "--repeats", "1", "--out", str(out)]
    argv += ["--quiet"] + ([] if report else ["--no-report"])
    assert main(argv) == 0
    results = pd.read_csv(out / "results.csv")
    assert len(results) == 2 * 2 and set(results["dataset"]) == {"two"}
    assert json.loads((out / "run.json").read_text())["samplers"] == ["none", "KNNOR"]
    if report:
        assert (out / "report.md").exists()
        assert main(["report", "--results", str(out), "--out", str(tmp_path / "again")]) == 0
        assert (tmp_path / "again" / "report.md").exists()

    assert main([*argv, "--datasets", "nope"]) == 2
    assert "no dataset 'nope'" in capsys.readouterr().err


def test_cli_lists_the_real_quick_suite(capsys):
    datasets = pytest.importorskip("knnor.datasets")
    if not hasattr(datasets, "list_datasets"):
        pytest.skip("knnor.datasets is not complete yet")
    assert main(["datasets", "--source", "quick"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:5] == ["name", "n", "features", "classes", "IR"]
    assert len(lines) > 2


def test_progress_counts_cached_tasks_apart():
    stream = io.StringIO()  # not a terminal: one line per tenth of the tasks
    bar = Progress(4, done=2, stream=stream)
    assert "2/4 tasks, 2 cached" in stream.getvalue() and "ETA ?" in stream.getvalue()
    bar.update()
    bar.update()
    bar.close()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 3 and lines[-1].startswith("[" + "#" * 30 + "] 4/4 tasks")
