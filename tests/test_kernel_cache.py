"""numba's cache of the kernels never serves stale code, and never stops an import.

The subprocess tests run a copy of the package. As root, a directory cannot be
made unwritable with chmod, so "not writable" is real only for an unprivileged
user: as root those tests run the copy as ``nobody`` through ``setpriv``
(util-linux), on files root owns.
"""

import inspect
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numba
import pytest

import knnor
from knnor._kernels import _cache
from knnor._kernels._cache import (
    KernelCacheLocator,
    KernelCacheWarning,
    leaf_name,
    prune,
    source_digest,
)

PACKAGE = Path(knnor.__file__).resolve().parent
NOBODY = 65534

# sq_dist is inlined into geometry.diameter, which lives in another file: a
# replacement appended to neighbours.py changes diameter's result without
# changing geometry.py, the only source numba checks diameter's cache against.
CALLEE_EDIT = textwrap.dedent(
    """

    from numba import njit as _njit_for_test


    @_njit_for_test(cache=True, inline="always")
    def sq_dist(a, b):
        total = 0.0
        for j in range(a.shape[0]):
            diff = a[j] - b[j]
            total += diff * diff
        return 4.0 * total
    """
)

CALL_DIAMETER = textwrap.dedent(
    """
    import json, sys, warnings
    warnings.simplefilter("default")
    if len(sys.argv) > 2:  # no usable temporary directory either
        import tempfile
        tempfile.tempdir = sys.argv[2]
    import numpy as np
    import knnor._kernels
    from knnor._kernels.geometry import diameter
    assert knnor._kernels.__file__.startswith(sys.argv[1]), knnor._kernels.__file__
    value = diameter(np.array([[0.0, 0.0], [3.0, 4.0]]))
    stats = diameter.stats
    print(json.dumps({"value": float(value), "hits": sum(stats.cache_hits.values()),
                      "path": stats.cache_path}))
    """
)


@pytest.fixture
def shared_tmp():
    """A temporary directory ``nobody`` can enter (pytest's tmp_path is private to root)."""
    path = Path(tempfile.mkdtemp(prefix="knnor-cache-test-"))
    path.chmod(0o755)
    yield path
    for sub in path.rglob("*"):  # the copy may have been made read-only
        if sub.is_dir() and not sub.is_symlink():
            sub.chmod(0o755)
    shutil.rmtree(path)


def unprivileged(cmd):
    """``cmd`` run by a user for whom root-owned, non-world-writable paths are read-only."""
    if os.geteuid() != 0:
        return cmd
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: cannot make a directory unwritable")
    return [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *cmd]


def writable_by_test_user(path):
    """Make ``path`` (a directory) writable by whoever :func:`unprivileged` runs."""
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        os.chown(path, NOBODY, NOBODY)


