"""``nd.random``: seeded random arrays (float32 unless ``dtype`` says otherwise)."""

from .. import _core
from ._util import _check_ctx


def normal(loc=0, scale=1, shape=(1,), dtype=None, ctx=None, out=None, **kwargs):
    """Samples from a normal distribution N(loc, scale**2)."""
    _check_ctx(ctx)
    return _deliver(_core.random_normal(float(loc), float(scale), shape, dtype), out)


def uniform(low=0, high=1, shape=(1,), dtype=None, ctx=None, out=None, **kwargs):
    """Samples uniformly from [low, high)."""
    _check_ctx(ctx)
    return _deliver(_core.random_uniform(float(low), float(high), shape, dtype), out)


def randn(*shape, loc=0, scale=1, dtype=None, ctx=None, **kwargs):
    """Standard normal samples of the given shape."""
    return normal(loc, scale, shape or (1,), dtype, ctx)


def seed(seed_state, ctx="all"):
    _core.random_seed(int(seed_state) & 0xFFFFFFFFFFFFFFFF)


def _deliver(result, out):
    if out is None:
        return result
    out[:] = result
    return out


__all__ = ["normal", "uniform", "randn", "seed"]
