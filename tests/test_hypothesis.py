"""KNNOR's promises on random inputs, checked by brute force on the returned values.

Hypothesis draws small integers and flags (sizes, dimensions, parameters, a
seed); numpy builds the arrays from the seed. Every run of the same code draws
the same examples (``derandomize=True``, no example database), so CI is
deterministic; set ``KNNOR_HYPOTHESIS_EXAMPLES`` to run more of them locally.
Hypothesis also mixes the numeric literals of the loaded local modules into
its draws, so an edit of knnor, or running this file within the whole suite,
can change which examples are drawn. A failure prints its ``Case``;
``check_case(Case(...))`` replays it outside Hypothesis.

The promises, for every over-sampled class:

1. the original rows come first and unchanged (values, dtypes, container,
   column names), and the caller's ``X`` and ``y`` are left as they were;
2. each class gets exactly the rows asked for, or a ``UserWarning`` reports
   the shortfall and ``class_stats_[label]["n_accepted"]`` is what came back;
3. no synthetic row equals another returned row, compared as returned;
4. the reliability filter holds, recomputed from the returned values;
5. the same ``random_state`` gives bit-identical output with 1 and 2 threads;
6. every synthetic row lies in the per-column range of its class's rows.
"""

import math
import os
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, currently_in_test_context, event, given, note, settings
from hypothesis import strategies as st
from test_reference import nearest_rows, quorum_for

from knnor import KNNOR
from knnor._neighbourhood import TREE_MAX_FEATURES

