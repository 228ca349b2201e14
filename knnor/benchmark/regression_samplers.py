"""Baseline oversamplers for imbalanced regression, for the regression benchmark.

Each sampler splits the target into bumps with a relevance function phi and a
threshold (:mod:`knnor._relevance`), then adds synthetic rows to every rare bump
(phi >= threshold) until it reaches the size asked by ``sampling_strategy``:

* ``"balance"``: the size of the largest common bump;
* a float ``r > 0``: ``int(round(r * size of the largest common bump))``.

A rare bump is never shrunk and common bumps are left alone; the rule lives in
:func:`_rare_bump_plan`, the one place that turns relevance into per-bump
counts, so that every sampler here (and ``KNNORReg``) asks for the same
number of rows. ``fit_resample(X, y)`` returns the original rows first,
unchanged, then the synthetic rows, bump by bump from the lowest target.

Implemented from the papers and the reference R package UBL (by the papers'
authors), all numeric features, Euclidean distance on the features:

* :class:`RandomOverRegressor`: random duplication (UBL ``RandOverRegress``).
* :class:`GaussianNoiseRegressor`: Gaussian noise, Branco, Torgo & Ribeiro
  (2016; UBL ``GaussNoiseRegress``).
* :class:`SMOTER`: Torgo, Ribeiro, Pfahringer & Branco (2013; UBL
  ``SmoteRegress``).
* :class:`SMOGN`: Branco, Torgo & Ribeiro (2017), SMOTER or Gaussian noise by
  the seed-neighbour distance (UBL ``SMOGNRegress``, PyPI ``smogn``).

Wrappers of other implementations, imported only when used:

* :class:`ResregSMOTER`, :class:`ResregWERCS`: PyPI ``resreg`` 0.2
  (``pip install --no-deps resreg``; it needs numpy, pandas, scipy and
  scikit-learn).
* :class:`KnnorRegV003`: the KNNOR-Reg authors' PyPI ``knnor-reg`` 0.0.3
  (``pip install --no-deps knnor-reg``; it needs numpy and matplotlib).

Seeds: SMOTER, GN and SMOGN follow the papers' plan of seeds: with ``n`` rows
in a bump and ``m`` rows to add, every row seeds ``m // n`` synthetic rows and
``m % n`` distinct rows, drawn at random, seed one more.
"""

import random
from collections import namedtuple
from numbers import Integral, Real

import numpy as np
from sklearn.metrics import pairwise_distances_chunked
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import check_X_y

from knnor._relevance import box_plot_control_points, find_bumps, relevance_function

__all__ = [
    "REGRESSION_SAMPLERS",
    "SMOGN",
    "SMOTER",
    "GaussianNoiseRegressor",
    "KnnorRegV003",
    "NoResampling",
    "RandomOverRegressor",
    "ResregSMOTER",
    "ResregWERCS",
]

BumpPlan = namedtuple("BumpPlan", ["bump", "rows", "n_new"])
"""One rare bump: its id, the indices of its rows in ``y``, the rows to add."""


# ---------------------------------------------------------------------------
# shared: relevance -> bumps -> how many rows each rare bump gets
# ---------------------------------------------------------------------------


def _relevance_values(y, relevance):
    """phi(y) for ``relevance`` = "auto", control points, or a callable."""
    if callable(relevance):
        phi = relevance
    elif isinstance(relevance, str):
        if relevance != "auto":
            raise ValueError(
                f"relevance must be 'auto', control points or a callable, got {relevance!r}"
            )
        points = box_plot_control_points(y)
        if len(points) < 2:  # only the median: no extremes, nothing is relevant
            return np.zeros_like(y)
        phi = relevance_function(points)
    else:
        phi = relevance_function(relevance)  # validates the (m, 2)/(m, 3) control points
    values = np.asarray(phi(y), dtype=float).reshape(-1)
    if values.shape != y.shape or not np.all((values >= 0) & (values <= 1)):
        raise ValueError("the relevance function must give one value in [0, 1] per target")
    return values


