"""Where numba caches knnor's kernels, so that stale machine code is never served.

numba checks a cached function only against its own source file. A caller's
machine code embeds the kernels it inlines or links from *other* files, so after
an edit or an upgrade that changes a callee, the caller's cache entry would
still pass numba's check and run the old callee: wrong results or a crash.

So the cache of the kernels lives in a directory named after a digest of all
kernel sources, ``<base>/knnor-kernels-<digest>/``: code made from other
sources is never looked up. ``<base>`` is the directory numba itself would use
for a file of this package (``NUMBA_CACHE_DIR``, the ``__pycache__`` beside the
kernels, or numba's user-wide cache directory, whichever numba's own locators
pick first), asked of numba's locator classes rather than guessed. When none of
them is writable (a read-only install without a writable home), a private
directory under the temporary directory is used; when even that fails, the
kernels are compiled without a disk cache. Either fallback says so in one
:class:`KernelCacheWarning`.

Only functions defined in the kernel directory are affected: numba's cache
settings for every other function are left as they are. This module is pure
Python; :func:`install` runs from ``knnor/_kernels/__init__.py``, before any
``@njit(cache=True)`` decorator of a kernel executes.
"""

import hashlib
import inspect
import os
import shutil
import stat
import tempfile
import threading
import time
import warnings
from pathlib import Path

from numba.core import caching, config
from numba.core.dispatcher import Dispatcher

KERNEL_DIR = Path(__file__).resolve().parent
#: Name prefix of knnor's cache directories (and of the stamp file older knnor wrote).
LEAF_PREFIX = "knnor-kernels"
#: A stale cache directory is removed only once it has been left alone this long,
#: so that a process still running the old sources is not pulled out from under.
PRUNE_AFTER_SECONDS = 3600.0

# The list numba walks to find a cache locator (CacheImpl since numba 0.62).
_IMPL = getattr(caching, "CacheImpl", None) or caching._CacheImpl

_lock = threading.Lock()
_chosen = {}  # (kernel dir, NUMBA_CACHE_DIR) -> cache directory or None
_warned = False


class KernelCacheWarning(UserWarning):
    """numba cannot cache knnor's kernels where it normally would."""


def source_digest(kernel_dir=KERNEL_DIR):
    """sha256 (hex) over the names and contents of all ``*.py`` files of ``kernel_dir``."""
    digest = hashlib.sha256()
    for path in sorted(Path(kernel_dir).glob("*.py")):
        digest.update(path.name.encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def leaf_name(digest):
    """The directory, inside a cache base, holding code made from sources with ``digest``."""
    return f"{LEAF_PREFIX}-{digest[:16]}"


def _same_dir(path, directory):
    return os.path.normcase(os.path.realpath(path)) == os.path.normcase(
        os.path.realpath(directory)
    )


def is_kernel_file(py_file, kernel_dir=KERNEL_DIR):
    """True for a source file directly inside the kernel directory."""
    try:
        return _same_dir(os.path.dirname(os.path.abspath(py_file)), kernel_dir)
    except (TypeError, ValueError, OSError):
        return False


def _usable(directory):
    """Create ``directory`` if needed and check numba could write in it."""
    try:
        os.makedirs(directory, exist_ok=True)
        tempfile.TemporaryFile(dir=directory).close()
    except OSError:
        return False
    return True


def prune(base, keep, kernel_dir=KERNEL_DIR, min_age=PRUNE_AFTER_SECONDS):
    """Remove, from the cache base ``base``, what no process of the current
    sources will read: other ``knnor-kernels-*`` directories, the stamp older
    knnor left there, and numba files of kernel modules cached straight into
    ``base`` by older knnor. Only entries untouched for ``min_age`` seconds go.
    Best effort: errors are ignored.
    """
    modules = tuple(f"{path.stem}." for path in Path(kernel_dir).glob("*.py"))
    now = time.time()
    try:
        entries = list(Path(base).iterdir())
    except OSError:
        return
    for entry in entries:
        name = entry.name
        ours = name.startswith(LEAF_PREFIX) and name != keep
        old_layout = name.startswith(modules) and name.endswith((".nbi", ".nbc"))
        if not (ours or old_layout):
            continue
        try:
            info = entry.lstat()
            if now - info.st_mtime < min_age:
                continue
            if stat.S_ISDIR(info.st_mode):
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink()
        except OSError:
            pass


def _private_temp_base(py_file):
    """``<tmp>/knnor-numba-cache-<user>/<numba's subpath for py_file>``, or None
    when the temporary directory is unusable or the per-user directory is not
    ours alone (cached code is executed: nobody else may be able to plant it).
    """
    try:
        tmp = tempfile.gettempdir()
    except OSError:  # FileNotFoundError: no usable temporary directory
        return None
    getuid = getattr(os, "getuid", None)
    user = str(getuid()) if getuid else os.environ.get("USERNAME", "user")
    root = Path(tmp) / f"knnor-numba-cache-{user}"
    try:
        root.mkdir(mode=0o700, exist_ok=True)
        info = root.lstat()
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode):
        return None
    if getuid and (info.st_uid != getuid() or info.st_mode & 0o022):
        return None
    return root / caching._CacheLocator.get_suitable_cache_subpath(py_file)


