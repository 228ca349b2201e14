"""Baseline oversamplers for imbalanced regression, for the regression benchmark.

Each sampler splits the target into bumps with a relevance function phi and a
threshold (:mod:`knnor._relevance`), then adds synthetic rows to every rare bump
(phi >= threshold) until it reaches the size asked by ``sampling_strategy``:

* ``"balance"``: the size of the largest common bump;
* a float ``r > 0``: ``int(round(r * size of the largest common bump))``.

A rare bump is never shrunk and common bumps are left alone; the rule is
:func:`knnor.regression.rare_bump_growth`, applied by
:func:`knnor.benchmark.regression_bumps.rare_bump_plan`, so that every
sampler here (and ``KNNORReg``) asks for the same number of rows.
``fit_resample(X, y)`` returns the original rows first, unchanged, then the
synthetic rows, bump by bump from the lowest target.

The samplers written from the papers are in
:mod:`knnor.benchmark.regression_from_papers`, the wrappers of other packages
(imported only when used) in :mod:`knnor.benchmark.regression_third_party`;
this module names them all.
"""

from knnor.benchmark.regression_from_papers import (
    SMOGN,
    SMOTER,
    GaussianNoiseRegressor,
    NoResampling,
    RandomOverRegressor,
)
from knnor.benchmark.regression_third_party import KnnorRegV003, ResregSMOTER, ResregWERCS

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
