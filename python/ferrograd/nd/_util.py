from __future__ import annotations

from typing import Any

from .._core import NDArray
from ..base import InvalidArgumentError
from ..context import check_device


def _check_ctx(ctx: object) -> None:
    """Accepts what MXNet accepts for ``ctx=``: None, a Context, or 'cpu'; a GPU context is an
    InvalidArgumentError (ferrograd computes on the CPU only)."""
    if ctx is None:
        return
    check_device(ctx, "ctx")
    if getattr(ctx, "device_type", None) == "cpu" or ctx in ("cpu", "cpu(0)"):
        return
    raise InvalidArgumentError("ctx: expected a Context such as mx.cpu(), got %r" % (ctx,))


def deliver(result: NDArray, out: NDArray | None, op: str) -> NDArray:
    """``result``, or ``out`` holding it and returned (MXNet's ``out=``). ``out`` must have the
    result's shape (an InvalidArgumentError naming ``out`` otherwise, and ``out`` is left as
    it was); its dtype is kept, the values converted to it, as MXNet's creation and sampling
    functions do."""
    if out is None:
        return result
    if not isinstance(out, NDArray):
        raise InvalidArgumentError("%s: out must be an NDArray, got %s" % (op, type(out).__name__))
    if out.shape != result.shape:
        raise InvalidArgumentError("%s: out= has shape %s but the result has shape %s"
                                   % (op, out.shape, result.shape))
    out[:] = result
    return out


def out_dtype(dtype: Any, out: NDArray | None) -> Any:
    """The dtype to sample in: ``dtype`` when given, else ``out``'s (MXNet samples straight
    into ``out``), else None (the default)."""
    if dtype is None and out is not None and isinstance(out, NDArray):
        return out.dtype
    return dtype
