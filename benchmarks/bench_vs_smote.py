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

Before any timing, KNNOR is called once on a tiny dataset with the same number
of features, so numba's compilation (or the load of its on-disk cache) is left
out of the timings; that call is reported as "first call". SMOTE gets the same
kind of warm-up call, unreported. Each sampler is then timed ``--repeats``
times and the median is reported, with the time per synthetic row (seconds
divided by the rows each sampler added: the two need not add the same number,
as KNNOR can fall short of a class's target).

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
and ``knnor`` (``KNNOR(random_state=0, n_jobs=--n-jobs)``). The peak is VmHWM
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

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
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
CHILD_METHODS = ("baseline", "smote", "knnor")


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


def fmt_ratio(numerator, denominator, digits=2):
    return f"{numerator / denominator:.{digits}f}" if denominator > 0 else "n/a"


# ---------------------------------------------------------------------------
# peak memory, measured in fresh child processes


def _proc_status_mb(field):
    """``VmHWM`` / ``VmRSS`` of this process in MB, or None without /proc."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024  # kB
    except (OSError, ValueError, IndexError):
        pass
    return None


def peak_rss_mb():
    """Peak resident set size of this process so far, in MB, and where it came from.

    VmHWM belongs to the address space, which exec replaces, so a child's VmHWM
    is its own. ``ru_maxrss`` survives exec and so also counts the parent it
    was forked from; it is only the fallback (macOS reports it in bytes).
    """
    peak = _proc_status_mb("VmHWM")
    if peak is not None:
        return peak, "VmHWM"
    import resource

    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return maxrss / (2**20 if sys.platform == "darwin" else 1024), "ru_maxrss"


def reset_peak_rss():
    """Reset this process's VmHWM to its current RSS (Linux >= 4.0); False if refused."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    except OSError:
        return False
    return True


def run_child(args):
    """Hidden ``--child METHOD`` mode: one measured call, then a JSON line on stdout.

    ``peak_mb`` is the process's peak over its whole life. ``before_mb`` is the
    RSS just before the measured call (after the data and the warm-up fit), and
    ``call_peak_mb`` the peak of the call alone, VmHWM having been reset just
    before it (None where that is not possible).
    """
    X, y = make_data(args.rows, args.features, args.classes)
    make = {
        "knnor": lambda: KNNOR(random_state=0, n_jobs=args.n_jobs),
        "smote": lambda: SMOTE(random_state=0),
    }.get(args.child)
    if make is not None and not args.memory_no_warmup:
        make().fit_resample(*make_data(warmup_rows(args.classes), args.features, args.classes))
    peak_before, source = peak_rss_mb()
    was_reset = reset_peak_rss()
    before_mb = _proc_status_mb("VmRSS")
    n_out = len(y)
    if make is not None:
        _, y_res = make().fit_resample(X, y)
        n_out = len(y_res)
    peak_after, _ = peak_rss_mb()
    if before_mb is not None:
        # Linux's RSS counters are per-CPU batched, so two readings can disagree
        # by a fraction of a MB; a call's peak is at least the RSS it started from.
        peak_after = max(peak_after, before_mb)
    record = {
        "method": args.child,
        "peak_mb": max(peak_before, peak_after) if was_reset else peak_after,
        "source": source,
        "before_mb": before_mb,
        "call_peak_mb": peak_after if was_reset and source == "VmHWM" else None,
        "n_out": n_out,
    }
    print(json.dumps(record))


def child_command(method, rows, features, args):
    cmd = [
        sys.executable,
        os.path.abspath(__file__),
        "--child",
        method,
        "--rows",
        str(rows),
        "--features",
        str(features),
        "--classes",
        str(args.classes),
    ]
    if args.n_jobs is not None:
        cmd += ["--n-jobs", str(args.n_jobs)]
    if args.memory_no_warmup:
        cmd.append("--memory-no-warmup")
    return cmd


def measure_child(method, rows, features, args):
    proc = subprocess.run(
        child_command(method, rows, features, args), capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"--child {method} ({rows}x{features}) exited with {proc.returncode}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure_memory(rows, features, args):
    """Peak RSS (MB) of a fresh process for each of CHILD_METHODS, one after the other."""
    peaks = {m: measure_child(m, rows, features, args) for m in CHILD_METHODS}
    base, smote, knn = (peaks[m]["peak_mb"] for m in CHILD_METHODS)
    sources = {p["source"] for p in peaks.values()}
    source = "VmHWM" if sources == {"VmHWM"} else "ru_maxrss, includes the parent's peak"
    warm = "no warm-up fit" if args.memory_no_warmup else "after a tiny warm-up fit"
    print(
        f"memory (peak RSS of a fresh process per method, MB; {source}; {warm}): "
        f"baseline {base:.1f} (imports + data), SMOTE {smote:.1f}, knnor {knn:.1f}"
    )
    print(
        f"memory above baseline: SMOTE +{smote - base:.1f} MB, knnor +{knn - base:.1f} MB; "
        f"ratio knnor / SMOTE = {fmt_ratio(knn - base, smote - base)} above baseline, "
        f"{fmt_ratio(knn, smote)} raw peak"
    )
    before = {m: peaks[m]["before_mb"] for m in CHILD_METHODS}
    call = {m: peaks[m]["call_peak_mb"] for m in CHILD_METHODS}
    if None not in before.values() and None not in call.values():
        print(
            f"RSS just before the measured call, over baseline's (data loaded; "
            f"{'no warm-up' if args.memory_no_warmup else 'after the warm-up fit'}): "
            f"SMOTE {before['smote'] - before['baseline']:+.1f} MB, "
            f"knnor {before['knnor'] - before['baseline']:+.1f} MB; the call's own peak "
            f"above that: SMOTE {call['smote'] - before['smote']:+.1f} MB, "
            f"knnor {call['knnor'] - before['knnor']:+.1f} MB"
        )
    memory = {"base_mb": base, "smote_mb": smote, "knnor_mb": knn}
    for m in ("smote", "knnor"):  # what the call itself adds, else memory above baseline
        if call[m] is not None and before[m] is not None:
            memory[f"{m}_call_mb"] = call[m] - before[m]
        else:
            memory[f"{m}_call_mb"] = peaks[m]["peak_mb"] - base
    return memory


# ---------------------------------------------------------------------------
# one size


def run_size(rows, features, args):
    """Benchmark one dataset size; returns a dict for the summary table."""
    print(f"\n## {rows} rows x {features} features")
    X, y = make_data(rows, features, args.classes)
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
    n_warm = warmup_rows(args.classes)
    X_tiny, y_tiny = make_data(n_warm, features, args.classes)
    first_call, _, _ = time_call(make_knnor, X_tiny, y_tiny)
    time_call(make_smote, X_tiny, y_tiny)
    print(f"knnor first call ({n_warm} rows, numba compile/cache load): {first_call:.3f} s")

    smote_s, smote_times, smote_sampler, smote_shape = time_repeated(
        make_smote, X, y, args.repeats
    )
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

    smote_added = smote_shape[0] - rows
    knnor_added = knnor_shape[0] - rows
    smote_per_class = {int(k): int(v) for k, v in sorted(smote_sampler.sampling_strategy_.items())}
    knnor_per_class = {k: v["n_accepted"] for k, v in sorted(sampler.class_stats_.items())}
    print(f"synthetic rows per class: SMOTE {smote_per_class}, knnor {knnor_per_class}")
    print(
        f"time per synthetic row: SMOTE {1e6 * smote_s / smote_added:.2f} us "
        f"({smote_added} rows), knnor {1e6 * knnor_s / knnor_added:.2f} us ({knnor_added} rows); "
        f"ratio knnor / SMOTE = {fmt_ratio(knnor_s * smote_added, smote_s * knnor_added)}"
        if smote_added > 0 and knnor_added > 0
        else f"time per synthetic row: n/a (SMOTE added {smote_added}, knnor {knnor_added})"
    )

    for label, stats in sampler.class_stats_.items():
        print(
            f"knnor class {label!r}: {stats['n_accepted']} accepted of {stats['n_requested']} "
            f"requested, {stats['n_generated']} candidates, "
            f"{stats['n_rejected_filter']} rejected by the filter, "
            f"{stats['n_rejected_duplicate']} duplicates, "
            f"deepest relaxation level {stats['max_relaxation_level']}"
        )
    result = {
        "rows": rows,
        "features": features,
        "first": first_call,
        "smote": smote_s,
        "smote_jobs": smote_jobs_s,
        "knnor": knnor_s,
        "smote_added": smote_added,
        "knnor_added": knnor_added,
    }
    if args.memory:
        del X, y, X_tiny, y_tiny, sampler, smote_sampler  # leave the children the RAM
        result.update(measure_memory(rows, features, args))
    return result


# ---------------------------------------------------------------------------
# summary


def print_row_table(header, rows):
    print("\n| " + " | ".join(header) + " |")
    print("|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|")
    for cells in rows:
        print("| " + " | ".join(cells) + " |")


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


def print_per_row_table(results, args):
    def us(seconds, added):
        return f"{1e6 * seconds / added:.2f}" if added > 0 else "n/a"

    print_row_table(
        [
            "rows x features",
            "SMOTE rows added",
            "knnor rows added",
            "SMOTE us/row",
            "knnor us/row",
            "ratio",
        ],
        [
            [
                f"{r['rows']} x {r['features']}",
                str(r["smote_added"]),
                str(r["knnor_added"]),
                us(r["smote"], r["smote_added"]),
                us(r["knnor"], r["knnor_added"]),
                fmt_ratio(r["knnor"] * r["smote_added"], r["smote"] * r["knnor_added"])
                if r["knnor_added"] > 0
                else "n/a",
            ]
            for r in results
        ],
    )
    print(
        f"\ntime per synthetic row (median time / rows added), {args.classes} classes; "
        "ratio = knnor / SMOTE"
    )


def print_memory_table(results):
    print_row_table(
        [
            "rows x features",
            "baseline MB",
            "SMOTE peak MB",
            "knnor peak MB",
            "ratio above baseline",
            "raw peak ratio",
        ],
        [
            [
                f"{r['rows']} x {r['features']}",
                f"{r['base_mb']:.1f}",
                f"{r['smote_mb']:.1f}",
                f"{r['knnor_mb']:.1f}",
                fmt_ratio(r["knnor_mb"] - r["base_mb"], r["smote_mb"] - r["base_mb"]),
                fmt_ratio(r["knnor_mb"], r["smote_mb"]),
            ]
            for r in results
        ],
    )
    print(
        "\npeak RSS of a fresh process per method; baseline = imports + data only; "
        "ratio above baseline = (knnor - baseline) / (SMOTE - baseline)"
    )


def scaling_pairs(results):
    """Successive (smaller, larger) results that share a feature count."""
    by_features = {}
    for r in results:
        by_features.setdefault(r["features"], {})[r["rows"]] = r
    pairs = []
    for features in sorted(by_features):
        group = [by_features[features][rows] for rows in sorted(by_features[features])]
        pairs += list(zip(group, group[1:], strict=False))
    return pairs


def print_scaling(results, args):
    pairs = scaling_pairs(results)
    if not pairs:
        print("\n--scaling: no two sizes with the same number of features; nothing to compare")
        return

    def exponent(ratio, rows_ratio):
        return f"{math.log(ratio) / math.log(rows_ratio):.2f}" if ratio > 0 else "n/a"

    header = [
        "features",
        "rows",
        "rows ratio",
        "knnor time ratio",
        "SMOTE time ratio",
        "knnor exponent",
        "SMOTE exponent",
    ]
    if args.memory:
        header += ["knnor memory ratio", "SMOTE memory ratio"]
    table = []
    for small, large in pairs:
        rows_ratio = large["rows"] / small["rows"]
        knnor_ratio = large["knnor"] / small["knnor"]
        smote_ratio = large["smote"] / small["smote"]
        cells = [
            str(small["features"]),
            f"{small['rows']} -> {large['rows']}",
            f"{rows_ratio:g}",
            f"{knnor_ratio:.2f}",
            f"{smote_ratio:.2f}",
            exponent(knnor_ratio, rows_ratio),
            exponent(smote_ratio, rows_ratio),
        ]
        if args.memory:
            cells += [
                fmt_ratio(large[f"{m}_call_mb"], small[f"{m}_call_mb"]) for m in ("knnor", "smote")
            ]
        table.append(cells)
    print_row_table(header, table)
    print(
        "\nscaling: larger size over smaller; exponent = log(time ratio) / log(rows ratio) "
        "(1: linear in the rows)"
        + (
            "; memory ratio = the measured call's own peak above the RSS before it "
            "(memory above baseline where that cannot be measured), larger over smaller"
            if args.memory
            else ""
        )
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
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    if args.classes < 2:
        parser.error("--classes must be at least 2")
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


if __name__ == "__main__":
    main()
