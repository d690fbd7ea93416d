"""``nd.contrib``: the NaN and infinity tests of MXNet's ``mxnet.ndarray.contrib``.

Each returns 0/1 in the input's dtype, as MXNet does, and carries no gradient (comparisons are
not recorded): used inside a recorded expression it acts as a constant.
"""

from __future__ import annotations

import numpy as _np

from .._core import NDArray
from ..base import ArgumentTypeError


def _float_input(op: str, data: object) -> bool:
    """Whether ``data`` (an NDArray, checked here) has a float dtype: integer arrays hold no
    NaN nor infinity."""
    if not isinstance(data, NDArray):
        raise ArgumentTypeError("contrib.%s: expected an NDArray, got %s"
                                % (op, type(data).__name__))
    return _np.issubdtype(data.dtype, _np.floating)


def isnan(data: NDArray) -> NDArray:
    """1 where ``data`` is NaN, else 0.

    Parameters
    ----------
    data : NDArray
        The input array.

    Returns
    -------
    NDArray
        0/1 flags of ``data``'s shape and dtype.

    Examples
    --------
    >>> nd.contrib.isnan(nd.array([1, float('nan'), float('inf')]))
    [0. 1. 0.]
    <NDArray 3 @cpu(0)>
    """
    if not _float_input("isnan", data):
        return data.zeros_like()
    x = data.detach()
    return x != x  # NaN is the one value not equal to itself


def isinf(data: NDArray) -> NDArray:
    """1 where ``data`` is +inf or -inf, else 0.

    Parameters
    ----------
    data : NDArray
        The input array.

    Returns
    -------
    NDArray
        0/1 flags of ``data``'s shape and dtype.

    Examples
    --------
    >>> nd.contrib.isinf(nd.array([1, float('nan'), -float('inf')]))
    [0. 0. 1.]
    <NDArray 3 @cpu(0)>
    """
    if not _float_input("isinf", data):
        return data.zeros_like()
    return data.detach().abs() == float("inf")


def isfinite(data: NDArray) -> NDArray:
    """1 where ``data`` is neither NaN nor infinite, else 0.

    Parameters
    ----------
    data : NDArray
        The input array.

    Returns
    -------
    NDArray
        0/1 flags of ``data``'s shape and dtype.

    Examples
    --------
    >>> nd.contrib.isfinite(nd.array([1, float('nan'), float('inf')]))
    [1. 0. 0.]
    <NDArray 3 @cpu(0)>
    """
    if not _float_input("isfinite", data):
        return data.ones_like()
    # |NaN| < inf and |inf| < inf are both false
    return data.detach().abs() < float("inf")


__all__ = ["isnan", "isinf", "isfinite"]
