"""knnor: K-Nearest Neighbour OveRsampling for imbalanced learning."""

from knnor.classification import KNNOR, PAPER_PARAMS
from knnor.exceptions import KNNORWarning
from knnor.image import FlattenImages, KNNORImage
from knnor.regression import KNNORReg

__version__ = "1.0.0.dev0"

__all__ = [
    "KNNOR",
    "KNNORImage",
    "KNNORReg",
    "KNNORWarning",
    "FlattenImages",
    "PAPER_PARAMS",
    "__version__",
]
