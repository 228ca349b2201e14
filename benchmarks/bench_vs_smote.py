"""Time ``KNNOR().fit_resample`` against imbalanced-learn's ``SMOTE().fit_resample``.

Both samplers run in the same process, one after the other, on the same data::

    make_classification(n_samples=rows, n_features=F, n_informative=F // 2,
                        weights=[0.9, 0.1], random_state=0)

and both balance it (``sampling_strategy="auto"``) with ``random_state=0``.

Run from the repository root::

    python benchmarks/bench_vs_smote.py --rows 100000 --features 10
    python benchmarks/bench_vs_smote.py --sizes 100000x10,20000x784 --repeats 5
    python benchmarks/bench_vs_smote.py --n-jobs -1 --smote-n-jobs -1

Before any timing, KNNOR is called once on a tiny dataset with the same number
of features, so numba's compilation (or the load of its on-disk cache) is left
out of the timings; that call is reported as "first call". SMOTE gets the same
kind of warm-up call, unreported. Each sampler is then timed ``--repeats``
times and the median is reported.

Read the ratio, not the seconds: absolute times on a shared or virtual machine
are noise (other tenants, frequency scaling, thermal state), while the ratio of
two runs taken side by side on the same data in the same process is what
carries over from one machine to another.

Threads: KNNOR uses ``--n-jobs`` numba threads (default 1). SMOTE's neighbour
search is single-threaded with its default ``k_neighbors=5``; ``--smote-n-jobs``
adds a run with ``k_neighbors=NearestNeighbors(n_neighbors=6, n_jobs=N)``.
Note that scikit-learn's brute-force neighbour search (used for many features)
runs on OpenMP threads whatever ``n_jobs`` says.
"""

import argparse
import os
import platform
import statistics
import sys
import time
from collections import Counter

import imblearn
import numba
import numpy as np
import sklearn
from imblearn.over_sampling import SMOTE
from sklearn.datasets import make_classification
from sklearn.neighbors import NearestNeighbors

import knnor
from knnor import KNNOR

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


def make_data(rows, features):
    return make_classification(
        n_samples=rows,
        n_features=features,
        n_informative=features // 2,
        weights=[0.9, 0.1],
        random_state=0,
    )


def cpu_model():
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def machine_report():
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    return [
        f"CPU: {cpu_model()}",
        f"cores: {os.cpu_count()} logical, {usable} usable by this process, "
        f"numba threads available: {numba.config.NUMBA_NUM_THREADS}",
        f"Python {platform.python_version()} ({platform.system()} {platform.release()})",
        f"numpy {np.__version__}, numba {numba.__version__}, scikit-learn {sklearn.__version__}, "
        f"imbalanced-learn {imblearn.__version__}, knnor {knnor.__version__}",
    ]


def time_call(make_sampler, X, y):
    """Seconds taken by one ``fit_resample`` of a fresh sampler, and the sampler."""
    sampler = make_sampler()
    start = time.perf_counter()
    X_res, _ = sampler.fit_resample(X, y)
    return time.perf_counter() - start, sampler, X_res.shape


def time_repeated(make_sampler, X, y, repeats):
    times = []
    for _ in range(repeats):
        seconds, sampler, shape = time_call(make_sampler, X, y)
        times.append(seconds)
    return statistics.median(times), times, sampler, shape


def fmt_times(times):
    return ", ".join(f"{t:.3f}" for t in times)


