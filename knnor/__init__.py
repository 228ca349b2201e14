"""knnor: K-Nearest Neighbour OveRsampling for imbalanced learning."""

from knnor.classification import KNNOR, PAPER_PARAMS
from knnor.image import FlattenImages, KNNORImage
from knnor.regression import KNNORReg

__version__ = "0.1.0"

__all__ = ["KNNOR", "KNNORImage", "KNNORReg", "FlattenImages", "PAPER_PARAMS", "__version__"]
