"""The long-tailed image benchmark: metrics, samplers, a task, the runner, the report, the CLI."""

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from knnor.benchmark import image_runner
from knnor.benchmark.cli import main
from knnor.benchmark.image_protocol import (
    IMAGE_METRICS,
    IMAGE_RESULT_COLUMNS,
    TOO_SMALL,
    class_weighting,
    image_metrics,
    make_image_classifier,
    run_image_task,
)
from knnor.benchmark.image_runner import run_image_benchmark
from knnor.benchmark.image_samplers import (
    IMAGE_SAMPLERS,
    LatentSMOTE,
    make_image_sampler,
    min_class_size,
    too_small_classes,
)
from knnor.benchmark.report.image import _blocks, write_image_report
from knnor.benchmark.report.stats import dataset_scores, rank_blocks
from knnor.datasets import ImageDataset

TASK_KEYS = set(IMAGE_RESULT_COLUMNS) - {"dataset", "imbalance_ratio", "sampler", "repeat"}


def blobs(counts=(40, 20, 6), shape=(6, 6), seed=0):
    """uint8 images 0..200: each class a bright square at its own place, plus noise."""
    rng = np.random.default_rng(seed)
    images, labels = [], []
    for label, n in enumerate(counts):
        base = np.zeros(shape)
        base[label : label + 3, label : label + 3] = 150
        noise = rng.integers(0, 50, size=(n, *shape))
        images.append((base + noise).astype(np.uint8))
        labels += [label] * n
    return np.concatenate(images), np.array(labels)


# ---------------------------------------------------------------------------
# metrics


def independent_metrics(y_true, y_pred, n_classes):
    """ACSA, G-mean and macro-F1 from a confusion matrix built by hand."""
    matrix = np.zeros((n_classes, n_classes))
    for t, p in zip(y_true, y_pred, strict=True):
        matrix[t, p] += 1
    recall = np.diag(matrix) / matrix.sum(axis=1)
    predicted = matrix.sum(axis=0)
    precision = np.divide(np.diag(matrix), predicted, out=np.zeros(n_classes), where=predicted > 0)
    both = precision + recall
    f1 = np.divide(2 * precision * recall, both, out=np.zeros(n_classes), where=both > 0)
    return recall.mean(), float(np.prod(recall)) ** (1 / n_classes), f1.mean()


@pytest.mark.parametrize("seed", range(3))
def test_metrics_against_a_confusion_matrix(seed):
    rng = np.random.default_rng(seed)
    y_true = np.repeat(np.arange(4), 25)
    y_pred = np.where(rng.random(100) < 0.7, y_true, rng.integers(0, 4, 100))
    acsa, gmean, macro_f1 = independent_metrics(y_true, y_pred, 4)
    scores = image_metrics(y_true, y_pred, np.arange(4))
    assert set(scores) == set(IMAGE_METRICS)
    assert scores["balanced_accuracy"] == pytest.approx(acsa)
    assert scores["gmean"] == pytest.approx(gmean)
    assert scores["macro_f1"] == pytest.approx(macro_f1)
    assert 0 < scores["gmean"] <= scores["balanced_accuracy"]  # geometric <= arithmetic mean


def test_gmean_is_zero_when_a_class_is_never_recognised():
    y_true = np.repeat(np.arange(3), 4)
    y_pred = np.where(y_true == 2, 0, y_true)  # class 2 always wrong, never predicted
    scores = image_metrics(y_true, y_pred, np.arange(3))
    assert scores["gmean"] == 0.0
    assert scores["balanced_accuracy"] == pytest.approx(2 / 3)
    # a class that is in the dataset but absent from the prediction still counts
    assert image_metrics(y_true, y_true, np.arange(4))["balanced_accuracy"] == pytest.approx(0.75)


# ---------------------------------------------------------------------------
# samplers


@pytest.mark.parametrize("name", [n for n in IMAGE_SAMPLERS if n not in ("none", "class_weight")])
def test_samplers_return_images_like_the_input_originals_first(name):
    X, y = blobs()
    X_res, y_res = make_image_sampler(name, 0).fit_resample(X, y)
    assert X_res.shape[1:] == X.shape[1:] and X_res.dtype == np.uint8
    np.testing.assert_array_equal(X_res[: len(X)], X)
    np.testing.assert_array_equal(y_res[: len(y)], y)
    assert X_res.min() >= X.min() and X_res.max() <= X.max()
    counts = np.bincount(y_res)
    assert counts[0] == 40 and counts[1:].max() <= 40 and counts[1:].min() > 6
    assert min_class_size(make_image_sampler(name, 0)) == (1 if name == "random" else 4)