def run_size(rows, features, args):
    """Benchmark one dataset size; returns a dict for the summary table."""
    print(f"\n## {rows} rows x {features} features")
    X, y = make_data(rows, features)
    print(f"classes: {dict(sorted(Counter(y.tolist()).items()))}")

    def make_knnor():
        return KNNOR(random_state=0, n_jobs=args.n_jobs)

    def make_smote():
        return SMOTE(random_state=0)

    def make_smote_jobs():
        return SMOTE(
            random_state=0,
            k_neighbors=NearestNeighbors(n_neighbors=6, n_jobs=args.smote_n_jobs),
        )

    # Warm-up on a tiny set with the same number of features: the kd-tree and
    # brute-force paths are separate kernels, so each width needs its own.
    X_tiny, y_tiny = make_data(WARMUP_ROWS, features)
    first_call, _, _ = time_call(make_knnor, X_tiny, y_tiny)
    time_call(make_smote, X_tiny, y_tiny)
    print(f"knnor first call ({WARMUP_ROWS} rows, numba compile/cache load): {first_call:.3f} s")

    smote_s, smote_times, _, smote_shape = time_repeated(make_smote, X, y, args.repeats)
    print(f"SMOTE  median {smote_s:.3f} s  [{fmt_times(smote_times)}]  -> {smote_shape}")

    smote_jobs_s = None
    if args.smote_n_jobs is not None:
        smote_jobs_s, jobs_times, _, _ = time_repeated(make_smote_jobs, X, y, args.repeats)
        print(
            f"SMOTE (NearestNeighbors n_jobs={args.smote_n_jobs}) median {smote_jobs_s:.3f} s  "
            f"[{fmt_times(jobs_times)}]"
        )

    knnor_s, knnor_times, sampler, knnor_shape = time_repeated(make_knnor, X, y, args.repeats)
    print(f"knnor  median {knnor_s:.3f} s  [{fmt_times(knnor_times)}]  -> {knnor_shape}")
    print(f"ratio knnor / SMOTE = {knnor_s / smote_s:.2f}")
    if smote_jobs_s is not None:
        print(f"ratio knnor / SMOTE(n_jobs={args.smote_n_jobs}) = {knnor_s / smote_jobs_s:.2f}")

    for label, stats in sampler.class_stats_.items():
        print(
            f"knnor class {label!r}: {stats['n_accepted']} accepted of {stats['n_requested']} "
            f"requested, {stats['n_generated']} candidates, "
            f"{stats['n_rejected_filter']} rejected by the filter, "
            f"{stats['n_rejected_duplicate']} duplicates, "
            f"deepest relaxation level {stats['max_relaxation_level']}"
        )
    return {
        "rows": rows,
        "features": features,
        "first": first_call,
        "smote": smote_s,
        "smote_jobs": smote_jobs_s,
        "knnor": knnor_s,
    }


def print_table(results, args):
    with_jobs = args.smote_n_jobs is not None
    header = ["rows x features", "SMOTE s", "knnor s", "ratio"]
    if with_jobs:
        header += [f"SMOTE n_jobs={args.smote_n_jobs} s", f"ratio vs n_jobs={args.smote_n_jobs}"]
    header.append("knnor first call s")
    print("\n| " + " | ".join(header) + " |")
    print("|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|")
    for r in results:
        cells = [
            f"{r['rows']} x {r['features']}",
            f"{r['smote']:.3f}",
            f"{r['knnor']:.3f}",
            f"{r['knnor'] / r['smote']:.2f}",
        ]
        if with_jobs:
            cells += [f"{r['smote_jobs']:.3f}", f"{r['knnor'] / r['smote_jobs']:.2f}"]
        cells.append(f"{r['first']:.2f}")
        print("| " + " | ".join(cells) + " |")
    print(
        f"\nmedian of {args.repeats} run(s); ratio = knnor / SMOTE time "
        f"(< 1: knnor faster); knnor n_jobs={args.n_jobs}"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Time KNNOR against imbalanced-learn's SMOTE on the same data."
    )
    parser.add_argument("--rows", type=int, default=100_000, help="samples (default 100000)")
    parser.add_argument("--features", type=int, default=10, help="features (default 10)")
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        help="comma-separated ROWSxFEATURES list, e.g. 100000x10,20000x784 "
        "(overrides --rows/--features)",
    )
    parser.add_argument("--repeats", type=int, default=3, help="timed runs each (default 3)")
    parser.add_argument(
        "--n-jobs", type=int, default=None, help="n_jobs passed to KNNOR (default None: 1)"
    )
    parser.add_argument(
        "--smote-n-jobs",
        type=int,
        default=None,
        help="also time SMOTE with k_neighbors=NearestNeighbors(n_neighbors=6, n_jobs=N)",
    )
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    sizes = args.sizes or [parse_size(f"{args.rows}x{args.features}")]

    print("# knnor vs SMOTE")
    for line in machine_report():
        print(line)
    print(" ".join(["command:", os.path.basename(sys.executable), *sys.argv]))

    results = [run_size(rows, features, args) for rows, features in sizes]
    print_table(results, args)


if __name__ == "__main__":
    main()
