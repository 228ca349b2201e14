"""The regression oversamplers written here from the papers.

Implemented from the papers and the reference R package UBL (by the papers'
authors), all numeric features, Euclidean distance on the features:

* :class:`RandomOverRegressor`: random duplication (UBL ``RandOverRegress``).
* :class:`GaussianNoiseRegressor`: Gaussian noise, Branco, Torgo & Ribeiro
  (2016; UBL ``GaussNoiseRegress``).
* :class:`SMOTER`: Torgo, Ribeiro, Pfahringer & Branco (2013; UBL
  ``SmoteRegress``).
* :class:`SMOGN`: Branco, Torgo & Ribeiro (2017), SMOTER or Gaussian noise by
  the seed-neighbour distance (UBL ``SMOGNRegress``, PyPI ``smogn``).

plus :class:`NoResampling`, the baseline. Seeds: SMOTER, GN and SMOGN follow
the papers' plan of seeds: with ``n`` rows in a bump and ``m`` rows to add,
every row seeds ``m // n`` synthetic rows and ``m % n`` distinct rows, drawn
at random, seed one more. Kept apart from the wrappers of other packages
(:mod:`knnor.benchmark.regression_third_party`), which need those packages.
"""

import numpy as np
from sklearn.metrics import pairwise_distances_chunked
from sklearn.neighbors import NearestNeighbors

from knnor.benchmark.regression_bumps import BumpOversampler, check_k, check_pert


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


class NoResampling:
    """Return the data unchanged: the baseline an oversampler must beat.

    Parameters
    ----------
    random_state : ignored
        Taken so that every entry of
        :data:`knnor.benchmark.regression_samplers.REGRESSION_SAMPLERS` is built alike.
    """

    def __init__(self, *, random_state=None):
        self.random_state = random_state

    def fit_resample(self, X, y):
        """Return ``X, y`` as given."""
        return X, y


class RandomOverRegressor(BumpOversampler):
    """Random oversampling for regression (UBL ``RandOverRegress``).

    Each rare bump gets copies of its own rows, drawn uniformly with replacement.

    Parameters
    ----------
    relevance : "auto", array-like of shape (m, 2) or (m, 3), or callable, default="auto"
        See :func:`knnor.benchmark.regression_bumps.rare_bump_plan`.
    rare_threshold : float, default=0.8
    sampling_strategy : "balance" or float > 0, default="balance"
    random_state : int, numpy Generator or None, default=None
    """

    def _generate(self, Xb, yb, n_new, rng):
        picks = rng.integers(len(yb), size=n_new)
        return Xb[picks], yb[picks]


class GaussianNoiseRegressor(BumpOversampler):
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
        check_pert(self.pert)

    def _generate(self, Xb, yb, n_new, rng):
        seeds = _seed_rows(len(yb), n_new, rng)
        return _gaussian(Xb, yb, seeds, self.pert, rng)


class SMOTER(BumpOversampler):
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
        check_k(self.k)

    def _generate(self, Xb, yb, n_new, rng):
        seeds = _seed_rows(len(yb), n_new, rng)
        if len(yb) == 1:
            return Xb[seeds], yb[seeds]
        _, knn = _neighbours(Xb, self.k)
        nbrs = knn[seeds, rng.integers(knn.shape[1], size=n_new)]
        return _interpolate(Xb, yb, seeds, nbrs, rng.random(n_new))


class SMOGN(BumpOversampler):
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
        check_k(self.k)
        check_pert(self.pert)
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