def read_only(path):
    """Make the tree under ``path`` unwritable by whoever :func:`unprivileged` runs
    (root-owned files are that already; chmod covers a non-root run)."""
    for sub in [path, *path.rglob("*")]:
        mode = sub.stat().st_mode
        sub.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def copy_kernels(dest):
    """Copy the kernel package alone under ``dest/knnor`` (a bare ``knnor`` package
    around it keeps the run cheap and independent of the rest of knnor)."""
    (dest / "knnor").mkdir(parents=True)
    (dest / "knnor" / "__init__.py").write_text("")
    shutil.copytree(
        PACKAGE / "_kernels",
        dest / "knnor" / "_kernels",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    return dest / "knnor" / "_kernels"


def clean_env(**extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("NUMBA_CACHE") and key not in ("XDG_CACHE_HOME", "PYTHONPATH")
    }
    env.update(extra)
    return env


def run(cmd, root, env):
    proc = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    return proc


def call_diameter(root, env, *, as_user=False, no_tmp=None):
    cmd = [sys.executable, "-c", CALL_DIAMETER, str(root)]
    if no_tmp is not None:
        cmd.append(str(no_tmp))
    proc = run(unprivileged(cmd) if as_user else cmd, root, env)
    return json.loads(proc.stdout.strip().splitlines()[-1]), proc.stderr


def cache_warnings(stderr):
    return [line for line in stderr.splitlines() if "Warning:" in line]


# ---------------------------------------------------------------------------
# no stale code, wherever numba caches


@pytest.mark.parametrize("where", ["NUMBA_CACHE_DIR", "user-wide", "in-tree"])
def test_a_callee_edit_reaches_a_cached_caller(shared_tmp, where):
    root = shared_tmp / "site"
    kernels = copy_kernels(root)
    home = shared_tmp / "home"
    env = clean_env(PYTHONPATH=str(root), HOME=str(home))
    as_user = where == "user-wide"
    if where == "NUMBA_CACHE_DIR":
        env["NUMBA_CACHE_DIR"] = str(shared_tmp / "numba-cache")
        expected_base = shared_tmp / "numba-cache"
    elif where == "user-wide":  # package not writable: numba falls back to ~/.cache/numba
        writable_by_test_user(home)
        read_only(root)
        expected_base = home / ".cache" / "numba"
    else:
        expected_base = kernels / "__pycache__"

    first, _ = call_diameter(root, env, as_user=as_user)
    again, stderr = call_diameter(root, env, as_user=as_user)
    assert first["value"] == again["value"] == 5.0
    assert again["hits"] == 1  # the cache works
    assert not cache_warnings(stderr)
    assert Path(again["path"]).is_relative_to(expected_base)
    assert Path(again["path"]).name == leaf_name(source_digest(kernels))

    neighbours = kernels / "neighbours.py"
    neighbours.chmod(0o644)
    neighbours.write_text(neighbours.read_text() + CALLEE_EDIT)
    if as_user:
        read_only(root)
    edited, _ = call_diameter(root, env, as_user=as_user)
    assert edited["value"] == 10.0  # sqrt(4 * 25): the new sq_dist, not the cached one
    assert edited["hits"] == 0


# ---------------------------------------------------------------------------
# a read-only install imports and runs


def test_read_only_install_caches_in_a_private_temp_dir(shared_tmp):
    root = shared_tmp / "site"
    shutil.copytree(PACKAGE, root / "knnor", ignore=shutil.ignore_patterns("__pycache__"))
    read_only(root)
    home = shared_tmp / "home"  # exists, not writable
    home.mkdir()
    tmp = shared_tmp / "tmp"
    writable_by_test_user(tmp)
    env = clean_env(PYTHONPATH=str(root), HOME=str(home), TMPDIR=str(tmp))
    script = textwrap.dedent(
        """
        import sys, warnings
        warnings.simplefilter("default")
        import numpy as np
        import knnor
        from knnor import KNNOR
        from knnor._kernels import walk
        assert knnor.__file__.startswith(sys.argv[1]), knnor.__file__
        rng = np.random.default_rng(0)
        X = rng.normal(size=(40, 3))
        y = np.array([0] * 32 + [1] * 8)
        X_res, y_res = KNNOR(random_state=0).fit_resample(X, y)
        assert (y_res == 1).sum() == 32, np.bincount(y_res)
        print(walk.walk.stats.cache_path)
        """
    )
    cmd = unprivileged([sys.executable, "-c", script, str(root)])
    proc = run(cmd, root, env)
    (warning,) = cache_warnings(proc.stderr)
    assert "KernelCacheWarning" in warning and "is writable" in warning
    assert "NUMBA_CACHE_DIR" in warning and str(tmp) in warning
    cache_path = Path(proc.stdout.strip().splitlines()[-1])
    assert cache_path.is_relative_to(tmp) and any(cache_path.glob("*.nbi"))


def test_nothing_writable_compiles_without_a_cache(shared_tmp):
    root = shared_tmp / "site"
    copy_kernels(root)
    read_only(root)
    home = shared_tmp / "home"
    home.mkdir()
    env = clean_env(PYTHONPATH=str(root), HOME=str(home), NUMBA_CACHE_DIR=str(home / "no"))
    result, stderr = call_diameter(root, env, as_user=True, no_tmp=home)
    assert result == {"value": 5.0, "hits": 0, "path": None}
    (warning,) = cache_warnings(stderr)
    assert "KernelCacheWarning" in warning and "compiled afresh" in warning
    assert "NUMBA_CACHE_DIR" in warning


# ---------------------------------------------------------------------------
# in-process: where the cache goes, what is pruned, who is affected


def test_digest_covers_every_kernel_source(tmp_path):
    (tmp_path / "walk.py").write_text("x = 1\n")
    (tmp_path / "filter.py").write_text("y = 2\n")
    (tmp_path / "notes.txt").write_text("not a source\n")
    digest = source_digest(tmp_path)
    (tmp_path / "notes.txt").write_text("changed\n")
    assert source_digest(tmp_path) == digest
    (tmp_path / "filter.py").write_text("y = 3\n")  # a callee changes, walk.py does not
    assert source_digest(tmp_path) != digest
    (tmp_path / "filter.py").write_text("y = 2\n")
    assert source_digest(tmp_path) == digest
    (tmp_path / "filter.py").rename(tmp_path / "other.py")
    assert source_digest(tmp_path) != digest


def test_prune_drops_old_caches_of_the_kernels_only(tmp_path):
    kernels = tmp_path / "kernels"
    kernels.mkdir()
    (kernels / "walk.py").write_text("x = 1\n")
    base = tmp_path / "base"
    base.mkdir()
    keep = leaf_name("a" * 64)
    entries = {
        keep: True,  # the current sources' cache
        leaf_name("b" * 64): False,  # older sources
        "knnor-kernels.sha256": False,  # stamp of older knnor
        "walk.walk-10.py311.nbi": False,  # older knnor cached straight into base
        "walk.walk-10.py311.1.nbc": False,
        "walk.cpython-311.pyc": True,  # not numba's
        "other.f-3.py311.nbi": True,  # not a kernel module's
    }
    old = time.time() - 2 * _cache.PRUNE_AFTER_SECONDS
    for name in entries:
        if name.startswith("knnor-kernels-"):
            (base / name).mkdir()
            (base / name / "walk.walk-10.py311.nbi").write_text("")
        else:
            (base / name).write_text("")
        os.utime(base / name, (old, old))
    (base / leaf_name("c" * 64)).mkdir()  # stale but recent: maybe still in use
    entries[leaf_name("c" * 64)] = True

    prune(base, keep, kernels)
    assert {name: (base / name).exists() for name in entries} == entries


def test_locator_claims_kernels_only(tmp_path, monkeypatch):
    from knnor._kernels.walk import walk

    monkeypatch.setattr(numba.config, "CACHE_DIR", str(tmp_path / "numba-cache"))
    kernel_file = inspect.getfile(walk.py_func)
    locator = KernelCacheLocator.from_function(walk.py_func, kernel_file)
    path = Path(locator.get_cache_path())
    assert path.name == leaf_name(source_digest(PACKAGE / "_kernels"))
    assert path.is_relative_to(tmp_path / "numba-cache") and path.is_dir()

    # a user's function keeps numba's own cache
    user_file = tmp_path / "user_module.py"
    user_file.write_text("def f(x):\n    return x + 1\n")
    namespace = {}
    exec(compile(user_file.read_text(), str(user_file), "exec"), namespace)
    assert KernelCacheLocator.from_function(namespace["f"], str(user_file)) is None
    dispatcher = numba.njit(cache=True)(namespace["f"])
    assert "knnor-kernels" not in dispatcher.stats.cache_path
    assert Path(dispatcher.stats.cache_path).is_relative_to(tmp_path / "numba-cache")


def test_custom_locator_list_gets_no_cache_for_kernels(monkeypatch):
    from knnor._kernels.walk import walk

    monkeypatch.setattr(numba.config, "CACHE_LOCATOR_CLASSES", "InTreeCacheLocator")
    monkeypatch.setattr(_cache, "_warned", False)
    with pytest.warns(KernelCacheWarning, match="NUMBA_CACHE_LOCATOR_CLASSES"):
        dispatcher = numba.njit(cache=True)(walk.py_func)
    assert dispatcher.stats.cache_path is None
