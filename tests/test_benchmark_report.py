"""Ranks, tables and the written report of a benchmark run (knnor.benchmark.report).

The tests on ranks (Friedman, Nemenyi, Holm) are in test_benchmark_stats.py.
"""

import re
import sys

import numpy as np
import pandas as pd
import pytest

from knnor.benchmark.protocol import METRICS
from knnor.benchmark.report import (
    ALL_CLASSIFIERS,
    DEFAULT_METRICS,
    average_ranks,
    dataset_scores,
    failures_table,
    summarise,
    write_report,
)

# ---------------------------------------------------------------------------
# data


def results_frame(cells):
    """Tidy results from {(dataset, sampler, classifier): per-fold values}.

    Every metric takes the fold's value; a string marks a failed fold and is
    its error message.
    """
    rows = []
    for (dataset, sampler, classifier), values in cells.items():
        for fold, value in enumerate(values):
            failed = isinstance(value, str)
            rows.append(
                {
                    "dataset": dataset,
                    "n_samples": 100,
                    "n_features": 4,
                    "imbalance_ratio": 3.0,
                    "sampler": sampler,
                    "classifier": classifier,
                    "repeat": 0,
                    "fold": fold,
                    "status": "failed" if failed else "ok",
                    "error": value if failed else None,
                    **dict.fromkeys(DEFAULT_METRICS, np.nan if failed else value),
                    "fit_resample_seconds": np.nan if failed else 0.01 * (fold + 1),
                    "n_synthetic": np.nan if failed else 40,
                    "n_train": 80,
                    "n_test": 20,
                    "warnings": "",
                }
            )
    return pd.DataFrame(rows)


def toy_cells():
    """Classifier lr: dataset means d1 A .875 B .625 C .625; d2 A .5 B .875 C .625; d3 all .5.

    Classifier rf ties the three samplers on every dataset. Fold values are
    exact in binary so that the ties are exact.
    """
    lr = {
        "d1": {"A": [0.75, 1.0], "B": [0.5, 0.75], "C": [0.625, 0.625]},
        "d2": {"A": [0.5, 0.5], "B": [1.0, 0.75], "C": [0.75, 0.5]},
        "d3": {"A": [0.5, 0.5], "B": [0.25, 0.75], "C": [0.5, 0.5]},
    }
    cells = {}
    for dataset, by_sampler in lr.items():
        for sampler, values in by_sampler.items():
            cells[dataset, sampler, "lr"] = values
            cells[dataset, sampler, "rf"] = [0.5, 0.5]
    return cells


def report_cells():
    """Six datasets, three samplers, three folds.

    With lr, KNNOR > SMOTE > none on every dataset, except one failed SMOTE
    fold on d0; with tree, the winner rotates so all average ranks are 2.
    """
    samplers = ["KNNOR", "SMOTE", "none"]
    cells = {}
    for d in range(6):
        for position, sampler in enumerate(samplers):
            cells[f"d{d}", sampler, "lr"] = [0.9 - 0.1 * position] * 3
            cells[f"d{d}", sampler, "tree"] = [0.9 - 0.1 * ((position + d) % 3)] * 3
    cells["d0", "SMOTE", "lr"] = [0.8, "ValueError: boom", 0.8]
    return cells


# ---------------------------------------------------------------------------
# ranks and the failure policy


def test_average_ranks_hand_computed_with_ties():
    ranks = average_ranks(results_frame(toy_cells()), "f1")
    # lr: d1 A 1, B 2.5, C 2.5; d2 A 3, B 1, C 2; d3 all 2.
    expected_lr = {"A": 6 / 3, "B": 5.5 / 3, "C": 6.5 / 3}
    for sampler, rank in expected_lr.items():
        assert ranks.loc[sampler, "lr"] == pytest.approx(rank)
        assert ranks.loc[sampler, "rf"] == pytest.approx(2.0)
        # over the six blocks: lr's three plus rf's three ranks of 2
        assert ranks.loc[sampler, ALL_CLASSIFIERS] == pytest.approx((3 * rank + 6) / 6)
    assert list(ranks.index) == ["B", "A", "C"]  # best overall first


def test_failed_fold_counts_as_zero():
    cells = toy_cells()
    cells["d1", "A", "lr"] = [0.75, "RuntimeError: singular"]
    scores = dataset_scores(results_frame(cells), "roc_auc")
    assert scores.loc[("lr", "d1"), "A"] == pytest.approx(0.375)
    assert scores.loc[("lr", "d2"), "A"] == pytest.approx(0.5)


def test_undefined_metric_and_missing_rows():
    cells = toy_cells()
    del cells["d2", "C", "lr"]  # C never ran on d2: scores 0 there
    results = results_frame(cells)
    undefined = results["dataset"].eq("d1") & results["classifier"].eq("lr")
    results.loc[undefined, "roc_auc"] = np.nan  # undefined for everyone: block left out
    results.loc[results["dataset"].eq("d3") & results["sampler"].eq("B"), "roc_auc"] = np.nan
    scores = dataset_scores(results, "roc_auc")

    assert ("lr", "d1") not in scores.index
    assert scores.loc[("lr", "d2"), "C"] == 0.0
    assert scores.loc[("lr", "d3"), "B"] == 0.0  # undefined for B only: its worst score
    assert scores.loc[("rf", "d1"), "B"] == 0.5
    assert len(scores) == 5


