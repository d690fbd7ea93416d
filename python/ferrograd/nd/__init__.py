"""``nd``: MXNet's NDArray functions.

Elementwise math, reductions and products are implemented in Rust (``ferrograd._core``); the
creation functions here only normalise their arguments.
"""

import numpy as _np

from .. import _core
from .._core import NDArray
from ..base import ArgumentTypeError as _ArgumentTypeError
from ._util import _check_ctx
from . import random

from . import linalg
from ._registry import export as _export
from .io import save, load

# The op library: every function the engine declares for ``nd``, with MXNet's other names for
# it (``broadcast_add`` for ``add``, ...).
_OPS = _export("nd", globals())


def array(source_array, ctx=None, dtype=None):
    """An NDArray holding a copy of ``source_array`` (a list, NumPy array or NDArray).

    As in MXNet the dtype is float32 unless ``dtype`` says otherwise, except that an NDArray
    source keeps its own dtype.
    """
    _check_ctx(ctx)
    if isinstance(source_array, NDArray):
        return source_array.astype(dtype or source_array.dtype)
    return _core.from_numpy(source_array, dtype)


def zeros(shape, ctx=None, dtype=None, **kwargs):
    _check_ctx(ctx)
    return _core.full(shape, 0.0, dtype)


def ones(shape, ctx=None, dtype=None, **kwargs):
    _check_ctx(ctx)
    return _core.full(shape, 1.0, dtype)


def full(shape, val, ctx=None, dtype=None, out=None):
    _check_ctx(ctx)
    result = _core.full(shape, float(val), dtype)
    if out is not None:
        out[:] = result
        return out
    return result


def empty(shape, ctx=None, dtype=None):
    """An array of ``shape``; ferrograd zero-fills it (MXNet leaves it uninitialised)."""
    return zeros(shape, ctx, dtype)


def arange(start, stop=None, step=1.0, repeat=1, infer_range=None, ctx=None, dtype="float32"):
    """Evenly spaced values in [start, stop), each repeated ``repeat`` times."""
    _check_ctx(ctx)
    return _core.arange(float(start), None if stop is None else float(stop), float(step), int(repeat), dtype)


def _ndarray(op, data):
    if not isinstance(data, NDArray):
        raise _ArgumentTypeError("%s: expected an NDArray, got %s" % (op, type(data).__name__))
    return data


def zeros_like(data, **kwargs):
    return _ndarray("zeros_like", data).zeros_like()


def ones_like(data, **kwargs):
    return _ndarray("ones_like", data).ones_like()


def reshape(data, shape, reverse=False, **kwargs):
    return _ndarray("reshape", data).reshape(shape, reverse=reverse)


def waitall():
    """Waits for all pending work: ferrograd computes eagerly, so there is none."""


__all__ = [name for name in dir() if not name.startswith("_")]
