"""The KNNOR interpolation walk."""

from numba import njit


@njit(cache=True)
def walk(class_data, seed, neighbours, n_steps, alpha, out):
    """Walk from ``class_data[seed]`` toward its neighbours, nearest first.

    ``m = v``; then for each of the first ``n_steps`` neighbours ``n_j``:
    ``m = m + alpha * (n_j - m)``. The result is written into ``out``.
    """
    out[:] = class_data[seed]
    for step in range(n_steps):
        target = class_data[neighbours[seed, step]]
        for j in range(out.shape[0]):
            out[j] += alpha * (target[j] - out[j])
