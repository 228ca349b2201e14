"""Type aliases of the public signatures: hints for readers and type checkers.

The values are checked at run time by each estimator's ``_parameter_constraints``,
as in scikit-learn; these aliases only name the accepted kinds.
"""

from collections.abc import Callable, Mapping
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy.sparse import sparray, spmatrix

Auto = Literal["auto"]
FilterRule = Literal["unanimous", "majority"]
FilterSearch = Literal["exact", "graph"]
RandomStateLike = int | np.random.RandomState | None
SamplingStrategy = float | str | Mapping[Any, int] | Callable[..., Mapping[Any, int]]
MatrixLike = ArrayLike | spmatrix | sparray
#: ``(X_resampled, y_resampled)`` in the caller's containers: arrays, pandas or sparse.
Resampled = tuple[Any, Any]
