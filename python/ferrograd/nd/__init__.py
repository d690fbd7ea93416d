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

    Parameters
    ----------
    source_array : ArrayLike
        The values: a (nested) list, a NumPy array, an NDArray or a number.
    ctx : Context | str | None, default None
        The device context; only the CPU holds arrays (a GPU context is refused).
    dtype : DTypeLike | None, default None
        The element type of the result: a NumPy dtype or its name ('float32', 'float64', 'int32',
        'int64', 'uint8'); None means the default.

    Returns
    -------
    NDArray
        The result.

    Examples
    --------
    >>> nd.array([[1, 2], [3, 4]])
    [[1. 2.]
     [3. 4.]]
    <NDArray 2x2 @cpu(0)>
    >>> nd.array(np.arange(3), dtype='int32')
    [0 1 2]
    <NDArray 3 @cpu(0)>
    """
    _check_ctx(ctx)
    if isinstance(source_array, NDArray):
        return source_array.astype(dtype or source_array.dtype)
    return _core.from_numpy(source_array, dtype)


def zeros(shape: Shape, ctx: Context | str | None = None, dtype: DTypeLike | None = None,
          out: NDArray | None = None, **kwargs: Any) -> NDArray:
    """An array of ``shape`` filled with zeros (float32 unless ``dtype`` says otherwise).

    Parameters
    ----------
    shape : Shape
        The shape of the result: an int or a tuple of ints.
    ctx : Context | str | None, default None
        The device context; only the CPU holds arrays (a GPU context is refused).
    dtype : DTypeLike | None, default None
        The element type of the result: a NumPy dtype or its name ('float32', 'float64', 'int32',
        'int64', 'uint8'); None means the default.
    out : NDArray | None, default None
        The output array: when given, the result is written into it (it must have the result's
        shape) and it is returned.
    **kwargs : Any
        Other keyword arguments MXNet accepts; ignored.

    Returns
    -------
    NDArray
        The result (``out`` itself when it is given).

    Examples
    --------
    >>> nd.zeros((2, 3))
    [[0. 0. 0.]
     [0. 0. 0.]]
    <NDArray 2x3 @cpu(0)>
    """
    _check_ctx(ctx)
    return _deliver(_core.full(shape, 0.0, dtype), out, "zeros")


def ones(shape: Shape, ctx: Context | str | None = None, dtype: DTypeLike | None = None,
         out: NDArray | None = None, **kwargs: Any) -> NDArray:
    """An array of ``shape`` filled with ones (float32 unless ``dtype`` says otherwise).

    Parameters
    ----------
    shape : Shape
        The shape of the result: an int or a tuple of ints.
    ctx : Context | str | None, default None
        The device context; only the CPU holds arrays (a GPU context is refused).
    dtype : DTypeLike | None, default None
        The element type of the result: a NumPy dtype or its name ('float32', 'float64', 'int32',
        'int64', 'uint8'); None means the default.
    out : NDArray | None, default None
        The output array: when given, the result is written into it (it must have the result's
        shape) and it is returned.
    **kwargs : Any
        Other keyword arguments MXNet accepts; ignored.

    Returns
    -------
    NDArray
        The result (``out`` itself when it is given).

    Examples
    --------
    >>> nd.ones((2, 3), dtype='int32')
    [[1 1 1]
     [1 1 1]]
    <NDArray 2x3 @cpu(0)>
    """
    _check_ctx(ctx)
    return _deliver(_core.full(shape, 1.0, dtype), out, "ones")


def full(shape: Shape, val: float, ctx: Context | str | None = None,
         dtype: DTypeLike | None = None, out: NDArray | None = None) -> NDArray:
    """An array of ``shape`` filled with ``val``.

    Parameters
    ----------
    shape : Shape
        The shape of the result: an int or a tuple of ints.
    val : float
        The value every element takes.
    ctx : Context | str | None, default None
        The device context; only the CPU holds arrays (a GPU context is refused).
    dtype : DTypeLike | None, default None
        The element type of the result: a NumPy dtype or its name ('float32', 'float64', 'int32',
        'int64', 'uint8'); None means the default.
    out : NDArray | None, default None
        The output array: when given, the result is written into it (it must have the result's
        shape) and it is returned.

    Returns
    -------
    NDArray
        The result (``out`` itself when it is given).

    Examples
    --------
    >>> nd.full((2, 2), 7)
    [[7. 7.]
     [7. 7.]]
    <NDArray 2x2 @cpu(0)>
    """
    _check_ctx(ctx)
    return _deliver(_core.full(shape, float(val), dtype), out, "full")


def empty(shape: Shape, ctx: Context | str | None = None,
          dtype: DTypeLike | None = None) -> NDArray:
    """An array of ``shape``; ferrograd zero-fills it (MXNet leaves it uninitialised).

    Parameters
    ----------
    shape : Shape
        The shape of the result: an int or a tuple of ints.
    ctx : Context | str | None, default None
        The device context; only the CPU holds arrays (a GPU context is refused).
    dtype : DTypeLike | None, default None
        The element type of the result: a NumPy dtype or its name ('float32', 'float64', 'int32',
        'int64', 'uint8'); None means the default.

    Returns
    -------
    NDArray
        The result.

    Examples
    --------
    >>> nd.empty((2, 2))
    [[0. 0.]
     [0. 0.]]
    <NDArray 2x2 @cpu(0)>
    """
    return zeros(shape, ctx, dtype)


def arange(start: float, stop: float | None = None, step: float = 1.0, repeat: int = 1,
           infer_range: bool | None = None, ctx: Context | str | None = None,
           dtype: DTypeLike = "float32") -> NDArray:
    """Evenly spaced values in [start, stop), each repeated ``repeat`` times.

    Parameters
    ----------
    start : float
        The first value.
    stop : float | None, default None
        The end of the interval.
    step : float, default 1.0
        The spacing between values.
    repeat : int, default 1
        How many times each value is repeated.
    infer_range : bool | None, default None
        Ignored: MXNet's flag to infer the range from the output's size (deprecated there).
    ctx : Context | str | None, default None
        The device context; only the CPU holds arrays (a GPU context is refused).
    dtype : DTypeLike, default 'float32'
        The element type of the result: a NumPy dtype or its name ('float32', 'float64', 'int32',
        'int64', 'uint8'); None means the default.

    Returns
    -------
    NDArray
        The result.

    Examples
    --------
    >>> nd.arange(5)
    [0. 1. 2. 3. 4.]
    <NDArray 5 @cpu(0)>
    >>> nd.arange(1, 2, 0.25)
    [1.   1.25 1.5  1.75]
    <NDArray 4 @cpu(0)>
    >>> nd.arange(3, repeat=2)
    [0. 0. 1. 1. 2. 2.]
    <NDArray 6 @cpu(0)>
    """
    _check_ctx(ctx)
    return _core.arange(float(start), None if stop is None else float(stop), float(step),
                        int(repeat), dtype)


def from_numpy(ndarray: Any, zero_copy: bool = True) -> NDArray:
    """An NDArray holding the values of the NumPy array ``ndarray``, in its dtype (unlike
    ``nd.array``, which defaults to float32).

    Parameters
    ----------
    ndarray : Any
        float32, float64, float16, int32, int64, uint8 or int8 (the dtypes ferrograd has).
    zero_copy : bool, default True
        Accepted for MXNet compatibility, but ferrograd always copies: its arrays live in
        copy-on-write storage of their own, and the engine computes outside the GIL, so a
        NumPy buffer cannot back one safely. MXNet shares the buffer and makes the NumPy array
        read-only; ferrograd leaves the user's array as it was (still writable, and later
        writes to it do not reach the NDArray).

    Returns
    -------
    NDArray
        The values of ``ndarray``, in its shape and dtype.

    Examples
    --------
    >>> nd.from_numpy(np.arange(3, dtype=np.int64))
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
    low : float, default 0
        The lower bound of the interval (included).
    high : float, default 1
        The upper bound of the interval (excluded).
    shape : Shape | None, default None
        Required, as in MXNet (``nd.random.uniform`` defaults to (1,)).
    ctx : Context | str | None, default None
        The device context; only the CPU holds arrays (a GPU context is refused).
    dtype : DTypeLike | None, default None
        The element type of the result: a NumPy dtype or its name ('float32', 'float64', 'int32',
        'int64', 'uint8'); None means the default.
    out : NDArray | None, default None
        Receives the samples and is returned.
    name : str | None, default None
        Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    **kwargs : Any
        Other keyword arguments MXNet accepts; ignored.

    Returns
    -------
    NDArray
        The result (``out`` itself when it is given).

    Notes
    -----
    Note the order: ``ctx`` comes before ``dtype`` here, after it in ``nd.random.uniform``.

    Examples
    --------
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
    loc : float, default 0
        The mean of the distribution.
    scale : float, default 1
        The standard deviation of the distribution.
    shape : Shape | None, default None
        Required, as in MXNet (``nd.random.normal`` defaults to (1,)).
    ctx : Context | str | None, default None
        The device context; only the CPU holds arrays (a GPU context is refused).
    dtype : DTypeLike | None, default None
        The element type of the result: a NumPy dtype or its name ('float32', 'float64', 'int32',
        'int64', 'uint8'); None means the default.
    out : NDArray | None, default None
        Receives the samples and is returned.
    name : str | None, default None
        Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    **kwargs : Any
        Other keyword arguments MXNet accepts; ignored.

    Returns
    -------
    NDArray
        The result (``out`` itself when it is given).

    Examples
    --------
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
    indices : NDArray
        The class index of each row, shape (n,).
    out : NDArray
        A float array of shape (n, classes) that receives the encoding and is returned.

    Returns
    -------
    NDArray
        ``out``.

    Examples
    --------
    >>> nd.onehot_encode(nd.array([0, 2]), nd.zeros((2, 3)))
    [[1. 0. 0.]
     [0. 0. 1.]]
    <NDArray 2x3 @cpu(0)>
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
    """An array of zeros with ``data``'s shape and dtype.

    Parameters
    ----------
    data : NDArray
        The input array.
    **kwargs : Any
        Other keyword arguments MXNet accepts; ignored.

    Returns
    -------
    NDArray
        The result.

    Examples
    --------
    >>> nd.zeros_like(nd.ones((2, 2)))
    [[0. 0.]
     [0. 0.]]
    <NDArray 2x2 @cpu(0)>
    """
    return _ndarray("zeros_like", data).zeros_like()


