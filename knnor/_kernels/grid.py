"""Rounding candidates to the values the output can hold.

A synthetic row is computed in float64 but returned in the caller's dtypes:
float32 or float16 columns, integer columns of a DataFrame. Rounding it only
on the way out would let two distinct candidates collide, or a candidate
become equal to an original row, after the filter had checked them. So each
candidate is rounded first, column by column, and the filter and the
duplicate checks see the values that will be returned.
"""

import math

import numpy as np
from numba import njit

#: Column codes: what a column's output dtype can hold.
EXACT = 0  # float64: nothing to round
INTEGER = 1  # integers and booleans: nearest integer, halves to even
FLOAT32 = 2
FLOAT16 = 3

# (significand bits, smallest exponent of frexp for a normal number, largest finite value)
_FLOAT32 = (24, -125, 3.4028234663852886e38)
_FLOAT16 = (11, -13, 65504.0)


@njit(cache=True)
def round_to_float(value, significand_bits, min_exponent, max_value):
    """``value`` rounded to the nearest number of a binary floating-point
    format (ties to even), as ``np.float64(np.<format>(value))`` gives it."""
    if value == 0.0 or not np.isfinite(value):
        return value
    exponent = max(math.frexp(value)[1], min_exponent)  # subnormals share one quantum
    quantum_exponent = exponent - significand_bits
    rounded = math.ldexp(np.rint(math.ldexp(value, -quantum_exponent)), quantum_exponent)
    if abs(rounded) > max_value:
        return math.copysign(np.inf, value)
    return rounded


@njit(cache=True)
def snap_to_grid(row, grid):
    """Round ``row`` in place to its columns' output types (``grid`` codes).

    An empty ``grid`` means every column is float64.
    """
    for j in range(grid.shape[0]):
        code = grid[j]
        if code == INTEGER:
            row[j] = np.rint(row[j])
        elif code == FLOAT32:
            row[j] = round_to_float(row[j], *_FLOAT32)
        elif code == FLOAT16:
            row[j] = round_to_float(row[j], *_FLOAT16)
