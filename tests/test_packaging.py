"""What a release ships: a version above the authors' 0.1.4, the license, the
citation file and the typing marker, declared where the build reads them."""

import importlib.util
import inspect
import re
import tomllib
import typing
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.version import Version

import knnor

ROOT = Path(__file__).resolve().parent.parent


def test_version_succeeds_the_authors_release_and_matches_the_metadata():
    assert Version(knnor.__version__) > Version("0.1.4")
    assert version("knnor") == knnor.__version__


def test_citation_file_names_this_version_and_the_papers():
    text = (ROOT / "CITATION.cff").read_text()
    assert re.search(r"^cff-version: 1\.2\.0$", text, re.MULTILINE)
    assert re.search(r"^version: (\S+)$", text, re.MULTILINE).group(1) == knnor.__version__
    dois = re.findall(r"doi: (\S+)", text)
    assert dois == ["10.1016/j.asoc.2021.108288", "10.1016/j.eswa.2024.124118"]


def test_license_and_typing_marker_are_declared_for_the_build():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["license"] == "MIT"
    assert project["project"]["license-files"] == ["LICENSE"]
    assert "Copyright (c) 2026 The knnor developers" in (ROOT / "LICENSE").read_text()
    assert "py.typed" in project["tool"]["setuptools"]["package-data"]["knnor"]
    assert (ROOT / "knnor" / "py.typed").is_file()


def public_callables():
    from knnor import data_augment, datasets, plotting

    estimators = [knnor.KNNOR, knnor.KNNORReg, knnor.KNNORImage, data_augment.KNNOR]
    methods = [getattr(cls, name) for cls in estimators for name in ("__init__", "fit_resample")]
    methods += [getattr(knnor.FlattenImages, name) for name in ("fit", "transform")]
    if importlib.util.find_spec("dask") is not None:
        from knnor.dask import DaskKNNOR

        methods += [getattr(DaskKNNOR, name) for name in ("__init__", "fit", "fit_resample")]
    functions = [getattr(datasets, name) for name in datasets.__all__ if name.islower()]
    return [*methods, *functions, plotting.plot_real_vs_synthetic]


@pytest.mark.parametrize("function", public_callables(), ids=lambda f: f.__qualname__)
def test_public_signatures_are_typed(function):
    # get_type_hints evaluates every hint, so a misspelt or unimportable one fails here.
    hints = typing.get_type_hints(function, localns={"Figure": object})
    parameters = set(inspect.signature(function).parameters) - {"self"}
    assert parameters <= set(hints), parameters - set(hints)
    assert "return" in hints