def test_latent_smote_decodes_new_images_off_the_originals():
    X, y = blobs()
    X_res, y_res = make_image_sampler("smote_latent", 0).fit_resample(X, y)
    new = X_res[len(X) :].reshape(len(X_res) - len(X), -1)
    originals = {row.tobytes() for row in X.reshape(len(X), -1)}
    assert sum(row.tobytes() in originals for row in new) < len(new) / 2
    # one seed, one result
    assert np.array_equal(make_image_sampler("smote_latent", 0).fit_resample(X, y)[0], X_res)


def test_too_small_classes_follow_k_and_the_sampling_strategy():
    X, y = blobs(counts=(40, 20, 3))
    assert too_small_classes(make_image_sampler("knnor_pixels", 0), y) == [(2, 3)]
    assert too_small_classes(make_image_sampler('knnor_pixels{"n_neighbors": 2}', 0), y) == []
    assert too_small_classes(make_image_sampler("smote_pixels", 0), y) == [(2, 3)]
    assert too_small_classes(make_image_sampler("random", 0), y) == []
    assert too_small_classes(LatentSMOTE(sampling_strategy={1: 40}), y) == []  # 2 not grown
    assert too_small_classes(LatentSMOTE(sampling_strategy={2: 40}), y) == [(2, 3)]


# ---------------------------------------------------------------------------
# one task


def test_task_rows_and_the_too_small_status():
    X, y = blobs(counts=(40, 20, 3))
    train = np.arange(len(y))[np.arange(len(y)) % 5 != 0]
    test = np.setdiff1d(np.arange(len(y)), train)
    assert np.sum(y[train] == 2) == 2  # two tail images to learn from
    for name in ("smote_pixels", "knnor_latent"):
        rows = run_image_task(X, y, train, test, name, ["knn", "logistic"], pixel_max=200, seed=0)
        assert [row["status"] for row in rows] == [TOO_SMALL] * 2
        assert "class 2 has 2 training image(s)" in rows[0]["error"]
        assert f"{name} needs k + 1 = 4" in rows[0]["error"]
        assert all(np.isnan(row["balanced_accuracy"]) for row in rows)
    rows = run_image_task(X, y, train, test, "random", ["knn", "logistic"], pixel_max=200, seed=0)
    assert [row["status"] for row in rows] == ["ok", "ok"]
    assert set(rows[0]) == TASK_KEYS
    assert rows[0]["n_synthetic"] == 2 * np.sum(y[train] == 0) - np.sum(y[train] != 0)
    assert (rows[0]["n_head"], rows[0]["n_tail"]) == (np.sum(y[train] == 0), 2)


def test_class_weight_weighs_where_the_classifier_can():
    X, y = blobs(counts=(60, 20, 8), seed=1)
    train = np.arange(len(y))[np.arange(len(y)) % 3 != 0]
    test = np.setdiff1d(np.arange(len(y)), train)
    classifiers = ["knn", "logistic", "mlp"]
    weighted = run_image_task(X, y, train, test, "class_weight", classifiers, pixel_max=200)
    plain = run_image_task(X, y, train, test, "none", classifiers, pixel_max=200)
    assert [row["weighting"] for row in weighted] == ["none", "class_weight", "sample_weight"]
    assert [row["weighting"] for row in plain] == ["", "", ""]
    assert weighted[0]["balanced_accuracy"] == plain[0]["balanced_accuracy"]  # knn: unchanged
    assert class_weighting(make_image_classifier("logistic", 0)) == "class_weight"
    assert class_weighting(LogisticRegression()) == "class_weight"

    seen = {}

    class Spy(LogisticRegression):
        def fit(self, X, y, sample_weight=None):
            seen["class_weight"] = self.class_weight
            return super().fit(X, y, sample_weight=sample_weight)

    pipeline = make_image_classifier("logistic", 0)
    pipeline.steps[-1] = ("model", Spy(max_iter=300))
    run_image_task(X, y, train, test, "class_weight", {"spy": pipeline}, pixel_max=200)
    assert seen["class_weight"] == "balanced"


def test_classifiers_see_flattened_pixels_scaled_to_one():
    X, y = blobs()
    pipeline = make_image_classifier("knn", 0, pixel_max=200).fit(X, y)
    scaled = pipeline[:-1].transform(X)
    assert scaled.shape == (len(X), 36)
    np.testing.assert_allclose(scaled, X.reshape(len(X), -1) / 200)


# ---------------------------------------------------------------------------
# runner, report and command line


def small_digits():
    from knnor.datasets import load_image_dataset

    data = load_image_dataset("digits")
    keep = data.y < 4
    return ImageDataset("digits4", data.images[keep], data.y[keep], 16)


