from __future__ import annotations

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
