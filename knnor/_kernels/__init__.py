"""Numba kernels: the loops behind the KNNOR engine.

Everything in this package is ``@njit(cache=True)`` code working on plain
float64/int64 arrays. Validation, dtype handling and orchestration live in
:mod:`knnor._engine` and the adapters; nothing here checks its inputs.

numba's on-disk cache checks each function against its own source file only,
not against the kernels it calls from other files: after an upgrade (or an
edit) that changes a callee, a caller's cached machine code would be stale,
wrong or crashing. So the cache next to these files is tagged with a digest of
all of them and emptied whenever the digest changes, before any kernel loads.
"""

import hashlib
from pathlib import Path

STAMP_NAME = "knnor-kernels.sha256"


def drop_stale_cache(kernel_dir):
    """Empty ``kernel_dir/__pycache__`` of numba cache files unless they were
    made from the current ``*.py`` files of ``kernel_dir``.

    Best effort: a read-only install is left alone (numba then caches in its
    user-wide directory).
    """
    sources = sorted(Path(kernel_dir).glob("*.py"))
    digest = hashlib.sha256(b"".join(path.read_bytes() for path in sources)).hexdigest()
    cache = Path(kernel_dir) / "__pycache__"
    stamp = cache / STAMP_NAME
    try:
        if stamp.read_text() == digest:
            return
    except OSError:
        pass
    try:
        for cached in [*cache.glob("*.nbi"), *cache.glob("*.nbc")]:
            cached.unlink(missing_ok=True)
        cache.mkdir(exist_ok=True)
        stamp.write_text(digest)
    except OSError:
        pass


drop_stale_cache(Path(__file__).parent)