def ones_like(data: NDArray, **kwargs: Any) -> NDArray:
    """An array of ones with ``data``'s shape and dtype.

    Parameters
    ----------
    data : NDArray
        The input array.
    **kwargs : Any
        Other keyword arguments MXNet accepts; ignored.

    Returns
    -------
    NDArray
        The result.

    Examples
    --------
    >>> nd.ones_like(nd.zeros((2, 2)))
    [[1. 1.]
     [1. 1.]]
    <NDArray 2x2 @cpu(0)>
    """
    return _ndarray("ones_like", data).ones_like()


def reshape(data: NDArray, shape: Shape, reverse: bool = False, **kwargs: Any) -> NDArray:
    """``data`` with another shape of the same size (MXNet's 0/-1/-2/-3/-4 codes).

    Parameters
    ----------
    data : NDArray
        The input array.
    shape : Shape
        The shape of the result: an int or a tuple of ints.
    reverse : bool, default False
        Read the special codes of ``shape`` from the right (MXNet's ``reverse``).
    **kwargs : Any
        Other keyword arguments MXNet accepts; ignored.

    Returns
    -------
    NDArray
        The result.

    Examples
    --------
    >>> nd.reshape(nd.arange(6), shape=(2, 3))
    [[0. 1. 2.]
     [3. 4. 5.]]
    <NDArray 2x3 @cpu(0)>
    >>> nd.reshape(nd.ones((2, 3, 4)), shape=(-1, 0)).shape
    (8, 3)
    """
    return _ndarray("reshape", data).reshape(shape, reverse=reverse)


def waitall() -> None:
    """Waits for all pending work: ferrograd computes eagerly, so there is none.

    Returns
    -------
    None

    Examples
    --------
    >>> nd.waitall()
    """


__all__ = ["NDArray", "array", "zeros", "ones", "full", "empty", "arange", "zeros_like",
           "ones_like", "reshape", "waitall", "random", "linalg", "contrib", "save", "load",
           "load_frombuffer", "from_numpy", "uniform", "normal", "onehot_encode"] + _OPS
