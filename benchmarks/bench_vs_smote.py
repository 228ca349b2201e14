"""Time ``KNNOR().fit_resample`` against imbalanced-learn's ``SMOTE().fit_resample``.

Both samplers run in the same process, one after the other, on the same data::

    make_classification(n_samples=rows, n_features=F, n_informative=F // 2,
                        weights=[0.9, 0.1], random_state=0)

and both balance it (``sampling_strategy="auto"``) with ``random_state=0``.

Run from the repository root::

    python benchmarks/bench_vs_smote.py --rows 100000 --features 10
    python benchmarks/bench_vs_smote.py --sizes 100000x10,20000x784 --repeats 5
    python benchmarks/bench_vs_smote.py --n-jobs -1 --smote-n-jobs -1
    python benchmarks/bench_vs_smote.py --sizes 100000x10,1000000x10 --memory --scaling
    python benchmarks/bench_vs_smote.py --classes 5 --sizes 100000x10
    python benchmarks/bench_vs_smote.py --paper --knnor 'k3={"n_neighbors": 3}'
    python benchmarks/bench_vs_smote.py --sizes 1000000x50 --filter-search graph

Before any timing, KNNOR is called once on a tiny dataset with the same number
of features, so numba's compilation (or the load of its on-disk cache) is left
out of the timings; that call is reported as "first call". SMOTE gets the same
kind of warm-up call, unreported. Then each repeat (``--repeats``) runs every
sampler once, one after the other (SMOTE, SMOTE with ``--smote-n-jobs``,
KNNOR, each labelled KNNOR), so that load from other processes falls on all of
them alike, and the median of each is reported, with the time per synthetic
row (seconds divided by the rows each sampler added: they need not add the
same number, as KNNOR can fall short of a class's target). The header gives
the machine (CPU model, cores, load average); the load average is printed again
before each size's timed runs and at the end.

``--knnor 'LABEL=JSON'`` (repeatable) also times ``KNNOR(random_state=0,
n_jobs=--n-jobs, **JSON)`` under the name ``knnor[LABEL]``, side by side with
the rest, with its own time, ratio to SMOTE and ratio of the default KNNOR to
it (and with ``--memory`` its own peak, with ``--scaling`` its own ratios).
``--paper`` is ``--knnor paper=...`` with ``knnor.PAPER_PARAMS``, the paper's
settings: after a change of KNNOR's defaults, ``knnor / knnor[paper]`` is the
change's cost, measured at the same time on the same machine. A label is made
of letters, digits, ``_``, ``.``, ``+``, ``-``; an unknown parameter, a value
KNNOR refuses or invalid JSON is a usage error (exit status 2).

Read the ratio, not the seconds: absolute times on a shared or virtual machine
are noise (other tenants, frequency scaling, thermal state), while the ratio of
two runs taken side by side on the same data in the same process is what
carries over from one machine to another.

Threads: KNNOR uses ``--n-jobs`` numba threads (default 1). SMOTE's neighbour
search is single-threaded with its default ``k_neighbors=5``; ``--smote-n-jobs``
adds a run with ``k_neighbors=NearestNeighbors(n_neighbors=6, n_jobs=N)``.
Note that scikit-learn's brute-force neighbour search (used for many features)
runs on OpenMP threads whatever ``n_jobs`` says.

``--classes C`` (default 2) draws C classes: ``n_classes=C``,
``n_informative=max(F // 2, ceil(log2(2 C)))`` (what make_classification needs
for its two clusters per class), ``n_redundant=min(2, F - n_informative)``, and
weights ``[0.6] + [0.4 / (C - 1)] * (C - 1)``, one majority of 60 % and the rest
split evenly (C=5: ``[0.6, 0.1, 0.1, 0.1, 0.1]``). C=2 keeps the data above,
``[0.9, 0.1]``, so results stay comparable with earlier runs.

``--memory`` also reports peak memory. tracemalloc does not see numba's
allocations, so each method runs once in a fresh process (this script again, in
a hidden ``--child METHOD`` mode) that reports its own peak resident set size:
``baseline`` (imports and data generation only), ``smote`` (``SMOTE(random_state=0)``)
and ``knnor`` (``KNNOR(random_state=0, n_jobs=--n-jobs)``), then each labelled
KNNOR (``--child knnor --child-params JSON``). The peak is VmHWM
from ``/proc/self/status``, not ``getrusage``: on Linux ``ru_maxrss`` of a
child, and so ``RUSAGE_CHILDREN``, keeps the high-water mark of the parent it
was forked from (exec does not reset it), so it would report at least this
process's own peak. Elsewhere the script falls back on ``ru_maxrss``, with that
caveat. Reported per size: the three peaks in MB, the ratio of the memory above
baseline, (knnor - baseline) / (SMOTE - baseline), and the ratio of the raw
peaks. A further line splits that: the RSS just before the measured call, over
the baseline's (the code and runtime the method loaded), and the peak of the
call alone above it (VmHWM reset through ``/proc/self/clear_refs`` just before).

Each child makes a tiny warm-up fit of its method before the measured call.
The peak is the process's high-water mark and the measured call would load the
same numba code anyway, so this moves the peaks by well under 1 MB (knnor 324.8
vs 325.1 MB, SMOTE 272.3 vs 272.2 MB at 20000x10, numba cache warm), while it
keeps numba's fixed cost (some 50 MB of compiled code and runtime) out of the
call's own peak. ``--memory-no-warmup`` skips it. At small sizes that fixed
cost dominates knnor's memory above baseline and so inflates the ratio above
baseline: read it next to the call's own peaks.

``--scaling``, given two or more sizes with the same number of features (e.g.
``--sizes 100000x10,1000000x10``), prints for each pair of successive sizes the
ratio of knnor's times and of SMOTE's times, larger over smaller, with the
exponent ``log(time ratio) / log(rows ratio)`` (1: linear in the rows); with
``--memory`` also the ratio of the call's own peak (memory above baseline where
VmHWM cannot be reset), which leaves out numba's fixed cost.
"""

