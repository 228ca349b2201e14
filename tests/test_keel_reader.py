"""knnor.datasets.read_keel on hand-written KEEL files: encodings, columns, errors."""

import numpy as np
import pytest

from knnor.datasets import (
    list_datasets,
    read_keel,
)

NAN = np.nan


TOY = """\
@relation toy
% a comment
@attribute Colour {red, green, blue}
@attribute Size real [0.0, 10.0]
@attribute  Count   integer[0,5]
@attribute Class{pos,neg}
@inputs Colour, Size, Count
@outputs Class
@data
red, 1.5, 3, neg
 blue ,?,2,pos

green,2.25, <null> ,neg
?, 4, 0, neg
"""


@pytest.fixture
def toy(tmp_path):
    path = tmp_path / "toy.dat"
    path.write_text(TOY.replace("\n", "\r\n"))  # Windows line ends too
    return path


def test_keel_onehot_matches_hand_computed(toy):
    data = read_keel(toy)
    expected = np.array(
        [
            [1, 0, 0, 1.5, 3],
            [0, 0, 1, NAN, 2],
            [0, 1, 0, 2.25, NAN],
            [NAN, NAN, NAN, 4, 0],
        ]
    )
    assert data.X.dtype == np.float64
    np.testing.assert_array_equal(data.X, expected)
    assert data.feature_names == ["Colour=red", "Colour=green", "Colour=blue", "Size", "Count"]
    assert data.y.tolist() == ["neg", "pos", "neg", "neg"]
    assert data.n_missing == 5  # one Size, one Count, three columns for the missing Colour
    assert (data.name, data.source) == ("toy", "file")
    assert (data.n_samples, data.n_features, data.n_classes) == (4, 5, 2)
    assert data.class_counts == {"neg": 3, "pos": 1}
    assert list(data.class_counts) == ["neg", "pos"]
    assert data.imbalance_ratio == 3.0


def test_keel_ordinal_matches_hand_computed(toy):
    data = read_keel(toy, nominal="ordinal", name="other")
    expected = np.array([[0, 1.5, 3], [2, NAN, 2], [1, 2.25, NAN], [NAN, 4, 0]])
    np.testing.assert_array_equal(data.X, expected)
    assert data.feature_names == ["Colour", "Size", "Count"]
    assert data.n_missing == 3
    assert data.name == "other"


def test_keel_outputs_and_inputs_choose_the_columns(tmp_path):
    path = tmp_path / "io.dat"
    path.write_text(
        "@relation io\n"
        "@attribute label {a, b, c}\n"
        "@attribute x real [0, 9]\n"
        "@attribute 'y z' real [0, 9]\n"
        "@input 'y z', x\n"
        "@output label\n"
        "@DATA\n"
        "a, 1, 2\nc, 3, 4\nc, 5, 6\n"
    )
    data = read_keel(path)
    assert data.feature_names == ["y z", "x"]
    np.testing.assert_array_equal(data.X, [[2, 1], [4, 3], [6, 5]])
    assert data.y.tolist() == ["a", "c", "c"]
    assert list(data.class_counts.items()) == [("c", 2), ("a", 1)]  # largest first
    assert data.n_classes == 2  # b is declared but absent


def test_keel_without_outputs_takes_the_last_attribute(tmp_path):
    path = tmp_path / "last.dat"
    path.write_text("@attribute a real\n@attribute k {1, 2}\n@data\n0.5, 2\n1.5, 1\n")
    data = read_keel(path)
    assert data.feature_names == ["a"]
    assert data.y.tolist() == ["2", "1"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("@attribute a real\n@attribute c {p, n}\n@data\n1, p\n2, n, 3\n", ":5: 3 values"),
        ("@attribute a real\n@attribute c {p, n}\n@data\n1, p\nx, n\n", ":5: 'x' is not a number"),
        ("@attribute a {u, v}\n@attribute c {p, n}\n@data\nu, p\nw, n\n", ":5: value 'w'"),
        ("@attribute a real\n@attribute c {p, n}\n@data\n1, p\n2, ?\n", ":5: missing class"),
        ("@attribute a real\n@attribute c {p, n}\n@data\n1, q\n", ":4: value 'q'"),
        ("@attribute a real\n@attribute c {p, n}\n1, p\n", ":3: unexpected header line"),
        ("@attribute a real\n@attribute c {p, n}\n", "no @data"),
        ("@attribute a real\n@attribute c {p, n}\n@data\n", "no data rows"),
        ("@attribute a date\n@attribute c {p, n}\n@data\n", "unsupported type"),
        ("@attribute a real\n@attribute a {p, n}\n@data\n", "declared twice"),
        ("@attribute a real\n@attribute c {p, n}\n@outputs k\n@data\n1, p\n", "'k' is not"),
    ],
)
def test_keel_malformed_files_are_refused_with_file_and_line(tmp_path, text, message):
    path = tmp_path / "bad.dat"
    path.write_text(text)
    with pytest.raises(ValueError, match="bad.dat") as error:
        read_keel(path)
    assert message in str(error.value)


def test_unknown_nominal_encoding_is_refused(toy):
    with pytest.raises(ValueError, match="nominal must be one of"):
        read_keel(toy, nominal="binary")
    with pytest.raises(ValueError, match="nominal must be one of"):
        list_datasets(nominal="dummies")
