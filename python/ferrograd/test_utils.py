"""``mx.test_utils``: the few helpers the book and MXNet-style tests use."""

import numpy as _np

from .context import cpu
from ._core import NDArray

__all__ = ["list_gpus", "default_context", "set_default_context", "almost_equal",
           "assert_almost_equal"]

_default_ctx = [cpu()]


def list_gpus():
    """The ids of the GPUs available: none (MXNet returns a range; here ``range(0, 0)``)."""
    return range(0)


def default_context():
    """The context tests run on: the CPU."""
    return _default_ctx[0]


def set_default_context(ctx):
    from .context import check_device
    check_device(ctx, "set_default_context")
    _default_ctx[0] = ctx


def _numpy(a):
    return a.asnumpy() if isinstance(a, NDArray) else _np.asarray(a)


def almost_equal(a, b, rtol=None, atol=None, equal_nan=False):
    """True when ``a`` and ``b`` (NDArrays or array-likes) agree within the tolerances."""
    return bool(_np.allclose(_numpy(a), _numpy(b), rtol=1e-5 if rtol is None else rtol,
                             atol=1e-20 if atol is None else atol, equal_nan=equal_nan))


def assert_almost_equal(a, b, rtol=None, atol=None, names=("a", "b"), equal_nan=False):
    """Raises AssertionError (with the worst element) when ``a`` and ``b`` differ."""
    _np.testing.assert_allclose(_numpy(a), _numpy(b), rtol=1e-5 if rtol is None else rtol,
                                atol=1e-20 if atol is None else atol, equal_nan=equal_nan,
                                err_msg="%s and %s differ" % names)
