"""``nd.random``: seeded random arrays (float32 unless ``dtype`` says otherwise)."""

from .. import _core
from ..base import InvalidArgumentError
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


def randint(low, high, shape=(1,), dtype=None, ctx=None, out=None, **kwargs):
    """Integers drawn uniformly from [low, high) (int32 unless ``dtype`` says otherwise)."""
    _check_ctx(ctx)
    return _deliver(_core.random_randint(int(low), int(high), shape, dtype), out)


def exponential(scale=1, shape=(1,), dtype=None, ctx=None, out=None, **kwargs):
    """Exponential samples with mean ``scale`` (MXNet's parameter; the rate is 1/scale)."""
    _check_ctx(ctx)
    if not 0 < float(scale) < float("inf"):
        raise InvalidArgumentError(
            "random.exponential: scale must be a finite number > 0, got %r" % (scale,))
    return _deliver(_core.random_exponential(1.0 / float(scale), shape, dtype), out)


def gamma(alpha=1, beta=1, shape=(1,), dtype=None, ctx=None, out=None, **kwargs):
    """Gamma samples with shape ``alpha`` and scale ``beta``."""
    _check_ctx(ctx)
    return _deliver(_core.random_gamma(float(alpha), float(beta), shape, dtype), out)


def poisson(lam=1, shape=(1,), dtype=None, ctx=None, out=None, **kwargs):
    """Poisson samples with rate ``lam``."""
    _check_ctx(ctx)
    return _deliver(_core.random_poisson(float(lam), shape, dtype), out)


def multinomial(data, shape=1, get_prob=False, out=None, dtype="int32", **kwargs):
    """Category indices drawn from each row of probabilities ``data`` (last axis)."""
    if get_prob:
        raise InvalidArgumentError("random.multinomial: get_prob=True is not supported")
    dims = (shape,) if isinstance(shape, int) else tuple(shape)
    count = 1
    for d in dims:
        count *= int(d)
    samples = _core.random_multinomial(data, count, dtype)
    # MXNet: one draw per row gives data.shape[:-1]; otherwise data.shape[:-1] + shape.
    batch = tuple(data.shape[:-1])
    if dims != (1,):
        samples = samples.reshape(batch + dims if batch else dims)
    return _deliver(samples, out)


def shuffle(data, **kwargs):
    """A copy of ``data`` with its rows (axis 0) in random order."""
    return _core.random_shuffle(data)


__all__ += ["randint", "exponential", "gamma", "poisson", "multinomial", "shuffle"]
