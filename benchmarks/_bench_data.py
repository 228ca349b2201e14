"""Data for bench_vs_smote.py: the sizes asked for and the make_classification sets."""

import argparse
import math

from sklearn.datasets import make_classification

WARMUP_ROWS = 200


def parse_size(text):
    """'100000x10' -> (100000, 10)."""
    try:
        rows, features = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected ROWSxFEATURES, got {text!r}") from None
    if rows < 100 or features < 4:
        raise argparse.ArgumentTypeError(f"{text!r}: need at least 100 rows and 4 features")
    return rows, features


def parse_sizes(text):
    return [parse_size(part) for part in text.split(",") if part.strip()]


def class_weights(n_classes):
    """[0.9, 0.1] for two classes (as always); else a 60 % majority, the rest even."""
    if n_classes == 2:
        return [0.9, 0.1]
    return [0.6] + [0.4 / (n_classes - 1)] * (n_classes - 1)


def n_informative_for(features, n_classes):
    # make_classification needs n_classes * n_clusters_per_class (2) <= 2 ** n_informative.
    return max(features // 2, math.ceil(math.log2(2 * n_classes)))


def warmup_rows(n_classes):
    """Enough rows for ~40 points in each minority class of the warm-up set."""
    return max(WARMUP_ROWS, 100 * (n_classes - 1))


def make_data(rows, features, n_classes=2):
    n_informative = n_informative_for(features, n_classes)
    return make_classification(
        n_samples=rows,
        n_features=features,
        n_informative=n_informative,
        n_redundant=min(2, features - n_informative),
        n_classes=n_classes,
        weights=class_weights(n_classes),
        random_state=0,
    )
