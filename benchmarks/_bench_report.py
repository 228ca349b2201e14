"""Output of bench_vs_smote.py: number formats and the markdown summary tables.

Each result is a dict from ``run_size``: ``rows``, ``features``, ``first``,
``smote``, ``smote_jobs``, ``knnor`` (median seconds), ``smote_added``,
``knnor_added``, with ``--memory`` ``base_mb``, ``smote_mb``, ``knnor_mb``, and
``configs``: ``{label: {"s", "added", "first"[, "mb", "call_mb"]}}`` for the
labelled KNNOR configurations (``--knnor``, ``--paper``).
"""

from _bench_methods import config_name, describe, knnor_configs


def fmt_times(times):
    return ", ".join(f"{t:.3f}" for t in times)


def fmt_ratio(numerator, denominator, digits=2):
    return f"{numerator / denominator:.{digits}f}" if denominator > 0 else "n/a"


def fmt_us_per_row(seconds, added):
    return f"{1e6 * seconds / added:.2f}" if added > 0 else "n/a"


def fmt_per_row_ratio(seconds, added, ref_seconds, ref_added):
    """(seconds / added) / (ref_seconds / ref_added), or n/a if either added nothing."""
    if added <= 0 or ref_added <= 0:
        return "n/a"
    return fmt_ratio(seconds * ref_added, ref_seconds * added)


def print_row_table(header, rows):
    print("\n| " + " | ".join(header) + " |")
    print("|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|")
    for cells in rows:
        print("| " + " | ".join(cells) + " |")


def _size(r):
    return f"{r['rows']} x {r['features']}"


def _labels(results):
    return list(results[0].get("configs", {})) if results else []


def print_table(results, args):
    with_jobs = args.smote_n_jobs is not None
    labels = _labels(results)
    header = ["rows x features", "SMOTE s", "knnor s", "ratio"]
    for label in labels:
        name = config_name(label)
        header += [f"{name} s", f"{name} ratio", f"knnor / {name}"]
    if with_jobs:
        header += [f"SMOTE n_jobs={args.smote_n_jobs} s", f"ratio vs n_jobs={args.smote_n_jobs}"]
    header.append("knnor first call s")
    table = []
    for r in results:
        cells = [
            _size(r),
            f"{r['smote']:.3f}",
            f"{r['knnor']:.3f}",
            f"{r['knnor'] / r['smote']:.2f}",
        ]
        for label in labels:
            seconds = r["configs"][label]["s"]
            cells += [
                f"{seconds:.3f}",
                f"{seconds / r['smote']:.2f}",
                fmt_ratio(r["knnor"], seconds),
            ]
        if with_jobs:
            cells += [f"{r['smote_jobs']:.3f}", f"{r['knnor'] / r['smote_jobs']:.2f}"]
        cells.append(f"{r['first']:.2f}")
        table.append(cells)
    print_row_table(header, table)
    print(
        f"\nmedian of {args.repeats} run(s); ratio = knnor / SMOTE time "
        f"(< 1: knnor faster); knnor n_jobs={args.n_jobs}"
    )
    if labels:
        print(
            "knnor[LABEL] ratio = that configuration's time / SMOTE's; knnor / knnor[LABEL] = "
            "default KNNOR's time / that configuration's (> 1: the defaults are slower)"
        )
        for label, params in knnor_configs(args):
            print(f"{config_name(label)} = {describe(params)}")


def print_per_row_table(results, args):
    labels = _labels(results)
    header = [
        "rows x features",
        "SMOTE rows added",
        "knnor rows added",
        "SMOTE us/row",
        "knnor us/row",
        "ratio",
    ]
    for label in labels:
        name = config_name(label)
        header += [f"{name} rows added", f"{name} us/row", f"{name} ratio"]
    table = []
    for r in results:
        cells = [
            _size(r),
            str(r["smote_added"]),
            str(r["knnor_added"]),
            fmt_us_per_row(r["smote"], r["smote_added"]),
            fmt_us_per_row(r["knnor"], r["knnor_added"]),
            fmt_ratio(r["knnor"] * r["smote_added"], r["smote"] * r["knnor_added"])
            if r["knnor_added"] > 0
            else "n/a",
        ]
        for label in labels:
            config = r["configs"][label]
            cells += [
                str(config["added"]),
                fmt_us_per_row(config["s"], config["added"]),
                fmt_per_row_ratio(config["s"], config["added"], r["smote"], r["smote_added"]),
            ]
        table.append(cells)
    print_row_table(header, table)
    print(
        f"\ntime per synthetic row (median time / rows added), {args.classes} classes; "
        "ratio = knnor / SMOTE"
    )


def print_memory_table(results):
    labels = _labels(results)
    header = [
        "rows x features",
        "baseline MB",
        "SMOTE peak MB",
        "knnor peak MB",
        "ratio above baseline",
        "raw peak ratio",
    ]
    for label in labels:
        name = config_name(label)
        header += [f"{name} peak MB", f"{name} ratio above baseline"]
    table = []
    for r in results:
        base = r["base_mb"]
        cells = [
            _size(r),
            f"{base:.1f}",
            f"{r['smote_mb']:.1f}",
            f"{r['knnor_mb']:.1f}",
            fmt_ratio(r["knnor_mb"] - base, r["smote_mb"] - base),
            fmt_ratio(r["knnor_mb"], r["smote_mb"]),
        ]
        for label in labels:
            mb = r["configs"][label]["mb"]
            cells += [f"{mb:.1f}", fmt_ratio(mb - base, r["smote_mb"] - base)]
        table.append(cells)
    print_row_table(header, table)
    print(
        "\npeak RSS of a fresh process per method; baseline = imports + data only; "
        "ratio above baseline = (knnor - baseline) / (SMOTE - baseline)"
    )
