"""Numba kernels: the loops behind the KNNOR engine.

Everything in this package is ``@njit(cache=True)`` code working on plain
float64/int64 arrays. Validation, dtype handling and orchestration live in
:mod:`knnor._engine` and the adapters; nothing here checks its inputs.

numba's on-disk cache checks each function against its own source file only,
not against the kernels it inlines or calls from other files: after an upgrade
(or an edit) that changes a callee, a caller's cached machine code would be
stale, wrong or crashing. So, before any kernel is decorated, :mod:`._cache`
points numba's cache for these files (and only these) at a directory named
after a digest of all of them, wherever numba would cache them
(``NUMBA_CACHE_DIR``, ``__pycache__`` or its user-wide directory), falling back
to a private temporary directory or to no disk cache, with one warning, when
none is writable.
"""

from knnor._kernels._cache import KernelCacheWarning, install, source_digest

__all__ = ["KernelCacheWarning", "source_digest"]

install()
