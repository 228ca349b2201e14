"""``--scaling`` for bench_vs_smote.py: how times (and memory) grow with the rows."""

import math

from _bench_methods import config_name
from _bench_report import fmt_ratio, print_row_table


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


def _exponent(ratio, rows_ratio):
    return f"{math.log(ratio) / math.log(rows_ratio):.2f}" if ratio > 0 else "n/a"


def print_scaling(results, args):
    pairs = scaling_pairs(results)
    if not pairs:
        print("\n--scaling: no two sizes with the same number of features; nothing to compare")
        return
    labels = list(results[0].get("configs", {}))
    header = [
        "features",
        "rows",
        "rows ratio",
        "knnor time ratio",
        "SMOTE time ratio",
        "knnor exponent",
        "SMOTE exponent",
    ]
    for label in labels:
        header += [f"{config_name(label)} time ratio", f"{config_name(label)} exponent"]
    if args.memory:
        header += ["knnor memory ratio", "SMOTE memory ratio"]
        header += [f"{config_name(label)} memory ratio" for label in labels]
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
            _exponent(knnor_ratio, rows_ratio),
            _exponent(smote_ratio, rows_ratio),
        ]
        for label in labels:
            ratio = large["configs"][label]["s"] / small["configs"][label]["s"]
            cells += [f"{ratio:.2f}", _exponent(ratio, rows_ratio)]
        if args.memory:
            cells += [
                fmt_ratio(large[f"{m}_call_mb"], small[f"{m}_call_mb"]) for m in ("knnor", "smote")
            ]
            cells += [
                fmt_ratio(large["configs"][label]["call_mb"], small["configs"][label]["call_mb"])
                for label in labels
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
