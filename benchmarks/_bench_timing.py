"""Timing for bench_vs_smote.py: warm-up, interleaved timed runs, one size's report.

Within each repeat every method runs once, in a fixed order (SMOTE, SMOTE with
``--smote-n-jobs``, default KNNOR, then each labelled KNNOR configuration), so
that load from other processes falls on all of them alike; the median over the
repeats is reported.
"""

import statistics
import time
from collections import Counter
from functools import partial

from _bench_data import make_data, warmup_rows
from _bench_machine import load_average
from _bench_memory import measure_memory
from _bench_methods import config_name, knnor_configs, new_knnor, new_smote, new_smote_jobs
from _bench_report import fmt_per_row_ratio, fmt_ratio, fmt_times

SMOTE, SMOTE_JOBS, KNNOR = "SMOTE", "SMOTE_jobs", "knnor"


def time_call(make_sampler, X, y):
    """Seconds taken by one ``fit_resample`` of a fresh sampler, and the sampler."""
    sampler = make_sampler()
    start = time.perf_counter()
    X_res, _ = sampler.fit_resample(X, y)
    return time.perf_counter() - start, sampler, X_res.shape


def time_interleaved(makers, X, y, repeats):
    """Time each of ``makers`` ({name: factory}) once per repeat, in order, repeatedly.

    Returns ``{name: {"median", "times", "sampler", "shape"}}``, the sampler and
    shape being the last run's.
    """
    timings = {name: {"times": []} for name in makers}
    for _ in range(repeats):
        for name, make in makers.items():
            seconds, sampler, shape = time_call(make, X, y)
            timings[name].update(sampler=sampler, shape=shape)
            timings[name]["times"].append(seconds)
    for timing in timings.values():
        timing["median"] = statistics.median(timing["times"])
    return timings


def print_class_stats(name, sampler):
    for label, stats in sampler.class_stats_.items():
        print(
            f"{name} class {label!r}: {stats['n_accepted']} accepted of {stats['n_requested']} "
            f"requested, {stats['n_generated']} candidates, "
            f"{stats['n_rejected_filter']} rejected by the filter, "
            f"{stats['n_rejected_duplicate']} duplicates, "
            f"deepest relaxation level {stats['max_relaxation_level']}"
        )


def accepted_per_class(sampler):
    return {k: v["n_accepted"] for k, v in sorted(sampler.class_stats_.items())}