# The script's parts are modules next to it; make them importable however it is
# run (``python benchmarks/bench_vs_smote.py``, or loaded from its path by a test).
import sys
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402

from _bench_data import (  # noqa: E402
    class_weights,
    make_data,
    n_informative_for,
    parse_size,
    parse_sizes,
)
from _bench_machine import load_average, machine_report  # noqa: E402
from _bench_memory import child_command, run_child  # noqa: E402
from _bench_methods import (  # noqa: E402
    CHILD_METHODS,
    check_knnor_params,
    paper_config,
    parse_knnor_config,
)
from _bench_report import print_memory_table, print_per_row_table, print_table  # noqa: E402
from _bench_scaling import print_scaling, scaling_pairs  # noqa: E402
from _bench_timing import run_size  # noqa: E402

# what tests/test_bench_script.py and other callers use from the script itself
__all__ = ["child_command", "class_weights", "main", "make_data", "run_size", "scaling_pairs"]


def child_params(text):
    """Hidden ``--child-params JSON``: a labelled KNNOR configuration for ``--child knnor``."""
    params = json.loads(text)
    check_knnor_params(params, "--child-params")
    return params


def build_parser():
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
        "--filter-search",
        choices=["exact", "graph"],
        default="exact",
        help="filter_search of every KNNOR timed, unless its --knnor JSON sets it (default exact)",
    )
    parser.add_argument(
        "--smote-n-jobs",
        type=int,
        default=None,
        help="also time SMOTE with k_neighbors=NearestNeighbors(n_neighbors=6, n_jobs=N)",
    )
    parser.add_argument(
        "--knnor",
        action="append",
        type=parse_knnor_config,
        metavar="LABEL=JSON",
        help="also time KNNOR(random_state=0, n_jobs=--n-jobs, **JSON) as knnor[LABEL], "
        "e.g. 'k3={\"n_neighbors\": 3}'; repeatable",
    )
    parser.add_argument(
        "--paper",
        action="append_const",
        dest="knnor",
        const=paper_config(),
        help="also time knnor[paper]: KNNOR with knnor.PAPER_PARAMS, the paper's settings",
    )
    parser.add_argument(
        "--classes",
        type=int,
        default=2,
        help="number of classes (default 2: weights [0.9, 0.1]; more: a 60%% majority and "
        "the rest split evenly)",
    )
    parser.add_argument(
        "--memory",
        action="store_true",
        help="also report each method's peak RSS, each in a fresh child process",
    )
    parser.add_argument(
        "--memory-no-warmup",
        action="store_true",
        help="with --memory: no tiny warm-up fit in the children before the measured call",
    )
    parser.add_argument(
        "--scaling",
        action="store_true",
        help="compare times between sizes with the same number of features",
    )
    parser.add_argument("--child", choices=CHILD_METHODS, help=argparse.SUPPRESS)
    parser.add_argument("--child-params", type=child_params, help=argparse.SUPPRESS)
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    if args.classes < 2:
        parser.error("--classes must be at least 2")
    labels = [label for label, _ in args.knnor or []]
    for label, params in args.knnor or []:
        if params is None:
            parser.error(f"--paper: knnor {label!r} has no PAPER_PARAMS")
        if labels.count(label) > 1:
            parser.error(f"--knnor/--paper: label {label!r} given more than once")
    sizes = args.sizes or [parse_size(f"{args.rows}x{args.features}")]
    for _, features in sizes:
        if n_informative_for(features, args.classes) > features:
            parser.error(
                f"{args.classes} classes need at least "
                f"{n_informative_for(features, args.classes)} features, got {features}"
            )
    if args.child:
        run_child(args)
        return

    print("# knnor vs SMOTE")
    for line in machine_report():
        print(line)
    print(" ".join(["command:", os.path.basename(sys.executable), *sys.argv]))

    results = [run_size(rows, features, args) for rows, features in sizes]
    print_table(results, args)
    print_per_row_table(results, args)
    if args.memory:
        print_memory_table(results)
    if args.scaling:
        print_scaling(results, args)
    print(f"\nload average at end: {load_average()}")


if __name__ == "__main__":
    main()