def _target_size(sampling_strategy, largest_common):
    """The size every rare bump is grown to."""
    if isinstance(sampling_strategy, str):
        if sampling_strategy != "balance":
            raise ValueError(
                f"sampling_strategy must be 'balance' or a float > 0, got {sampling_strategy!r}"
            )
        return int(largest_common)
    if isinstance(sampling_strategy, Real) and not isinstance(sampling_strategy, bool):
        ratio = float(sampling_strategy)
        if np.isfinite(ratio) and ratio > 0:
            return int(round(ratio * largest_common))  # as KNNORReg's rare_bump_growth
    raise ValueError(
        f"sampling_strategy must be 'balance' or a float > 0, got {sampling_strategy!r}"
    )


def _rare_bump_plan(y, relevance, rare_threshold, sampling_strategy):
    """Resolve the relevance, split ``y`` into bumps and count the rows each rare bump gets.

    Parameters
    ----------
    y : ndarray of shape (n_samples,)
    relevance : "auto", array-like of shape (m, 2) or (m, 3), or callable
        "auto": box-plot control points of ``y``; an array: control points
        ``(y, phi[, slope])`` given to :func:`knnor._relevance.relevance_function`;
        a callable: phi itself, mapping an array of targets to [0, 1].
    rare_threshold : float
        Bumps whose relevance reaches it are rare (as :func:`find_bumps` decides).
    sampling_strategy : "balance" or float > 0
        "balance": every rare bump grows to the size of the largest common
        bump; a float ``r``: to ``int(round(r * that size))``. Never shrinks.

    Returns
    -------
    phi : ndarray of shape (n_samples,)
        Relevance of every row.
    bump_of_row : ndarray of int64
    bumps : list of Bump
    plan : list of BumpPlan
        One entry per rare bump, lowest target first, ``n_new >= 0``.
        Empty when there is no rare bump.

    Raises
    ------
    ValueError
        For a bad ``relevance``/``sampling_strategy``, or when there are rare
        bumps but no common one to size them by.
    """
    if not isinstance(rare_threshold, Real) or not 0 <= rare_threshold <= 1:
        raise ValueError(f"rare_threshold must be in [0, 1], got {rare_threshold!r}")
    phi = _relevance_values(y, relevance)
    bump_of_row, bumps = find_bumps(y, phi, rare_threshold)
    bump_of_row = np.asarray(bump_of_row, dtype=np.int64)
    common = [b.n_samples for b in bumps if not b.rare]
    if not any(b.rare for b in bumps):
        _target_size(sampling_strategy, 1)  # still validate it
        return phi, bump_of_row, bumps, []
    if not common:
        raise ValueError(
            "every target is rare at this threshold: no common bump to size the rare ones by"
        )
    target = _target_size(sampling_strategy, max(common))
    plan = []
    for bump_id, bump in enumerate(bumps):
        if bump.rare:
            rows = np.flatnonzero(bump_of_row == bump_id)
            plan.append(BumpPlan(bump_id, rows, max(0, target - len(rows))))
    return phi, bump_of_row, bumps, plan


# ---------------------------------------------------------------------------
# generators shared by the samplers
# ---------------------------------------------------------------------------


