"""Smoke test of benchmarks/bench_vs_smote.py on tiny data (a few seconds)."""

import argparse
import csv
import importlib.util
import io
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_vs_smote.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_vs_smote", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_class_weights_and_data(bench):
    assert bench.class_weights(2) == [0.9, 0.1]
    assert bench.class_weights(5) == pytest.approx([0.6, 0.1, 0.1, 0.1, 0.1])
    X, y = bench.make_data(1000, 4, n_classes=5)
    counts = Counter(y.tolist())
    assert X.shape == (1000, 4) and sorted(counts) == [0, 1, 2, 3, 4]
    assert counts[0] > 500 and all(50 < counts[c] < 150 for c in range(1, 5))


def test_scaling_pairs(bench):
    results = [{"rows": r, "features": f} for r, f in [(400, 10), (100, 10), (100, 20), (200, 10)]]
    pairs = [(a["rows"], b["rows"], a["features"]) for a, b in bench.scaling_pairs(results)]
    assert pairs == [(100, 200, 10), (200, 400, 10)]


def test_small_run_prints_tables(bench, capsys):
    bench.main(["--sizes", "300x4,600x4", "--repeats", "1", "--classes", "3", "--scaling"])
    out = capsys.readouterr().out
    assert "time per synthetic row:" in out
    assert "| rows x features | SMOTE rows added |" in out
    assert "| 4 | 300 -> 600 | 2 |" in out


def test_child_reports_its_peak(bench, tmp_path):
    options = argparse.Namespace(
        classes=2, n_jobs=None, memory_no_warmup=False, filter_search="exact"
    )
    cmd = bench.child_command("knnor", 300, 4, options)
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=tmp_path)
    record = json.loads(proc.stdout.strip().splitlines()[-1])
    assert record["method"] == "knnor" and record["n_out"] > 300
    assert record["peak_mb"] > 0
    if record["call_peak_mb"] is not None:
        assert record["before_mb"] <= record["call_peak_mb"] <= record["peak_mb"]


def test_labelled_knnor_configs_get_their_own_time_and_ratio(tmp_path):
    # As a script, from another directory: its modules must import from its own.
    cmd = [sys.executable, str(SCRIPT), "--sizes", "600x4", "--repeats", "1", "--paper"]
    cmd += ["--knnor", 'k3={"n_neighbors": 3, "filter_rule": "majority"}']
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=tmp_path)
    out = proc.stdout
    assert out.count("load average at start:") == 1 and "load average at end:" in out
    lines = out.splitlines()
    header = next(line for line in lines if line.startswith("| rows x features | SMOTE s |"))
    row = next(line for line in lines if line.startswith("| 600 x 4 |"))
    cells = dict(zip(header.strip("|").split(" | "), row.strip("|").split(" | "), strict=True))
    cells = {key.strip(): value.strip() for key, value in cells.items()}
    for name in ("knnor", "knnor[paper]", "knnor[k3]"):
        assert float(cells[f"{name} s"]) > 0
        assert f"{name}  median" in out
    for name in ("knnor[paper]", "knnor[k3]"):
        assert float(cells[f"{name} ratio"]) > 0
        assert float(cells[f"knnor / {name}"]) > 0
        assert f"ratio {name} / SMOTE = " in out
    assert "knnor[k3] = KNNOR(n_neighbors=3, filter_rule='majority')" in out


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("paper={not json", "invalid JSON"),
        ('k3={"n_neighbours": 3}', "unknown KNNOR parameter(s) 'n_neighbours'"),
        ('k0={"n_neighbors": 0}', "'n_neighbors' parameter of KNNOR"),
        ('{"n_neighbors": 3}', "expected LABEL=JSON"),
        ("k=[3]", "expected a JSON object"),
    ],
)
def test_bad_knnor_config_is_a_usage_error(bench, capsys, value, message):
    with pytest.raises(SystemExit) as exit_info:
        bench.main(["--sizes", "300x4", "--repeats", "1", "--knnor", value])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "argument --knnor" in err and message in err


def test_a_label_given_twice_is_a_usage_error(bench, capsys):
    with pytest.raises(SystemExit) as exit_info:
        bench.main(["--sizes", "300x4", "--paper", "--knnor", 'paper={"n_neighbors": 3}'])
    assert exit_info.value.code == 2
    assert "label 'paper' given more than once" in capsys.readouterr().err


def test_child_command_carries_a_configs_params(bench):
    options = argparse.Namespace(
        classes=2, n_jobs=None, memory_no_warmup=False, filter_search="exact"
    )
    cmd = bench.child_command("knnor", 300, 4, options, {"n_neighbors": 3})
    assert cmd[cmd.index("--child-params") + 1] == '{"n_neighbors": 3}'
    assert "--child-params" not in bench.child_command("knnor", 300, 4, options)


def test_blas_scan_script_prints_both_rates():
    script = SCRIPT.parent / "bench_blas_scan.py"
    out = subprocess.run(
        [sys.executable, str(script), "--shapes", "300x700x20", "--repeats", "1"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    row = [line for line in out.splitlines() if line.startswith("| 300 x 700 x 20 |")]
    assert len(row) == 1
    gemm, scan, ratio = (cell.strip() for cell in row[0].strip("|").split("|")[1:])
    assert float(gemm) > 0 and float(scan) > 0 and ratio.endswith("%")


def test_filter_agreement_script_prints_counts_that_add_up():
    script = SCRIPT.parent / "bench_filter_agreement.py"
    command = [sys.executable, str(script), "--sizes", "1500x6", "--candidates", "3000"]
    command += ["--source", "quick", "--candidates-per-row", "3"]
    run = subprocess.run(command, capture_output=True, text=True, check=True)
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert rows[0]["dataset"] == "make_classification 1500x6" and rows[-1]["dataset"] == "pooled"
    assert len(rows) > 3
    parts = ["both_accept", "both_reject", "false_accepts", "false_rejects"]
    for row in rows:
        assert sum(int(row[part]) for part in parts) == int(row["n_candidates"])
        assert float(row["false_accept_pct"]) == pytest.approx(
            100 * int(row["false_accepts"]) / int(row["n_candidates"]), abs=1e-4
        )
    assert int(rows[0]["n_candidates"]) == 3000 and int(rows[0]["both_reject"]) > 0
    for part in ["n_candidates", *parts]:
        assert int(rows[-1][part]) == sum(int(row[part]) for row in rows[:-1])


def test_filter_search_reaches_every_knnor_timed(bench, capsys):
    bench.main(
        [
            "--sizes",
            "400x20",
            "--repeats",
            "1",
            "--filter-search",
            "graph",
            "--knnor",
            'exact={"filter_search": "exact"}',
            "--memory",
        ]
    )
    out = capsys.readouterr().out
    assert "knnor[exact]" in out
    options = argparse.Namespace(
        classes=2, n_jobs=None, memory_no_warmup=False, filter_search="graph"
    )
    cmd = bench.child_command("knnor", 300, 4, options)
    assert cmd[cmd.index("--filter-search") + 1] == "graph"
    from _bench_methods import new_knnor

    assert new_knnor(None, None, "graph").filter_search == "graph"
    assert new_knnor({"filter_search": "exact"}, None, "graph").filter_search == "exact"