EXAMPLES = int(os.environ.get("KNNOR_HYPOTHESIS_EXAMPLES", "100"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

CONTAINERS = ("float64", "float32", "frame")
COLUMN_DTYPES = ("float64", "float32", "int64", "Int64", "bool")
LABEL_SETS = ((0, 1, 2), (7, -1, 3), ("no", "yes", "maybe"))
SCALES = ("unit", "mixed", "tiny", "huge")
#: The filter rules KNNOR accepts, whichever they are.
RULES = tuple(sorted(KNNOR._parameter_constraints["filter_rule"][0].options))


@dataclass(frozen=True)
class Case:
    """One drawn example: how to build the data, and KNNOR's parameters."""

    seed: int
    n_features: int
    sizes: tuple  # rows per class, in label order
    labels: tuple
    separation: float  # distance between class centres, in units of the spread
    scale: str
    offset: float
    ties: bool  # values on a coarse grid: many equal distances
    n_duplicates: int  # rows copied within their class
    cross_duplicate: bool  # a minority row copied into the first class
    shuffle: bool
    container: str
    column_dtypes: tuple  # for the "frame" container
    n_neighbors: int
    max_dist_point: float
    proportion_minority: float
    filter_rule: str
    filter_neighbors: object
    extra: object  # "auto", or rows to add per class (None: class left out)
    random_state: int


# Mostly a grid of (0, 1]; one draw in four any float down to 1e-100. Smaller
# steps can move a row by less than 1e-162, whose square underflows: see
# test_step_whose_square_underflows_is_kept (an xfail).
UNIT_INTERVAL = st.one_of(*[st.integers(1, 100).map(lambda i: i / 100)] * 3, st.floats(1e-100, 1))


@st.composite
def cases(draw):
    n_features = draw(
        st.one_of(
            st.integers(1, TREE_MAX_FEATURES),  # kd-tree search
            st.integers(TREE_MAX_FEATURES + 1, 24),  # BLAS scan
        )
    )
    n_classes = draw(st.integers(2, 3))
    sizes = [draw(st.integers(20, 150)), draw(st.integers(6, 40))]
    if n_classes == 3:
        sizes.append(draw(st.integers(6, 80)))
    labels = draw(st.sampled_from(LABEL_SETS))[:n_classes]
    container = draw(st.sampled_from(CONTAINERS))
    column_dtypes = ()
    if container == "frame":
        dtypes = st.lists(st.sampled_from(COLUMN_DTYPES), min_size=n_features, max_size=n_features)
        column_dtypes = tuple(draw(dtypes))
    extra = draw(
        st.one_of(
            st.just("auto"),
            st.tuples(*[st.one_of(*[st.integers(0, 80)] * 3, st.none())] * n_classes),
        )
    )
    return Case(
        seed=draw(st.integers(0, 2**32 - 1)),
        n_features=n_features,
        sizes=tuple(sizes),
        labels=labels,
        separation=draw(st.sampled_from([3.0, 1.0, 0.3, 0.0])),
        scale=draw(st.sampled_from(SCALES)),
        offset=draw(st.sampled_from([0.0, 1e4])),
        ties=draw(st.booleans()),
        n_duplicates=draw(st.integers(0, 5)),
        cross_duplicate=draw(st.booleans()),
        shuffle=draw(st.booleans()),
        container=container,
        column_dtypes=column_dtypes,
        n_neighbors=draw(st.integers(1, 5)),
        max_dist_point=draw(UNIT_INTERVAL),
        proportion_minority=draw(UNIT_INTERVAL),
        filter_rule=draw(st.sampled_from(RULES)),
        filter_neighbors=draw(st.one_of(st.just("auto"), st.integers(1, 6))),
        extra=extra,
        random_state=draw(st.integers(0, 2**31 - 1)),
    )


def make_data(case):
    """(X in the case's container, y as a numpy array) built from ``case.seed``."""
    rng = np.random.default_rng(case.seed)
    d = case.n_features
    centres = rng.normal(size=(len(case.sizes), d)) * case.separation
    blobs = zip(centres, case.sizes, strict=True)
    raw = np.vstack([rng.normal(centre, 1.0, size=(n, d)) for centre, n in blobs])
    y = np.repeat(np.arange(len(case.sizes)), case.sizes)
    if case.ties:
        raw = np.round(raw * 2) / 2
    if case.n_duplicates:
        copies = rng.choice(len(raw), size=case.n_duplicates)
        raw, y = np.vstack([raw, raw[copies]]), np.concatenate([y, y[copies]])
    if case.cross_duplicate:
        row = np.flatnonzero(y == 1)[0]
        raw, y = np.vstack([raw, raw[row]]), np.append(y, 0)
    if case.shuffle:
        order = rng.permutation(len(raw))
        raw, y = raw[order], y[order]
    column_scale = {
        "unit": np.ones(d),
        "mixed": 10.0 ** rng.uniform(-3, 3, size=d),
        "tiny": np.full(d, 1e-6),
        "huge": np.full(d, 1e6),
    }[case.scale]
    values = raw * column_scale + case.offset
    y = np.asarray(case.labels)[y]
    if case.container == "float64":
        return values, y
    if case.container == "float32":
        return values.astype(np.float32), y
    columns = {}
    for j, dtype in enumerate(case.column_dtypes):
        name = f"c{j}"
        if dtype in ("float64", "float32"):
            columns[name] = values[:, j].astype(dtype)
        elif dtype == "bool":
            columns[name] = raw[:, j] > 0
        else:  # integers keep a spread of a few units, whatever the scale
            spread = 10.0 ** min(3, max(0, round(np.log10(column_scale[j]))))
            columns[name] = pd.array(np.round(raw[:, j] * 3 * spread).astype(np.int64), dtype)
    return pd.DataFrame(columns), y


def sampler_for(case, y, **kwargs):
    labels, counts = np.unique(y, return_counts=True)
    count = dict(zip(labels.tolist(), counts.tolist(), strict=True))
    if case.extra == "auto":
        strategy = "auto"
    else:
        strategy = {
            label: count[label] + extra
            for label, extra in zip(case.labels, case.extra, strict=True)
            if extra is not None
        }
        if not strategy:
            strategy = {case.labels[1]: count[case.labels[1]]}
    return KNNOR(
        sampling_strategy=strategy,
        n_neighbors=case.n_neighbors,
        max_dist_point=case.max_dist_point,
        proportion_minority=case.proportion_minority,
        filter_rule=case.filter_rule,
        filter_neighbors=case.filter_neighbors,
        random_state=case.random_state,
        **kwargs,
    )


def resample(sampler, X, y):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        X_res, y_res = sampler.fit_resample(X, y)
    shortfalls = [
        str(w.message)
        for w in caught
        if issubclass(w.category, UserWarning) and str(w.message).startswith("KNNOR accepted")
    ]
    return X_res, y_res, shortfalls


def as_float64(X):
    """The returned values as float64, -0.0 made 0.0.

    Every returned dtype here (float32, float64, int64 and Int64 of a few
    thousand at most, bool) converts to float64 exactly and one-to-one, so
    rows equal in float64 are exactly the rows equal as returned.
    """
    values = X.to_numpy(dtype=np.float64) if isinstance(X, pd.DataFrame) else np.asarray(X)
    return values.astype(np.float64) + 0.0


def tell(what, value):
    """Hypothesis' event (coverage, shown by ``--hypothesis-show-statistics``),
    or a note printed with a failure (``what=None``); nothing outside a test,
    so that ``check_case(Case(...))`` replays a printed example as it is."""
    if not currently_in_test_context():
        return
    if what is None:
        note(value)
    else:
        event(what, value)


def check_originals(X, y, X_before, y_before, X_res, y_res):
    """Promise 1."""
    n = len(y)
    assert type(X_res) is type(X)
    if isinstance(X, pd.DataFrame):
        assert list(X_res.columns) == list(X.columns)
        assert list(X_res.dtypes) == list(X.dtypes)
        pd.testing.assert_frame_equal(X_res.iloc[:n], X, check_exact=True)
        pd.testing.assert_frame_equal(X, X_before, check_exact=True)
    else:
        assert X_res.dtype == X.dtype
        assert X_res[:n].tobytes() == X_before.tobytes()
        assert X.tobytes() == X_before.tobytes()
    assert y_res.dtype == y.dtype
    np.testing.assert_array_equal(y_res[:n], y_before)
    np.testing.assert_array_equal(y, y_before)


def check_counts(case, y, sampler, y_res, shortfalls):
    """Promise 2."""
    labels, counts = np.unique(y, return_counts=True)
    count = dict(zip(labels.tolist(), counts.tolist(), strict=True))
    requested = sampler.sampling_strategy_
    if case.extra == "auto":
        assert len(requested) == len(count) - 1
        assert all(n == max(count.values()) - count[label] for label, n in requested.items())
    else:
        strategy = sampler.sampling_strategy
        assert requested == {label: target - count[label] for label, target in strategy.items()}
    new_labels = y_res[len(y) :]
    wanted = {label: n for label, n in requested.items() if n > 0}
    assert set(sampler.class_stats_) == set(wanted)
    assert set(np.unique(new_labels).tolist()) <= set(wanted)
    n_short = 0
    for label, stats in sampler.class_stats_.items():  # labels as Python scalars
        n_wanted = wanted[label]
        returned = int((new_labels == label).sum())
        assert stats["n_requested"] == n_wanted
        assert stats["n_accepted"] == returned
        message = f"accepted {returned} of the {n_wanted} samples requested for class {label!r}"
        if returned < n_wanted:
            n_short += 1
            assert any(message in text for text in shortfalls), (message, shortfalls)
        else:
            assert returned == n_wanted
    assert len(shortfalls) == n_short, shortfalls


def check_no_duplicates(values, n):
    """Promise 3: no new row equals any other returned row, of any class."""
    _, inverse, counts = np.unique(values, axis=0, return_inverse=True, return_counts=True)
    inverse = inverse.ravel()
    for i in np.flatnonzero(counts[inverse[n:]] > 1):
        equal = np.flatnonzero(inverse == inverse[n + i])
        raise AssertionError(f"synthetic row {i} equals returned rows {equal[equal != n + i]}")


def check_filter(case, values, y_res, n, provenance):
    """Promises 4 and 6, and the provenance they rely on."""
    X, y = values[:n], y_res[:n]
    synthetic, synthetic_y = values[n:], y_res[n:]
    assert provenance.shape == (len(synthetic), case.n_neighbors + 1)
    for i, (point, label, walk) in enumerate(zip(synthetic, synthetic_y, provenance, strict=True)):
        rows = walk[walk >= 0]
        assert (walk[len(rows) :] == -1).all()
        assert (y[rows] == label).all(), f"synthetic row {i} walked rows of another class"
        k = len(rows) - 1
        assert min(2, case.n_neighbors) <= k <= case.n_neighbors
        class_x = X[y == label]
        assert (point >= class_x.min(axis=0)).all(), f"synthetic row {i} below its class range"
        assert (point <= class_x.max(axis=0)).all(), f"synthetic row {i} above its class range"
        order, dist = nearest_rows(X, point)
        assert dist[order[0]] > 0, f"synthetic row {i} at squared distance 0 from row {order[0]}"
        if case.filter_rule == "unanimous" and case.filter_neighbors == "auto":
            nearest = order[: math.isqrt(k)]  # the paper's rule, with the k of this walk
            assert (y[nearest] == label).all(), f"synthetic row {i}: nearest rows {nearest}"
            continue
        n_class = int((y == label).sum())
        votes = case.n_neighbors if case.filter_neighbors == "auto" else case.filter_neighbors
        n_votes = min(votes, n_class - 1)
        needed = quorum_for(case.filter_rule, n_votes)
        in_class = int((y[order[:n_votes]] == label).sum())
        assert in_class >= needed, (
            f"synthetic row {i}: {in_class} of its {n_votes} nearest rows are of its "
            f"class, {needed} needed"
        )


def assert_bit_identical(first, second):
    """Promise 5: two runs' (X_res, y_res, provenance_, class_stats_) are the same bits."""
    (X1, y1, provenance1, stats1), (X2, y2, provenance2, stats2) = first, second
    if isinstance(X1, pd.DataFrame):
        assert list(X1.dtypes) == list(X2.dtypes)
        pd.testing.assert_frame_equal(X1, X2, check_exact=True)
        X1, X2 = X1.to_numpy(np.float64), X2.to_numpy(np.float64)  # keeps every bit
    assert X1.dtype == X2.dtype and X1.shape == X2.shape
    assert X1.tobytes() == X2.tobytes()
    np.testing.assert_array_equal(y1, y2)
    np.testing.assert_array_equal(provenance1, provenance2)
    assert stats1 == stats2


def check_case(case):
    X, y = make_data(case)
    X_before = X.copy(deep=True) if isinstance(X, pd.DataFrame) else X.copy()
    y_before = y.copy()
    n = len(y)

    runs = []
    for n_jobs in (1, 2):
        sampler = sampler_for(case, y, n_jobs=n_jobs)
        X_res, y_res, shortfalls = resample(sampler, X, y)
        runs.append((X_res, y_res, sampler.provenance_, sampler.class_stats_))
    tell(None, f"class_stats_ = {sampler.class_stats_}")
    tell("search", "kd-tree" if case.n_features <= TREE_MAX_FEATURES else "BLAS scan")
    tell("container", case.container)
    tell("filter_rule", case.filter_rule)
    tell("outcome", "shortfall warned" if shortfalls else "all rows made")
    tell("synthetic rows", "none" if len(y_res) == n else "some")
    assert_bit_identical(*runs)

    check_originals(X, y, X_before, y_before, X_res, y_res)
    check_counts(case, y, sampler, y_res, shortfalls)
    values = as_float64(X_res)
    check_no_duplicates(values, n)
    check_filter(case, values, np.asarray(y_res), n, sampler.provenance_)


@SETTINGS
@given(case=cases())
def test_returned_values_keep_the_promises(case):
    check_case(case)


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="knnor bug: the unanimous filter's certificate (filter.certificate_verdict) "
    "tells duplicates by exact equality, while the reference, the vote rules and the "
    "tree and BLAS steps reject a squared distance of 0; a row moved by less than "
    "1e-162 from its seed is kept, at squared distance 0 from it",
)
def test_step_whose_square_underflows_is_kept():
    # Falsifying example found by test_returned_values_keep_the_promises, reduced:
    # the only seed, (2, 0), walks toward (2, 1) by alpha = 5e-324, to (2, 5e-324).
    minority = np.array([[2.0, 0.0], [2.0, 1.0], [3.5, 2.5], [3.5, 1.5], [2.5, -1.0], [0.5, 0.5]])
    majority = np.column_stack([-10.0 - np.arange(20), np.full(20, -10.0)])
    X, y = np.vstack([majority, minority]), np.repeat([0, 1], [20, 6])
    sampler = KNNOR(n_neighbors=1, max_dist_point=5e-324, proportion_minority=0.01, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # a shortfall, whatever the verdict
        X_res, _ = sampler.fit_resample(X, y)
    for point in X_res[len(X) :]:
        order, dist = nearest_rows(X, point)
        assert dist[order[0]] > 0, f"{point.tolist()} at squared distance 0 from row {order[0]}"


def test_classes_share_a_new_row():
    # Found by test_returned_values_keep_the_promises (rule "relative", removed
    # since), rebuilt by hand for "majority". Class 0 walks 0 -> 10 and keeps 1
    # (nearest row 0); class 1 walks -3 -> 3 and keeps 1 too (2 of its 3 nearest).
    X = pd.DataFrame({"c0": [0, 10, -3, 3, 40, 41, 42, 43, 44, 45]})
    y = np.repeat([0, 1], [2, 8])
    sampler = KNNOR(
        sampling_strategy={0: 10, 1: 16},
        n_neighbors=1,
        max_dist_point=1.0,
        proportion_minority=1.0,
        filter_rule="majority",
        filter_neighbors=3,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # a shortfall: few integers to make
        X_res, y_res = sampler.fit_resample(X, y)
    new = X_res.iloc[len(X) :]
    assert not new.duplicated(keep=False).any(), (new["c0"].tolist(), y_res[len(X) :].tolist())
