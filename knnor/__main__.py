"""Balance a real imbalanced dataset that ships with scikit-learn.

``python -m knnor`` over-samples the malignant class of the Wisconsin breast
cancer data (212 vs 357 rows) and prints the class counts before and after,
with what the reliability filter did. ``--dataset wine`` runs the 3-class wine
data instead.
"""

import argparse
from collections import Counter

from sklearn.datasets import load_breast_cancer, load_wine
from sklearn.preprocessing import StandardScaler

from knnor import KNNOR

LOADERS = {"breast_cancer": load_breast_cancer, "wine": load_wine}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m knnor", description=__doc__.split("\n")[0])
    parser.add_argument("--dataset", choices=sorted(LOADERS), default="breast_cancer")
    parser.add_argument("--random-state", type=int, default=0)
    args = parser.parse_args(argv)

    bunch = LOADERS[args.dataset]()
    X = StandardScaler().fit_transform(bunch.data)
    y = bunch.target_names[bunch.target]
    sampler = KNNOR(random_state=args.random_state)
    X_res, y_res = sampler.fit_resample(X, y)

    print(f"{args.dataset}: {X.shape[0]} rows x {X.shape[1]} features (standardised)")
    print(f"before: {dict(sorted(Counter(y.tolist()).items()))}")
    print(f"after:  {dict(sorted(Counter(y_res.tolist()).items()))}")
    for label, stats in sampler.class_stats_.items():
        print(
            f"class {label!r}: {stats['n_accepted']} of {stats['n_requested']} accepted "
            f"from {stats['n_generated']} candidates ({stats['n_rejected_filter']} "
            f"rejected by the filter, {stats['n_rejected_duplicate']} duplicates); "
            f"k={stats['n_neighbors']}, max_dist_point={stats['max_dist_point']}, "
            f"seeds={stats['n_seeds']}, deepest relaxation level "
            f"{stats['max_relaxation_level']}"
        )


if __name__ == "__main__":
    main()
