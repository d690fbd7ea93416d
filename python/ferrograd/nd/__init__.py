"""``nd``: MXNet's NDArray functions.

Elementwise math, reductions and products are implemented in Rust (``ferrograd._core``); the
creation functions here only normalise their arguments.
"""

from __future__ import annotations

from typing import Any

import numpy as _np

from .. import _core
from .._core import Context, NDArray
from .._typing import ArrayLike, DTypeLike, Shape
from ..base import ArgumentTypeError as _ArgumentTypeError
from ..base import DTypeError as _DTypeError
from ..base import InvalidArgumentError as _InvalidArgumentError
from ..base import ShapeError as _ShapeError
from ._util import _check_ctx, deliver as _deliver
from . import random

from . import contrib, linalg
from ._registry import export as _export
from .io import save, load, load_frombuffer

# The op library: every function the engine declares for ``nd``, with MXNet's other names for
# it (``broadcast_add`` for ``add``, ...).
_OPS = _export("nd", globals())


def array(source_array: ArrayLike, ctx: Context | str | None = None,
          dtype: DTypeLike | None = None) -> NDArray:
    """An NDArray holding a copy of ``source_array`` (a list, NumPy array or NDArray).

    As in MXNet the dtype is float32 unless ``dtype`` says otherwise, except that an NDArray
    source keeps its own dtype.
    """
    _check_ctx(ctx)
    if isinstance(source_array, NDArray):
        return source_array.astype(dtype or source_array.dtype)
    return _core.from_numpy(source_array, dtype)


def zeros(shape: Shape, ctx: Context | str | None = None, dtype: DTypeLike | None = None,
          out: NDArray | None = None, **kwargs: Any) -> NDArray:
    """An array of ``shape`` filled with zeros (float32 unless ``dtype`` says otherwise)."""
    _check_ctx(ctx)
    return _deliver(_core.full(shape, 0.0, dtype), out, "zeros")


def ones(shape: Shape, ctx: Context | str | None = None, dtype: DTypeLike | None = None,
         out: NDArray | None = None, **kwargs: Any) -> NDArray:
    """An array of ``shape`` filled with ones (float32 unless ``dtype`` says otherwise)."""
    _check_ctx(ctx)
    return _deliver(_core.full(shape, 1.0, dtype), out, "ones")


def full(shape: Shape, val: float, ctx: Context | str | None = None,
         dtype: DTypeLike | None = None, out: NDArray | None = None) -> NDArray:
    """An array of ``shape`` filled with ``val``."""
    _check_ctx(ctx)
    return _deliver(_core.full(shape, float(val), dtype), out, "full")


def empty(shape: Shape, ctx: Context | str | None = None,
          dtype: DTypeLike | None = None) -> NDArray:
    """An array of ``shape``; ferrograd zero-fills it (MXNet leaves it uninitialised)."""
    return zeros(shape, ctx, dtype)


def arange(start: float, stop: float | None = None, step: float = 1.0, repeat: int = 1,
           infer_range: bool | None = None, ctx: Context | str | None = None,
           dtype: DTypeLike = "float32") -> NDArray:
    """Evenly spaced values in [start, stop), each repeated ``repeat`` times."""
    _check_ctx(ctx)
    return _core.arange(float(start), None if stop is None else float(stop), float(step),
                        int(repeat), dtype)


def from_numpy(ndarray: Any, zero_copy: bool = True) -> NDArray:
    """An NDArray holding the values of the NumPy array ``ndarray``, in its dtype (unlike
    ``nd.array``, which defaults to float32).

    Parameters
    ----------
    ndarray : numpy.ndarray
        float32, float64, float16, int32, int64, uint8 or int8 (the dtypes ferrograd has).
    zero_copy : bool, default True
        Accepted for MXNet compatibility, but ferrograd always copies: its arrays live in
        copy-on-write storage of their own, and the engine computes outside the GIL, so a
        NumPy buffer cannot back one safely. MXNet shares the buffer and makes the NumPy array
        read-only; ferrograd leaves the user's array as it was (still writable, and later
        writes to it do not reach the NDArray).

    Returns
    -------
    NDArray of ``ndarray``'s shape and dtype.

    >>> nd.from_numpy(numpy.arange(3, dtype=numpy.int64))
    [0 1 2]
    <NDArray 3 @cpu(0)>
    """
    if not isinstance(ndarray, _np.ndarray):
        raise _ArgumentTypeError("from_numpy: expected a numpy.ndarray, got %s"
                                 % type(ndarray).__name__)
    if ndarray.dtype not in _FROM_NUMPY_DTYPES:
        raise _DTypeError("from_numpy: NumPy dtype %s is not supported: use float32, float64, "
                          "float16, int32, int64, uint8 or int8" % ndarray.dtype)
    return _core.from_numpy(ndarray, ndarray.dtype.name)


