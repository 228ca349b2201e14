"""How often ``filter_search="graph"`` disagrees with the exact filter.

Both filters judge the same candidates (walks from uniformly drawn seeds, at
relaxation level 0, as :func:`knnor._agreement.filter_agreement` makes them),
so every difference is a wrong verdict of the graph filter: a false accept
(kept, though a row of another class is among the nearest) or a false reject.
One CSV row per dataset, then the pooled rates::

    python benchmarks/bench_filter_agreement.py --sizes 100000x50,20000x784
    python benchmarks/bench_filter_agreement.py --source keel --candidates-per-row 20

``--sizes`` are the speed benchmark's ``make_classification`` sets
(``bench_vs_smote.py``: 10 % minority, half the features informative);
``--source`` any :func:`knnor.datasets.iter_datasets` source, standardised
after median imputation, every class but the largest judged. Candidates per
judged class: ``--candidates`` for the speed sets, ``--candidates-per-row``
times the class's rows for the others.
"""

import argparse
import csv
import sys
from dataclasses import astuple, fields
from pathlib import Path

import numpy as np
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _bench_data import make_data, parse_sizes  # noqa: E402

from knnor._agreement import Agreement, filter_agreement  # noqa: E402
from knnor.datasets import iter_datasets  # noqa: E402

COUNTS = [field.name for field in fields(Agreement)]


def speed_sets(sizes):
    for rows, features in sizes:
        X, y = make_data(rows, features)
        yield f"make_classification {rows}x{features}", X, y


def source_sets(source):
    for data in iter_datasets(source):
        X = StandardScaler().fit_transform(SimpleImputer(strategy="median").fit_transform(data.X))
        yield data.name, X, np.asarray(data.y)


def judged(name, X, y, n_candidates, per_row, rule):
    """The summed :class:`Agreement` over every class but the largest."""
    classes, codes, counts = np.unique(y, return_inverse=True, return_counts=True)
    data = np.ascontiguousarray(X, dtype=np.float64)
    total = np.zeros(len(COUNTS), dtype=np.int64)
    for code in np.argsort(counts)[:-1]:
        if counts[code] < 4:
            print(
                f"# {name}: class {classes[code]!r} has {counts[code]} rows, skipped",
                file=sys.stderr,
            )
            continue
        n = n_candidates if per_row is None else per_row * int(counts[code])
        agreement = filter_agreement(data, codes.astype(np.int64), int(code), n, filter_rule=rule)
        total += np.array(astuple(agreement))
    return total


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=parse_sizes, default=[])
    parser.add_argument("--source", action="append", default=[])
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--candidates-per-row", type=int, default=20)
    parser.add_argument("--rule", choices=["unanimous", "majority"], default="unanimous")
    args = parser.parse_args(argv)
    if not args.sizes and not args.source:
        parser.error("give --sizes, --source or both")

    writer = csv.writer(sys.stdout)
    writer.writerow(["dataset", *COUNTS, "false_accept_pct", "false_reject_pct"])
    pooled = np.zeros(len(COUNTS), dtype=np.int64)
    sets = [(speed_sets(args.sizes), None)]
    sets += [(source_sets(source), args.candidates_per_row) for source in args.source]
    for datasets, per_row in sets:
        for name, X, y in datasets:
            counts = judged(name, X, y, args.candidates, per_row, args.rule)
            pooled += counts
            writer.writerow([name, *counts, *percentages(counts)])
            sys.stdout.flush()
    writer.writerow(["pooled", *pooled, *percentages(pooled)])


def percentages(counts):
    n = max(1, counts[0])
    return [f"{100 * counts[3] / n:.4f}", f"{100 * counts[4] / n:.4f}"]


if __name__ == "__main__":
    main()
