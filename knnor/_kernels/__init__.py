"""Numba kernels: the loops behind the KNNOR engine.

Everything in this package is ``@njit(cache=True)`` code working on plain
float64/int64 arrays. Validation, dtype handling and orchestration live in
:mod:`knnor._engine` and the adapters; nothing here checks its inputs.
"""