def run_size(rows, features, args):
    """Benchmark one dataset size; returns a dict for the summary tables."""
    print(f"\n## {rows} rows x {features} features")
    X, y = make_data(rows, features, args.classes)
    print(f"classes: {dict(sorted(Counter(y.tolist()).items()))}")
    configs = knnor_configs(args)

    makers = {SMOTE: new_smote}
    if args.smote_n_jobs is not None:
        makers[SMOTE_JOBS] = partial(new_smote_jobs, args.smote_n_jobs)
    makers[KNNOR] = partial(new_knnor, None, args.n_jobs, args.filter_search)
    for label, params in configs:
        makers[config_name(label)] = partial(new_knnor, params, args.n_jobs, args.filter_search)

    # Warm-up on a tiny set with the same number of features: the kd-tree and
    # brute-force paths are separate kernels, so each width needs its own.
    n_warm = warmup_rows(args.classes)
    X_tiny, y_tiny = make_data(n_warm, features, args.classes)
    first_call, _, _ = time_call(makers[KNNOR], X_tiny, y_tiny)
    for name in (SMOTE, SMOTE_JOBS):
        if name in makers:
            time_call(makers[name], X_tiny, y_tiny)
    print(f"knnor first call ({n_warm} rows, numba compile/cache load): {first_call:.3f} s")
    firsts = {}
    for label, _ in configs:
        firsts[label], _, _ = time_call(makers[config_name(label)], X_tiny, y_tiny)
        print(f"{config_name(label)} first call ({n_warm} rows): {firsts[label]:.3f} s")
    print(f"load average before the timed runs: {load_average()}")

    timings = time_interleaved(makers, X, y, args.repeats)
    smote, knn = timings[SMOTE], timings[KNNOR]
    smote_s, knnor_s = smote["median"], knn["median"]
    print(f"SMOTE  median {smote_s:.3f} s  [{fmt_times(smote['times'])}]  -> {smote['shape']}")
    smote_jobs_s = None
    if args.smote_n_jobs is not None:
        smote_jobs_s = timings[SMOTE_JOBS]["median"]
        print(
            f"SMOTE (NearestNeighbors n_jobs={args.smote_n_jobs}) median {smote_jobs_s:.3f} s  "
            f"[{fmt_times(timings[SMOTE_JOBS]['times'])}]"
        )
    print(f"knnor  median {knnor_s:.3f} s  [{fmt_times(knn['times'])}]  -> {knn['shape']}")
    for label, _ in configs:
        timing = timings[config_name(label)]
        print(
            f"{config_name(label)}  median {timing['median']:.3f} s  "
            f"[{fmt_times(timing['times'])}]  -> {timing['shape']}"
        )
    print(f"ratio knnor / SMOTE = {knnor_s / smote_s:.2f}")
    if smote_jobs_s is not None:
        print(f"ratio knnor / SMOTE(n_jobs={args.smote_n_jobs}) = {knnor_s / smote_jobs_s:.2f}")
    for label, _ in configs:
        name, seconds = config_name(label), timings[config_name(label)]["median"]
        print(
            f"ratio {name} / SMOTE = {seconds / smote_s:.2f}; "
            f"ratio knnor / {name} = {fmt_ratio(knnor_s, seconds)}"
        )

    smote_added = smote["shape"][0] - rows
    knnor_added = knn["shape"][0] - rows
    smote_per_class = {
        int(k): int(v) for k, v in sorted(smote["sampler"].sampling_strategy_.items())
    }
    per_class = f"SMOTE {smote_per_class}, knnor {accepted_per_class(knn['sampler'])}"
    for label, _ in configs:
        name = config_name(label)
        per_class += f", {name} {accepted_per_class(timings[name]['sampler'])}"
    print(f"synthetic rows per class: {per_class}")
    print(
        f"time per synthetic row: SMOTE {1e6 * smote_s / smote_added:.2f} us "
        f"({smote_added} rows), knnor {1e6 * knnor_s / knnor_added:.2f} us ({knnor_added} rows); "
        f"ratio knnor / SMOTE = {fmt_ratio(knnor_s * smote_added, smote_s * knnor_added)}"
        if smote_added > 0 and knnor_added > 0
        else f"time per synthetic row: n/a (SMOTE added {smote_added}, knnor {knnor_added})"
    )
    config_results = {}
    for label, _ in configs:
        name, timing = config_name(label), timings[config_name(label)]
        added = timing["shape"][0] - rows
        per_row = f"{1e6 * timing['median'] / added:.2f} us" if added > 0 else "n/a"
        print(
            f"time per synthetic row: {name} {per_row} ({added} rows); ratio {name} / SMOTE = "
            f"{fmt_per_row_ratio(timing['median'], added, smote_s, smote_added)}"
        )
        config_results[label] = {"s": timing["median"], "added": added, "first": firsts[label]}

    print_class_stats("knnor", knn["sampler"])
    for label, _ in configs:
        print_class_stats(config_name(label), timings[config_name(label)]["sampler"])
    result = {
        "rows": rows,
        "features": features,
        "first": first_call,
        "smote": smote_s,
        "smote_jobs": smote_jobs_s,
        "knnor": knnor_s,
        "smote_added": smote_added,
        "knnor_added": knnor_added,
        "configs": config_results,
    }
    if args.memory:
        del X, y, X_tiny, y_tiny, timings, smote, knn  # leave the children the RAM
        memory = measure_memory(rows, features, args)
        for label, extra in memory.pop("configs").items():
            result["configs"][label].update(extra)
        result.update(memory)
    return result
