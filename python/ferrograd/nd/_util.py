from ..base import InvalidArgumentError
from .._core import Context


def _check_ctx(ctx: object) -> None:
    """Accepts what MXNet accepts for ``ctx=``: None, a Context, or 'cpu'."""
    if ctx is None or isinstance(ctx, Context) or ctx in ("cpu", "cpu(0)"):
        return
    raise InvalidArgumentError("ctx: ferrograd runs on the CPU only; got %r" % (ctx,))
