"""knnor: K-Nearest Neighbour OveRsampling for imbalanced learning."""

from knnor.classification import KNNOR

__version__ = "0.1.0"

__all__ = ["KNNOR", "__version__"]
