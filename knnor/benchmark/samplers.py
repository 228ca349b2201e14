"""The samplers a benchmark can compare, by name.

Every entry is built with a ``random_state`` derived from the run seed (see
:func:`knnor.benchmark.protocol.task_seed`) and exposes ``fit_resample``.
imbalanced-learn's samplers and KNNOR handle multi-class data natively (each
class but the majority is over-sampled to the majority's size); smote-variants
oversamplers go through its ``MulticlassOversampling`` when there are more
than two classes.
"""

import importlib
from functools import partial

import numpy as np
from imblearn.combine import SMOTEENN, SMOTETomek
from imblearn.over_sampling import (
    ADASYN,
    SMOTE,
    SVMSMOTE,
    BorderlineSMOTE,
    KMeansSMOTE,
    RandomOverSampler,
)

from knnor import KNNOR
from knnor.benchmark.specs import instantiate, parse_spec, resolve


class NoResampling:
    """Return the training fold unchanged: the baseline an oversampler must beat."""

    def fit_resample(self, X, y):
        """Return ``X, y`` as given."""
        return X, y


class SmoteVariantsSampler:
    """Adapt a smote-variants oversampler to the ``fit_resample`` interface.

    smote-variants (>= 1.0) samples with ``.sample(X, y)`` and handles more
    than two classes only through ``MulticlassOversampling``, which takes the
    oversampler's name. Labels are passed as integer codes and mapped back,
    so string labels work too.

    Parameters
    ----------
    oversampler : str
        Class name in ``smote_variants``, e.g. ``"SMOTE"`` or ``"ProWSyn"``.
    random_state : int or None, default=None
    **params : dict
        Constructor parameters of the oversampler.
    """

    def __init__(self, oversampler, random_state=None, **params):
        self.oversampler = oversampler
        self.random_state = random_state
        self.params = params

    def fit_resample(self, X, y):
        """Resample with smote-variants.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)

        Returns
        -------
        X_resampled, y_resampled : ndarray
        """
        sv = importlib.import_module("smote_variants")
        classes, codes = np.unique(y, return_inverse=True)
        params = {**self.params, "random_state": self.random_state}
        if len(classes) > 2:
            sampler = sv.MulticlassOversampling(
                oversampler=self.oversampler, oversampler_params=params
            )
        else:
            sampler = getattr(sv, self.oversampler)(**params)
        X_res, codes_res = sampler.sample(np.asarray(X), codes)
        return X_res, classes[np.asarray(codes_res, dtype=np.intp)]


SAMPLERS = {
    "none": NoResampling,
    "RandomOverSampler": RandomOverSampler,
    "SMOTE": SMOTE,
    "BorderlineSMOTE": BorderlineSMOTE,
    "SVMSMOTE": SVMSMOTE,
    "ADASYN": ADASYN,
    "KMeansSMOTE": KMeansSMOTE,
    "SMOTEENN": SMOTEENN,
    "SMOTETomek": SMOTETomek,
    "KNNOR": KNNOR,
}
"""Built-in samplers: name -> factory taking ``random_state`` and parameters."""


def register_sampler(name, factory):
    """Make ``name`` usable in sampler specifications.

    Parameters
    ----------
    name : str
    factory : callable
        Called with the JSON parameters (and ``random_state`` when it takes
        one); returns an object with ``fit_resample(X, y)``.
    """
    SAMPLERS[name] = factory


def make_sampler(spec, random_state):
    """Build the sampler a specification names.

    Parameters
    ----------
    spec : str or Spec
        A name from :data:`SAMPLERS`, ``"sv:<Name>"`` for a smote-variants
        oversampler, or ``"package.module:ClassName"``; optionally followed
        by JSON parameters and preceded by ``label=``.
    random_state : int

    Returns
    -------
    object with ``fit_resample``
    """
    spec = parse_spec(spec)
    if spec.name.startswith("sv:"):
        name = spec.name[3:]
        try:
            sv = importlib.import_module("smote_variants")
        except ImportError:
            raise ValueError(
                f"{spec.name!r} needs smote-variants: pip install smote-variants"
            ) from None
        if not hasattr(sv, name):
            raise ValueError(f"smote_variants has no oversampler {name!r}")
        factory = partial(SmoteVariantsSampler, name)
    else:
        factory = resolve(spec.name, SAMPLERS, "sampler")
    return instantiate(factory, spec.params, random_state)
