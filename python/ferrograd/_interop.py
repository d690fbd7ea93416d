"""What NumPy does with an NDArray (``NDArray.__array_ufunc__`` and ``__array_function__`` call
these).

The policy, the same for every operator and both operand orders:

* Operators (``+ - * / ** % @``, comparisons, in-place ``+=`` ...) between an NDArray and a
  NumPy array raise TypeError, as in MXNet: the result would be cut from the autograd graph
  (NumPy's) or silently convert the other operand (ferrograd's). The message says how to
  convert. NumPy *scalars* (``np.float32(2) * x``) act like Python numbers and give NDArrays.
* NumPy functions and ufuncs called on NDArrays (``np.sum(x)``, ``np.mean(x, axis=0)``,
  ``np.exp(x)``, ``np.concatenate([x, y])``) compute in NumPy on a copy of the values and
  return NumPy results, as for any array-like. A ufunc is also how NumPy runs its operators,
  so a ufunc given both an NDArray and a NumPy array raises TypeError like the operator.
"""

import operator

import numpy as np

from ._core import NDArray

MIX_MESSAGE = (
    "ferrograd does not mix NDArrays and NumPy arrays in one operation (MXNet does not "
    "either): convert the NumPy array with nd.array(a), or the NDArray with x.asnumpy()")

# The ufuncs behind NumPy's operators: a NumPy scalar's operator reaches NDArray as these.
_OPERATORS = {
    np.add: operator.add,
    np.subtract: operator.sub,
    np.multiply: operator.mul,
    np.true_divide: operator.truediv,
    np.power: operator.pow,
    np.remainder: operator.mod,
    np.equal: operator.eq,
    np.not_equal: operator.ne,
    np.less: operator.lt,
    np.less_equal: operator.le,
    np.greater: operator.gt,
    np.greater_equal: operator.ge,
}


def _numpy_array(v):
    # A 0-d array is a scalar to NumPy's operators, and so to ferrograd's.
    return isinstance(v, np.ndarray) and v.ndim > 0


def _numpy_scalar(v):
    return isinstance(v, np.generic) or (isinstance(v, np.ndarray) and v.ndim == 0)


def _to_numpy(obj):
    """NDArrays (also inside lists, tuples and dicts) as NumPy copies."""
    if isinstance(obj, NDArray):
        return obj.asnumpy()
    if isinstance(obj, (list, tuple)):
        return type(obj)(_to_numpy(v) for v in obj)
    if isinstance(obj, dict):
        return {k: _to_numpy(v) for k, v in obj.items()}
    return obj


def array_ufunc(ufunc, method, inputs, kwargs):
    outs = kwargs.get("out") or ()
    outs = outs if isinstance(outs, tuple) else (outs,)
    if any(_numpy_array(v) for v in inputs + outs):
        raise TypeError("numpy.%s: %s" % (ufunc.__name__, MIX_MESSAGE))
    if any(isinstance(o, NDArray) for o in outs):
        raise TypeError("numpy.%s: out= cannot be an NDArray; use the nd function (nd.%s(x, "
                        "out=y)) or an NDArray operator" % (ufunc.__name__, ufunc.__name__))
    if (method == "__call__" and not kwargs and ufunc in _OPERATORS and len(inputs) == 2
            and any(_numpy_scalar(v) for v in inputs)):
        # np.float32(2) * x: NumPy's scalar handed its operator over; act as the operator
        # with a Python number, so the result is an NDArray (in the graph when recording).
        a, b = (v.item() if _numpy_scalar(v) else v for v in inputs)
        return _OPERATORS[ufunc](a, b)
    return getattr(ufunc, method)(*_to_numpy(inputs), **_to_numpy(kwargs))


def array_function(func, types, args, kwargs):
    return func(*_to_numpy(args), **_to_numpy(kwargs))
