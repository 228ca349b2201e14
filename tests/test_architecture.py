"""The house rules on imports: adapters never reach the kernels; the engine
knows nothing of scikit-learn, imbalanced-learn or pandas."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "knnor"
ENGINE = ["_engine.py", "_neighbourhood.py", "_cell_lists.py", "_agreement.py"]
#: Everything else: the adapters, what they share, datasets, benchmark, plotting.
ADAPTERS = sorted(
    str(path.relative_to(PACKAGE))
    for path in PACKAGE.rglob("*.py")
    if path.parts[len(PACKAGE.parts)] != "_kernels" and path.name not in ENGINE
)
ENGINE_FORBIDDEN = ("sklearn", "imblearn", "pandas")


def imported_modules(path):
    """Every module a file imports, absolute names (relative ones resolved)."""
    tree = ast.parse(path.read_text())
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0]
                base = f"{parent}.{base}" if base else parent
            names.append(base)
            names += [f"{base}.{alias.name}" for alias in node.names]
    return names


@pytest.mark.parametrize("name", ADAPTERS)
def test_adapters_do_not_import_the_kernels(name):
    path = PACKAGE / name
    bad = [m for m in imported_modules(path) if m.split(".")[:2] == ["knnor", "_kernels"]]
    assert not bad, f"{name} imports {bad}; go through knnor._engine"


@pytest.mark.parametrize("name", ENGINE)
def test_engine_imports_no_estimator_library(name):
    bad = [m for m in imported_modules(PACKAGE / name) if m.split(".")[0] in ENGINE_FORBIDDEN]
    assert not bad, f"knnor/{name} imports {bad}"


def test_every_adapter_is_checked():
    for name in ("classification.py", "regression.py", "image.py", "_adapter.py"):
        assert name in ADAPTERS
    assert not [name for name in ADAPTERS if name.startswith("_kernels")]


def test_the_check_sees_imports(tmp_path):
    # The walker must catch every import form, or the two tests above prove nothing.
    fake = PACKAGE / "_import_probe_for_tests.py"
    fake.write_text(
        "import sklearn.base\nfrom pandas import DataFrame\nfrom ._kernels import walk\n"
        "def f():\n    from knnor._kernels.walk import walk\n"
    )
    try:
        found = imported_modules(fake)
    finally:
        fake.unlink()
    assert "sklearn.base" in found and "pandas" in found
    assert "knnor._kernels" in found and "knnor._kernels.walk" in found
