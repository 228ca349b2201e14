"""KNNOR on Dask collections larger than one machine: :class:`DaskKNNOR`.

The classes to over-sample are gathered on the client and over-sampled by
the in-memory engine together with the rows of the other classes near them
(the *context*); passes over the partitions then prove that no row outside
the context could have changed a verdict, adding the rows that could and
running again until none is found. The result equals :class:`knnor.KNNOR`'s
on the same data, row for row, whatever the partitioning (``docs/dask.md``).
"""

import contextlib
import numbers
import time
import warnings
from dataclasses import dataclass

import numpy as np

try:
    import dask
    import dask.dataframe  # noqa: F401 (the collections' module; missing without the extra)
except ImportError as error:  # pragma: no cover - the extra is not installed
    raise ImportError("knnor.dask needs dask: pip install 'knnor[dask]'") from error
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions

from knnor import _dask_collections as collections
from knnor import _dask_parts as parts
from knnor._adapter import (
    check_label_types,
    check_request_size,
    engine_arguments,
    substitute_engine_docs,
)
from knnor._dask_plan import (
    OWNER,
    certified,
    check_budget,
    class_rank,
    grid_slack,
    radii,
    strategy_from_counts,
    walk_balls,
)
from knnor._engine import (
    GroupGeometry,
    GroupTooSmallError,
    output_grid,
    oversample,
    power_of_two_scale,
)
from knnor.classification import KNNOR
from knnor.exceptions import KNNORWarning


@dataclass
class _Input:
    """The collections as partitions, and what the first pass learnt of them."""

    X: object
    y: object
    x_parts: list
    y_parts: list
    offsets: np.ndarray
    classes: np.ndarray
    counts: np.ndarray
    max_abs: float


