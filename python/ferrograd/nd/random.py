"""``nd.random``: seeded random arrays (float32 unless ``dtype`` says otherwise)."""

from __future__ import annotations

from typing import Any

import numpy as _np

from .. import _core
from .._core import Context, NDArray
from .._typing import DTypeLike, Shape
from ..base import ArgumentTypeError, DTypeError, InvalidArgumentError
from ._util import _check_ctx, deliver, out_dtype


def normal(loc: float = 0, scale: float = 1, shape: Shape = (1,), dtype: DTypeLike | None = None,
           ctx: Context | str | None = None, out: NDArray | None = None, **kwargs: Any) -> NDArray:
    """Samples from a normal distribution N(loc, scale**2).

    Parameters
    ----------
    loc : float, default 0
        The mean of the distribution.
    scale : float, default 1
        The standard deviation of the distribution.
    shape : Shape, default (1,)
        The shape of the result: an int or a tuple of ints.
    dtype : DTypeLike | None, default None
        The element type of the result: a NumPy dtype or its name ('float32', 'float64', 'int32',
        'int64', 'uint8'); None means the default.
    ctx : Context | str | None, default None
        The device context; only the CPU holds arrays (a GPU context is refused).
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
    >>> nd.random.normal(shape=(2, 3)).shape
    (2, 3)
    """
    _check_ctx(ctx)
    samples = _core.random_normal(float(loc), float(scale), shape, out_dtype(dtype, out))
    return deliver(samples, out, "random.normal")


def uniform(low: float = 0, high: float = 1, shape: Shape = (1,), dtype: DTypeLike | None = None,
            ctx: Context | str | None = None, out: NDArray | None = None,
            **kwargs: Any) -> NDArray:
    """Samples uniformly from [low, high).

    Parameters
    ----------
    low : float, default 0
        The lower bound of the interval (included).
    high : float, default 1
        The upper bound of the interval (excluded).
    shape : Shape, default (1,)
        The shape of the result: an int or a tuple of ints.
    dtype : DTypeLike | None, default None
        The element type of the result: a NumPy dtype or its name ('float32', 'float64', 'int32',
        'int64', 'uint8'); None means the default.
    ctx : Context | str | None, default None
        The device context; only the CPU holds arrays (a GPU context is refused).
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
    >>> nd.random.uniform(shape=(2, 3)).shape
    (2, 3)
    """
    _check_ctx(ctx)
    samples = _core.random_uniform(float(low), float(high), shape, out_dtype(dtype, out))
    return deliver(samples, out, "random.uniform")


def randn(*shape: int, loc: float = 0, scale: float = 1, dtype: DTypeLike | None = None,
          ctx: Context | str | None = None, **kwargs: Any) -> NDArray:
    """Standard normal samples of the given shape.

    Parameters
    ----------
    *shape : int
        The shape of the result, as separate integers.
    loc : float, default 0
        The mean of the distribution.
    scale : float, default 1
        The standard deviation of the distribution.
    dtype : DTypeLike | None, default None
        The element type of the result: a NumPy dtype or its name ('float32', 'float64', 'int32',
        'int64', 'uint8'); None means the default.
    ctx : Context | str | None, default None
        The device context; only the CPU holds arrays (a GPU context is refused).
    **kwargs : Any
        Other keyword arguments MXNet accepts; ignored.

    Returns
    -------
    NDArray
        The result.

    Examples
    --------
    >>> nd.random.randn(2, 3).shape
    (2, 3)
    """
    return normal(loc, scale, shape or (1,), dtype, ctx)


def seed(seed_state: int, ctx: Context | str = "all") -> None:
    """Seeds the generator behind every ``nd.random`` function, so that the numbers drawn
    after it are the same on every run (ferrograd's own streams, not MXNet's).

    Parameters
    ----------
    seed_state : int
        The seed: an integer.
    ctx : Context | str, default 'all'
        Accepted for MXNet's API: one generator serves every context.

    Returns
    -------
    None

    Examples
    --------
    >>> nd.random.seed(42)
    >>> a = nd.random.uniform(shape=(3,))
    >>> nd.random.seed(42)
    >>> bool((a == nd.random.uniform(shape=(3,))).min())
    True
    """
    """

    Parameters
    ----------
    seed_state : int
        (undocumented)
    ctx : Context | str, default 'all'
        The device context; only the CPU holds arrays (a GPU context is refused).

    Returns
    -------
    None
    """
    _core.random_seed(int(seed_state) & 0xFFFFFFFFFFFFFFFF)


