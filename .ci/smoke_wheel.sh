#!/usr/bin/env bash
# Build the sdist and the wheel, check what they carry, then install the wheel in a
# fresh virtual environment (its dependencies from PyPI, no extras) and use it as a
# new user would: import, version, `python -m knnor`, the 0.1.4 interface, and
# `knnor-benchmark --help` naming the extra it needs (exit 2, pandas absent).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python -m pip install --quiet build
python -m build --outdir "$work/dist" . > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
wheel=$(ls "$work"/dist/*.whl)
sdist=$(ls "$work"/dist/*.tar.gz)
python - "$wheel" "$sdist" <<'PY'
import sys, tarfile, zipfile

wheel, sdist = sys.argv[1:]
in_wheel = zipfile.ZipFile(wheel).namelist()
in_sdist = {name.split("/", 1)[1] for name in tarfile.open(sdist).getnames() if "/" in name}
for wanted in ("knnor/py.typed", "knnor/data_augment.py", "knnor/datasets/data/glass1.dat"):
    assert wanted in in_wheel, f"the wheel lacks {wanted}"
assert any(name.endswith(".dist-info/licenses/LICENSE") for name in in_wheel), "no LICENSE"
for wanted in ("LICENSE", "README.md", "CHANGELOG.md", "CITATION.cff", "docs/migration.md"):
    assert wanted in in_sdist, f"the sdist lacks {wanted}"
assert not [name for name in in_sdist if "__pycache__" in name or "/_build/" in name]
print(f"{wheel.rsplit('/', 1)[1]}: {len(in_wheel)} files; sdist: {len(in_sdist)} files")
PY

python -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet "$wheel"
cd "$work"  # away from the checkout: the installed wheel is what gets imported
"$work/venv/bin/python" - "$wheel" <<'PY'
import importlib.util, sys, warnings

import knnor
from knnor.data_augment import KNNOR

assert knnor.__file__.startswith(sys.prefix), knnor.__file__
assert f"-{knnor.__version__}-" in sys.argv[1], (knnor.__version__, sys.argv[1])
assert importlib.util.find_spec("pandas") is None, "pandas is installed: the check below proves nothing"
X = [[0, 0], [1, 0], [0, 1], [1, 1], [5, 5], [6, 5], [5, 6], [6, 6], [5.5, 5.5], [6.5, 6.5]]
y = [0, 0, 0, 0, 1, 1, 1, 1, 1, 1]
with warnings.catch_warnings():
    warnings.simplefilter("ignore", FutureWarning)
    X_res, y_res, X_new, y_new = KNNOR().fit_resample(X, y, num_nbrs=2)
assert X_res.shape == (12, 2) and list(y_new) == [0, 0]
print(f"knnor {knnor.__version__} from the wheel: import and 0.1.4 interface ok")
PY
"$work/venv/bin/python" -m knnor > /dev/null
status=0
"$work/venv/bin/knnor-benchmark" --help 2> "$work/stderr" || status=$?
if [ "$status" -ne 2 ] || ! grep -qF 'pip install "knnor[benchmark]"' "$work/stderr"; then
    echo "knnor-benchmark --help without pandas: exit $status, said:" >&2
    cat "$work/stderr" >&2
    exit 1
fi
echo "wheel smoke test passed"
