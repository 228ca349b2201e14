"""Wrappers of other packages' regression oversamplers, for the benchmark.

* :class:`ResregSMOTER`, :class:`ResregWERCS`: PyPI ``resreg`` 0.2
  (``pip install --no-deps resreg``; it needs numpy, pandas, scipy and
  scikit-learn).
* :class:`KnnorRegV003`: the KNNOR-Reg authors' PyPI ``knnor-reg`` 0.0.3
  (``pip install --no-deps knnor-reg``; it needs numpy and matplotlib).

Each package is imported only when its sampler runs, and those that draw
from the global random generators get them seeded around the call and
restored. Kept apart from :mod:`knnor.benchmark.regression_from_papers`
because nothing here is our implementation: only the calls, the seeding and
the reordering of the output.
"""

import random

import numpy as np
from sklearn.utils import check_X_y

from knnor.benchmark.regression_bumps import BumpOversampler, check_k, check_pert, rare_bump_plan


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


class ResregSMOTER(BumpOversampler):
    """SMOTER from ``resreg`` 0.2 (``pip install resreg``), bump by bump.

    ``resreg.smoter`` always undersamples the normal domain and sizes the rare
    one by its own rules, and splits the rare domain at the median of ``y``
    only. To keep the originals and the counts of :func:`rare_bump_plan`,
    each rare bump is oversampled on its own with
    ``resreg.oversample(..., method="smoter", k=k)`` (its SMOTER generator: a
    random seed with replacement, a random one of its ``k`` neighbours, target
    weighted by inverse distance). A single-row bump is copied (resreg would
    fail on it). resreg seeds numpy's global generator; its state is restored
    afterwards.

    Parameters
    ----------
    relevance, rare_threshold, sampling_strategy, random_state
        As for :class:`knnor.benchmark.regression_from_papers.RandomOverRegressor`.
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


class ResregWERCS(BumpOversampler):
    """WERCS from ``resreg`` 0.2 (``pip install resreg``), oversampling only.

    WERCS (Branco, Torgo & Ribeiro 2019) copies rows drawn with probability
    proportional to their relevance, over the whole data set (no threshold),
    with ``resreg.oversample(..., method="wercs")`` (``"wercs-gn"`` when
    ``noise``: resreg then redraws among the copies and adds Gaussian noise of
    ``delta`` times their standard deviation). It adds as many rows as
    :func:`rare_bump_plan` asks for in all rare bumps together; the copies are
    not confined to rare bumps, and resreg's undersampling of the relevant-poor
    rows is not applied (originals are kept). resreg seeds numpy's global
    generator; its state is restored afterwards.

    Parameters
    ----------
    relevance, rare_threshold, sampling_strategy, random_state
        As for :class:`knnor.benchmark.regression_from_papers.RandomOverRegressor`.
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
        check_pert(self.delta)
        resreg = _import("resreg", "resreg")
        rng = np.random.default_rng(self.random_state)
        phi, _, bumps, plan = rare_bump_plan(
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