def randint(low: int, high: int, shape: Shape = (1,), dtype: DTypeLike | None = None,
            ctx: Context | str | None = None, out: NDArray | None = None,
            **kwargs: Any) -> NDArray:
    """Integers drawn uniformly from [low, high) (int32 unless ``dtype`` says otherwise).

    Parameters
    ----------
    low : int
        The smallest integer drawn.
    high : int
        One above the largest integer drawn.
    shape : Shape, default (1,)
        The shape of the result: an int or a tuple of ints.
    dtype : DTypeLike | None, default None
        The element type of the result: a NumPy dtype or its name ('float32', 'float64', 'int32',
        'int64', 'uint8'); None means the default.
    ctx : Context | str | None, default None
        The device context; only the CPU holds arrays (a GPU context is refused).
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
    >>> x = nd.random.randint(0, 10, shape=(2, 3))
    >>> x.shape, x.dtype
    ((2, 3), <class 'numpy.int32'>)
    >>> bool(((x >= 0) * (x < 10)).min())
    True
    """
    _check_ctx(ctx)
    samples = _core.random_randint(int(low), int(high), shape, out_dtype(dtype, out))
    return deliver(samples, out, "random.randint")


def exponential(scale: float = 1, shape: Shape = (1,), dtype: DTypeLike | None = None,
                ctx: Context | str | None = None, out: NDArray | None = None,
                **kwargs: Any) -> NDArray:
    """Exponential samples with mean ``scale`` (MXNet's parameter; the rate is 1/scale).

    Parameters
    ----------
    scale : float, default 1
        The mean of the distribution (1 / rate).
    shape : Shape, default (1,)
        The shape of the result: an int or a tuple of ints.
    dtype : DTypeLike | None, default None
        The element type of the result: a NumPy dtype or its name ('float32', 'float64', 'int32',
        'int64', 'uint8'); None means the default.
    ctx : Context | str | None, default None
        The device context; only the CPU holds arrays (a GPU context is refused).
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
    >>> nd.random.exponential(shape=(2, 3)).shape
    (2, 3)
    """
    _check_ctx(ctx)
    if not 0 < float(scale) < float("inf"):
        raise InvalidArgumentError(
            "random.exponential: scale must be a finite number > 0, got %r" % (scale,))
    samples = _core.random_exponential(1.0 / float(scale), shape, out_dtype(dtype, out))
    return deliver(samples, out, "random.exponential")


def gamma(alpha: float = 1, beta: float = 1, shape: Shape = (1,), dtype: DTypeLike | None = None,
          ctx: Context | str | None = None, out: NDArray | None = None,
          **kwargs: Any) -> NDArray:
    """Gamma samples with shape ``alpha`` and scale ``beta``.

    Parameters
    ----------
    alpha : float, default 1
        The shape of the gamma distribution.
    beta : float, default 1
        The scale of the gamma distribution.
    shape : Shape, default (1,)
        The shape of the result: an int or a tuple of ints.
    dtype : DTypeLike | None, default None
        The element type of the result: a NumPy dtype or its name ('float32', 'float64', 'int32',
        'int64', 'uint8'); None means the default.
    ctx : Context | str | None, default None
        The device context; only the CPU holds arrays (a GPU context is refused).
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
    >>> nd.random.gamma(shape=(2, 3)).shape
    (2, 3)
    """
    _check_ctx(ctx)
    samples = _core.random_gamma(float(alpha), float(beta), shape, out_dtype(dtype, out))
    return deliver(samples, out, "random.gamma")


def poisson(lam: float = 1, shape: Shape = (1,), dtype: DTypeLike | None = None,
            ctx: Context | str | None = None, out: NDArray | None = None,
            **kwargs: Any) -> NDArray:
    """Poisson samples with rate ``lam``.

    Parameters
    ----------
    lam : float, default 1
        The rate (the mean) of the Poisson distribution.
    shape : Shape, default (1,)
        The shape of the result: an int or a tuple of ints.
    dtype : DTypeLike | None, default None
        The element type of the result: a NumPy dtype or its name ('float32', 'float64', 'int32',
        'int64', 'uint8'); None means the default.
    ctx : Context | str | None, default None
        The device context; only the CPU holds arrays (a GPU context is refused).
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
    >>> nd.random.poisson(shape=(2, 3)).shape
    (2, 3)
    """
    _check_ctx(ctx)
    samples = _core.random_poisson(float(lam), shape, out_dtype(dtype, out))
    return deliver(samples, out, "random.poisson")


