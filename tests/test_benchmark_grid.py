"""The benchmark grid's edges: the smote-variants adapter, sampler and
classifier specifications, a missing backend, the command line and progress."""

import importlib
import importlib.util
import io
import json
import sys
import types

import numpy as np
import pandas as pd
import pytest
from _benchmark_fixtures import (
    binary,
    dataset,
    three_classes,
)
from imblearn.over_sampling import SMOTE

from knnor.benchmark import (
    make_sampler,
    run_benchmark,
)
from knnor.benchmark.cli import main
from knnor.benchmark.progress import Progress
from knnor.benchmark.specs import parse_spec, split_specs

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


def test_missing_backend_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed
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
    # The CLI imports its runners lazily, and the image runner reads from the real
    # knnor.datasets package: load it before the stand-in replaces the package.
    importlib.import_module("knnor.benchmark.image_runner")
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
