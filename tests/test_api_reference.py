"""The API reference (docs/api.rst) lists every public name."""

import importlib
import inspect
import re
from pathlib import Path

import pytest

API = Path(__file__).resolve().parent.parent / "docs" / "api.rst"
MODULES = ["knnor", "knnor.datasets", "knnor.benchmark", "knnor.benchmark.report"]


def public_names(module):
    """``__all__`` without dunders, else the module's own public functions and classes."""
    names = getattr(module, "__all__", None)
    if names is None:
        names = [
            name
            for name, value in vars(module).items()
            if (inspect.isfunction(value) or inspect.isclass(value))
            and value.__module__ == module.__name__
            and not name.startswith("_")
        ]
    return [name for name in names if not name.startswith("__")]


def documented_names(text):
    """``module.name`` for every autosummary entry, resolved by the ``currentmodule``."""
    names, module = set(), None
    for line in text.splitlines():
        if match := re.match(r"\.\. currentmodule:: (\S+)", line):
            module = match[1]
        elif match := re.match(r"   ([A-Za-z_][\w.]*)$", line):
            names.add(f"{module}.{match[1]}")
    return names


def test_documented_names_are_read():
    text = ".. currentmodule:: pkg\n\n.. autosummary::\n   :toctree: generated\n\n   f\n   sub.C\n"
    assert documented_names(text) == {"pkg.f", "pkg.sub.C"}


@pytest.mark.parametrize("module_name", [*MODULES, "knnor.plotting", "knnor.data_augment"])
def test_every_public_name_is_in_the_api_reference(module_name):
    module = importlib.import_module(module_name)
    names = public_names(module)
    assert names, f"{module_name} has no public name"
    missing = sorted(
        {f"{module_name}.{name}" for name in names} - documented_names(API.read_text())
    )
    assert not missing, f"add to docs/api.rst: {missing}"