@substitute_engine_docs
class DaskKNNOR(KNNOR):
    """:class:`~knnor.KNNOR` for ``dask.array`` and ``dask.dataframe`` collections.

    The same parameters and the same result as ``KNNOR``: for the same data
    and ``random_state``, the same synthetic rows in the same order, whatever
    the partitioning. The rows of the classes to over-sample are gathered on
    the client (at most ``memory_budget`` bytes); the other classes stay in
    their partitions, which are read a few times (once to count, once to
    gather, once for the rows near the gathered ones, once per verification
    round), so persist the collections first if they are costly to compute.
    Computations run on the current ``distributed`` client if there is one
    (yours: this class never starts a cluster), else on dask's default scheduler.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        As in ``KNNOR``, resolved from the class counts; a callable receives
        a stand-in ``y``: the labels in sorted order, with ``y``'s counts.

    {n_neighbors}

    {max_dist_point}

    {proportion_minority}

    reliability_filter : bool, default=True
        As in ``KNNOR``. ``False`` needs no rows of the other classes at all.

    {filter_rule}

    {filter_neighbors}

    filter_search : {{"exact"}}, default="exact"
        Only ``"exact"``: the distributed run proves every verdict against
        all the data. ``"graph"``'s verdicts depend on the rows it happens
        to probe, which a part of the data cannot reproduce.

    {random_state}

    {n_jobs}

    memory_budget : int, default=2**30
        Bytes the gathered rows of the classes to over-sample may take as
        float64 (rows x features x 8); more raises a ValueError before
        anything is gathered. The client also holds the context (the rows of
        the other classes within reach of a walk; ``n_context_rows_`` says how
        many) and the synthetic rows.

    Attributes
    ----------
    sampling_strategy_, class_stats_, provenance_, walk_weights_ : dict or ndarray
        As in ``KNNOR``; provenance indices are global row numbers (the
        row's position in ``X``, counted over all partitions).

    n_rounds_ : int
        Times the engine ran: 1 when the first guess held every row that
        matters, one more per verification that found rows it lacked.

    n_context_rows_ : int
        Rows of the classes not over-sampled that the last run saw.

    timings_ : dict
        Seconds ``fit_resample`` spent per phase: passes over the partitions
        (``"count"``, ``"gather"``, ``"gaps"`` for "auto" ``max_dist_point``,
        ``"context"``, ``"verify"``) and work on the client (``"geometry"``:
        each class's neighbours; ``"engine"``: every run).

    n_features_in_, feature_names_in_ : int, ndarray
        As in ``KNNOR``.

    Examples
    --------
    >>> import dask.array as da
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from knnor import KNNOR
    >>> from knnor.dask import DaskKNNOR
    >>> X, y = make_classification(n_samples=600, weights=[0.9, 0.1], random_state=0)
    >>> sampler = DaskKNNOR(random_state=0)
    >>> X_res, y_res = sampler.fit_resample(da.from_array(X, chunks=(150, 20)),
    ...                                     da.from_array(y, chunks=150))
    >>> np.bincount(y_res.compute()).tolist()
    [538, 538]

    The four input blocks come first, untouched, then the 476 synthetic rows
    in blocks of at most 150 rows:

    >>> X_res.chunks[0]
    (150, 150, 150, 150, 150, 150, 150, 26)
    >>> X_mem, y_mem = KNNOR(random_state=0).fit_resample(X, y)
    >>> bool(np.array_equal(X_res.compute(), X_mem))
    True
    """

    _parameter_constraints: dict = {
        **KNNOR._parameter_constraints,
        "filter_search": [StrOptions({"exact"})],
        "memory_budget": [Interval(numbers.Integral, 1, None, closed="left")],
    }
    #: Scale of the context pass's radii; below 1 (tests only) the context
    #: misses rows and the verification must find them.
    _context_scale = 1.0

    def __init__(self, *, memory_budget: int = 2**30, **knnor_params: object) -> None:
        super().__init__(**knnor_params)
        self.memory_budget = memory_budget

    @classmethod
    def _get_param_names(cls):
        """KNNOR's parameters and ``memory_budget``: ``get_params``, ``clone``
        and the repr follow KNNOR's signature instead of a copy of it."""
        return sorted([*KNNOR._get_param_names(), "memory_budget"])

    def fit(self, X: object, y: object) -> "DaskKNNOR":
        """Count the classes and resolve ``sampling_strategy_`` (one pass)."""
        self._validate_params()
        self._first_pass(X, y)
        return self

    def fit_resample(self, X: object, y: object) -> tuple[object, object]:
        """Resample dask collections.

        Parameters
        ----------
        X : dask.array.Array of shape (n_samples, n_features) or dask.dataframe.DataFrame
            Numeric data; a DataFrame's columns must all be numeric.

        y : dask.array.Array of shape (n_samples,) or dask.dataframe.Series
            Class labels, partitioned as ``X``.

        Returns
        -------
        X_resampled, y_resampled : dask collections of the input's kinds
            The input's partitions, untouched (cast to float64 when an array
            is neither float32 nor float64, as ``KNNOR`` casts it), then
            partitions of synthetic rows, numbered ``n_samples + i`` in a
            DataFrame's index.
        """
        self._validate_params()
        self.timings_ = {}
        with self._phase("count"):
            data = self._first_pass(X, y)
        labels = data.classes.tolist()
        n_wanted = {labels.index(c): n for c, n in self.sampling_strategy_.items() if n > 0}
        n_features = self.n_features_in_
        check_request_size({labels[c]: n for c, n in n_wanted.items()}, n_features, OWNER)
        codes = np.array(sorted(n_wanted), dtype=np.int64)
        check_budget(
            {labels[c]: int(data.counts[c]) for c in codes}, n_features, self.memory_budget
        )
        with self._phase("gather"):
            gathered = parts.concatenate(
                *dask.compute(
                    *collections.map_partitions(parts.class_rows, data, data.classes, codes)
                )
            )
        synthesis, provenance = self._verified_run(data, gathered, n_wanted)
        self.class_stats_ = {labels[c]: stats for c, stats in synthesis.stats.items()}
        self.provenance_ = provenance
        self.walk_weights_ = synthesis.weights
        self._warn_short(self.class_stats_)
        return collections.with_rows(data, synthesis.rows, data.classes[synthesis.groups])

    def _first_pass(self, X, y):
        """Check the collections, count the classes, resolve the strategy."""
        X, y, x_parts, y_parts = collections.partitions(X, y)
        answers = dask.compute(
            *[
                dask.delayed(parts.summary)(xp, yp, i)
                for i, (xp, yp) in enumerate(zip(x_parts, y_parts, strict=True))
            ]
        )
        n_not_finite = sum(a["n_not_finite"] for a in answers)
        if n_not_finite:
            raise ValueError(
                f"{OWNER}: X holds {n_not_finite} missing or infinite values; every value is "
                "needed to place the synthetic rows: impute them first (e.g. X.fillna(...))."
            )
        found = np.concatenate([a["classes"] for a in answers])
        check_label_types(found)
        classes = np.unique(found)
        counts = np.zeros(classes.shape[0], dtype=np.int64)
        for a in answers:
            np.add.at(counts, np.searchsorted(classes, a["classes"]), a["counts"])
        n_features = X.shape[1]
        self.n_features_in_ = n_features
        columns = getattr(X, "columns", None)
        if columns is not None and all(isinstance(c, str) for c in columns):
            self.feature_names_in_ = np.asarray(columns, dtype=object)
        self.sampling_strategy_ = strategy_from_counts(
            self.sampling_strategy, classes, counts, n_features
        )
        offsets = np.cumsum([0] + [a["n_rows"] for a in answers])
        max_abs = max(a["max_abs"] for a in answers)
        return _Input(X, y, x_parts, y_parts, offsets, classes, counts, max_abs)

    def _verified_run(self, data, gathered, n_wanted):
        """Run the engine on the gathered rows and the context, fetching rows
        of the other classes until none could change a verdict."""
        scale = power_of_two_scale(np.array([data.max_abs]))
        with self._phase("gaps"):
            gaps = self._gaps(data, gathered, n_wanted)
        with self._phase("geometry"):
            geometries = self._geometries(data, gathered, n_wanted, scale)
        context = tuple(field[:0] for field in gathered)
        reach = walk_balls(geometries, gathered[0].shape[0], self._grid_slack(data))
        reach *= self._context_scale
        wanted = (gathered[1], reach) if self.reliability_filter else (gathered[1][:0], reach[:0])
        random_state = check_random_state(self.random_state)
        initial_state = random_state.get_state()  # every run draws as KNNOR's single run
        verified, synthesis, provenance, self.n_rounds_ = set(), None, None, 0
        while True:
            if wanted[1].size:
                with self._phase("context" if synthesis is None else "verify"):
                    new = self._rows_within(data, gathered, context, *wanted)
                if synthesis is not None and not new[0].size:
                    return synthesis, provenance
                context = parts.concatenate(context, new)
            elif synthesis is not None:
                return synthesis, provenance
            random_state.set_state(initial_state)
            with self._phase("engine"):
                synthesis, provenance = self._run(
                    data, gathered, context, n_wanted, gaps, scale, random_state
                )
            self.n_rounds_ += 1
            self.n_context_rows_ = context[0].shape[0]
            if not self.reliability_filter:
                return synthesis, provenance
            wanted = self._unproven(
                data, gathered, geometries, reach, synthesis, provenance, verified
            )

    def _gaps(self, data, gathered, n_wanted):
        """Each group's smallest non-zero distance to the other classes, for
        "auto" ``max_dist_point`` (one pass, every gathered row against every row)."""
        if self.max_dist_point != "auto":
            return {}
        shared, gap = collections.share(gathered), dask.delayed(parts.gaps, pure=True)
        answers = dask.compute(
            *[
                gap(xp, yp, data.classes, shared, list(n_wanted))
                for xp, yp in zip(data.x_parts, data.y_parts, strict=True)
            ]
        )
        return {code: min(answer[code] for answer in answers) for code in n_wanted}

    def _geometries(self, data, gathered, n_wanted, scale):
        """The engine's :class:`GroupGeometry` of each group, on the gathered rows."""
        try:
            return {
                code: GroupGeometry.of(gathered[1], gathered[2], code, self.n_neighbors, scale)
                for code in n_wanted
            }
        except GroupTooSmallError as error:
            raise ValueError(
                f"Class {data.classes[error.group]!r} has {error.n_rows} samples, fewer than "
                f"n_neighbors + 1 = {error.n_needed}; lower n_neighbors or leave this "
                "class out of sampling_strategy."
            ) from None

    def _rows_within(self, data, gathered, context, queries, query_radii):
        """The rows of the classes not over-sampled within ``query_radii`` of
        ``queries`` and not in ``context``: one pass over the partitions."""
        answers = collections.map_partitions(
            parts.rows_within,
            data,
            data.classes,
            np.unique(gathered[2]),
            collections.share(queries),
            collections.share(query_radii),
            collections.share(np.sort(context[0])),
        )
        return parts.concatenate(*dask.compute(*answers))

    def _unproven(self, data, gathered, geometries, reach, synthesis, provenance, verified):
        """(rows, radii) of the accepted synthetic rows whose verdict neither
        the context's reach proves nor an earlier pass (``verified``) checked:
        the rows of other classes within the radius must be fetched."""
        ranks = {
            code: class_rank(stats, self.filter_rule, self.filter_neighbors, data.counts[code])
            for code, stats in synthesis.stats.items()
        }
        radius, nearest = radii(synthesis.rows, synthesis.groups, geometries, ranks)
        walked = np.where(provenance >= 0, np.searchsorted(gathered[0], provenance), -1)
        anchors = np.hstack([walked, nearest])
        ask = ~certified(synthesis.rows, anchors, radius, gathered[1], reach)
        for i in np.flatnonzero(ask):
            key = (synthesis.groups[i], synthesis.rows[i].tobytes())
            ask[i] = key not in verified
            verified.add(key)
        return synthesis.rows[ask], radius[ask]

    def _grid_slack(self, data):
        """How far rounding to the output's dtypes can move a synthetic row."""
        return grid_slack(collections.output_dtypes(data.X), data.max_abs)

    def _run(self, data, gathered, context, n_wanted, gaps, scale, random_state):
        """The engine on the gathered and context rows in global row order
        (so that its tie-breaks are the full data's); provenance in global rows."""
        index, rows, codes = parts.concatenate(gathered, context)
        order = np.argsort(index, kind="stable")
        synthesis = oversample(
            np.ascontiguousarray(rows[order]),
            codes[order],
            n_wanted,
            **engine_arguments(self),
            grid=output_grid(collections.output_dtypes(data.X)),
            random_state=random_state,
            scale=scale,
            gaps=gaps,
        )
        global_rows = index[order]
        provenance = np.where(synthesis.provenance >= 0, global_rows[synthesis.provenance], -1)
        return synthesis, provenance

    @contextlib.contextmanager
    def _phase(self, name):
        """Add the seconds the block takes to ``timings_[name]``."""
        start = time.perf_counter()
        try:
            yield
        finally:
            elapsed = time.perf_counter() - start
            self.timings_[name] = self.timings_.get(name, 0.0) + elapsed

    @staticmethod
    def _warn_short(class_stats):
        for label, stats in class_stats.items():
            if stats["n_accepted"] < stats["n_requested"]:
                warnings.warn(
                    f"{OWNER} accepted {stats['n_accepted']} of the {stats['n_requested']} "
                    f"samples requested for class {label!r} after {stats['n_generated']} "
                    "attempts; returning those.",
                    KNNORWarning,
                    stacklevel=3,
                )
