"""The knnor 0.1.4 interface, kept so that code written for it keeps running.

The authors' releases 0.1.0 to 0.1.4 exposed ``knnor.data_augment.KNNOR``,
whose ``fit_resample`` took the parameters as call arguments and returned four
arrays. This class keeps that call and runs it on this package's engine
through :class:`knnor.KNNOR`, with a ``FutureWarning`` that prints the same
call in the new API. What changes in the results (the reliability filter, the
seeding, the order of rows) is in ``docs/migration.md``.
"""

import warnings
from collections import Counter
from numbers import Real

import numpy as np
from numpy.typing import ArrayLike

import knnor.classification

_MIGRATION = "docs/migration.md"


def legacy_sampling_strategy(y: ArrayLike, proportion: float) -> str | dict:
    """The ``sampling_strategy`` that asks for what 0.1.4's ``proportion`` asked for.

    0.1.4 grew every class smaller than the largest to ``int(proportion *
    n_largest)`` rows, and left alone a class already that large. With
    ``proportion=1`` that is imbalanced-learn's ``"not majority"``; otherwise a
    dict of target counts for this ``y``.
    """
    counts = Counter(np.asarray(y).tolist())
    largest = max(counts.values())
    if proportion == 1:
        return "not majority"
    target = int(largest * proportion)
    return {
        label: target for label, count in sorted(counts.items()) if count < min(target, largest)
    }


class KNNOR:
    """knnor 0.1.4's ``data_augment.KNNOR``, on the new engine.

    Deprecated: use :class:`knnor.KNNOR`, an imbalanced-learn sampler. Every
    call warns with the equivalent new call.

    Parameters
    ----------
    random_state : int, RandomState instance or None, default=None
        Seed of the walks; 0.1.4 used Python's global ``random`` and had none.
        Passed to :class:`knnor.KNNOR`.

    Examples
    --------
    >>> import warnings
    >>> import numpy as np
    >>> from knnor import data_augment
    >>> X = np.array([[0, 0], [1, 0], [0, 1], [1, 1], [5, 5], [6, 5], [5, 6],
    ...               [6, 6], [5.5, 5.5], [6.5, 6.5]])
    >>> y = np.array([0, 0, 0, 0, 1, 1, 1, 1, 1, 1])
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     X_res, y_res, X_new, y_new = data_augment.KNNOR(random_state=0).fit_resample(
    ...         X, y, num_nbrs=2)
    >>> X_res.shape, X_new.shape, y_new.tolist()
    ((12, 2), (2, 2), [0, 0])
    >>> print(caught[0].message)  # doctest: +ELLIPSIS
    knnor.data_augment.KNNOR is knnor 0.1.4's interface ... the new API:
        X_res, y_res = knnor.KNNOR(sampling_strategy='not majority', n_neighbors=2, ...
    """

    def __init__(self, random_state: int | np.random.RandomState | None = None) -> None:
        self.random_state = random_state

    def fit_resample(
        self,
        X: ArrayLike,
        y: ArrayLike,
        num_nbrs: int = 3,
        prop_minority: float = 0.5,
        max_dist: float = 0.5,
        proportion: float = 1,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Over-sample every class smaller than the largest, as 0.1.4 did.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Numeric features.
        y : array-like of shape (n_samples,)
            Class labels.
        num_nbrs : int, default=3
            Neighbours walked through per synthetic row: ``n_neighbors``.
        prop_minority : float in (0, 1], default=0.5
            Share of each class, densest first, used as seeds:
            ``proportion_minority``.
        max_dist : float in (0, 1], default=0.5
            Upper bound of the step along each neighbour: ``max_dist_point``.
        proportion : float, default=1
            Each smaller class grows to ``int(proportion * n_largest)`` rows
            (1: as many as the largest class); a class already that large is
            left alone.

        Returns
        -------
        X_resampled : ndarray of shape (n_samples_new, n_features)
            The original rows, unchanged and first, then the synthetic rows.
        y_resampled : ndarray of shape (n_samples_new,)
            Labels of ``X_resampled``.
        X_new_minority : ndarray of shape (n_synthetic, n_features)
            The synthetic rows alone: ``X_resampled[n_samples:]``.
        y_new_minority : ndarray of shape (n_synthetic,)
            Their labels.
        """
        if not isinstance(prop_minority, Real) or not 0 < prop_minority <= 1:
            raise ValueError(
                f"prop_minority must be a share of the class in (0, 1], got {prop_minority!r}"
            )
        if not isinstance(proportion, Real) or proportion <= 0:
            raise ValueError(
                "proportion must be positive (1: grow every class to the largest's size), "
                f"got {proportion!r}"
            )
        X, y = np.asarray(X), np.asarray(y)
        params = {
            "sampling_strategy": legacy_sampling_strategy(y, proportion),
            "n_neighbors": num_nbrs,
            "proportion_minority": prop_minority,
            "max_dist_point": max_dist,
        }
        if self.random_state is not None:
            params["random_state"] = self.random_state
        warnings.warn(_new_call_message(params), FutureWarning, stacklevel=2)
        if not params["sampling_strategy"]:  # nothing to grow; 0.1.4 raised here
            return X, y, X[:0].astype(np.float64), y[:0]
        X_res, y_res = knnor.classification.KNNOR(**params).fit_resample(X, y)
        return X_res, y_res, X_res[len(X) :], y_res[len(y) :]


def _new_call_message(params):
    arguments = ", ".join(f"{name}={value!r}" for name, value in params.items())
    return (
        "knnor.data_augment.KNNOR is knnor 0.1.4's interface and will be removed; the same "
        "call in the new API:\n"
        f"    X_res, y_res = knnor.KNNOR({arguments}).fit_resample(X, y)\n"
        "(the synthetic rows are X_res[len(X):]). The results differ from 0.1.4's: "
        f"candidates now pass the reliability filter; see {_MIGRATION}."
    )