_FROM_NUMPY_DTYPES = {_np.dtype(t) for t in ("float32", "float64", "float16", "int32", "int64",
                                             "uint8", "int8")}


def uniform(low: float = 0, high: float = 1, shape: Shape | None = None,
            ctx: Context | str | None = None, dtype: DTypeLike | None = None,
            out: NDArray | None = None, name: str | None = None, **kwargs: Any) -> NDArray:
    """Samples uniformly from [low, high) (MXNet's top-level ``nd.uniform``).

    Parameters
    ----------
    low, high : float, default 0 and 1
    shape : int or tuple of ints
        Required, as in MXNet (``nd.random.uniform`` defaults to (1,)).
    ctx : Context, default None (the CPU)
    dtype : default None (float32)
    out : NDArray, optional
        Receives the samples and is returned.

    Note the order: ``ctx`` comes before ``dtype`` here, after it in ``nd.random.uniform``.

    >>> nd.uniform(0, 1, shape=(2, 3)).shape
    (2, 3)
    """
    return random.uniform(low, high, _sample_shape("uniform", shape), dtype, ctx, out)


def normal(loc: float = 0, scale: float = 1, shape: Shape | None = None,
           ctx: Context | str | None = None, dtype: DTypeLike | None = None,
           out: NDArray | None = None, name: str | None = None, **kwargs: Any) -> NDArray:
    """Samples from N(loc, scale**2) (MXNet's top-level ``nd.normal``).

    Parameters
    ----------
    loc, scale : float, default 0 and 1
    shape : int or tuple of ints
        Required, as in MXNet (``nd.random.normal`` defaults to (1,)).
    ctx : Context, default None (the CPU)
    dtype : default None (float32)
    out : NDArray, optional
        Receives the samples and is returned.

    >>> nd.normal(0, 1, shape=(2, 3)).shape
    (2, 3)
    """
    return random.normal(loc, scale, _sample_shape("normal", shape), dtype, ctx, out)


def _sample_shape(op: str, shape: Shape | None) -> Shape:
    if shape is None:
        raise _InvalidArgumentError("%s: shape is required (for example shape=(2, 3))" % op)
    return shape


def onehot_encode(indices: NDArray, out: NDArray) -> NDArray:
    """Writes the one-hot encoding of ``indices`` into ``out`` and returns ``out`` (MXNet's
    deprecated ``onehot_encode``; ``one_hot`` is the modern form).

    Parameters
    ----------
    indices : NDArray of shape (n,)
        Class indices, truncated toward zero; one outside [0, out.shape[1]) gives a zero row.
    out : NDArray of shape (n, classes)
        Overwritten with 1 at each row's index and 0 elsewhere. (MXNet takes float32 only;
        any float dtype works here.)

    Returns
    -------
    ``out``.

    >>> nd.onehot_encode(nd.array([0, 2]), nd.zeros((2, 3)))
    [[1. 0. 0.]
     [0. 0. 1.]]
    """
    _ndarray("onehot_encode", indices)
    _ndarray("onehot_encode", out)
    if indices.ndim != 1 or out.ndim != 2 or indices.shape[0] != out.shape[0]:
        raise _ShapeError("onehot_encode: needs indices of shape (n,) and out of shape "
                          "(n, classes), got %s and %s" % (indices.shape, out.shape))
    # one_hot validates everything else before out is touched
    encoded = one_hot(indices, depth=out.shape[1], dtype=out.dtype)  # noqa: F821 (registry)
    out[:] = encoded
    return out


def _ndarray(op: str, data: object) -> NDArray:
    if not isinstance(data, NDArray):
        raise _ArgumentTypeError("%s: expected an NDArray, got %s" % (op, type(data).__name__))
    return data


def zeros_like(data: NDArray, **kwargs: Any) -> NDArray:
    """An array of zeros with ``data``'s shape and dtype."""
    return _ndarray("zeros_like", data).zeros_like()


def ones_like(data: NDArray, **kwargs: Any) -> NDArray:
    """An array of ones with ``data``'s shape and dtype."""
    return _ndarray("ones_like", data).ones_like()


def reshape(data: NDArray, shape: Shape, reverse: bool = False, **kwargs: Any) -> NDArray:
    """``data`` with another shape of the same size (MXNet's 0/-1/-2/-3/-4 codes)."""
    return _ndarray("reshape", data).reshape(shape, reverse=reverse)


def waitall() -> None:
    """Waits for all pending work: ferrograd computes eagerly, so there is none."""


__all__ = ["NDArray", "array", "zeros", "ones", "full", "empty", "arange", "zeros_like",
           "ones_like", "reshape", "waitall", "random", "linalg", "contrib", "save", "load",
           "load_frombuffer", "from_numpy", "uniform", "normal", "onehot_encode"] + _OPS