def negative_binomial(k: int = 1, p: float = 1, shape: Shape = (1,),
                      dtype: DTypeLike | None = None, ctx: Context | str | None = None,
                      out: NDArray | None = None, **kwargs: Any) -> NDArray:
    """Negative binomial samples: the number of failures before the ``k``-th success when each
    trial succeeds with probability ``p`` (MXNet's parameterisation; mean k(1-p)/p).

    Parameters
    ----------
    k : int, default 1
        The number of successes (a whole number > 0).
    p : float, default 1
        The probability of success of each trial, in (0, 1].
    shape : Shape, default (1,)
        The shape of the result: an int or a tuple of ints.
    dtype : DTypeLike | None, default None
        The element type of the result: a NumPy dtype or its name ('float32', 'float64', 'int32',
        'int64', 'uint8'); None means the default.
    ctx : Context | str | None, default None
        The device context; only the CPU holds arrays (a GPU context is refused).
    out : NDArray | None, default None
        Receives the samples and is returned.
    **kwargs : Any
        Other keyword arguments MXNet accepts; ignored.

    Returns
    -------
    NDArray
        The result (``out`` itself when it is given).

    Examples
    --------
    >>> nd.random.negative_binomial(k=3, p=0.4, shape=(2,))
    [ 7. 18.]
    <NDArray 2 @cpu(0)>
    """
    _check_ctx(ctx)
    samples = _core.random_negative_binomial(float(k), float(p), shape, out_dtype(dtype, out))
    return deliver(samples, out, "random.negative_binomial")


def generalized_negative_binomial(mu: float = 1, alpha: float = 1, shape: Shape = (1,),
                                  dtype: DTypeLike | None = None,
                                  ctx: Context | str | None = None, out: NDArray | None = None,
                                  **kwargs: Any) -> NDArray:
    """Generalized negative binomial samples (MXNet's parameterisation): mean ``mu``, variance
    mu + alpha * mu**2; ``alpha`` = 0 gives Poisson(mu).

    Parameters
    ----------
    mu : float, default 1
        >= 0.
    alpha : float, default 1
        The dispersion: the variance is mu + alpha * mu**2.
    shape : Shape, default (1,)
        The shape of the result: an int or a tuple of ints.
    dtype : DTypeLike | None, default None
        The element type of the result: a NumPy dtype or its name ('float32', 'float64', 'int32',
        'int64', 'uint8'); None means the default.
    ctx : Context | str | None, default None
        The device context; only the CPU holds arrays (a GPU context is refused).
    out : NDArray | None, default None
        Receives the samples and is returned.
    **kwargs : Any
        Other keyword arguments MXNet accepts; ignored.

    Returns
    -------
    NDArray
        The result (``out`` itself when it is given).

    Examples
    --------
    >>> nd.random.generalized_negative_binomial(mu=2, alpha=0.5, shape=(2,))
    [1. 7.]
    <NDArray 2 @cpu(0)>
    """
    _check_ctx(ctx)
    samples = _core.random_generalized_negative_binomial(
        float(mu), float(alpha), shape, out_dtype(dtype, out))
    return deliver(samples, out, "random.generalized_negative_binomial")


# ---- the *_like samplers: samples of the shape and dtype of an array -------------------------


def _like(op: str, data: object) -> tuple[tuple[int, ...], Any]:
    """``data``'s shape and dtype, after checking it is a float NDArray (MXNet's samplers
    produce floats only)."""
    if not isinstance(data, NDArray):
        raise ArgumentTypeError("random.%s: expected an NDArray, got %s"
                                % (op, type(data).__name__))
    if not _np.issubdtype(data.dtype, _np.floating):
        raise DTypeError("random.%s: samples are float16, float32 or float64, so data must be too, got %s"
                         % (op, _np.dtype(data.dtype).name))
    return data.shape, data.dtype


