"""Smoke test of benchmarks/bench_vs_smote.py on tiny data (a few seconds)."""

import argparse
import importlib.util
import json
import subprocess
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
    options = argparse.Namespace(classes=2, n_jobs=None, memory_no_warmup=False)
    cmd = bench.child_command("knnor", 300, 4, options)
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=tmp_path)
    record = json.loads(proc.stdout.strip().splitlines()[-1])
    assert record["method"] == "knnor" and record["n_out"] > 300
    assert record["peak_mb"] > 0
    if record["call_peak_mb"] is not None:
        assert record["before_mb"] <= record["call_peak_mb"] <= record["peak_mb"]
