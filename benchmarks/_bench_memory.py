"""Peak memory for bench_vs_smote.py, each method measured in a fresh child process.

The child is bench_vs_smote.py itself in its hidden ``--child METHOD`` mode
(with ``--child-params JSON`` for a labelled KNNOR configuration).
"""

import json
import os
import subprocess
import sys

from _bench_data import make_data, warmup_rows
from _bench_methods import CHILD_METHODS, config_name, knnor_configs, new_knnor, new_smote
from _bench_report import fmt_ratio

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bench_vs_smote.py")


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
    params = getattr(args, "child_params", None)
    make = {
        "knnor": lambda: new_knnor(params, args.n_jobs, args.filter_search),
        "smote": new_smote,
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


def child_command(method, rows, features, args, params=None):
    """The command line of one child; ``params``: a labelled KNNOR configuration's."""
    cmd = [
        sys.executable,
        SCRIPT,
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
    cmd += ["--filter-search", args.filter_search]
    if args.memory_no_warmup:
        cmd.append("--memory-no-warmup")
    if params is not None:
        cmd += ["--child-params", json.dumps(params)]
    return cmd


def measure_child(method, rows, features, args, params=None, name=None):
    proc = subprocess.run(
        child_command(method, rows, features, args, params),
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(
            f"--child {name or method} ({rows}x{features}) exited with {proc.returncode}"
        )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _call_mb(peak, base):
    """What the measured call itself added; memory above baseline where unknown."""
    if peak["call_peak_mb"] is not None and peak["before_mb"] is not None:
        return peak["call_peak_mb"] - peak["before_mb"]
    return peak["peak_mb"] - base


def measure_memory(rows, features, args):
    """Peak RSS (MB) of a fresh process per method, one after the other.

    CHILD_METHODS first, then each labelled KNNOR configuration. Returns the
    keys ``base_mb``, ``{smote,knnor}_mb``, ``{smote,knnor}_call_mb`` and, under
    ``configs``, ``{label: {"mb": ..., "call_mb": ...}}``.
    """
    peaks = {m: measure_child(m, rows, features, args) for m in CHILD_METHODS}
    configs = knnor_configs(args)
    config_peaks = {
        label: measure_child("knnor", rows, features, args, params, config_name(label))
        for label, params in configs
    }
    base, smote, knn = (peaks[m]["peak_mb"] for m in CHILD_METHODS)
    sources = {p["source"] for p in [*peaks.values(), *config_peaks.values()]}
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
    with_call = None not in before.values() and None not in call.values()
    if with_call:
        print(
            f"RSS just before the measured call, over baseline's (data loaded; "
            f"{'no warm-up' if args.memory_no_warmup else 'after the warm-up fit'}): "
            f"SMOTE {before['smote'] - before['baseline']:+.1f} MB, "
            f"knnor {before['knnor'] - before['baseline']:+.1f} MB; the call's own peak "
            f"above that: SMOTE {call['smote'] - before['smote']:+.1f} MB, "
            f"knnor {call['knnor'] - before['knnor']:+.1f} MB"
        )
    memory = {"base_mb": base, "smote_mb": smote, "knnor_mb": knn, "configs": {}}
    for m in ("smote", "knnor"):
        memory[f"{m}_call_mb"] = _call_mb(peaks[m], base)
    for label, peak in config_peaks.items():
        name, mb = config_name(label), peak["peak_mb"]
        line = (
            f"memory {name}: peak {mb:.1f} MB, +{mb - base:.1f} MB above baseline; "
            f"ratio {name} / SMOTE = {fmt_ratio(mb - base, smote - base)} above baseline, "
            f"{fmt_ratio(mb, smote)} raw peak; knnor / {name} = "
            f"{fmt_ratio(knn - base, mb - base)} above baseline"
        )
        if with_call and peak["before_mb"] is not None and peak["call_peak_mb"] is not None:
            line += (
                f"; RSS before the call over baseline's "
                f"{peak['before_mb'] - before['baseline']:+.1f} MB, the call's own peak "
                f"above that {peak['call_peak_mb'] - peak['before_mb']:+.1f} MB"
            )
        print(line)
        memory["configs"][label] = {"mb": mb, "call_mb": _call_mb(peak, base)}
    return memory
