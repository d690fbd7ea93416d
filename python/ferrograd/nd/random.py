"""``nd.random``: seeded random arrays (float32 unless ``dtype`` says otherwise)."""

from __future__ import annotations

from typing import Any

from .. import _core
from .._core import Context, NDArray
from .._typing import DTypeLike, Shape
from ..base import InvalidArgumentError
from ._util import _check_ctx


def normal(loc: float = 0, scale: float = 1, shape: Shape = (1,), dtype: DTypeLike | None = None,
           ctx: Context | str | None = None, out: NDArray | None = None, **kwargs: Any) -> NDArray:
    """Samples from a normal distribution N(loc, scale**2)."""
    _check_ctx(ctx)
    return _deliver(_core.random_normal(float(loc), float(scale), shape, dtype), out)


def uniform(low: float = 0, high: float = 1, shape: Shape = (1,), dtype: DTypeLike | None = None,
            ctx: Context | str | None = None, out: NDArray | None = None,
            **kwargs: Any) -> NDArray:
    """Samples uniformly from [low, high)."""
    _check_ctx(ctx)
    return _deliver(_core.random_uniform(float(low), float(high), shape, dtype), out)


def randn(*shape: int, loc: float = 0, scale: float = 1, dtype: DTypeLike | None = None,
          ctx: Context | str | None = None, **kwargs: Any) -> NDArray:
    """Standard normal samples of the given shape."""
    return normal(loc, scale, shape or (1,), dtype, ctx)


def seed(seed_state: int, ctx: Context | str = "all") -> None:
    _core.random_seed(int(seed_state) & 0xFFFFFFFFFFFFFFFF)


def _deliver(result: NDArray, out: NDArray | None) -> NDArray:
    if out is None:
        return result
    out[:] = result
    return out




def randint(low: int, high: int, shape: Shape = (1,), dtype: DTypeLike | None = None,
            ctx: Context | str | None = None, out: NDArray | None = None,
            **kwargs: Any) -> NDArray:
    """Integers drawn uniformly from [low, high) (int32 unless ``dtype`` says otherwise)."""
    _check_ctx(ctx)
    return _deliver(_core.random_randint(int(low), int(high), shape, dtype), out)


def exponential(scale: float = 1, shape: Shape = (1,), dtype: DTypeLike | None = None,
                ctx: Context | str | None = None, out: NDArray | None = None,
                **kwargs: Any) -> NDArray:
    """Exponential samples with mean ``scale`` (MXNet's parameter; the rate is 1/scale)."""
    _check_ctx(ctx)
    if not float(scale) > 0:
        raise InvalidArgumentError("random.exponential: scale must be > 0, got %r" % (scale,))
    return _deliver(_core.random_exponential(1.0 / float(scale), shape, dtype), out)


def gamma(alpha: float = 1, beta: float = 1, shape: Shape = (1,), dtype: DTypeLike | None = None,
          ctx: Context | str | None = None, out: NDArray | None = None,
          **kwargs: Any) -> NDArray:
    """Gamma samples with shape ``alpha`` and scale ``beta``."""
    _check_ctx(ctx)
    return _deliver(_core.random_gamma(float(alpha), float(beta), shape, dtype), out)


def poisson(lam: float = 1, shape: Shape = (1,), dtype: DTypeLike | None = None,
            ctx: Context | str | None = None, out: NDArray | None = None,
            **kwargs: Any) -> NDArray:
    """Poisson samples with rate ``lam``."""
    _check_ctx(ctx)
    return _deliver(_core.random_poisson(float(lam), shape, dtype), out)


def multinomial(data: NDArray, shape: Shape = 1, get_prob: bool = False, out: NDArray | None = None,
                dtype: DTypeLike = "int32", **kwargs: Any) -> NDArray:
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


def shuffle(data: NDArray, **kwargs: Any) -> NDArray:
    """A copy of ``data`` with its rows (axis 0) in random order."""
    return _core.random_shuffle(data)


__all__ = ["normal", "uniform", "randn", "seed", "randint", "exponential", "gamma", "poisson",
           "multinomial", "shuffle"]
