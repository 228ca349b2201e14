"""knnor.datasets.read_table and load_dataset: tables, and the scikit-learn-style Bunch."""

import numpy as np
import pytest
from sklearn.utils import Bunch

from knnor.datasets import (
    get_dataset,
    load_dataset,
    read_table,
)

NAN = np.nan


CSV = """\
size, colour ,label,count
1.5,red,yes,3
 2 ,blue, no ,NA
,red,no,1
4.25,,yes,0
"""
CSV_ONEHOT = [
    [1.5, 0, 1, 3],
    [2, 1, 0, NAN],
    [NAN, 0, 1, 1],
    [4.25, NAN, NAN, 0],
]


def test_read_table_csv(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text(CSV)
    data = read_table(path, target="label")
    np.testing.assert_array_equal(data.X, CSV_ONEHOT)
    assert data.feature_names == ["size", "colour=blue", "colour=red", "count"]  # sorted
    assert data.y.tolist() == ["yes", "no", "no", "yes"]
    assert (data.name, data.source, data.n_missing) == ("table", "file", 4)
    ordinal = read_table(path, target="label", nominal="ordinal")
    np.testing.assert_array_equal(ordinal.X[:, 1], [1, 0, 1, NAN])


def test_read_table_errors(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text(CSV)
    with pytest.raises(ValueError, match="no target column 'class'.*'label'"):
        read_table(path, target="class")
    path.write_text("a,label\n1,x\n2,\n")
    with pytest.raises(ValueError, match="class label missing in data row 2"):
        read_table(path, target="label")
    other = tmp_path / "table.xlsx"
    other.write_text("")
    with pytest.raises(ValueError, match=".csv and .parquet"):
        read_table(other, target="label")


def test_read_table_parquet_keeps_categorical_order(tmp_path):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    frame = pd.DataFrame(
        {
            "size": [1.5, 2.0, NAN, 4.25],
            "colour": pd.Categorical(["red", "blue", "red", None], categories=["red", "blue"]),
            "label": ["yes", "no", "no", "yes"],
            "count": [3, NAN, 1, 0],
        }
    )
    frame.to_parquet(tmp_path / "table.parquet")
    data = read_table(tmp_path / "table.parquet", target="label")
    assert data.feature_names == ["size", "colour=red", "colour=blue", "count"]
    np.testing.assert_array_equal(
        data.X, [[1.5, 1, 0, 3], [2, 0, 1, NAN], [NAN, 1, 0, 1], [4.25, NAN, NAN, 0]]
    )
    assert data.y.tolist() == ["yes", "no", "no", "yes"]


# ---------------------------------------------------------------------------
# load_dataset: scikit-learn's loader conventions


def test_load_dataset_returns_x_y_like_scikit_learn():
    record = get_dataset("glass1")
    X, y = load_dataset("glass1", return_X_y=True)
    np.testing.assert_array_equal(X, record.X)
    np.testing.assert_array_equal(y, record.y)


def test_load_dataset_bunch_fields():
    bunch = load_dataset("abalone9-18")
    assert isinstance(bunch, Bunch)
    assert bunch.data.shape == (731, 10) and bunch.target.shape == (731,)
    assert bunch.feature_names[:3] == ["Sex=M", "Sex=F", "Sex=I"]
    assert bunch.target_names.tolist() == sorted(set(bunch.target.tolist()))
    assert bunch.frame is None and bunch.name == "abalone9-18"
    assert "Nominal attributes (encoded, see feature_names): Sex." in bunch.DESCR
    assert "731 rows, 10 features, 2 classes." in bunch.DESCR
    assert "imbalance ratio 16.40" in bunch.DESCR  # 689 / 42
    assert "Missing values: none." in bunch.DESCR


def test_load_dataset_as_frame():
    pd = pytest.importorskip("pandas")
    bunch = load_dataset("cleveland-0_vs_4", as_frame=True)
    record = get_dataset("cleveland-0_vs_4")
    assert isinstance(bunch.data, pd.DataFrame) and isinstance(bunch.target, pd.Series)
    assert list(bunch.data.columns) == record.feature_names
    assert bunch.target.name == "class"
    assert list(bunch.frame.columns) == [*record.feature_names, "class"]
    np.testing.assert_array_equal(bunch.frame[record.feature_names].to_numpy(), record.X)
    X, y = load_dataset("cleveland-0_vs_4", as_frame=True, return_X_y=True)
    assert isinstance(X, pd.DataFrame) and (y.to_numpy() == record.y).all()


def test_descr_names_the_missing_values_and_the_fix():
    record = get_dataset("cleveland-0_vs_4")
    per_column = np.isnan(record.X).sum(axis=0)
    where = ", ".join(
        f"{name} ({n})"
        for name, n in zip(record.feature_names, per_column.tolist(), strict=True)
        if n
    )
    descr = load_dataset("cleveland-0_vs_4").DESCR
    assert f"Missing values: {int(per_column.sum())} cells, NaN in X, in columns {where}." in descr
    assert "SimpleImputer" in descr and "before the" in descr


def test_following_the_advice_runs_and_ignoring_it_says_what_to_do():
    from imblearn.pipeline import make_pipeline
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_score

    from knnor import KNNOR

    X, y = load_dataset("cleveland-0_vs_4", return_X_y=True)
    with pytest.raises(ValueError, match=r"impute the missing ones before it(.|\n)*contains NaN"):
        KNNOR(random_state=0).fit_resample(X, y)
    model = make_pipeline(SimpleImputer(), KNNOR(random_state=0), LogisticRegression())
    assert cross_val_score(model, X, y == "positive", cv=3, scoring="f1").shape == (3,)