def _seed_rows(n_rows, n_new, rng):
    """Seeds as in the papers: each row ``n_new // n_rows`` times, plus distinct extras."""
    repeats = np.repeat(np.arange(n_rows), n_new // n_rows)
    extra = rng.choice(n_rows, size=n_new % n_rows, replace=False)
    return np.concatenate([repeats, extra]).astype(np.intp)


def _sd(values):
    """Sample standard deviation per column (R's ``sd``), 0 for a single row."""
    if len(values) < 2:
        return np.zeros(values.shape[1:])
    return values.std(axis=0, ddof=1)


def _neighbours(Xb, k):
    """The ``min(k, n-1)`` nearest other rows of every row of ``Xb``: (distances, indices)."""
    k_eff = min(k, len(Xb) - 1)
    nn = NearestNeighbors(n_neighbors=k_eff).fit(Xb)
    return nn.kneighbors()  # without X: a row is not its own neighbour


def _interpolate(Xb, yb, seeds, nbrs, u):
    """SMOTER: x on the seed-neighbour segment, y weighted by inverse distance."""
    x_seed, x_nb = Xb[seeds], Xb[nbrs]
    x_new = x_seed + u[:, None] * (x_nb - x_seed)
    d1 = np.linalg.norm(x_new - x_seed, axis=1)
    d2 = np.linalg.norm(x_new - x_nb, axis=1)
    total = d1 + d2
    safe = np.where(total > 0, total, 1.0)
    y_new = np.where(
        total > 0, (d2 * yb[seeds] + d1 * yb[nbrs]) / safe, (yb[seeds] + yb[nbrs]) / 2
    )
    return x_new, y_new


def _gaussian(Xb, yb, seeds, scale, rng):
    """Seed rows plus N(0, (scale * sd in the bump)^2) on every feature and the target."""
    scale = np.asarray(scale, dtype=float).reshape(-1, 1)
    if scale.shape[0] == 1:
        scale = np.broadcast_to(scale, (len(seeds), 1))
    x_new = Xb[seeds] + rng.standard_normal((len(seeds), Xb.shape[1])) * scale * _sd(Xb)
    y_new = yb[seeds] + rng.standard_normal(len(seeds)) * scale[:, 0] * _sd(yb[:, None])[0]
    return x_new, y_new


def _check_k(k):
    if not isinstance(k, Integral) or isinstance(k, bool) or k < 1:
        raise ValueError(f"k must be an int >= 1, got {k!r}")


def _check_pert(pert):
    if not isinstance(pert, Real) or not np.isfinite(pert) or pert < 0:
        raise ValueError(f"pert must be a float >= 0, got {pert!r}")


# ---------------------------------------------------------------------------
# samplers
# ---------------------------------------------------------------------------


class NoResampling:
    """Return the data unchanged: the baseline an oversampler must beat.

    Parameters
    ----------
    random_state : ignored
        Taken so that every entry of :data:`REGRESSION_SAMPLERS` is built alike.
    """

    def __init__(self, *, random_state=None):
        self.random_state = random_state

    def fit_resample(self, X, y):
        """Return ``X, y`` as given."""
        return X, y


class _BumpOversampler:
    """Shared ``fit_resample``: validate, plan per rare bump, generate, stack.

    Subclasses implement ``_generate(Xb, yb, n_new, rng) -> (X_new, y_new)``
    for the rows ``Xb, yb`` of one rare bump.

    Fitted attributes (set by ``fit_resample``)
    -------------------------------------------
    relevance_ : ndarray of shape (n_samples,)
        phi of every original row.
    bumps_ : list of Bump
        The bumps of ``y``, lowest target first.
    n_synthetic_ : dict
        Bump id -> number of synthetic rows added to it (rare bumps only).
    """

    def __init__(
        self,
        *,
        relevance="auto",
        rare_threshold=0.8,
        sampling_strategy="balance",
        random_state=None,
    ):
        self.relevance = relevance
        self.rare_threshold = rare_threshold
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state

    def _check_params(self):
        """Validate the sampler's own parameters (hook)."""

    def fit_resample(self, X, y):
        """Oversample every rare bump of ``y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Numeric features.
        y : array-like of shape (n_samples,)
            Numeric target.

        Returns
        -------
        X_resampled : ndarray of shape (n_samples + n_new, n_features)
        y_resampled : ndarray of shape (n_samples + n_new,)
            The original rows first, unchanged, then the synthetic rows.
        """
        X, y = check_X_y(X, y, dtype=np.float64, y_numeric=True)
        self._check_params()
        rng = np.random.default_rng(self.random_state)
        phi, _, bumps, plan = _rare_bump_plan(
            y, self.relevance, self.rare_threshold, self.sampling_strategy
        )
        self.relevance_ = phi
        self.bumps_ = bumps
        self.n_synthetic_ = {}
        X_parts, y_parts = [X], [y]
        for entry in plan:
            self.n_synthetic_[entry.bump] = entry.n_new
            if entry.n_new == 0:
                continue
            X_new, y_new = self._generate(X[entry.rows], y[entry.rows], entry.n_new, rng)
            X_parts.append(np.asarray(X_new, dtype=np.float64).reshape(entry.n_new, X.shape[1]))
            y_parts.append(np.asarray(y_new, dtype=np.float64).reshape(entry.n_new))
        return np.concatenate(X_parts), np.concatenate(y_parts)

    def _generate(self, Xb, yb, n_new, rng):  # pragma: no cover - abstract
        raise NotImplementedError


class RandomOverRegressor(_BumpOversampler):
    """Random oversampling for regression (UBL ``RandOverRegress``).

    Each rare bump gets copies of its own rows, drawn uniformly with replacement.

    Parameters
    ----------
    relevance : "auto", array-like of shape (m, 2) or (m, 3), or callable, default="auto"
        See :func:`_rare_bump_plan`.
    rare_threshold : float, default=0.8
    sampling_strategy : "balance" or float > 0, default="balance"
    random_state : int, numpy Generator or None, default=None
    """

    def _generate(self, Xb, yb, n_new, rng):
        picks = rng.integers(len(yb), size=n_new)
        return Xb[picks], yb[picks]


class GaussianNoiseRegressor(_BumpOversampler):
    """Gaussian-noise oversampling for regression (GN; Branco, Torgo & Ribeiro 2016).

    A synthetic row is a row of the rare bump plus independent noise on every
    feature and on the target: ``N(0, (pert * sd)^2)``, ``sd`` being that
    column's sample standard deviation within the bump (UBL
    ``GaussNoiseRegress``). Seeds follow the papers' plan (module docstring).

    Parameters
    ----------
    relevance, rare_threshold, sampling_strategy, random_state
        As for :class:`RandomOverRegressor`.
    pert : float, default=0.1
        Noise scale as a fraction of the standard deviation; UBL's default.
    """

    def __init__(
        self,
        *,
        relevance="auto",
        rare_threshold=0.8,
        sampling_strategy="balance",
        random_state=None,
        pert=0.1,
    ):
        super().__init__(
            relevance=relevance,
            rare_threshold=rare_threshold,
            sampling_strategy=sampling_strategy,
            random_state=random_state,
        )
        self.pert = pert

    def _check_params(self):
        _check_pert(self.pert)

    def _generate(self, Xb, yb, n_new, rng):
        seeds = _seed_rows(len(yb), n_new, rng)
        return _gaussian(Xb, yb, seeds, self.pert, rng)


class SMOTER(_BumpOversampler):
    """SMOTE for regression (Torgo, Ribeiro, Pfahringer & Branco 2013).

    For a seed row of a rare bump, one of its ``k`` nearest neighbours within
    the bump is drawn; the synthetic features are ``seed + u * (nb - seed)``
    with ``u ~ U(0, 1)`` and the target is the inverse-distance weighted mean
    ``(d2 * y_seed + d1 * y_nb) / (d1 + d2)``, ``d1 = ||x_new - seed||``,
    ``d2 = ||x_new - nb||`` (the plain mean when both are 0). A bump with at
    most ``k`` rows uses all its other rows as neighbours; a single-row bump
    can only be copied.

    Parameters
    ----------
    relevance, rare_threshold, sampling_strategy, random_state
        As for :class:`RandomOverRegressor`.
    k : int, default=5
    """

    def __init__(
        self,
        *,
        relevance="auto",
        rare_threshold=0.8,
        sampling_strategy="balance",
        random_state=None,
        k=5,
    ):
        super().__init__(
            relevance=relevance,
            rare_threshold=rare_threshold,
            sampling_strategy=sampling_strategy,
            random_state=random_state,
        )
        self.k = k

    def _check_params(self):
        _check_k(self.k)

    def _generate(self, Xb, yb, n_new, rng):
        seeds = _seed_rows(len(yb), n_new, rng)
        if len(yb) == 1:
            return Xb[seeds], yb[seeds]
        _, knn = _neighbours(Xb, self.k)
        nbrs = knn[seeds, rng.integers(knn.shape[1], size=n_new)]
        return _interpolate(Xb, yb, seeds, nbrs, rng.random(n_new))


class SMOGN(_BumpOversampler):
    """SMOTER with Gaussian noise (Branco, Torgo & Ribeiro 2017).

    For each seed of a rare bump, one of its ``k`` nearest neighbours within the
    bump is drawn. If it is closer than ``maxD`` (strictly, as in UBL and
    ``smogn``), the row is made by SMOTER interpolation (:class:`SMOTER`);
    otherwise by Gaussian noise around the seed, every feature and the target
    perturbed by ``N(0, (min(pert, maxD) * sd)^2)``, ``sd`` being that column's
    standard deviation within the bump (as UBL ``SMOGNRegress`` and ``smogn``).

    Parameters
    ----------
    relevance, rare_threshold, sampling_strategy, random_state
        As for :class:`RandomOverRegressor`.
    k : int, default=5
    pert : float, default=0.02
    max_distance : {"bump", "neighbours"}, default="bump"
        ``maxD`` of a seed is, as the authors' UBL code and ``smogn`` compute
        it, half the median of its distances to every row of the bump, itself
        included ("bump"); or half the median of its distances to its ``k``
        neighbours ("neighbours").

    Notes
    -----
    Where the two reference implementations disagree, UBL (the authors' code)
    is followed: neighbours and distances use the features only (``smogn``
    also includes the target), the noise uses the sample standard deviation
    (``smogn``: ``ddof=0``), and the interpolated target is the SMOTER
    inverse-distance mean (``smogn``'s code weights it by a column of a not
    yet filled row, and its tie branch computes ``y_seed + y_nb / 2``).
    Bumps of at most ``k`` rows use all their other rows as neighbours; a
    single-row bump is copied.
    """

    def __init__(
        self,
        *,
        relevance="auto",
        rare_threshold=0.8,
        sampling_strategy="balance",
        random_state=None,
        k=5,
        pert=0.02,
        max_distance="bump",
    ):
        super().__init__(
            relevance=relevance,
            rare_threshold=rare_threshold,
            sampling_strategy=sampling_strategy,
            random_state=random_state,
        )
        self.k = k
        self.pert = pert
        self.max_distance = max_distance

    def _check_params(self):
        _check_k(self.k)
        _check_pert(self.pert)
        if self.max_distance not in ("neighbours", "bump"):
            raise ValueError(
                f"max_distance must be 'neighbours' or 'bump', got {self.max_distance!r}"
            )

    def _generate(self, Xb, yb, n_new, rng):
        seeds = _seed_rows(len(yb), n_new, rng)
        if len(yb) == 1:
            return Xb[seeds], yb[seeds]
        dist, knn = _neighbours(Xb, self.k)
        if self.max_distance == "neighbours":
            max_d = np.median(dist, axis=1) / 2
        else:
            chunks = pairwise_distances_chunked(Xb)  # rows include the 0 to itself, as UBL
            max_d = np.concatenate([np.median(c, axis=1) for c in chunks]) / 2
        choice = rng.integers(knn.shape[1], size=n_new)
        nbrs = knn[seeds, choice]
        close = dist[seeds, choice] < max_d[seeds]
        u = rng.random(n_new)
        x_new, y_new = _gaussian(Xb, yb, seeds, np.minimum(self.pert, max_d[seeds]), rng)
        x_int, y_int = _interpolate(Xb, yb, seeds[close], nbrs[close], u[close])
        x_new[close], y_new[close] = x_int, y_int
        return x_new, y_new


# ---------------------------------------------------------------------------
# wrappers of other packages (imported lazily)
# ---------------------------------------------------------------------------


def _import(module, pip_name):
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise ImportError(
            f"this sampler needs the {pip_name!r} package: pip install {pip_name}"
        ) from error


class _GlobalRandomState:
    """Seed numpy's and ``random``'s global generators, restoring them on exit."""

    def __init__(self, seed):
        self.seed = seed

    def __enter__(self):
        self._np_state = np.random.get_state()  # noqa: NPY002 (restored below)
        self._py_state = random.getstate()
        if self.seed is not None:
            np.random.seed(self.seed)  # noqa: NPY002 (wrapped code uses it)
            random.seed(self.seed)
        return self

    def __exit__(self, *exc):
        np.random.set_state(self._np_state)  # noqa: NPY002
        random.setstate(self._py_state)
        return False


def _draw_seed(rng):
    return int(rng.integers(2**31 - 1))


class ResregSMOTER(_BumpOversampler):
    """SMOTER from ``resreg`` 0.2 (``pip install resreg``), bump by bump.

    ``resreg.smoter`` always undersamples the normal domain and sizes the rare
    one by its own rules, and splits the rare domain at the median of ``y``
    only. To keep the originals and the counts of :func:`_rare_bump_plan`,
    each rare bump is oversampled on its own with
    ``resreg.oversample(..., method="smoter", k=k)`` (its SMOTER generator: a
    random seed with replacement, a random one of its ``k`` neighbours, target
    weighted by inverse distance). A single-row bump is copied (resreg would
    fail on it). resreg seeds numpy's global generator; its state is restored
    afterwards.

    Parameters
    ----------
    relevance, rare_threshold, sampling_strategy, random_state
        As for :class:`RandomOverRegressor`.
    k : int, default=5
    """

    def __init__(
        self,
        *,
        relevance="auto",
        rare_threshold=0.8,
        sampling_strategy="balance",
        random_state=None,
        k=5,
    ):
        super().__init__(
            relevance=relevance,
            rare_threshold=rare_threshold,
            sampling_strategy=sampling_strategy,
            random_state=random_state,
        )
        self.k = k

    def _check_params(self):
        _check_k(self.k)
        self._resreg = _import("resreg", "resreg")

    def _generate(self, Xb, yb, n_new, rng):
        seed = _draw_seed(rng)
        if len(yb) == 1:
            return np.repeat(Xb, n_new, axis=0), np.repeat(yb, n_new)
        with _GlobalRandomState(seed):
            X_res, y_res = self._resreg.oversample(
                Xb, yb, size=len(yb) + n_new, method="smoter", k=self.k, random_state=seed
            )
        return np.asarray(X_res)[len(yb) :], np.asarray(y_res)[len(yb) :]


class ResregWERCS(_BumpOversampler):
    """WERCS from ``resreg`` 0.2 (``pip install resreg``), oversampling only.

    WERCS (Branco, Torgo & Ribeiro 2019) copies rows drawn with probability
    proportional to their relevance, over the whole data set (no threshold),
    with ``resreg.oversample(..., method="wercs")`` (``"wercs-gn"`` when
    ``noise``: resreg then redraws among the copies and adds Gaussian noise of
    ``delta`` times their standard deviation). It adds as many rows as
    :func:`_rare_bump_plan` asks for in all rare bumps together; the copies are
    not confined to rare bumps, and resreg's undersampling of the relevant-poor
    rows is not applied (originals are kept). resreg seeds numpy's global
    generator; its state is restored afterwards.

    Parameters
    ----------
    relevance, rare_threshold, sampling_strategy, random_state
        As for :class:`RandomOverRegressor`.
    noise : bool, default=False
    delta : float, default=0.05
        resreg's default noise scale.
    """

    def __init__(
        self,
        *,
        relevance="auto",
        rare_threshold=0.8,
        sampling_strategy="balance",
        random_state=None,
        noise=False,
        delta=0.05,
    ):
        super().__init__(
            relevance=relevance,
            rare_threshold=rare_threshold,
            sampling_strategy=sampling_strategy,
            random_state=random_state,
        )
        self.noise = noise
        self.delta = delta

    def fit_resample(self, X, y):
        """Add relevance-weighted copies of rows (see the class docstring).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)

        Returns
        -------
        X_resampled, y_resampled : ndarray
            The original rows first, then the new ones.
        """
        X, y = check_X_y(X, y, dtype=np.float64, y_numeric=True)
        _check_pert(self.delta)
        resreg = _import("resreg", "resreg")
        rng = np.random.default_rng(self.random_state)
        phi, _, bumps, plan = _rare_bump_plan(
            y, self.relevance, self.rare_threshold, self.sampling_strategy
        )
        self.relevance_, self.bumps_ = phi, bumps
        self.n_synthetic_ = {entry.bump: entry.n_new for entry in plan}
        n_new = sum(self.n_synthetic_.values())
        if n_new == 0:
            return X.copy(), y.copy()
        seed = _draw_seed(rng)
        method = "wercs-gn" if self.noise else "wercs"
        with _GlobalRandomState(seed):
            X_res, y_res = resreg.oversample(
                X,
                y,
                size=len(y) + n_new,
                method=method,
                relevance=np.clip(phi, 0.0, 1.0),
                delta=self.delta,
                random_state=seed,
            )
        X_new = np.asarray(X_res, dtype=np.float64)[len(y) :]
        y_new = np.asarray(y_res, dtype=np.float64)[len(y) :]
        return np.concatenate([X, X_new]), np.concatenate([y, y_new])


class KnnorRegV003:
    """The KNNOR-Reg authors' PyPI ``knnor-reg`` 0.0.3 (``pip install knnor-reg``).

    ``knnor_reg.data_augment.KNNOR_Reg().fit_resample`` bins ``y`` into a histogram (``bins``,
    default ``int(sqrt(n))``) and grows each bin holding fewer rows than
    ``target_freq`` (default: the mean bin count) and more than ``num_nbrs``
    rows to ``target_freq``, by chained interpolation towards ``num_nbrs``
    neighbours, the target being the inverse-distance mean of the neighbours'.
    It has no relevance function, so ``relevance``, ``rare_threshold`` and
    ``sampling_strategy`` are accepted for a uniform signature but ignored.

    It has no ``random_state`` and draws from Python's global ``random``
    module: both ``random`` and numpy's global generator are seeded from
    ``random_state`` around the call, then restored. It returns the synthetic
    rows *first*; they are moved after the originals here.

    Parameters
    ----------
    relevance, rare_threshold, sampling_strategy : ignored
    random_state : int, numpy Generator or None, default=None
    num_nbrs : int, default=3
    proportion_of_minority : float, default=0.9
    bins : int or None, default=None
    target_freq : int or None, default=None
    """

    def __init__(
        self,
        *,
        relevance="auto",
        rare_threshold=0.8,
        sampling_strategy="balance",
        random_state=None,
        num_nbrs=3,
        proportion_of_minority=0.9,
        bins=None,
        target_freq=None,
    ):
        self.relevance = relevance
        self.rare_threshold = rare_threshold
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.num_nbrs = num_nbrs
        self.proportion_of_minority = proportion_of_minority
        self.bins = bins
        self.target_freq = target_freq

    def fit_resample(self, X, y):
        """Oversample with knnor-reg 0.0.3.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)

        Returns
        -------
        X_resampled, y_resampled : ndarray
            The original rows first, then the synthetic ones.
        """
        X, y = check_X_y(X, y, dtype=np.float64, y_numeric=True)
        data_augment = _import("knnor_reg.data_augment", "knnor-reg")
        seed = None
        if self.random_state is not None:
            seed = _draw_seed(np.random.default_rng(self.random_state))
        with _GlobalRandomState(seed):
            X_res, y_res = data_augment.KNNOR_Reg().fit_resample(
                X.copy(),
                y.copy(),
                num_nbrs=self.num_nbrs,
                proportion_of_minority=self.proportion_of_minority,
                bins=self.bins,
                target_freq=self.target_freq,
            )
        X_res = np.asarray(X_res, dtype=np.float64)
        y_res = np.asarray(y_res, dtype=np.float64).reshape(-1)
        n_new = len(y_res) - len(y)
        if n_new == 0:
            return X.copy(), y.copy()
        if not (np.array_equal(X_res[n_new:], X) and np.array_equal(y_res[n_new:], y)):
            raise RuntimeError("knnor-reg did not return the originals last, as 0.0.3 does")
        return np.concatenate([X, X_res[:n_new]]), np.concatenate([y, y_res[:n_new]])


REGRESSION_SAMPLERS = {
    "none": NoResampling,
    "random": RandomOverRegressor,
    "gaussian_noise": GaussianNoiseRegressor,
    "smoter": SMOTER,
    "smogn": SMOGN,
    "resreg_smoter": ResregSMOTER,
    "resreg_wercs": ResregWERCS,
    "knnor_reg_003": KnnorRegV003,
}
"""Regression samplers: name -> factory called with ``random_state`` (and parameters)."""