def uniform_like(data: NDArray, low: float = 0, high: float = 1, out: NDArray | None = None,
                 name: str | None = None, **kwargs: Any) -> NDArray:
    """Samples uniformly from [low, high), in the shape and dtype of ``data`` (whose values
    are not read and which gets no gradient).

    Parameters
    ----------
    data : NDArray
        The array whose shape and dtype the samples take (its values are not used).
    low : float, default 0
        The lower bound of the interval (included).
    high : float, default 1
        The upper bound of the interval (excluded).
    out : NDArray | None, default None
        The output array: when given, the result is written into it (it must have the result's
        shape) and it is returned.
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
    >>> nd.random.uniform_like(nd.zeros((2, 3)), low=5, high=6).shape
    (2, 3)
    """
    shape, dtype = _like("uniform_like", data)
    samples = _core.random_uniform(float(low), float(high), shape, dtype)
    return deliver(samples, out, "random.uniform_like")


def normal_like(data: NDArray, loc: float = 0, scale: float = 1, out: NDArray | None = None,
                name: str | None = None, **kwargs: Any) -> NDArray:
    """Samples from N(loc, scale**2) in the shape and dtype of ``data``.

    Parameters
    ----------
    data : NDArray
        The array whose shape and dtype the samples take (its values are not used).
    loc : float, default 0
        The mean of the distribution.
    scale : float, default 1
        The standard deviation of the distribution.
    out : NDArray | None, default None
        The output array: when given, the result is written into it (it must have the result's
        shape) and it is returned.
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
    >>> nd.random.normal_like(nd.zeros((2, 3)), loc=10, scale=0.1).shape
    (2, 3)
    """
    shape, dtype = _like("normal_like", data)
    samples = _core.random_normal(float(loc), float(scale), shape, dtype)
    return deliver(samples, out, "random.normal_like")


def gamma_like(data: NDArray, alpha: float = 1, beta: float = 1, out: NDArray | None = None,
               name: str | None = None, **kwargs: Any) -> NDArray:
    """Gamma samples (shape ``alpha``, scale ``beta``) in the shape and dtype of ``data``.

    Parameters
    ----------
    data : NDArray
        The array whose shape and dtype the samples take (its values are not used).
    alpha : float, default 1
        The shape of the gamma distribution.
    beta : float, default 1
        The scale of the gamma distribution.
    out : NDArray | None, default None
        The output array: when given, the result is written into it (it must have the result's
        shape) and it is returned.
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
    >>> nd.random.gamma_like(nd.zeros((2, 3)), alpha=2, beta=3).shape
    (2, 3)
    """
    shape, dtype = _like("gamma_like", data)
    samples = _core.random_gamma(float(alpha), float(beta), shape, dtype)
    return deliver(samples, out, "random.gamma_like")


def exponential_like(data: NDArray, lam: float = 1, out: NDArray | None = None,
                     name: str | None = None, **kwargs: Any) -> NDArray:
    """Exponential samples of rate ``lam`` (mean 1/lam: MXNet's ``*_like`` takes the rate,
    ``random.exponential`` the scale) in the shape and dtype of ``data``.

    Parameters
    ----------
    data : NDArray
        The array whose shape and dtype the samples take (its values are not used).
    lam : float, default 1
        The rate of the distribution (its mean is 1 / lam).
    out : NDArray | None, default None
        The output array: when given, the result is written into it (it must have the result's
        shape) and it is returned.
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
    >>> nd.random.exponential_like(nd.zeros((2, 3)), lam=4).shape
    (2, 3)
    """
    shape, dtype = _like("exponential_like", data)
    samples = _core.random_exponential(float(lam), shape, dtype)
    return deliver(samples, out, "random.exponential_like")


def poisson_like(data: NDArray, lam: float = 1, out: NDArray | None = None,
                 name: str | None = None, **kwargs: Any) -> NDArray:
    """Poisson samples of rate ``lam`` in the shape and dtype of ``data``.

    Parameters
    ----------
    data : NDArray
        The array whose shape and dtype the samples take (its values are not used).
    lam : float, default 1
        The rate (the mean) of the Poisson distribution.
    out : NDArray | None, default None
        The output array: when given, the result is written into it (it must have the result's
        shape) and it is returned.
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
    >>> nd.random.poisson_like(nd.zeros((2, 3)), lam=4).shape
    (2, 3)
    """
    shape, dtype = _like("poisson_like", data)
    samples = _core.random_poisson(float(lam), shape, dtype)
    return deliver(samples, out, "random.poisson_like")


