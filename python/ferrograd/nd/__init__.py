"""``nd``: MXNet's NDArray functions.

Elementwise math, reductions and products are implemented in Rust (``ferrograd._core``); the
creation functions here only normalise their arguments.
"""

from __future__ import annotations

from typing import Any

from .. import _core
from .._core import Context, NDArray
from .._typing import ArrayLike, DTypeLike, Shape
from ..base import ArgumentTypeError as _ArgumentTypeError
from ._util import _check_ctx
from . import random

from . import linalg
from ._registry import export as _export
from .io import save, load

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


def _deliver(result: NDArray, out: NDArray | None) -> NDArray:
    """``result``, or ``out`` holding it (MXNet's ``out=``)."""
    if out is None:
        return result
    out[:] = result
    return out


def zeros(shape: Shape, ctx: Context | str | None = None, dtype: DTypeLike | None = None,
          out: NDArray | None = None, **kwargs: Any) -> NDArray:
    """An array of ``shape`` filled with zeros (float32 unless ``dtype`` says otherwise)."""
    _check_ctx(ctx)
    return _deliver(_core.full(shape, 0.0, dtype), out)


def ones(shape: Shape, ctx: Context | str | None = None, dtype: DTypeLike | None = None,
         out: NDArray | None = None, **kwargs: Any) -> NDArray:
    """An array of ``shape`` filled with ones (float32 unless ``dtype`` says otherwise)."""
    _check_ctx(ctx)
    return _deliver(_core.full(shape, 1.0, dtype), out)


def full(shape: Shape, val: float, ctx: Context | str | None = None,
         dtype: DTypeLike | None = None, out: NDArray | None = None) -> NDArray:
    """An array of ``shape`` filled with ``val``."""
    _check_ctx(ctx)
    return _deliver(_core.full(shape, float(val), dtype), out)


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
           "ones_like", "reshape", "waitall", "random", "linalg", "save", "load"] + _OPS