def test_runner_splits_are_balanced_nested_and_new_each_repeat():
    prepared, summary = image_runner._prepare([small_digits()], [5, 40], 2, seed=0)
    splits = prepared[0].splits
    y = prepared[0].y
    for repeat in range(2):
        (train5, test5), (train40, test40) = splits[5, repeat], splits[40, repeat]
        np.testing.assert_array_equal(test5, test40)
        held_out = np.unique(y, return_counts=True)[1].min() // 5
        assert np.unique(y[test5], return_counts=True)[1].tolist() == [held_out] * 4
        assert set(train40) < set(train5) and not set(train5) & set(test5)
        counts = np.unique(y[train40], return_counts=True)[1]
        assert counts[0] > counts[-1] and counts.tolist() == sorted(counts, reverse=True)
    assert not np.array_equal(splits[5, 0][1], splits[5, 1][1])
    assert [line["imbalance_ratio"] for line in summary] == [5, 40]


def test_runner_resumes_and_the_report_ranks_too_small_last(tmp_path, monkeypatch):
    kwargs = {"imbalance_ratios": [4, 60], "n_repeats": 1, "out_dir": tmp_path, "progress": False}
    samplers, classifiers = ["none", "smote_pixels"], ["knn"]
    first = run_image_benchmark([small_digits()], samplers, classifiers, **kwargs)
    assert list(first.columns) == IMAGE_RESULT_COLUMNS and len(first) == 4
    small = first.query("imbalance_ratio == 60 and sampler == 'smote_pixels'")
    assert small["status"].tolist() == [TOO_SMALL]
    assert first.query("status != @TOO_SMALL")["status"].eq("ok").all()
    run = json.loads((tmp_path / "run.json").read_text())
    assert run["task"] == "image" and run["imbalance_ratios"] == [4, 60]

    monkeypatch.setattr(image_runner, "run_image_task", lambda *a, **k: pytest.fail("rerun"))
    again = run_image_benchmark([small_digits()], samplers, classifiers, **kwargs)
    pd.testing.assert_frame_equal(again, first)

    report = write_image_report(first, tmp_path / "report", control="smote_pixels").read_text()
    # too small scores 0 in its block, so smote_pixels ranks last there; the average
    # rank the report gives is the mean over both blocks
    block_ranks = rank_blocks(dataset_scores(_blocks(first), "balanced_accuracy"))
    assert block_ranks.loc[("knn", "digits4 IR 60")].to_dict() == {
        "none": 1.0,
        "smote_pixels": 2.0,
    }
    ranks = pd.read_csv(tmp_path / "report" / "ranks.csv").query("classifier == 'knn'")
    smote = ranks.query("sampler == 'smote_pixels'").set_index("metric")["average_rank"]
    assert smote["balanced_accuracy"] == pytest.approx(block_ranks["smote_pixels"].mean())
    assert "digits4 IR 60: smote_pixels (class 3 has" in report
    assert "| knn | smote_pixels |" in report and "too small |" in report
    means = pd.read_csv(tmp_path / "report" / "means.csv")
    assert (
        means.query("sampler == 'smote_pixels' and imbalance_ratio == 60")["n_too_small"]
        .eq(1)
        .all()
    )


def test_cli_runs_digits_end_to_end_and_resumes(tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"

    def image_run(ratios="10"):
        argv = ["run", "--task", "image", "--suite", "digits", "--imbalance-ratios", ratios]
        argv += ["--samplers", "none,random,knnor_latent", "--classifiers", "knn"]
        return [*argv, "--repeats", "1", "--out", str(out), "--quiet"]

    argv = image_run()
    assert main(argv) == 0
    results = pd.read_csv(out / "results.csv")
    assert len(results) == 3 and results["status"].eq("ok").all()
    assert set(results["sampler"]) == {"none", "random", "knnor_latent"}
    assert results.set_index("sampler")["n_synthetic"]["none"] == 0
    assert (results.set_index("sampler")["n_synthetic"].drop("none") > 0).all()
    report = (out / "report.md").read_text()
    assert report.startswith("# Long-tailed image benchmark report")
    assert "control: **knnor_latent**" in report and "digits IR 10" in report

    monkeypatch.setattr(image_runner, "run_image_task", lambda *a, **k: pytest.fail("rerun"))
    assert main(argv) == 0
    again = tmp_path / "again"
    assert main(["report", str(out), "--out", str(again)]) == 0  # the task read from columns
    assert (again / "report.md").read_text() == report

    capsys.readouterr()
    assert main([*argv, "--folds", "3"]) == 2
    assert "--folds is for --task classification or regression" in capsys.readouterr().err
    assert main(image_run("10,0.5")) == 2
    assert "an imbalance ratio must be at least 1, got 0.5" in capsys.readouterr().err
    assert main(["run", "--imbalance-ratios", "10", "--out", str(out), "--quiet"]) == 2
    assert "--imbalance-ratios is for --task image" in capsys.readouterr().err