def negative_binomial_like(data: NDArray, k: int = 1, p: float = 1,
                           out: NDArray | None = None, name: str | None = None,
                           **kwargs: Any) -> NDArray:
    """Negative binomial samples (see ``negative_binomial``) in the shape and dtype of
    ``data``. MXNet does not check ``k`` and ``p`` here and returns zeros for bad ones;
    ferrograd refuses them as ``negative_binomial`` does.

    Parameters
    ----------
    data : NDArray
        The array whose shape and dtype the samples take (its values are not used).
    k : int, default 1
        The number of successes (a whole number > 0).
    p : float, default 1
        The probability of success of each trial, in (0, 1].
    out : NDArray | None, default None
        The output array: when given, the result is written into it (it must have the result's
        shape) and it is returned.
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
    >>> nd.random.negative_binomial_like(nd.zeros((2, 3)), k=3, p=0.4).shape
    (2, 3)
    """
    shape, dtype = _like("negative_binomial_like", data)
    samples = _core.random_negative_binomial(float(k), float(p), shape, dtype)
    return deliver(samples, out, "random.negative_binomial_like")


def generalized_negative_binomial_like(data: NDArray, mu: float = 1, alpha: float = 1,
                                       out: NDArray | None = None, name: str | None = None,
                                       **kwargs: Any) -> NDArray:
    """Generalized negative binomial samples (see ``generalized_negative_binomial``) in the
    shape and dtype of ``data``.

    Parameters
    ----------
    data : NDArray
        The array whose shape and dtype the samples take (its values are not used).
    mu : float, default 1
        The mean of the distribution.
    alpha : float, default 1
        The dispersion: the variance is mu + alpha * mu**2.
    out : NDArray | None, default None
        The output array: when given, the result is written into it (it must have the result's
        shape) and it is returned.
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
    >>> nd.random.generalized_negative_binomial_like(nd.zeros((2, 3)), mu=2, alpha=0.5).shape
    (2, 3)
    """
    shape, dtype = _like("generalized_negative_binomial_like", data)
    samples = _core.random_generalized_negative_binomial(float(mu), float(alpha), shape, dtype)
    return deliver(samples, out, "random.generalized_negative_binomial_like")


def multinomial(data: NDArray, shape: Shape = 1, get_prob: bool = False, out: NDArray | None = None,
                dtype: DTypeLike = "int32", **kwargs: Any) -> NDArray:
    """Category indices drawn from each row of probabilities ``data`` (last axis).

    Parameters
    ----------
    data : NDArray
        Probabilities of each category along the last axis (each row sums to 1).
    shape : Shape, default 1
        How many draws per row: an int or a shape (appended to the row's shape).
    get_prob : bool, default False
        Also return the log-probability of each drawn index (as a second array).
    out : NDArray | None, default None
        The output array: when given, the result is written into it (it must have the result's
        shape) and it is returned.
    dtype : DTypeLike, default 'int32'
        The element type of the result: a NumPy dtype or its name ('float32', 'float64', 'int32',
        'int64', 'uint8'); None means the default.
    **kwargs : Any
        Other keyword arguments MXNet accepts; ignored.

    Returns
    -------
    NDArray
        The result (``out`` itself when it is given).

    Examples
    --------
    >>> nd.random.multinomial(nd.array([[0, 1, 0], [1, 0, 0]]))
    [1 0]
    <NDArray 2 @cpu(0)>
    """
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
    return deliver(samples, out, "random.multinomial")


def shuffle(data: NDArray, **kwargs: Any) -> NDArray:
    """A copy of ``data`` with its rows (axis 0) in random order.

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
    >>> nd.sort(nd.random.shuffle(nd.arange(5)))
    [0. 1. 2. 3. 4.]
    <NDArray 5 @cpu(0)>
    """
    return _core.random_shuffle(data)


__all__ = ["normal", "uniform", "randn", "seed", "randint", "exponential", "gamma", "poisson",
           "negative_binomial", "generalized_negative_binomial", "multinomial", "shuffle",
           "uniform_like", "normal_like", "gamma_like", "exponential_like", "poisson_like",
           "negative_binomial_like", "generalized_negative_binomial_like"]