def test_failing_sampler_ranks_worse_and_is_listed():
    cells = toy_cells()
    clean = average_ranks(results_frame(cells), "f1")
    cells["d1", "A", "lr"] = [1.0, "MemoryError"]
    cells["d1", "A", "rf"] = ["ValueError: first", "ValueError: second"]
    results = results_frame(cells)
    failed = average_ranks(results, "f1")

    assert set(failed.index) == {"A", "B", "C"}
    # On d1 A drops from rank 1 to 3 with lr, from 2 to 3 with rf.
    assert failed.loc["A", "lr"] == pytest.approx(clean.loc["A", "lr"] + 2 / 3)
    assert failed.loc["A", "rf"] == pytest.approx(clean.loc["A", "rf"] + 1 / 3)
    assert failed.loc["A", ALL_CLASSIFIERS] > clean.loc["A", ALL_CLASSIFIERS]

    table = failures_table(results)
    assert table[["dataset", "sampler", "classifier"]].values.tolist() == [
        ["d1", "A", "lr"],
        ["d1", "A", "rf"],
    ]
    assert table["n_failed"].tolist() == [1, 2]
    assert table["n_rows"].tolist() == [2, 2]
    assert table["first_error"].tolist() == ["MemoryError", "ValueError: first"]


def test_summarise_uses_successful_folds():
    cells = toy_cells()
    cells["d1", "A", "lr"] = [0.9, 0.7, "boom"]
    summary = summarise(results_frame(cells), metrics=("f1",))
    row = summary.set_index(["dataset", "sampler", "classifier", "metric"]).loc[
        ("d1", "A", "lr", "f1")
    ]
    assert row["mean"] == pytest.approx(0.8)
    assert row["sd"] == pytest.approx(np.std([0.9, 0.7], ddof=1))
    assert (row["n_ok"], row["n_failed"]) == (2, 1)
    assert len(summary) == 3 * 3 * 2


# ---------------------------------------------------------------------------
# the report


def linked_files(report):
    return re.findall(r"\]\(([^)]+)\)", report.read_text(encoding="utf-8"))


def test_write_report_writes_every_file(tmp_path):
    pytest.importorskip("matplotlib")
    results = results_frame(report_cells())
    path = write_report(results, tmp_path / "out")

    assert path == tmp_path / "out" / "report.md"
    for name in ["summary", "ranks", "friedman", "holm", "timing", "failures"]:
        assert (path.parent / f"{name}.csv").stat().st_size > 0
    for metric in DEFAULT_METRICS:
        for kind in ["cd", "ranks"]:
            for suffix in ["png", "svg"]:
                assert (path.parent / "figures" / f"{kind}_{metric}.{suffix}").is_file()
    links = linked_files(path)
    assert len(links) == 4 * len(DEFAULT_METRICS)
    assert all((path.parent / link).is_file() for link in links)

    timing = pd.read_csv(path.parent / "timing.csv").set_index("sampler")
    assert timing.loc["SMOTE", "failed_rows"] == 1
    assert timing.loc["KNNOR", "median_fit_resample_seconds"] == pytest.approx(0.02)
    ranks = pd.read_csv(path.parent / "ranks.csv")
    assert set(ranks["classifier"]) == {"lr", "tree", ALL_CLASSIFIERS}
    friedman = pd.read_csv(path.parent / "friedman.csv").set_index(["metric", "classifier"])
    assert friedman.loc[("f1", "lr"), "reject"]
    assert not friedman.loc[("f1", "tree"), "reject"]

    assert set(ranks["metric"]) == set(DEFAULT_METRICS)
    assert set(pd.read_csv(path.parent / "summary.csv")["metric"]) == set(DEFAULT_METRICS)

    text = path.read_text(encoding="utf-8")
    assert "## Minority precision (`precision`)" in text
    assert "## Minority recall (`recall`)" in text
    assert "Not reported" not in text
    assert "tree: the Friedman test does not reject" in text
    assert "ValueError: boom" in text
    assert "| d0 | SMOTE | lr | 1 | 3 | ValueError: boom |" in text
    assert "**1.00**" in text  # KNNOR's best rank with lr, in bold
    assert "- Datasets: 6" in text


def test_write_report_without_matplotlib(tmp_path, monkeypatch):
    for name in ["matplotlib", "matplotlib.figure"]:
        monkeypatch.setitem(sys.modules, name, None)
    path = write_report(results_frame(report_cells()), tmp_path, metrics=("f1", "roc_auc"))

    text = path.read_text(encoding="utf-8")
    assert "matplotlib is not installed" in text
    assert linked_files(path) == []
    assert not (tmp_path / "figures").exists()
    assert (tmp_path / "ranks.csv").is_file()
    assert set(pd.read_csv(tmp_path / "holm.csv")["metric"]) == {"f1", "roc_auc"}


def test_default_metrics_are_every_protocol_metric():
    assert set(DEFAULT_METRICS) == set(METRICS)
    assert DEFAULT_METRICS[:4] == ("f1", "gmean", "precision", "recall")


def test_write_report_on_results_saved_before_precision_and_recall(tmp_path, monkeypatch):
    for name in ["matplotlib", "matplotlib.figure"]:  # figures are not the point here
        monkeypatch.setitem(sys.modules, name, None)
    results = results_frame(report_cells()).drop(columns=["precision", "recall"])
    path = write_report(results, tmp_path)

    text = path.read_text(encoding="utf-8")
    assert "*Not reported, as the results have no column for them: `precision`, `recall`.*" in text
    assert "(`precision`)" not in text
    assert "## F1 (`f1`)" in text
    older = set(DEFAULT_METRICS) - {"precision", "recall"}
    for name in ["ranks", "friedman", "holm", "summary"]:
        assert set(pd.read_csv(tmp_path / f"{name}.csv")["metric"]) == older
    with pytest.raises(ValueError, match="every metric"):
        write_report(results, tmp_path, metrics=("precision", "recall"))


def test_write_report_needs_the_control(tmp_path):
    with pytest.raises(ValueError, match="control sampler 'ROS'"):
        write_report(results_frame(report_cells()), tmp_path, control="ROS")