def _warn_once(message):
    global _warned
    if not _warned:
        _warned = True
        warnings.warn(message, KernelCacheWarning, stacklevel=3)


def _numba_locators():
    return [cls for cls in _IMPL._locator_classes if not issubclass(cls, KernelCacheLocator)]


def cache_dir(py_func, py_file, kernel_dir=KERNEL_DIR, digest=None):
    """The directory the kernels' cache lives in for this process, or None
    (no disk cache). Chosen once per NUMBA_CACHE_DIR value, with at most one
    warning per process.
    """
    key = (os.path.realpath(kernel_dir), config.CACHE_DIR)
    with _lock:
        if key in _chosen:
            return _chosen[key]
        leaf = leaf_name(digest or source_digest(kernel_dir))
        chosen = message = None
        for cls in _numba_locators():
            try:
                locator = cls.from_function(py_func, py_file)
            except Exception:  # a locator for other kinds of source may fail here
                locator = None
            if locator is None:
                continue
            base = locator.get_cache_path()
            if _usable(os.path.join(base, leaf)):
                chosen = os.path.join(base, leaf)
                prune(base, leaf, kernel_dir)
                break
        else:
            base = _private_temp_base(py_file)
            tried = "the __pycache__ beside them nor numba's user cache directory"
            if config.CACHE_DIR:
                tried = f"NUMBA_CACHE_DIR ({config.CACHE_DIR}), {tried}"
            if base is not None and _usable(base / leaf):
                chosen = str(base / leaf)
                prune(base, leaf, kernel_dir)
                message = (
                    f"numba cannot cache knnor's kernels: neither {tried} is writable. "
                    f"Caching them in {chosen} instead; set NUMBA_CACHE_DIR to a writable "
                    "directory to choose the place."
                )
            else:
                message = (
                    f"numba cannot cache knnor's kernels: neither {tried} is writable, nor "
                    "a private directory in the temporary directory. They are compiled "
                    "afresh in every process (tens of seconds on first use); set "
                    "NUMBA_CACHE_DIR to a writable directory to cache them."
                )
        _chosen[key] = chosen
    if message is not None:  # after the choice is recorded: the warning may be an error
        _warn_once(message)
    return chosen


class KernelCacheLocator(caching._SourceFileBackedLocatorMixin, caching._CacheLocator):
    """numba cache locator claiming the files of the kernel directory only:
    their cache lives in :func:`cache_dir`, a directory keyed by the digest of
    all kernel sources.
    """

    kernel_dir = KERNEL_DIR

    def __init__(self, py_func, py_file, cache_path):
        self._py_file = py_file
        self._lineno = py_func.__code__.co_firstlineno
        self._cache_path = cache_path

    def get_cache_path(self):
        return self._cache_path

    @classmethod
    def from_function(cls, py_func, py_file):
        if not (os.path.exists(py_file) and is_kernel_file(py_file, cls.kernel_dir)):
            return None
        path = cache_dir(py_func, py_file, cls.kernel_dir)
        if path is None:
            return None
        self = cls(py_func, py_file, path)
        try:
            self.ensure_cache_path()
        except OSError:
            return None
        return self


def _enable_caching(self):
    """``Dispatcher.enable_caching``, except that a kernel gets no disk cache
    rather than an error or a cache outside :func:`cache_dir`."""
    original = _enable_caching.original
    try:
        py_file = inspect.getfile(self.py_func)
    except TypeError:
        py_file = None
    if py_file is None or not is_kernel_file(py_file, KernelCacheLocator.kernel_dir):
        return original(self)
    try:
        original(self)
    except RuntimeError:  # "cannot cache function ...: no locator available"
        self._cache = caching.NullCache()
        _warn_once(
            "numba cannot cache knnor's kernels: no writable cache directory. "
            "They are compiled afresh in every process."
        )
        return
    locator = getattr(getattr(self._cache, "_impl", None), "locator", None)
    if not isinstance(locator, KernelCacheLocator):
        # NUMBA_CACHE_LOCATOR_CLASSES replaces numba's locator list, so the
        # digest-keyed directory is not used: a cache there could be stale.
        self._cache = caching.NullCache()
        _warn_once(
            "NUMBA_CACHE_LOCATOR_CLASSES is set, so numba would cache knnor's kernels "
            "where stale code of an older version could be served: they are compiled "
            "afresh in every process instead."
        )


def install(kernel_dir=KERNEL_DIR):
    """Put :class:`KernelCacheLocator` first in numba's locator list and wrap
    ``Dispatcher.enable_caching`` (both idempotent)."""
    KernelCacheLocator.kernel_dir = Path(kernel_dir)
    classes = _IMPL._locator_classes
    classes[:] = [cls for cls in classes if getattr(cls, "__name__", "") != "KernelCacheLocator"]
    classes.insert(0, KernelCacheLocator)
    current = Dispatcher.enable_caching
    _enable_caching.original = getattr(current, "original", current)
    Dispatcher.enable_caching = _enable_caching
