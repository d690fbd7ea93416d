"""The op table: one row per op exported by ``ferrograd.nd`` (aliases share a row).

Each row says how to call the op, what NumPy computes for it (MXNet's semantics), which inputs
to feed it (shapes and a domain that keeps clear of poles, kinks and ties), and what its
derivatives look like:

``grad``
    ``"smooth"``: differentiable; checked against central differences in float64.
    ``"zero"``: piecewise constant; recorded, and its gradient is exactly zero.
    ``"none"``: not differentiable at all (comparisons, argmax, ``*_like``); not recorded, so
    backward from its result raises GraphError.
``second``
    True when the gradient itself depends on the inputs (a non-trivial second derivative,
    checked through ``autograd.grad(create_graph=True)``). False for linear and piecewise
    rules, whose gradient is cut from the graph, so differentiating it again raises GraphError.

``kind`` is ``"op"`` for functions of arrays, ``"create"`` for creation functions (called with a
dtype), ``"random"`` for samplers and ``"util"`` for the rest. tests/test_ops.py parametrizes
over ``TABLE`` and fails if an exported name (of ``nd``, ``nd.random``, ``nd.linalg`` or
``nd.contrib``) has no row.

Inputs that must not be differentiated (indices, labels, conditions) are constants inside the
row's ``call``; ``*_like`` arrays are real inputs and get a zero gradient. An op that returns a
list (``split``, ``topk(ret_typ='both')``) has a list reference; ``grad_outputs`` names the
outputs that carry a gradient and ``out_dtype`` the outputs whose dtype is not the input's.
``xfail`` marks a known engine bug (the assertion stays correct); ``xfail_all`` when the bug
breaks the call itself, so every test of the row fails.

``BAD_INPUTS`` at the end holds at least one bad-input case per op of the op library (the
earlier ops have theirs in tests/test_errors.py).
"""

import dataclasses
import math
import os
import tempfile
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

import numpy as np

from ferrograd import autograd, nd
from ferrograd.base import (ArgumentTypeError, AxisError, DTypeError, InvalidArgumentError,
                            MXIndexError, ShapeError)

# ----------------------------------------------------------------------------------------
# input domains: each is a function (rng, shape) -> float64 array
# ----------------------------------------------------------------------------------------


def U(lo, hi):
    """Uniform in [lo, hi)."""

    def gen(rng, shape):
        return rng.uniform(lo, hi, size=shape)

    gen.desc = "U(%g, %g)" % (lo, hi)
    return gen


def away(lo, hi):
    """|x| uniform in [lo, hi) with a random sign: clear of a kink at 0."""

    def gen(rng, shape):
        return rng.uniform(lo, hi, size=shape) * rng.choice([-1.0, 1.0], size=shape)

    gen.desc = "+-U(%g, %g)" % (lo, hi)
    return gen


def distinct(lo, hi):
    """Values spread over [lo, hi) at least (hi-lo)/(2n) apart: no ties for max/min/argmax."""

    def gen(rng, shape):
        n = int(np.prod(shape, dtype=np.int64))
        grid = np.linspace(lo, hi, n, endpoint=False)
        jitter = rng.uniform(0, (hi - lo) / (2.0 * max(n, 1)), size=n)
        return rng.permutation(grid + jitter).reshape(shape)

    gen.desc = "distinct(%g, %g)" % (lo, hi)
    return gen


def distinct_away(lo, hi):
    """Distinct values with |x| >= lo (no ties, clear of 0)."""
    d = distinct(lo, hi)

    def gen(rng, shape):
        return d(rng, shape) * rng.choice([-1.0, 1.0], size=shape)

    return gen


def ints(lo, hi):
    """Integers in [lo, hi] as floats (ties and zeros happen: comparisons, logical_not)."""

    def gen(rng, shape):
        return rng.integers(lo, hi + 1, size=shape).astype(np.float64)

    return gen


def roundish(rng, shape):
    """Exact halves, integers and fractions near .5 of both signs (rounding ops)."""
    base = rng.integers(-4, 4, size=shape).astype(np.float64)
    frac = rng.choice([0.0, 0.5, 0.25, 0.75, 0.49, 0.51, 0.1, 0.9], size=shape)
    return base + frac


# ----------------------------------------------------------------------------------------
# NumPy references with MXNet's semantics
# ----------------------------------------------------------------------------------------


def _axes(ndim, axis, exclude):
    if axis is None:
        ax = tuple(range(ndim))
    else:
        ax = tuple(a % ndim for a in (axis if isinstance(axis, (tuple, list)) else (axis,)))
    if exclude:
        ax = tuple(i for i in range(ndim) if i not in ax)
    return ax


def _keep_dtype(out, like):
    out = np.asarray(out, dtype=like.dtype)
    return out.reshape(1) if out.ndim == 0 else out


def mx_reduce(f):
    """A NumPy reduction with MXNet's arguments; a reduction to nothing has shape (1,)."""

    def ref(x, axis=None, keepdims=False, exclude=False):
        return _keep_dtype(f(x, axis=_axes(x.ndim, axis, exclude), keepdims=keepdims), x)

    return ref


def np_norm(x, ord=2, axis=None, keepdims=False):
    ax = _axes(x.ndim, axis, False)
    if ord == 1:
        out = np.sum(np.abs(x), axis=ax, keepdims=keepdims)
    else:
        out = np.sqrt(np.sum(x * x, axis=ax, keepdims=keepdims))
    return _keep_dtype(out, x)


def np_arg(f):
    def ref(x, axis=None, keepdims=False):
        if axis is None:
            return np.array([f(x)], dtype=x.dtype)
        out = f(x, axis=axis)
        if keepdims:
            out = np.expand_dims(out, axis)
        return _keep_dtype(out, x)

    return ref


def np_dot(a, b, transpose_a=False, transpose_b=False):
    """MXNet's dot (src/operator/tensor/dot-inl.h, DotShape): 1-D . 1-D gives shape (1,);
    otherwise `a` is the matrix (prod(a.shape[:-1]), a.shape[-1]) -- or, with transpose_a,
    the transpose of (a.shape[0], prod(a.shape[1:])) -- and likewise for `b`: (b.shape[0],
    prod(rest)), or with transpose_b the transpose of (prod(b.shape[:-1]), b.shape[-1]). The
    output keeps the uncontracted axes of each operand in their order."""
    if a.ndim == 1 and b.ndim == 1:
        assert not (transpose_a or transpose_b)
        return np.array([np.dot(a, b)], dtype=a.dtype)
    if transpose_a:
        A, a_out = a.reshape(a.shape[0], -1).T, a.shape[1:]
    else:
        A, a_out = a.reshape(-1, a.shape[-1]), a.shape[:-1]
    if transpose_b:
        B, b_out = b.reshape(-1, b.shape[-1]).T, b.shape[:-1]
    else:
        B, b_out = b.reshape(b.shape[0], -1), b.shape[1:]
    shape = (a_out if a.ndim > 1 else ()) + (b_out if b.ndim > 1 else ())
    return (A @ B).reshape(shape or (1,)).astype(a.dtype)


def np_batch_dot(a, b, transpose_a=False, transpose_b=False):
    if transpose_a:
        a = a.swapaxes(1, 2)
    if transpose_b:
        b = b.swapaxes(1, 2)
    return np.matmul(a, b)


def np_reshape(x, shape, reverse=False):
    """MXNet's reshape codes 0 (copy the dim) and -1 (infer), optionally right to left."""
    src = list(x.shape[::-1] if reverse else x.shape)
    spec = list(shape[::-1] if reverse else shape)
    out = [src[i] if d == 0 else d for i, d in enumerate(spec)]
    out = list(np.empty(src).reshape(out).shape) if -1 in out else out
    return x.reshape(out[::-1] if reverse else out)


def np_round_half_away(x):
    return (np.sign(x) * np.floor(np.abs(x) + 0.5)).astype(x.dtype)


def cmp(f):
    """A comparison: 0/1 in the input dtype."""
    return lambda a, b: f(a, b).astype(np.result_type(a, b))


def np_erf(x):
    return np.vectorize(math.erf, otypes=[np.float64])(x).astype(x.dtype)


def np_sigmoid(x):
    return (1.0 / (1.0 + np.exp(-x))).astype(x.dtype)


def np_rsqrt(x):
    return (1.0 / np.sqrt(x)).astype(x.dtype)


# ----------------------------------------------------------------------------------------
# the table
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    id: str
    op: Any  # the exported nd function (checked by identity against nd.<name>)
    ref: Optional[Callable] = None  # NumPy reference, called like `call`
    shapes: tuple = ((3, 4),)
    domain: Any = field(default_factory=lambda: U(-2, 2))  # one domain, or a tuple per input
    grad: str = "smooth"  # "smooth" | "zero" | "none"
    second: bool = False
    kwargs: dict = field(default_factory=dict)
    names: tuple = ()  # exported names this row covers (default: the op's own name)
    call: Optional[Callable] = None  # how to call the op (default: op(*xs, **kwargs))
    prep: Optional[Callable] = None  # applied to each input first (x.T, x[::2]); NumPy too
    kind: str = "op"  # "op" | "create" | "random" | "util"
    check: Optional[Callable] = None  # for "random" rows: check(result, dtype)
    xfail: Optional[str] = None  # engine bug: the row's checks are expected to fail
    xfail_all: bool = False  # the bug breaks the call itself: every test of the row fails
    # The output dtype when it is not the input's (indices, one_hot), or per output for a
    # list result (None: the input's); for "random" rows, the default dtype.
    out_dtype: Any = None
    # For ops that return a list (split, topk 'both'): the outputs that carry a gradient.
    grad_outputs: Optional[tuple] = None
    dtypes: tuple = (None, "float64")  # "random" rows: the dtype= values to test

    def _prepped(self, xs):
        if self.prep is None:
            return list(xs)
        preps = self.prep if isinstance(self.prep, tuple) else (self.prep,) * len(xs)
        return [p(x) if p is not None else x for p, x in zip(preps, xs)]

    def invoke(self, *xs):
        fn = self.call or self.op
        return fn(*self._prepped(xs), **self.kwargs)

    def reference(self, *xs):
        return self.ref(*self._prepped(xs), **self.kwargs)

    def domains(self):
        if isinstance(self.domain, tuple):
            return self.domain
        return (self.domain,) * len(self.shapes)

    def sample(self, rng):
        """Float64 inputs for this row."""
        return [d(rng, s) for d, s in zip(self.domains(), self.shapes)]


T = lambda x: x.T  # noqa: E731  (a transposed, non-contiguous input)
STEP2 = lambda x: x[::2]  # noqa: E731  (a stepped slice: a strided copy)
VIEW = lambda x: x[1:3]  # noqa: E731  (a contiguous slice: shares memory)

TABLE = []


def add(*rows):
    TABLE.extend(rows)


# ---- unary math ------------------------------------------------------------------------
U1 = ((3, 4),)
add(
    Row("negative", nd.negative, np.negative),
    Row("abs", nd.abs, np.abs, domain=away(0.2, 2)),
    Row("sign", nd.sign, np.sign, domain=away(0.2, 2), grad="zero"),
    Row("reciprocal", nd.reciprocal, np.reciprocal, domain=away(0.5, 2), second=True),
    Row("square", nd.square, np.square, second=True),
    Row("sqrt", nd.sqrt, np.sqrt, domain=U(0.5, 2), second=True),
    Row("rsqrt", nd.rsqrt, np_rsqrt, domain=U(0.5, 2), second=True),
    Row("cbrt", nd.cbrt, np.cbrt, domain=away(0.5, 2), second=True),
    Row("rcbrt", nd.rcbrt, lambda x: 1 / np.cbrt(x), domain=away(0.5, 2), second=True),
    Row("exp", nd.exp, np.exp, second=True),
    Row("expm1", nd.expm1, np.expm1, second=True),
    Row("log", nd.log, np.log, domain=U(0.5, 2), second=True),
    Row("log1p", nd.log1p, np.log1p, domain=U(-0.5, 2), second=True),
    Row("log2", nd.log2, np.log2, domain=U(0.5, 2), second=True),
    Row("log10", nd.log10, np.log10, domain=U(0.5, 2), second=True),
    Row("sin", nd.sin, np.sin, domain=U(-3, 3), second=True),
    Row("cos", nd.cos, np.cos, domain=U(-3, 3), second=True),
    Row("tan", nd.tan, np.tan, domain=U(-1.2, 1.2), second=True),
    Row("arcsin", nd.arcsin, np.arcsin, domain=U(-0.9, 0.9), second=True),
    Row("arccos", nd.arccos, np.arccos, domain=U(-0.9, 0.9), second=True),
    Row("arctan", nd.arctan, np.arctan, domain=U(-3, 3), second=True),
    Row("sinh", nd.sinh, np.sinh, second=True),
    Row("cosh", nd.cosh, np.cosh, second=True),
    Row("tanh", nd.tanh, np.tanh, second=True),
    # the gradient reaching the inner tanh depends on x: its backward's own gradient (d/dg)
    Row("tanh_of_tanh", nd.tanh, lambda x: np.tanh(np.tanh(x)) * x,
        call=lambda x: nd.tanh(nd.tanh(x)) * x, second=True, names=()),
    Row("arcsinh", nd.arcsinh, np.arcsinh, domain=U(-3, 3), second=True),
    Row("arccosh", nd.arccosh, np.arccosh, domain=U(1.5, 3), second=True),
    Row("arctanh", nd.arctanh, np.arctanh, domain=U(-0.9, 0.9), second=True),
    Row("sigmoid", nd.sigmoid, np_sigmoid, domain=U(-4, 4), second=True),
    Row("relu", nd.relu, lambda x: np.maximum(x, 0), domain=away(0.2, 2)),
    Row("softsign", nd.softsign, lambda x: x / (1 + np.abs(x)), domain=away(0.2, 2), second=True),
    Row("erf", nd.erf, np_erf, second=True),
    Row("floor", nd.floor, np.floor, domain=roundish, grad="zero"),
    Row("ceil", nd.ceil, np.ceil, domain=roundish, grad="zero"),
    # MXNet's round rounds half away from zero; rint rounds half to even (as NumPy's rint).
    Row("round", nd.round, np_round_half_away, domain=roundish, grad="zero"),
    Row("rint", nd.rint, np.rint, domain=roundish, grad="zero"),
    Row("fix", nd.fix, np.fix, domain=roundish, grad="zero"),
    Row("trunc", nd.trunc, np.trunc, domain=roundish, grad="zero"),
    Row("degrees", nd.degrees, np.degrees, domain=U(-3, 3)),
    Row("radians", nd.radians, np.radians, domain=U(-180, 180)),
    Row("logical_not", nd.logical_not, lambda x: (x == 0).astype(x.dtype), domain=ints(-1, 1),
        grad="zero"),
    # unary ops on inputs that are not plain contiguous arrays
    Row("exp_transposed", nd.exp, np.exp, shapes=((4, 3),), prep=T, second=True),
    Row("tanh_stepped", nd.tanh, np.tanh, shapes=((6, 4),), prep=STEP2, second=True),
    Row("sqrt_view", nd.sqrt, np.sqrt, shapes=((4, 3),), domain=U(0.5, 2), prep=VIEW,
        second=True),
    Row("log_3d", nd.log, np.log, shapes=((2, 3, 4),), domain=U(0.5, 2), second=True),
    Row("sin_1d", nd.sin, np.sin, shapes=((7,),), second=True),
)

# ---- binary (broadcasting) ---------------------------------------------------------------
S2 = ((3, 4), (3, 4))
BC = ((3, 1), (1, 4))
POS = (U(0.5, 2), U(0.5, 2))
add(
    Row("add", nd.add, np.add, shapes=S2, names=("add", "elemwise_add")),
    Row("add_broadcast", nd.add, np.add, shapes=BC,
        names=("broadcast_add", "broadcast_plus")),
    Row("add_broadcast_rank", nd.add, np.add, shapes=((2, 3, 4), (4,))),
    Row("add_scalar", nd.add, lambda x: x + 2.5, call=lambda x: nd.add(x, 2.5)),
    Row("add_transposed", nd.add, np.add, shapes=((4, 3), (4, 3)), prep=T),
    Row("subtract", nd.subtract, np.subtract, shapes=S2, names=("subtract", "elemwise_sub")),
    Row("subtract_broadcast", nd.subtract, np.subtract, shapes=BC,
        names=("broadcast_sub", "broadcast_minus")),
    Row("subtract_scalar_left", nd.subtract, lambda x: 2.5 - x,
        call=lambda x: nd.subtract(2.5, x)),
    Row("multiply", nd.multiply, np.multiply, shapes=S2, second=True,
        names=("multiply", "elemwise_mul")),
    Row("multiply_broadcast", nd.multiply, np.multiply, shapes=BC, second=True,
        names=("broadcast_mul",)),
    Row("multiply_stepped", nd.multiply, np.multiply, shapes=((6, 4), (6, 4)), prep=STEP2,
        second=True),
    Row("multiply_scalar", nd.multiply, lambda x: x * 1.5, call=lambda x: nd.multiply(x, 1.5)),
    Row("divide", nd.divide, np.divide, shapes=S2, domain=(U(-2, 2), away(0.5, 2)), second=True,
        names=("divide", "elemwise_div", "true_divide")),
    Row("divide_broadcast", nd.divide, np.divide, shapes=BC, domain=(U(-2, 2), away(0.5, 2)),
        second=True, names=("broadcast_div",)),
    Row("divide_scalar_left", nd.divide, lambda x: 3.0 / x, domain=away(0.5, 2), second=True,
        call=lambda x: nd.divide(3.0, x)),
    Row("power", nd.power, np.power, shapes=S2, domain=(U(0.5, 2), U(-2, 2)), second=True),
    Row("power_broadcast", nd.power, np.power, shapes=BC, domain=(U(0.5, 2), U(-2, 2)),
        second=True, names=("broadcast_power",)),
    Row("power_scalar_exponent", nd.power, lambda x: x ** 3.0, domain=U(0.5, 2), second=True,
        call=lambda x: nd.power(x, 3.0)),
    Row("power_scalar_base", nd.power, lambda x: 2.0 ** x, second=True,
        call=lambda x: nd.power(2.0, x)),
)

CMP_DOMAIN = (ints(0, 2), ints(0, 2))
for name, f in [("equal", np.equal), ("not_equal", np.not_equal), ("greater", np.greater),
                ("greater_equal", np.greater_equal), ("lesser", np.less),
                ("lesser_equal", np.less_equal)]:
    op = getattr(nd, name)
    add(
        Row(name, op, cmp(f), shapes=S2, domain=CMP_DOMAIN, grad="none"),
        Row(name + "_broadcast", op, cmp(f), shapes=BC, domain=CMP_DOMAIN, grad="none",
            names=("broadcast_" + name,)),
        Row(name + "_scalar_right", op, (lambda f: lambda x: cmp(f)(x, np.array(1.0, x.dtype)))(f),
            domain=ints(0, 2), grad="none", call=(lambda op: lambda x: op(x, 1.0))(op)),
        Row(name + "_scalar_left", op, (lambda f: lambda x: cmp(f)(np.array(1.0, x.dtype), x))(f),
            domain=ints(0, 2), grad="none", call=(lambda op: lambda x: op(1.0, x))(op)),
    )

# ---- reductions --------------------------------------------------------------------------
X3 = ((2, 3, 4),)
REDUCE_VARIANTS = [
    ("all", ((3, 4),), {}),
    ("axis0", ((3, 4),), {"axis": 0}),
    ("axis1_keepdims", ((3, 4),), {"axis": 1, "keepdims": True}),
    ("axis_neg1", X3, {"axis": -1}),
    ("axes02", X3, {"axis": (0, 2)}),
    ("axes02_keepdims", X3, {"axis": (0, 2), "keepdims": True}),
    ("exclude1", X3, {"axis": 1, "exclude": True}),
    ("exclude02_keepdims", X3, {"axis": (0, 2), "exclude": True, "keepdims": True}),
]
for name, f, dom, second in [
    ("sum", np.sum, U(-2, 2), False),
    ("mean", np.mean, U(-2, 2), False),
    ("max", np.max, distinct(-2, 2), False),
    ("min", np.min, distinct(-2, 2), False),
    ("prod", np.prod, away(0.5, 1.5), True),
]:
    op = getattr(nd, name)
    for tag, shapes, kw in REDUCE_VARIANTS:
        add(Row("%s_%s" % (name, tag), op, mx_reduce(f), shapes=shapes, domain=dom, kwargs=kw,
                second=second, names={"sum": ("sum", "sum_axis"), "max": ("max", "max_axis"),
                                       "min": ("min", "min_axis")}.get(name, (name,))))
    add(Row(name + "_transposed", op, mx_reduce(f), shapes=((4, 3),), domain=dom,
            kwargs={"axis": 1}, prep=T, second=second))

for tag, shapes, kw in [
    ("all", ((3, 4),), {}),
    ("axis1", ((3, 4),), {"axis": 1}),
    ("axis0_keepdims", X3, {"axis": 0, "keepdims": True}),
    ("axes12", X3, {"axis": (1, 2)}),
]:
    add(Row("norm_" + tag, nd.norm, np_norm, shapes=shapes, domain=away(0.3, 2), kwargs=kw,
            second=True))
    add(Row("norm_ord1_" + tag, nd.norm, np_norm, shapes=shapes, domain=away(0.3, 2),
            kwargs=dict(kw, ord=1)))

for name, f in [("argmax", np.argmax), ("argmin", np.argmin)]:
    op = getattr(nd, name)
    for tag, shapes, kw in [
        ("all", ((3, 4),), {}),
        ("axis0", ((3, 4),), {"axis": 0}),
        ("axis1_keepdims", ((3, 4),), {"axis": 1, "keepdims": True}),
        ("axis_neg1_3d", X3, {"axis": -1}),
    ]:
        add(Row("%s_%s" % (name, tag), op, np_arg(f), shapes=shapes, domain=distinct(-2, 2),
                kwargs=kw, grad="none"))

# ---- products ----------------------------------------------------------------------------
# (shapes, transpose_a, transpose_b, xfail reason)
DOT_CASES = [
    ("1d_1d", ((4,), (4,)), False, False, None),
    ("2d_1d", ((3, 4), (4,)), False, False, None),
    ("2d_1d_ta", ((4, 3), (4,)), True, False, None),
    ("1d_2d", ((4,), (4, 5)), False, False, None),
    ("1d_2d_tb", ((4,), (5, 4)), False, True, None),
    ("2d_2d", ((3, 4), (4, 5)), False, False, None),
    ("2d_2d_ta", ((4, 3), (4, 5)), True, False, None),
    ("2d_2d_tb", ((3, 4), (5, 4)), False, True, None),
    ("2d_2d_ta_tb", ((4, 3), (5, 4)), True, True, None),
    ("3d_2d", ((2, 3, 4), (4, 5)), False, False, None),
    ("3d_2d_ta", ((4, 2, 3), (4, 5)), True, False, None),
    ("3d_2d_tb", ((2, 3, 4), (5, 4)), False, True, None),
    ("3d_2d_ta_tb", ((4, 2, 3), (5, 4)), True, True, None),
    ("2d_3d", ((3, 4), (4, 2, 5)), False, False, None),
    ("2d_3d_ta", ((4, 3), (4, 2, 5)), True, False, None),
    ("2d_3d_tb", ((3, 4), (2, 5, 4)), False, True, None),
    ("2d_3d_ta_tb", ((4, 3), (2, 5, 4)), True, True, None),
    ("3d_3d", ((2, 3, 4), (4, 2, 2)), False, False, None),
    ("3d_3d_ta", ((4, 2, 3), (4, 2, 2)), True, False, None),
    ("3d_3d_tb", ((2, 3, 4), (2, 2, 4)), False, True, None),
    ("3d_3d_ta_tb", ((4, 2, 3), (2, 2, 4)), True, True, None),
]
for tag, shapes, ta, tb, bug in DOT_CASES:
    add(Row("dot_" + tag, nd.dot, np_dot, shapes=shapes, second=True,
            kwargs={"transpose_a": ta, "transpose_b": tb}, xfail=bug))
add(Row("dot_transposed_input", nd.dot, shapes=((4, 3), (4, 5)),
        call=lambda a, b: nd.dot(a.T, b), ref=lambda a, b: np_dot(a.T, b), second=True))

for tag, ta, tb in [("", False, False), ("_ta", True, False), ("_tb", False, True),
                    ("_ta_tb", True, True)]:
    a = (2, 4, 3) if ta else (2, 3, 4)
    b = (2, 5, 4) if tb else (2, 4, 5)
    add(Row("batch_dot" + tag, nd.batch_dot, np_batch_dot, shapes=(a, b), second=True,
            kwargs={"transpose_a": ta, "transpose_b": tb}))

# ---- shape ops ---------------------------------------------------------------------------
add(
    Row("transpose", nd.transpose, np.transpose, shapes=((3, 4),)),
    Row("transpose_3d_reverse", nd.transpose, np.transpose, shapes=X3),
    Row("transpose_3d_axes", nd.transpose, np.transpose, shapes=X3, kwargs={"axes": (1, 0, 2)}),
    Row("transpose_3d_axes_neg", nd.transpose, np.transpose, shapes=X3,
        kwargs={"axes": (2, 0, 1)}),
    Row("reshape", nd.reshape, np_reshape, shapes=((3, 4),), kwargs={"shape": (2, 6)}),
    Row("reshape_codes", nd.reshape, np_reshape, shapes=X3, kwargs={"shape": (0, -1)}),
    Row("reshape_infer", nd.reshape, np_reshape, shapes=X3, kwargs={"shape": (-1, 3, 2)}),
    Row("reshape_reverse", nd.reshape, np_reshape, shapes=X3,
        kwargs={"shape": (-1, 0), "reverse": True}),
    Row("reshape_transposed", nd.reshape, np_reshape, shapes=((4, 3),), prep=T,
        kwargs={"shape": (-1,)}),
    # the composite of the chapter: y = 2 x^T x
    Row("dot_chapter", nd.dot, lambda x: 2 * np_dot(x.T, x), shapes=((4, 1),), second=True,
        call=lambda x: 2 * nd.dot(x.T, x)),
)

# ---- arrays of one input that carry no gradient --------------------------------------------
add(
    Row("zeros_like", nd.zeros_like, np.zeros_like, grad="none"),
    Row("ones_like", nd.ones_like, np.ones_like, grad="none"),
)

# ---- creation ------------------------------------------------------------------------------
# `call(dtype)` and `ref(dtype)`; dtype None means the default (float32).
CREATE_DTYPE = lambda dt: np.dtype(dt or np.float32)  # noqa: E731
add(
    Row("array_list", nd.array, kind="create", shapes=(),
        call=lambda dt: nd.array([[1, 2.5], [-3, 4]], dtype=dt),
        ref=lambda dt: np.array([[1, 2.5], [-3, 4]], dtype=CREATE_DTYPE(dt))),
    Row("array_numpy_f64", nd.array, kind="create", shapes=(),
        call=lambda dt: nd.array(np.linspace(0, 1, 6).reshape(2, 3), dtype=dt),
        ref=lambda dt: np.linspace(0, 1, 6).reshape(2, 3).astype(CREATE_DTYPE(dt))),
    Row("zeros", nd.zeros, kind="create", shapes=(),
        call=lambda dt: nd.zeros((2, 3), dtype=dt),
        ref=lambda dt: np.zeros((2, 3), CREATE_DTYPE(dt))),
    Row("zeros_int_shape", nd.zeros, kind="create", shapes=(),
        call=lambda dt: nd.zeros(5, dtype=dt), ref=lambda dt: np.zeros(5, CREATE_DTYPE(dt))),
    Row("ones", nd.ones, kind="create", shapes=(),
        call=lambda dt: nd.ones((3, 1, 2), dtype=dt),
        ref=lambda dt: np.ones((3, 1, 2), CREATE_DTYPE(dt))),
    Row("full", nd.full, kind="create", shapes=(),
        call=lambda dt: nd.full((2, 2), 7.5, dtype=dt),
        ref=lambda dt: np.full((2, 2), 7.5, CREATE_DTYPE(dt))),
    Row("empty", nd.empty, kind="create", shapes=(),
        call=lambda dt: nd.empty((2, 4), dtype=dt),
        ref=lambda dt: np.zeros((2, 4), CREATE_DTYPE(dt))),  # ferrograd zero-fills
    Row("arange_stop", nd.arange, kind="create", shapes=(),
        call=lambda dt: nd.arange(5, dtype=dt or "float32"),
        ref=lambda dt: np.arange(5, dtype=CREATE_DTYPE(dt))),
    Row("arange_step", nd.arange, kind="create", shapes=(),
        call=lambda dt: nd.arange(1, 3, 0.5, dtype=dt or "float32"),
        ref=lambda dt: np.arange(1, 3, 0.5, dtype=CREATE_DTYPE(dt))),
    Row("arange_negative_step", nd.arange, kind="create", shapes=(),
        call=lambda dt: nd.arange(3, -3, -1.5, dtype=dt or "float32"),
        ref=lambda dt: np.arange(3, -3, -1.5, dtype=CREATE_DTYPE(dt))),
    Row("arange_repeat", nd.arange, kind="create", shapes=(),
        call=lambda dt: nd.arange(0, 6, 2, repeat=3, dtype=dt or "float32"),
        ref=lambda dt: np.repeat(np.arange(0, 6, 2, dtype=CREATE_DTYPE(dt)), 3)),
)


def _check_none(r):
    assert r is None, r


def _seeded_twice():
    """The same seed gives the same samples; returns the two draws as NumPy arrays."""
    out = []
    for _ in range(2):
        nd.random.seed(1234)
        out.append(np.concatenate([nd.random.normal(shape=(50,)).asnumpy(),
                                   nd.random.uniform(shape=(50,)).asnumpy()]))
    return out


def _check_normal(a, dtype):
    v = a.asnumpy()
    assert v.shape == (100, 100) and v.dtype == dtype
    assert abs(v.mean() - 1.0) < 0.1, v.mean()  # 10^4 samples: std error of the mean 0.02
    assert abs(v.std() - 2.0) < 0.1, v.std()
    assert len(np.unique(v)) > 9000


def _check_uniform(a, dtype):
    v = a.asnumpy()
    assert v.shape == (100, 100) and v.dtype == dtype
    assert v.min() >= -1.0 and v.max() < 3.0
    assert abs(v.mean() - 1.0) < 0.06, v.mean()  # std error 4/sqrt(12)/100 = 0.012
    assert abs(v.std() - 4 / math.sqrt(12)) < 0.06, v.std()
    assert v.min() < -0.9 and v.max() > 2.9


add(
    Row("random_normal", nd.random.normal, kind="random", shapes=(), names=("random.normal",),
        call=lambda dt: nd.random.normal(1, 2, shape=(100, 100), dtype=dt), check=_check_normal),
    Row("random_uniform", nd.random.uniform, kind="random", shapes=(),
        names=("random.uniform",),
        call=lambda dt: nd.random.uniform(-1, 3, shape=(100, 100), dtype=dt),
        check=_check_uniform),
    Row("random_randn", nd.random.randn, kind="random", shapes=(), names=("random.randn",),
        call=lambda dt: nd.random.randn(100, 100, loc=1, scale=2, dtype=dt),
        check=_check_normal),
    Row("random_seed", nd.random.seed, kind="util", shapes=(), names=("random.seed",),
        call=lambda: _seeded_twice(), check=lambda r: np.testing.assert_array_equal(*r)),
    Row("waitall", nd.waitall, kind="util", shapes=(), call=lambda: nd.waitall(),
        check=lambda r: _check_none(r)),
)


# ========================================================================================
# the op library: layout, selection, sorting, NN ops, linear algebra, random, save/load
# ========================================================================================


def nan_holes(dom, frac=0.3):
    """Values from `dom` with about `frac` of them (and always the first) replaced by NaN."""

    def gen(rng, shape):
        x = dom(rng, shape)
        holes = rng.random(size=shape) < frac
        holes.flat[0] = True
        x[holes] = np.nan
        return x

    return gen


def clear_of(lo, hi, points, margin=0.05):
    """Uniform in [lo, hi) but at least `margin` away from each of `points` (kinks, bounds)."""

    def gen(rng, shape):
        x = rng.uniform(lo, hi, size=shape)
        for _ in range(1000):
            bad = np.zeros(np.shape(x), dtype=bool)
            for p in points:
                bad |= np.abs(x - p) < margin
            if not bad.any():
                return x
            x[bad] = rng.uniform(lo, hi, size=int(bad.sum()))
        raise AssertionError("clear_of: no room")

    return gen


def spd(rng, shape):
    """Symmetric positive-definite matrices (batched over leading axes), well conditioned."""
    n = shape[-1]
    m = rng.normal(size=shape)
    return m @ np.swapaxes(m, -1, -2) / n + np.eye(n)


def diag_heavy(rng, shape):
    """Square matrices with a dominant diagonal: both triangles are well-conditioned
    triangular systems (trsm reads only one of them)."""
    return rng.uniform(-1, 1, size=shape) + 3.0 * np.eye(shape[-1])


def as_f64(f):
    """A reference computed in float64 and returned in the input's dtype (each output of a
    list): a float32 reference should not be less accurate than the engine."""

    def ref(*xs, **kw):
        dt = xs[0].dtype
        out = f(*[np.asarray(x, np.float64) for x in xs], **kw)
        if isinstance(out, list):
            return [np.asarray(o).astype(dt) for o in out]
        return np.asarray(out).astype(dt)

    return ref


def _swap(x):
    return np.swapaxes(x, -1, -2)


np_gammaln = np.vectorize(math.lgamma, otypes=[np.float64])


def np_mod(a, b):
    """MXNet's mod: the sign of the divisor (Python's %), and 0 where the divisor is 0."""
    return np.where(b == 0, 0.0, np.mod(a, np.where(b == 0, 1.0, b)))


def np_logical(f):
    return lambda a, b: f(a != 0, b != 0).astype(np.result_type(a, b))


def _lane_axis(x, axis):
    """(data, axis) with axis=None meaning the flattened array."""
    return (x.reshape(-1), 0) if axis is None else (x, axis % x.ndim)


def np_topk(x, axis=-1, k=1, ret_typ="indices", is_ascend=False, dtype=None):
    """MXNet's topk: the k largest (or smallest) along `axis`, or of the flattened array
    when axis is None; 'mask' has the input's shape in both cases."""
    data, ax = _lane_axis(x, axis)
    order = np.argsort(data if is_ascend else -data, axis=ax, kind="stable")
    idx = np.take(order, np.arange(k), axis=ax)
    values = np.take_along_axis(data, idx, axis=ax)
    if ret_typ == "value":
        return values
    if ret_typ == "indices":
        return idx.astype(np.float64)
    if ret_typ == "both":
        return [values, idx.astype(np.float64)]
    mask = np.zeros(data.shape)
    np.put_along_axis(mask, idx, 1.0, axis=ax)
    return mask.reshape(x.shape)


def np_sort(x, axis=-1, is_ascend=True):
    data, ax = _lane_axis(x, axis)
    out = np.sort(data, axis=ax, kind="stable")
    return out if is_ascend else np.flip(out, axis=ax)


def np_argsort(x, axis=-1, is_ascend=True, dtype=None):
    data, ax = _lane_axis(x, axis)
    return np.argsort(data if is_ascend else -data, axis=ax, kind="stable").astype(np.float64)


def np_split(x, num_outputs, axis=1, squeeze_axis=False):
    parts = np.split(x, num_outputs, axis=axis)
    if squeeze_axis and x.shape[axis] == num_outputs:
        parts = [np.squeeze(p, axis=axis) for p in parts]
    return parts if len(parts) > 1 else parts[0]


def np_slice(x, begin, end, step=None):
    step = step or (None,) * len(begin)
    return x[tuple(slice(b, e, s) for b, e, s in zip(begin, end, step))]


def np_slice_axis(x, axis, begin, end):
    return x[(slice(None),) * (axis % x.ndim) + (slice(begin, end),)]


def np_slice_like(x, like, axes=None):
    axes = range(x.ndim) if not axes else [a % x.ndim for a in axes]
    key = [slice(None)] * x.ndim
    for a in axes:
        key[a] = slice(0, like.shape[a])
    return x[tuple(key)]


def np_broadcast_to(x, shape):
    lead = len(shape) - x.ndim
    return np.broadcast_to(x, [x.shape[i - lead] if d == 0 and i >= lead else d
                               for i, d in enumerate(shape)])


def np_broadcast_axis(x, axis, size):
    axis = axis if isinstance(axis, (tuple, list)) else (axis,)
    size = size if isinstance(size, (tuple, list)) else (size,)
    shape = list(x.shape)
    for a, n in zip(axis, size):
        shape[a] = n
    return np.broadcast_to(x, shape)


def np_swapaxes(x, dim1=0, dim2=0):
    return np.swapaxes(x, dim1, dim2)


def np_squeeze(x, axis=None):
    out = np.squeeze(x, axis=axis)
    return out.reshape(1) if out.ndim == 0 else out


def np_take(a, indices, axis=0, mode="clip"):
    n = a.shape[axis]
    idx = np.trunc(np.asarray(indices, np.float64))
    idx = np.clip(idx, 0, n - 1) if mode == "clip" else np.mod(idx, n)
    return np.take(a, idx.astype(np.int64), axis=axis)


def np_pick(x, index, axis=-1, keepdims=False, mode="clip"):
    ax = axis % x.ndim
    n = x.shape[ax]
    idx = np.asarray(index, np.float64)
    idx = np.clip(idx, 0, n - 1) if mode == "clip" else np.mod(idx, n)
    out = np.take_along_axis(x, np.expand_dims(idx.astype(np.int64), ax), axis=ax)
    return out if keepdims else np.squeeze(out, axis=ax)


def np_one_hot(indices, depth, on_value=1.0, off_value=0.0, dtype=None):
    out = np.full(indices.shape + (depth,), off_value, dtype=np.float64)
    for pos in np.ndindex(indices.shape):
        i = int(indices[pos])
        if 0 <= i < depth:
            out[pos + (i,)] = on_value
    return out


def np_gather_nd(data, indices):
    return data[tuple(np.asarray(indices).astype(np.int64))]


def np_scatter_nd(data, indices, shape):
    out = np.zeros(shape, dtype=data.dtype)
    np.add.at(out, tuple(np.asarray(indices).astype(np.int64)), data)
    return out


def np_pad(x, mode="constant", pad_width=(), constant_value=0.0):
    pairs = list(zip(pad_width[::2], pad_width[1::2]))
    if mode != "constant":
        return np.pad(x, pairs, mode=mode)
    return np.pad(x, pairs, mode="constant", constant_values=constant_value)


def np_softmax(x, axis=-1, temperature=None):
    z = x / (temperature or 1.0)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def np_log_softmax(x, axis=-1, temperature=None):
    z = x / (temperature or 1.0)
    z = z - z.max(axis=axis, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=axis, keepdims=True))


np_erf64 = np.vectorize(math.erf, otypes=[np.float64])

ACTIVATIONS = {
    "relu": lambda x: np.maximum(x, 0.0),
    "sigmoid": lambda x: 1.0 / (1.0 + np.exp(-x)),
    "tanh": np.tanh,
    "softrelu": lambda x: np.logaddexp(0.0, x),
    "softsign": lambda x: x / (1.0 + np.abs(x)),
}


def np_activation(x, act_type):
    return ACTIVATIONS[act_type](x)


SELU_ALPHA, SELU_LAMBDA = 1.6732632423543772, 1.0507009873554805


def np_leaky_relu(x, act_type="leaky", slope=0.25):
    if act_type == "leaky":
        return np.where(x > 0, x, slope * x)
    if act_type == "elu":
        return np.where(x > 0, x, slope * np.expm1(x))
    if act_type == "selu":
        return SELU_LAMBDA * np.where(x > 0, x, SELU_ALPHA * np.expm1(x))
    assert act_type == "gelu"
    return 0.5 * x * (1.0 + np_erf64(x / math.sqrt(2.0)))


def np_fully_connected(x, w, b=None, num_hidden=None, no_bias=False, flatten=True):
    if flatten:
        x = x.reshape(x.shape[0], -1)
    y = np.matmul(x, w.T)
    return y if (b is None or no_bias) else y + b


def np_softmax_cross_entropy(x, label):
    lp = np_log_softmax(x, axis=-1)
    return np.array([-lp[np.arange(x.shape[0]), np.asarray(label, np.int64)].sum()])


def np_smooth_l1(x, scalar=1.0):
    s2 = scalar * scalar
    return np.where(np.abs(x) < 1.0 / s2, 0.5 * s2 * x * x, np.abs(x) - 0.5 / s2)


def np_gemm2(a, b, transpose_a=False, transpose_b=False, alpha=1.0):
    a = _swap(a) if transpose_a else a
    b = _swap(b) if transpose_b else b
    return alpha * np.matmul(a, b)


def np_potrf(a):
    return np.linalg.cholesky((a + _swap(a)) / 2)


def np_trsm(a, b, transpose=False, rightside=False, lower=True, alpha=1.0):
    t = np.tril(a) if lower else np.triu(a)
    t = _swap(t) if transpose else t
    if rightside:  # X t = B  <=>  t^T X^T = B^T
        return alpha * _swap(np.linalg.solve(_swap(t), _swap(b)))
    return alpha * np.linalg.solve(t, b)


# ---- elementwise: gammaln and the new binary ops -------------------------------------------
add(
    Row("gammaln", nd.gammaln, as_f64(np_gammaln), domain=U(0.2, 5), second=True),
    Row("gammaln_negative", nd.gammaln, as_f64(np_gammaln), domain=U(-1.8, -1.2), second=True),
    Row("gammaln_transposed", nd.gammaln, as_f64(np_gammaln), shapes=((4, 3),),
        domain=U(0.5, 3), prep=T, second=True),
)

# (name, NumPy reference, domain, has a second derivative, aliases)
NEW_BINARY = [
    ("maximum", np.maximum, (U(-2, 2), U(-2, 2)), False, ("broadcast_maximum",)),
    ("minimum", np.minimum, (U(-2, 2), U(-2, 2)), False, ("broadcast_minimum",)),
    ("hypot", np.hypot, (away(0.3, 2), away(0.3, 2)), True, ("broadcast_hypot",)),
    ("arctan2", np.arctan2, (away(0.3, 2), away(0.3, 2)), True, ()),
    ("modulo", np_mod, (U(-5, 5), away(0.7, 2)), False, ("mod", "broadcast_mod")),
]
for name, f, dom, second, aliases in NEW_BINARY:
    op = getattr(nd, name)
    ref = as_f64(f)
    add(
        Row(name, op, ref, shapes=S2, domain=dom, second=second),
        Row(name + "_broadcast", op, ref, shapes=BC, domain=dom, second=second,
            names=aliases or (name,)),
        Row(name + "_broadcast_rank", op, ref, shapes=((2, 3, 4), (4,)), domain=dom,
            second=second),
        Row(name + "_transposed", op, ref, shapes=((4, 3), (4, 3)), domain=dom, prep=T,
            second=second),
        Row(name + "_stepped_broadcast", op, ref, shapes=((6, 4), (1, 4)), domain=dom,
            prep=(STEP2, None), second=second),
        Row(name + "_scalar_right", op, (lambda f: as_f64(lambda x: f(x, 1.5)))(f),
            domain=dom[0], second=second, call=(lambda op: lambda x: op(x, 1.5))(op)),
        Row(name + "_scalar_left", op, (lambda f: as_f64(lambda x: f(1.5, x)))(f),
            domain=dom[1], second=second, call=(lambda op: lambda x: op(1.5, x))(op)),
    )

for name, f in [("logical_and", np.logical_and), ("logical_or", np.logical_or),
                ("logical_xor", np.logical_xor)]:
    op = getattr(nd, name)
    add(
        Row(name, op, np_logical(f), shapes=S2, domain=(ints(-1, 1), ints(-1, 1)), grad="none"),
        Row(name + "_broadcast", op, np_logical(f), shapes=BC, domain=(ints(-1, 1), ints(0, 2)),
            grad="none", names=("broadcast_" + name,)),
        Row(name + "_scalar", op, (lambda f: lambda x: np_logical(f)(x, np.array(2.0, x.dtype)))(f),
            domain=ints(-1, 1), grad="none", call=(lambda op: lambda x: op(x, 2.0))(op)),
        Row(name + "_scalar_zero", op,
            (lambda f: lambda x: np_logical(f)(np.array(0.0, x.dtype), x))(f),
            domain=ints(-1, 1), grad="none", call=(lambda op: lambda x: op(0.0, x))(op)),
    )

# ---- NaN-ignoring reductions -------------------------------------------------------------
for name, f, dom, second in [("nansum", np.nansum, U(-2, 2), False),
                             ("nanprod", np.nanprod, away(0.5, 1.5), True)]:
    op = getattr(nd, name)
    for tag, shapes, kw in [("all", ((3, 4),), {}), ("axis1", ((3, 4),), {"axis": 1}),
                            ("axes02_keepdims", X3, {"axis": (0, 2), "keepdims": True}),
                            ("exclude1", X3, {"axis": 1, "exclude": True})]:
        add(Row("%s_%s" % (name, tag), op, mx_reduce(f), shapes=shapes, domain=nan_holes(dom),
                kwargs=kw, second=second))
    add(Row(name + "_no_nan", op, mx_reduce(f), domain=dom, kwargs={"axis": 0}, second=second),
        Row(name + "_transposed", op, mx_reduce(f), shapes=((4, 3),), domain=nan_holes(dom),
            kwargs={"axis": 1}, prep=T, second=second))

# ---- sorting -----------------------------------------------------------------------------
D = distinct(-2, 2)
add(
    Row("sort", nd.sort, as_f64(np_sort), domain=D),
    Row("sort_axis0_descending", nd.sort, as_f64(np_sort), domain=D,
        kwargs={"axis": 0, "is_ascend": False}),
    Row("sort_3d_axis1", nd.sort, as_f64(np_sort), shapes=X3, domain=D, kwargs={"axis": 1}),
    Row("sort_transposed", nd.sort, as_f64(np_sort), shapes=((4, 3),), domain=D, prep=T),
    Row("sort_axis_none", nd.sort, as_f64(np_sort), domain=D, kwargs={"axis": None}),
    Row("argsort", nd.argsort, np_argsort, domain=D, grad="none", out_dtype="float32"),
    Row("argsort_axis0_descending", nd.argsort, np_argsort, domain=D, grad="none",
        kwargs={"axis": 0, "is_ascend": False}, out_dtype="float32"),
    Row("argsort_3d_transposed", nd.argsort, np_argsort, shapes=((4, 3, 2),), domain=D,
        grad="none", prep=lambda x: x.transpose(2, 0, 1), out_dtype="float32"),
    Row("argsort_dtype_int32", nd.argsort, np_argsort, domain=D, grad="none",
        kwargs={"dtype": "int32"}, out_dtype="int32"),
    Row("argsort_dtype_float64", nd.argsort, np_argsort, domain=D, grad="none",
        kwargs={"dtype": "float64"}, out_dtype="float64"),
    Row("argsort_axis_none", nd.argsort, np_argsort, domain=D, grad="none",
        kwargs={"axis": None}, out_dtype="float32"),
)
for tag, shapes, kw, prep in [
    ("default", ((3, 4),), {}, None),  # axis=-1, k=1, ret_typ='indices'
    ("k2", ((3, 4),), {"k": 2}, None),
    ("axis0_k2_ascend", ((3, 4),), {"axis": 0, "k": 2, "is_ascend": True}, None),
    ("axis_none_k3", ((3, 4),), {"axis": None, "k": 3}, None),
    ("3d_axis1", X3, {"axis": 1, "k": 2}, None),
    ("transposed", ((4, 3),), {"k": 2}, T),
]:
    add(
        Row("topk_value_" + tag, nd.topk, as_f64(np_topk), shapes=shapes, domain=D, prep=prep,
            kwargs=dict(kw, ret_typ="value")),
        Row("topk_indices_" + tag, nd.topk, as_f64(np_topk), shapes=shapes, domain=D,
            prep=prep, grad="none", out_dtype="float32", kwargs=dict(kw, ret_typ="indices")),
        Row("topk_both_" + tag, nd.topk, as_f64(np_topk), shapes=shapes, domain=D, prep=prep,
            kwargs=dict(kw, ret_typ="both"), out_dtype=(None, "float32"), grad_outputs=(0,)),
        Row("topk_mask_" + tag, nd.topk, as_f64(np_topk), shapes=shapes, domain=D, prep=prep,
            grad="none", kwargs=dict(kw, ret_typ="mask"),
            xfail=None),
    )
add(
    Row("topk_indices_default_only", nd.topk, as_f64(np_topk), domain=D, grad="none",
        out_dtype="float32", call=lambda x: nd.topk(x)),
    Row("topk_indices_dtype_int64", nd.topk, as_f64(np_topk), domain=D, grad="none",
        kwargs={"k": 2, "dtype": "int64"}, out_dtype="int64"),
    Row("topk_value_k0_full_sort", nd.topk, domain=D,
        call=lambda x: nd.topk(x, k=0, ret_typ="value"),
        ref=as_f64(lambda x: np_sort(x, is_ascend=False))),
)

# ---- joining and cutting -------------------------------------------------------------------
np_concat = as_f64(lambda *xs, dim=1: np.concatenate(xs, axis=dim))
np_stack = as_f64(lambda *xs, axis=0: np.stack(xs, axis=axis))
add(
    Row("concat", nd.concat, np_concat, shapes=((2, 3), (2, 1), (2, 2)),  # dim=1
        names=("concat", "Concat")),
    Row("concat_dim0", nd.concat, np_concat, shapes=((1, 3), (2, 3)), kwargs={"dim": 0}),
    Row("concat_list_3d_neg", nd.concat, shapes=((2, 1, 3), (2, 2, 3)),
        call=lambda a, b: nd.concat([a, b], dim=-2),
        ref=as_f64(lambda a, b: np.concatenate([a, b], axis=-2))),
    Row("concat_transposed", nd.concat, np_concat, shapes=((3, 2), (3, 2)), prep=T,
        kwargs={"dim": 0}),
    Row("stack", nd.stack, np_stack, shapes=((2, 3), (2, 3), (2, 3))),
    Row("stack_axis_last", nd.stack, np_stack, shapes=((2, 3), (2, 3)), kwargs={"axis": -1}),
    Row("stack_list_stepped", nd.stack, shapes=((4, 3), (4, 3)), prep=STEP2,
        call=lambda a, b: nd.stack([a, b], axis=1),
        ref=as_f64(lambda a, b: np.stack([a, b], axis=1))),
    Row("split", nd.split, as_f64(np_split), shapes=((2, 6),), kwargs={"num_outputs": 3},
        names=("split", "SliceChannel")),
    Row("split_axis0_squeeze", nd.split, as_f64(np_split), shapes=((3, 4),),
        kwargs={"num_outputs": 3, "axis": 0, "squeeze_axis": True}),
    Row("split_one_output", nd.split, as_f64(np_split), shapes=((2, 3),),
        kwargs={"num_outputs": 1}),
    Row("split_3d_neg_transposed", nd.split, as_f64(np_split), shapes=((4, 3, 2),),
        prep=lambda x: x.transpose(1, 0, 2), kwargs={"num_outputs": 2, "axis": -1}),
    Row("slice", nd.slice, as_f64(np_slice), shapes=((4, 5),),
        kwargs={"begin": (1, 0), "end": (3, 4)}, names=("slice", "crop")),
    Row("slice_none_and_negative", nd.slice, as_f64(np_slice), shapes=X3,
        kwargs={"begin": (None, -2), "end": (None, None)}),
    Row("slice_step", nd.slice, as_f64(np_slice), shapes=((5, 4),),
        kwargs={"begin": (0, 3), "end": (5, 0), "step": (2, -1)}),
    Row("slice_reverse", nd.slice, as_f64(np_slice), shapes=((4, 3),),
        kwargs={"begin": (None,), "end": (None,), "step": (-1,)}),
    Row("slice_transposed", nd.slice, as_f64(np_slice), shapes=((5, 4),), prep=T,
        kwargs={"begin": (1, 1), "end": (3, 5)}),
    Row("slice_axis", nd.slice_axis, as_f64(np_slice_axis), shapes=((4, 5),),
        kwargs={"axis": 1, "begin": 1, "end": 4}),
    Row("slice_axis_end_none_neg", nd.slice_axis, as_f64(np_slice_axis), shapes=X3,
        kwargs={"axis": -1, "begin": -3, "end": None}),
    Row("slice_axis_stepped", nd.slice_axis, as_f64(np_slice_axis), shapes=((6, 4),),
        prep=STEP2, kwargs={"axis": 0, "begin": 1, "end": 3}),
    # shape_like is an input too: it gets a zero gradient
    Row("slice_like", nd.slice_like, as_f64(np_slice_like), shapes=((4, 5), (2, 3))),
    Row("slice_like_axes", nd.slice_like, as_f64(np_slice_like), shapes=(X3[0], (1, 2, 3)),
        kwargs={"axes": (0, 2)}),
    Row("slice_like_transposed", nd.slice_like, as_f64(np_slice_like),
        shapes=((5, 4), (2, 3)), prep=(T, None), kwargs={"axes": (-1,)}),
)

# ---- repeating, reversing, broadcasting, reshaping -------------------------------------------
add(
    Row("tile", nd.tile, as_f64(np.tile), shapes=((2, 3),), kwargs={"reps": (2, 2)}),
    Row("tile_more_reps", nd.tile, as_f64(np.tile), shapes=((3,),), kwargs={"reps": (2, 1, 2)}),
    Row("tile_fewer_reps_transposed", nd.tile, as_f64(np.tile), shapes=((3, 2),), prep=T,
        kwargs={"reps": (3,)}),
    Row("repeat", nd.repeat, as_f64(np.repeat), shapes=((2, 3),), kwargs={"repeats": 2}),
    Row("repeat_axis0", nd.repeat, as_f64(np.repeat), shapes=((2, 3),),
        kwargs={"repeats": 3, "axis": 0}),
    Row("repeat_axis_neg_transposed", nd.repeat, as_f64(np.repeat), shapes=((4, 3),),
        prep=T, kwargs={"repeats": 2, "axis": -1}),
    Row("flip", nd.flip, as_f64(np.flip), shapes=((3, 4),), kwargs={"axis": 1},
        names=("flip", "reverse")),
    Row("flip_axes_tuple", nd.flip, as_f64(np.flip), shapes=X3, kwargs={"axis": (0, 2)}),
    Row("flip_stepped", nd.flip, as_f64(np.flip), shapes=((6, 4),), prep=STEP2,
        kwargs={"axis": 0}),
    Row("broadcast_to", nd.broadcast_to, as_f64(np_broadcast_to), shapes=((3, 1),),
        kwargs={"shape": (3, 4)}),
    Row("broadcast_to_zero_code_rank", nd.broadcast_to, as_f64(np_broadcast_to),
        shapes=((1, 3),), kwargs={"shape": (2, 4, 0)}),
    Row("broadcast_to_transposed", nd.broadcast_to, as_f64(np_broadcast_to),
        shapes=((3, 1),), prep=T, kwargs={"shape": (2, 3)}),
    Row("broadcast_like", nd.broadcast_like, as_f64(lambda x, y: np.broadcast_to(x, y.shape)),
        shapes=((1, 4), (3, 4))),
    Row("broadcast_like_rank", nd.broadcast_like,
        as_f64(lambda x, y: np.broadcast_to(x, y.shape)), shapes=((3, 1), (2, 3, 2))),
    Row("broadcast_axis", nd.broadcast_axis, as_f64(np_broadcast_axis), shapes=((3, 1),),
        kwargs={"axis": 1, "size": 4}, names=("broadcast_axis", "broadcast_axes")),
    Row("broadcast_axis_two", nd.broadcast_axis, as_f64(np_broadcast_axis),
        shapes=((1, 3, 1),), kwargs={"axis": (0, 2), "size": (2, 3)}),
    Row("reshape_like", nd.reshape_like, as_f64(lambda x, y: x.reshape(y.shape)),
        shapes=((3, 4), (2, 6))),
    Row("reshape_like_transposed", nd.reshape_like, as_f64(lambda x, y: x.reshape(y.shape)),
        shapes=((4, 3), (2, 3, 2)), prep=(T, None)),
    Row("moveaxis", nd.moveaxis, as_f64(np.moveaxis), shapes=X3,
        kwargs={"source": 0, "destination": -1}),
    Row("moveaxis_several_stepped", nd.moveaxis, as_f64(np.moveaxis), shapes=((4, 2, 3, 2),),
        prep=STEP2, kwargs={"source": (0, 3), "destination": (2, 0)}),
    Row("swapaxes", nd.swapaxes, as_f64(np_swapaxes), shapes=X3, kwargs={"dim1": 0, "dim2": 2},
        names=("swapaxes", "SwapAxis")),
    Row("swapaxes_default_identity", nd.swapaxes, as_f64(lambda x: x), shapes=((3, 4),)),
    Row("swapaxes_neg_stepped", nd.swapaxes, as_f64(np_swapaxes), shapes=((6, 4),), prep=STEP2,
        kwargs={"dim1": -1, "dim2": 0}),
    Row("expand_dims", nd.expand_dims, as_f64(np.expand_dims), shapes=((3, 4),),
        kwargs={"axis": 1}),
    Row("expand_dims_neg_transposed", nd.expand_dims, as_f64(np.expand_dims),
        shapes=((4, 3),), prep=T, kwargs={"axis": -1}),
    Row("squeeze", nd.squeeze, as_f64(np_squeeze), shapes=((1, 3, 1, 4),)),
    Row("squeeze_axis", nd.squeeze, as_f64(np_squeeze), shapes=((1, 3, 1),),
        kwargs={"axis": 2}),
    Row("squeeze_all_ones", nd.squeeze, as_f64(np_squeeze), shapes=((1, 1),)),
    Row("flatten", nd.flatten, as_f64(lambda x: x.reshape(x.shape[0], -1)), shapes=X3,
        names=("flatten", "Flatten")),
    Row("flatten_1d", nd.flatten, as_f64(lambda x: x.reshape(x.shape[0], -1)), shapes=((4,),)),
    Row("flatten_transposed", nd.flatten, as_f64(lambda x: x.reshape(x.shape[0], -1)),
        shapes=((4, 3, 2),), prep=lambda x: x.transpose(2, 1, 0)),
)

# ---- clipping and selection -----------------------------------------------------------------
CLIP_DOM = clear_of(-2, 2, (-1.0, 1.0))
COND = np.array([[1.0, 0.0, 0.0, 2.0], [0.0, -1.0, 1.0, 0.0], [1.0, 1.0, 0.0, 0.0]])
COND_COL = np.array([[1.0], [0.0], [1.0]])
COND_1D = np.array([1.0, 0.0, 1.0])


def _cond(c, dtype=None):
    return lambda x, y: nd.where(nd.array(c, dtype=dtype or x.dtype), x, y)


add(
    Row("clip", nd.clip, as_f64(np.clip), domain=CLIP_DOM, kwargs={"a_min": -1.0, "a_max": 1.0}),
    Row("clip_stepped", nd.clip, as_f64(np.clip), shapes=((6, 4),), domain=CLIP_DOM,
        prep=STEP2, kwargs={"a_min": -1.0, "a_max": 1.0}),
    Row("where", nd.where, shapes=S2, call=_cond(COND),
        ref=as_f64(lambda x, y: np.where(COND != 0, x, y))),
    Row("where_broadcast", nd.where, shapes=((1, 4), (3, 1)), call=_cond(COND_COL),
        ref=as_f64(lambda x, y: np.where(COND_COL != 0, x, y))),
    Row("where_float32_condition_transposed", nd.where, shapes=((4, 3), (4, 3)), prep=T,
        call=_cond(COND, "float32"), ref=as_f64(lambda x, y: np.where(COND != 0, x, y))),
    # MXNet: a 1-D condition as long as x's first axis picks whole rows
    Row("where_1d_condition_selects_rows", nd.where, shapes=S2, call=_cond(COND_1D),
        ref=as_f64(lambda x, y: np.where(COND_1D[:, None] != 0, x, y))),
    Row("where_1d_condition_selects_rows_square", nd.where, shapes=((3, 3), (3, 3)),
        call=_cond(COND_1D), ref=as_f64(lambda x, y: np.where(COND_1D[:, None] != 0, x, y))),
)


def _indexed(op, idx, dtype=None, **fixed):
    """op(x, nd.array(idx)) with constant indices (in x's dtype unless `dtype` says)."""
    return lambda x, **kw: op(x, nd.array(idx, dtype=dtype or x.dtype), **fixed, **kw)


def _np_indexed(f, idx, **fixed):
    return as_f64(lambda x, **kw: f(x, np.asarray(idx, np.float64), **fixed, **kw))


TAKE_IDX = np.array([[0.0, 3.0], [-2.0, 1.0], [2.0, 2.0]])  # out of range and repeated
PICK_IDX = np.array([0.0, 5.0, -1.0])
add(
    Row("take", nd.take, shapes=((4, 3),), call=_indexed(nd.take, TAKE_IDX),
        ref=_np_indexed(np_take, TAKE_IDX)),
    Row("take_wrap_axis1", nd.take, shapes=((3, 4),), kwargs={"axis": 1, "mode": "wrap"},
        call=_indexed(nd.take, TAKE_IDX), ref=_np_indexed(np_take, TAKE_IDX)),
    Row("take_3d_axis_neg_int32_indices", nd.take, shapes=X3, kwargs={"axis": -1},
        call=_indexed(nd.take, [3, 0, 3], dtype="int32"), ref=_np_indexed(np_take, [3, 0, 3])),
    Row("take_axis1_transposed", nd.take, shapes=((4, 3),), prep=T, kwargs={"axis": 1},
        call=_indexed(nd.take, [[1.0], [3.0]]), ref=_np_indexed(np_take, [[1.0], [3.0]])),
    Row("pick", nd.pick, shapes=((3, 4),), call=_indexed(nd.pick, PICK_IDX),
        ref=_np_indexed(np_pick, PICK_IDX), names=("pick", "choose_element_0index")),
    Row("pick_wrap", nd.pick, shapes=((3, 4),), kwargs={"mode": "wrap"},
        call=_indexed(nd.pick, PICK_IDX), ref=_np_indexed(np_pick, PICK_IDX)),
    Row("pick_axis0_keepdims", nd.pick, shapes=((3, 4),),
        kwargs={"axis": 0, "keepdims": True}, call=_indexed(nd.pick, [0.0, 2.0, 1.0, 2.0]),
        ref=_np_indexed(np_pick, [0.0, 2.0, 1.0, 2.0])),
    Row("pick_3d_axis1_transposed", nd.pick, shapes=((4, 3, 2),),
        prep=lambda x: x.transpose(2, 1, 0), kwargs={"axis": 1},
        call=_indexed(nd.pick, [[0.0, 1.0, 2.0, 3.0], [3.0, 2.0, 1.0, 0.0]]),
        ref=_np_indexed(np_pick, [[0.0, 1.0, 2.0, 3.0], [3.0, 2.0, 1.0, 0.0]])),
    # the indices are the (only) input: no gradient; float32 unless dtype= says
    Row("one_hot", nd.one_hot, np_one_hot, shapes=((5,),), domain=ints(-1, 4),
        kwargs={"depth": 4}, grad="none", out_dtype="float32"),
    Row("one_hot_2d_values_dtype", nd.one_hot, np_one_hot, shapes=((2, 3),), domain=ints(0, 2),
        kwargs={"depth": 3, "on_value": 2.5, "off_value": -1.0, "dtype": "float64"},
        grad="none", out_dtype="float64"),
)
GATHER_IDX = np.array([[0.0, 2.0, 0.0], [1.0, 3.0, 1.0]])  # (M=2, 3): repeats (0, 1)
SCATTER_IDX = np.array([[0.0, 2.0, 1.0], [1.0, 3.0, 0.0]])
add(
    Row("gather_nd", nd.gather_nd, shapes=((3, 4),), call=_indexed(nd.gather_nd, GATHER_IDX),
        ref=_np_indexed(np_gather_nd, GATHER_IDX)),
    Row("gather_nd_partial_rows", nd.gather_nd, shapes=X3,
        call=_indexed(nd.gather_nd, [[1.0, 0.0, 1.0]]),
        ref=_np_indexed(np_gather_nd, [[1.0, 0.0, 1.0]])),
    Row("gather_nd_transposed", nd.gather_nd, shapes=((4, 3),), prep=T,
        call=_indexed(nd.gather_nd, GATHER_IDX), ref=_np_indexed(np_gather_nd, GATHER_IDX)),
    Row("scatter_nd", nd.scatter_nd, shapes=((3,),), kwargs={"shape": (3, 4)},
        call=_indexed(nd.scatter_nd, SCATTER_IDX), ref=_np_indexed(np_scatter_nd, SCATTER_IDX)),
    Row("scatter_nd_rows", nd.scatter_nd, shapes=((2, 4),), kwargs={"shape": (3, 4)},
        call=_indexed(nd.scatter_nd, [[2.0, 0.0]]), ref=_np_indexed(np_scatter_nd, [[2.0, 0.0]])),
    Row("diag", nd.diag, as_f64(np.diag), shapes=((3, 4),)),
    Row("diag_k1", nd.diag, as_f64(np.diag), shapes=((3, 4),), kwargs={"k": 1}),
    Row("diag_k_neg1_transposed", nd.diag, as_f64(np.diag), shapes=((4, 3),), prep=T,
        kwargs={"k": -1}),
    Row("diag_of_vector", nd.diag, as_f64(np.diag), shapes=((3,),)),
    # MXNet: an N-D input gives the diagonals over axis1=0, axis2=1, as a new last axis
    Row("diag_3d", nd.diag, as_f64(lambda x: np.diagonal(x, 0, 0, 1)), shapes=X3),
    Row("diag_of_vector_k_neg2", nd.diag, as_f64(np.diag), shapes=((3,),), kwargs={"k": -2}),
    Row("pad", nd.pad, as_f64(np_pad), shapes=((1, 2, 2, 3),),
        kwargs={"mode": "constant", "pad_width": (0, 0, 0, 0, 1, 2, 2, 1)}, names=("pad", "Pad")),
    Row("pad_value_5d", nd.pad, as_f64(np_pad), shapes=((1, 1, 2, 2, 2),),
        kwargs={"mode": "constant", "pad_width": (0, 0, 0, 0, 1, 0, 0, 1, 1, 1),
                "constant_value": 1.5}),
    Row("pad_stepped", nd.pad, as_f64(np_pad), shapes=((2, 1, 3, 2),), prep=STEP2,
        kwargs={"mode": "constant", "pad_width": (0, 0, 0, 0, 2, 0, 0, 2)}),
    # MXNet's other two modes (NumPy's results, checked against MXNet 1.9.1 by hand: the
    # same values and input gradients on this layout); widths up to the axis length - 1
    Row("pad_edge", nd.pad, as_f64(np_pad), shapes=((1, 2, 3, 4),),
        kwargs={"mode": "edge", "pad_width": (0, 0, 0, 0, 1, 2, 3, 1)}),
    Row("pad_reflect", nd.pad, as_f64(np_pad), shapes=((1, 2, 3, 4),),
        kwargs={"mode": "reflect", "pad_width": (0, 0, 0, 0, 2, 2, 3, 1)}),
    Row("pad_reflect_5d_transposed", nd.pad, as_f64(np_pad), shapes=((2, 3, 3, 1, 4),),
        prep=T, kwargs={"mode": "reflect", "pad_width": (0, 0, 0, 0, 2, 0, 1, 1, 0, 0)}),
    Row("pad_edge_3d", nd.pad, as_f64(np_pad), shapes=((2, 3, 2),),
        kwargs={"mode": "edge", "pad_width": (1, 0, 0, 2, 1, 1)}),
)

# ---- NN ops -------------------------------------------------------------------------------
add(
    Row("softmax", nd.softmax, as_f64(np_softmax), second=True, domain=U(-3, 3)),
    Row("softmax_axis0_temperature", nd.softmax, as_f64(np_softmax), second=True,
        kwargs={"axis": 0, "temperature": 2.5}),
    Row("softmax_3d_transposed", nd.softmax, as_f64(np_softmax), shapes=((4, 3, 2),),
        prep=lambda x: x.transpose(1, 2, 0), kwargs={"axis": 1}, second=True),
    Row("softmax_large_values", nd.softmax, as_f64(np_softmax), domain=U(500, 510),
        second=True),
    Row("log_softmax", nd.log_softmax, as_f64(np_log_softmax), second=True, domain=U(-3, 3)),
    Row("log_softmax_axis0_temperature", nd.log_softmax, as_f64(np_log_softmax), second=True,
        kwargs={"axis": 0, "temperature": 0.5}),
    Row("log_softmax_stepped", nd.log_softmax, as_f64(np_log_softmax), shapes=((6, 4),),
        prep=STEP2, second=True),
    Row("log_softmax_large_values", nd.log_softmax, as_f64(np_log_softmax),
        domain=U(-510, -500), second=True),
)
for act in ["relu", "sigmoid", "tanh", "softrelu", "softsign"]:
    dom = away(0.2, 3) if act in ("relu", "softsign") else U(-3, 3)
    add(Row("Activation_" + act, nd.Activation, as_f64(np_activation), domain=dom,
            kwargs={"act_type": act}, second=act != "relu"),
        Row("Activation_%s_transposed" % act, nd.Activation, as_f64(np_activation),
            shapes=((4, 3),), prep=T, domain=dom, kwargs={"act_type": act},
            second=act != "relu"))
def log_scale(rng, shape):
    """|x| log-uniform in [0.1, 100) with a random sign: exp(x) overflows float32 above 88."""
    return 10.0 ** rng.uniform(-1, 2, size=shape) * rng.choice([-1.0, 1.0], size=shape)


add(Row("Activation_softrelu_log_scale", nd.Activation, as_f64(np_activation),
        shapes=((4, 5),), domain=log_scale, kwargs={"act_type": "softrelu"}, second=True))
for act, kw in [("leaky", {}), ("leaky", {"slope": 0.1}), ("elu", {"slope": 0.7}),
                ("selu", {}), ("gelu", {})]:
    tag = act + ("_slope" if kw else "")
    add(Row("LeakyReLU_" + tag, nd.LeakyReLU, as_f64(np_leaky_relu), domain=away(0.1, 2.5),
            kwargs=dict(kw, act_type=act), second=act != "leaky"),
        Row("LeakyReLU_%s_stepped" % tag, nd.LeakyReLU, as_f64(np_leaky_relu),
            shapes=((6, 4),), prep=STEP2, domain=away(0.1, 2.5),
            kwargs=dict(kw, act_type=act), second=act != "leaky"))
add(Row("LeakyReLU_default", nd.LeakyReLU, as_f64(np_leaky_relu), domain=away(0.1, 2.5)))
add(
    Row("FullyConnected", nd.FullyConnected, as_f64(np_fully_connected),
        shapes=((2, 3), (4, 3), (4,)), kwargs={"num_hidden": 4}, second=True),
    Row("FullyConnected_flatten_3d", nd.FullyConnected, as_f64(np_fully_connected),
        shapes=((2, 2, 3), (4, 6), (4,)), kwargs={"num_hidden": 4}, second=True),
    Row("FullyConnected_no_flatten", nd.FullyConnected, as_f64(np_fully_connected),
        shapes=((2, 2, 3), (4, 3), (4,)), kwargs={"num_hidden": 4, "flatten": False},
        second=True),
    Row("FullyConnected_no_bias", nd.FullyConnected, as_f64(np_fully_connected),
        shapes=((3, 2), (2, 2)), kwargs={"num_hidden": 2, "no_bias": True}, second=True),
    Row("FullyConnected_transposed_weight", nd.FullyConnected, as_f64(np_fully_connected),
        shapes=((2, 3), (3, 4), (4,)), prep=(None, T, None), kwargs={"num_hidden": 4},
        second=True),
)


def _dropout_predict(x, **kw):
    with autograd.predict_mode():  # inside record(): prediction mode, so the identity
        return nd.Dropout(x, **kw)


add(
    Row("Dropout_predict_mode", nd.Dropout, as_f64(lambda x, **kw: x), kwargs={"p": 0.5},
        call=_dropout_predict),
    Row("Dropout_predict_mode_transposed", nd.Dropout, as_f64(lambda x, **kw: x),
        shapes=((4, 3),), prep=T, kwargs={"p": 0.3}, call=_dropout_predict),
)
SCE_LABEL = np.array([2.0, 0.0, 3.0])
add(
    Row("softmax_cross_entropy", nd.softmax_cross_entropy, second=True,
        call=_indexed(nd.softmax_cross_entropy, SCE_LABEL),
        ref=_np_indexed(np_softmax_cross_entropy, SCE_LABEL)),
    Row("softmax_cross_entropy_int32_label_transposed", nd.softmax_cross_entropy,
        shapes=((4, 3),), prep=T, second=True,
        call=_indexed(nd.softmax_cross_entropy, SCE_LABEL, dtype="int32"),
        ref=_np_indexed(np_softmax_cross_entropy, SCE_LABEL)),
    Row("smooth_l1", nd.smooth_l1, as_f64(np_smooth_l1), domain=clear_of(-3, 3, (-1, 0, 1)),
        second=True),
    Row("smooth_l1_scalar", nd.smooth_l1, as_f64(np_smooth_l1),
        domain=clear_of(-1, 1, (-0.25, 0, 0.25), 0.02), kwargs={"scalar": 2.0}, second=True),
    Row("smooth_l1_stepped", nd.smooth_l1, as_f64(np_smooth_l1), shapes=((6, 4),), prep=STEP2,
        domain=clear_of(-3, 3, (-1, 0, 1)), second=True),
)

# ---- nd.linalg ---------------------------------------------------------------------------
for tag, shapes, kw in [
    ("", ((2, 3), (3, 4)), {}),
    ("_ta_tb_alpha", ((3, 2), (4, 3)), {"transpose_a": True, "transpose_b": True,
                                         "alpha": -1.5}),
    ("_batch", ((2, 2, 3), (2, 3, 2)), {"transpose_b": False}),
    ("_batch4d_ta", ((2, 2, 3, 2), (2, 2, 3, 2)), {"transpose_a": True}),
]:
    add(Row("linalg_gemm2" + tag, nd.linalg.gemm2, as_f64(np_gemm2), shapes=shapes, kwargs=kw,
            second=True, names=("linalg.gemm2",)))
add(Row("linalg_gemm2_transposed_inputs", nd.linalg.gemm2, as_f64(np_gemm2),
        shapes=((3, 2), (4, 3)), prep=T, second=True))
add(
    Row("linalg_potrf", nd.linalg.potrf, as_f64(np_potrf), shapes=((3, 3),), domain=spd,
        second=True, names=("linalg.potrf",)),
    Row("linalg_potrf_batch_stepped", nd.linalg.potrf, as_f64(np_potrf), shapes=((4, 3, 3),),
        domain=spd, prep=STEP2, second=True),
)
for tag, shapes, kw in [
    ("", ((3, 3), (3, 2)), {}),
    ("_transpose", ((3, 3), (3, 2)), {"transpose": True}),
    ("_upper_alpha", ((3, 3), (3, 2)), {"lower": False, "alpha": 2.0}),
    ("_rightside", ((3, 3), (2, 3)), {"rightside": True}),
    ("_rightside_transpose_upper", ((3, 3), (2, 3)),
     {"rightside": True, "transpose": True, "lower": False}),
    ("_batch", ((2, 3, 3), (2, 3, 2)), {}),
]:
    add(Row("linalg_trsm" + tag, nd.linalg.trsm, as_f64(np_trsm), shapes=shapes,
            domain=(diag_heavy, U(-2, 2)), kwargs=kw, second=True, names=("linalg.trsm",)))
add(Row("linalg_trsm_transposed_inputs", nd.linalg.trsm, as_f64(np_trsm),
        shapes=((3, 3), (2, 3)), domain=(diag_heavy, U(-2, 2)), prep=T, second=True))


def _cholesky_solve(a, b):
    """x with A x = b, from A = L L^T: L y = b, then L^T x = y."""
    low = nd.linalg.potrf(a)
    return nd.linalg.trsm(low, nd.linalg.trsm(low, b), transpose=True)


add(
    Row("cholesky_solve", nd.linalg.potrf, as_f64(np.linalg.solve), shapes=((3, 3), (3, 2)),
        domain=(spd, U(-2, 2)), call=_cholesky_solve, second=True,
        names=("linalg.potrf", "linalg.trsm")),
    Row("cholesky_solve_batch", nd.linalg.potrf, as_f64(np.linalg.solve),
        shapes=((2, 4, 4), (2, 4, 1)), domain=(spd, U(-2, 2)), call=_cholesky_solve,
        second=True),
)

# ---- creation ----------------------------------------------------------------------------
add(
    Row("eye", nd.eye, kind="create", shapes=(), call=lambda dt: nd.eye(3, dtype=dt),
        ref=lambda dt: np.eye(3, dtype=CREATE_DTYPE(dt))),
    Row("eye_rect_k", nd.eye, kind="create", shapes=(),
        call=lambda dt: nd.eye(3, 5, k=2, dtype=dt),
        ref=lambda dt: np.eye(3, 5, k=2, dtype=CREATE_DTYPE(dt))),
    Row("eye_m0_k_neg", nd.eye, kind="create", shapes=(),
        call=lambda dt: nd.eye(4, 0, k=-1, dtype=dt),  # M=0 means M=N (MXNet)
        ref=lambda dt: np.eye(4, 4, k=-1, dtype=CREATE_DTYPE(dt))),
    Row("linspace", nd.linspace, kind="create", shapes=(),
        call=lambda dt: nd.linspace(0, 2, 5, dtype=dt),
        ref=lambda dt: np.linspace(0, 2, 5, dtype=CREATE_DTYPE(dt))),
    Row("linspace_no_endpoint", nd.linspace, kind="create", shapes=(),
        call=lambda dt: nd.linspace(-1, 1, 8, endpoint=False, dtype=dt),
        ref=lambda dt: np.linspace(-1, 1, 8, endpoint=False, dtype=CREATE_DTYPE(dt))),
    Row("linspace_one", nd.linspace, kind="create", shapes=(),
        call=lambda dt: nd.linspace(3, 7, 1, dtype=dt),
        ref=lambda dt: np.linspace(3, 7, 1, dtype=CREATE_DTYPE(dt))),
)


# ---- random samplers ------------------------------------------------------------------------
def _check_randint(a, dtype):
    v = a.asnumpy()
    assert v.shape == (100, 100) and v.dtype == dtype
    assert set(np.unique(v).tolist()) == set(range(-3, 5))  # [low, high): 5 never drawn
    assert abs(v.mean() - 0.5) < 0.1, v.mean()  # std error sqrt(5.25)/100 = 0.023
    counts = np.bincount((v + 3).astype(np.int64).ravel(), minlength=8)
    assert counts.min() > 1000 and counts.max() < 1500, counts  # 1250 each


def _check_exponential(a, dtype):
    v = a.asnumpy()
    assert v.shape == (100, 100) and v.dtype == dtype
    assert v.min() >= 0.0
    assert abs(v.mean() - 2.0) < 0.1, v.mean()  # mean = scale = 2, std error 0.02
    assert abs(v.std() - 2.0) < 0.15, v.std()
    assert abs(np.median(v) - 2.0 * math.log(2.0)) < 0.1


def _check_gamma(a, dtype):
    v = a.asnumpy()
    assert v.shape == (100, 100) and v.dtype == dtype
    assert v.min() > 0.0
    assert abs(v.mean() - 6.0) < 0.2, v.mean()  # alpha*beta = 6, std error 0.042
    assert abs(v.var() - 18.0) < 1.5, v.var()  # alpha*beta^2 = 18


def _check_gamma_small_alpha(a, dtype):
    v = a.asnumpy()
    assert v.shape == (100, 100) and v.dtype == dtype
    assert v.min() >= 0.0
    assert abs(v.mean() - 0.5) < 0.03, v.mean()  # alpha 0.5, beta 1: std error 0.007
    assert abs(v.var() - 0.5) < 0.06, v.var()


def _check_poisson(a, dtype):
    v = a.asnumpy()
    assert v.shape == (100, 100) and v.dtype == dtype
    assert np.all(v == np.round(v)) and v.min() >= 0
    assert abs(v.mean() - 3.0) < 0.1, v.mean()  # std error sqrt(3)/100 = 0.017
    assert abs(v.var() - 3.0) < 0.3, v.var()
    assert abs(np.mean(v == 0) - math.exp(-3.0)) < 0.015


MULTI_P = np.array([[0.2, 0.3, 0.5, 0.0], [0.0, 0.0, 1.0, 0.0], [0.25, 0.25, 0.25, 0.25]])


def _check_multinomial(a, dtype):
    v = a.asnumpy()
    assert v.shape == (3, 5000) and v.dtype == dtype, (v.shape, v.dtype)
    assert set(np.unique(v).tolist()) <= {0, 1, 2, 3}
    for row, p in zip(v, MULTI_P):
        freq = np.bincount(row.astype(np.int64), minlength=4) / row.size
        np.testing.assert_allclose(freq, p, atol=0.03)  # std error <= 0.007


def _check_multinomial_1d(a, dtype):
    v = a.asnumpy()
    assert v.shape == (4000,) and v.dtype == dtype
    freq = np.bincount(v.astype(np.int64), minlength=4) / v.size
    np.testing.assert_allclose(freq, MULTI_P[0], atol=0.03)


def _check_multinomial_tuple_shape(a, dtype):
    assert a.shape == (3, 40, 50) and a.dtype == dtype, (a.shape, a.dtype)


SHUFFLE_SRC = np.arange(200.0).reshape(100, 2)


def _check_shuffle(a, dtype):
    v = a.asnumpy()
    assert v.shape == (100, 2) and v.dtype == dtype
    assert np.all(v[:, 1] == v[:, 0] + 1)  # rows move whole
    np.testing.assert_array_equal(np.sort(v[:, 0]), SHUFFLE_SRC[:, 0])  # a permutation
    assert np.mean(v[:, 0] == SHUFFLE_SRC[:, 0]) < 0.1  # and not the identity


def _check_shuffle_1d(a, dtype):
    v = a.asnumpy()
    assert v.shape == (500,) and v.dtype == dtype
    np.testing.assert_array_equal(np.sort(v), np.arange(500))
    assert abs(np.corrcoef(v, np.arange(500))[0, 1]) < 0.2


def _dt(dt, default):
    return dt if dt is not None else default


add(
    Row("random_randint", nd.random.randint, kind="random", shapes=(), names=("random.randint",),
        call=lambda dt: nd.random.randint(-3, 5, shape=(100, 100), dtype=dt),
        check=_check_randint, out_dtype="int32", dtypes=(None, "int64", "int32")),
    Row("random_exponential", nd.random.exponential, kind="random", shapes=(),
        names=("random.exponential",),
        call=lambda dt: nd.random.exponential(2.0, shape=(100, 100), dtype=dt),
        check=_check_exponential),
    Row("random_gamma", nd.random.gamma, kind="random", shapes=(), names=("random.gamma",),
        call=lambda dt: nd.random.gamma(2.0, 3.0, shape=(100, 100), dtype=dt),
        check=_check_gamma),
    Row("random_gamma_small_alpha", nd.random.gamma, kind="random", shapes=(),
        call=lambda dt: nd.random.gamma(0.5, 1.0, shape=(100, 100), dtype=dt),
        check=_check_gamma_small_alpha),
    Row("random_poisson", nd.random.poisson, kind="random", shapes=(),
        names=("random.poisson",),
        call=lambda dt: nd.random.poisson(3.0, shape=(100, 100), dtype=dt),
        check=_check_poisson),
    Row("random_multinomial", nd.random.multinomial, kind="random", shapes=(),
        names=("random.multinomial",), out_dtype="int32", dtypes=(None, "float32"),
        call=lambda dt: nd.random.multinomial(nd.array(MULTI_P), shape=5000,
                                              dtype=_dt(dt, "int32")),
        check=_check_multinomial),
    Row("random_multinomial_1d", nd.random.multinomial, kind="random", shapes=(),
        out_dtype="int32", dtypes=(None,),
        call=lambda dt: nd.random.multinomial(nd.array(MULTI_P[0]), shape=4000),
        check=_check_multinomial_1d),
    Row("random_multinomial_tuple_shape", nd.random.multinomial, kind="random", shapes=(),
        out_dtype="int32", dtypes=(None,),
        call=lambda dt: nd.random.multinomial(nd.array(MULTI_P), shape=(40, 50)),
        check=_check_multinomial_tuple_shape),
    Row("random_shuffle", nd.random.shuffle, kind="random", shapes=(),
        names=("random.shuffle",),
        call=lambda dt: nd.random.shuffle(nd.array(SHUFFLE_SRC, dtype=dt)),
        check=_check_shuffle),
    Row("random_shuffle_1d", nd.random.shuffle, kind="random", shapes=(),
        out_dtype="float32", dtypes=(None,),
        call=lambda dt: nd.random.shuffle(nd.arange(500)), check=_check_shuffle_1d),
)


# ---- nd.save / nd.load (the file format is tested in tests/test_io.py) ---------------------
def _save_load_round_trip():
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "arrays.params")
        data = {"w": nd.array([[1.5, -2.0], [0.25, 3.0]]), "b": nd.array([1, 2], dtype="int64")}
        nd.save(path, data)
        return data, nd.load(path)


def _check_round_trip(r):
    saved, loaded = r
    assert isinstance(loaded, dict) and sorted(loaded) == sorted(saved)
    for k, a in saved.items():
        assert loaded[k].dtype == a.dtype and loaded[k].shape == a.shape
        np.testing.assert_array_equal(loaded[k].asnumpy(), a.asnumpy())


def _dlpack_round_trips():
    v = np.arange(6.0).reshape(2, 3)
    x = nd.array(v, dtype="float64")
    exported = np.from_dlpack(x)
    read = nd.from_dlpack(nd.to_dlpack_for_read(x))
    shared = nd.from_dlpack(v)
    v[0, 0] = -1.0  # seen through the shared import
    written = nd.from_dlpack(nd.to_dlpack_for_write(x))
    written[1, 2] = 50.0  # seen by x, not by the earlier (read-only) exports
    return exported, read.asnumpy(), shared.asnumpy(), x.asnumpy()


def _check_dlpack(r):
    exported, read, shared, x = r
    want = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(exported, want)  # exported before the write
    np.testing.assert_array_equal(read, want)
    want_shared = want.copy()
    want_shared[0, 0] = -1.0
    np.testing.assert_array_equal(shared, want_shared)
    want[1, 2] = 50.0
    np.testing.assert_array_equal(x, want)


add(
    Row("from_dlpack", nd.from_dlpack, kind="util", shapes=(), call=_dlpack_round_trips,
        check=_check_dlpack),
    Row("to_dlpack_for_read", nd.to_dlpack_for_read, kind="util", shapes=(),
        call=_dlpack_round_trips, check=_check_dlpack),
    Row("to_dlpack_for_write", nd.to_dlpack_for_write, kind="util", shapes=(),
        call=_dlpack_round_trips, check=_check_dlpack),
)

add(
    Row("save", nd.save, kind="util", shapes=(), call=_save_load_round_trip,
        check=_check_round_trip),
    Row("load", nd.load, kind="util", shapes=(), call=_save_load_round_trip,
        check=_check_round_trip),
)


# ========================================================================================
# MXNet parity: the remaining nd names (issue 11). References are NumPy's; where MXNet's
# semantics are not NumPy's the reference follows MXNet 1.9.1 (checked against it, values in
# tests/test_parity_api.py).
# ========================================================================================

np_gamma = np.vectorize(math.gamma, otypes=[np.float64])


def np_softmin(x, axis=-1, temperature=None, dtype=None):
    return np_softmax(-x, axis=axis, temperature=temperature)


def np_split_v2(x, indices_or_sections, axis=0, squeeze_axis=False):
    parts = np.split(x, indices_or_sections, axis=axis)
    if squeeze_axis:
        parts = [np.squeeze(p, axis=axis) for p in parts]
    return parts if len(parts) > 1 else parts[0]


FILL_IDX = np.array([2.0, 5.0, 0.7, -1.0])  # in range, past the end, truncated, negative


def np_fill_element_0index(lhs, mhs, idx=FILL_IDX):
    out = lhs.copy()
    for i, j in enumerate(np.trunc(idx)):
        if 0 <= j < lhs.shape[1]:
            out[i, int(j)] = mhs[i]
    return out


def specials(rng, shape):
    """Finite values mixed with NaN, +inf and -inf (each present at least once)."""
    x = rng.uniform(-3, 3, size=shape)
    kinds = rng.integers(0, 4, size=shape)
    x[kinds == 1] = np.nan
    x[kinds == 2] = np.inf
    x[kinds == 3] = -np.inf
    x.flat[:3] = [np.nan, np.inf, -np.inf]
    return x


add(
    # the Gamma function: d/dx = Gamma(x) digamma(x)
    Row("gamma", nd.gamma, as_f64(np_gamma), domain=U(0.2, 5), second=True),
    Row("gamma_negative", nd.gamma, as_f64(np_gamma), domain=U(-1.8, -1.2), second=True),
    Row("gamma_transposed", nd.gamma, as_f64(np_gamma), shapes=((4, 3),), domain=U(0.5, 3),
        prep=T, second=True),
    # softmin(x) = softmax(-x / T)
    Row("softmin", nd.softmin, as_f64(np_softmin), domain=U(-3, 3), second=True),
    Row("softmin_axis0_temperature", nd.softmin, as_f64(np_softmin), second=True,
        kwargs={"axis": 0, "temperature": 2.5}),
    Row("softmin_3d_transposed", nd.softmin, as_f64(np_softmin), shapes=((4, 3, 2),),
        prep=lambda x: x.transpose(1, 2, 0), kwargs={"axis": 1}, second=True),
    Row("softmin_dtype_float64", nd.softmin, as_f64(np_softmin), second=True,
        kwargs={"dtype": "float64"}, out_dtype="float64"),
    # the identity, whose gradient is zero
    Row("stop_gradient", nd.stop_gradient, lambda x: x, grad="zero",
        names=("stop_gradient", "BlockGrad")),
    # the sum of several arrays of one shape
    Row("add_n", nd.add_n, as_f64(lambda *xs: sum(xs)), shapes=((3, 4), (3, 4), (3, 4)),
        names=("add_n", "ElementWiseSum")),
    Row("add_n_one", nd.add_n, as_f64(lambda x: x.copy()), shapes=((3, 4),)),
    Row("add_n_list_transposed", nd.add_n, shapes=((4, 3), (4, 3)), prep=T,
        call=lambda a, b: nd.add_n([a, b]), ref=as_f64(lambda a, b: a + b)),
    Row("add_n_product", nd.add_n, shapes=((3, 4), (3, 4)), second=True,
        call=lambda a, b: nd.add_n(a * b, a, b * b), ref=as_f64(lambda a, b: a * b + a + b * b)),
    # concatenate: MXNet's list form of concat
    Row("concatenate", nd.concatenate, shapes=((1, 3), (2, 3)),
        call=lambda a, b: nd.concatenate([a, b]),
        ref=as_f64(lambda a, b: np.concatenate([a, b]))),
    Row("concatenate_axis1_stepped", nd.concatenate, shapes=((4, 3), (4, 2)), prep=STEP2,
        call=lambda a, b: nd.concatenate([a, b], axis=1),
        ref=as_f64(lambda a, b: np.concatenate([a, b], axis=1))),
    # a negative axis (MXNet 1.9.1's concatenate fails on one; NumPy's semantics here)
    Row("concatenate_axis_neg_3d", nd.concatenate, shapes=((2, 1, 3), (2, 2, 3), (2, 1, 3)),
        call=lambda a, b, c: nd.concatenate((a, b, c), axis=-2),
        ref=as_f64(lambda a, b, c: np.concatenate([a, b, c], axis=-2))),
    Row("concatenate_one", nd.concatenate, shapes=((2, 3),),
        call=lambda a: nd.concatenate([a]), ref=as_f64(lambda a: a.copy())),
    # split_v2: NumPy's split (equal sections, or at indices)
    Row("split_v2_sections", nd.split_v2, as_f64(np_split_v2), shapes=((6, 2),),
        kwargs={"indices_or_sections": 3}),
    Row("split_v2_indices_axis1", nd.split_v2, as_f64(np_split_v2), shapes=((2, 6),),
        kwargs={"indices_or_sections": (1, 4), "axis": 1}),
    Row("split_v2_empty_part_neg_axis", nd.split_v2, as_f64(np_split_v2), shapes=((2, 3, 4),),
        kwargs={"indices_or_sections": (0, 2, 2), "axis": -1}),
    Row("split_v2_squeeze", nd.split_v2, as_f64(np_split_v2), shapes=((3, 4),),
        kwargs={"indices_or_sections": 3, "squeeze_axis": True}),
    Row("split_v2_one_part", nd.split_v2, as_f64(np_split_v2), shapes=((3, 4),),
        kwargs={"indices_or_sections": 1}),
    Row("split_v2_transposed", nd.split_v2, as_f64(np_split_v2), shapes=((4, 3),), prep=T,
        kwargs={"indices_or_sections": (2,), "axis": 1}),
    # argmax along axis 1, in the input's dtype
    Row("argmax_channel", nd.argmax_channel, as_f64(lambda x: np.argmax(x, axis=1)),
        domain=distinct(-2, 2), grad="none"),
    Row("argmax_channel_3d", nd.argmax_channel, as_f64(lambda x: np.argmax(x, axis=1)),
        shapes=X3, domain=distinct(-2, 2), grad="none"),
    Row("shape_array", nd.shape_array, lambda x: np.array(x.shape, np.int64), shapes=X3,
        grad="none", out_dtype="int64"),
    Row("size_array", nd.size_array, lambda x: np.array([x.size], np.int64), shapes=X3,
        grad="none", out_dtype="int64"),
    Row("fill_element_0index", nd.fill_element_0index, np_fill_element_0index,
        shapes=((4, 3), (4,)), grad="none",
        call=lambda lhs, mhs: nd.fill_element_0index(lhs, mhs, nd.array(FILL_IDX))),
    Row("onehot_encode", nd.onehot_encode, shapes=((5,),), domain=ints(-1, 4), grad="none",
        call=lambda i: nd.onehot_encode(i, nd.zeros((5, 4), dtype=i.dtype)),
        ref=lambda i: np_one_hot(i, 4).astype(i.dtype)),
    # nd.contrib: 0/1 in the input's dtype
    Row("contrib_isnan", nd.contrib.isnan, lambda x: np.isnan(x).astype(x.dtype),
        domain=specials, grad="none", names=("contrib.isnan",)),
    Row("contrib_isinf", nd.contrib.isinf, lambda x: np.isinf(x).astype(x.dtype),
        domain=specials, grad="none", names=("contrib.isinf",)),
    Row("contrib_isfinite", nd.contrib.isfinite, lambda x: np.isfinite(x).astype(x.dtype),
        domain=specials, grad="none", names=("contrib.isfinite",)),
)

add(
    Row("from_numpy", nd.from_numpy, kind="create", shapes=(),
        call=lambda dt: nd.from_numpy(np.linspace(-1, 1, 6).reshape(2, 3).astype(dt or "float32")),
        ref=lambda dt: np.linspace(-1, 1, 6).reshape(2, 3).astype(CREATE_DTYPE(dt))),
    Row("from_numpy_transposed", nd.from_numpy, kind="create", shapes=(),
        call=lambda dt: nd.from_numpy(np.arange(6.0).reshape(2, 3).astype(dt or "float32").T),
        ref=lambda dt: np.arange(6.0).reshape(2, 3).astype(CREATE_DTYPE(dt)).T),
)


def _check_negative_binomial(a, dtype):
    # k=3, p=0.4: mean k(1-p)/p = 4.5, variance k(1-p)/p^2 = 11.25 (MXNet 1.9.1 draws 4.51
    # and 11.32 over 2e5 samples)
    v = a.asnumpy()
    assert v.shape == (100, 100) and v.dtype == dtype
    assert np.all(v == np.round(v)) and v.min() >= 0
    assert abs(v.mean() - 4.5) < 0.15, v.mean()  # std error 0.034
    assert abs(v.var() - 11.25) < 1.5, v.var()


def _check_generalized_negative_binomial(a, dtype):
    # mu=2, alpha=0.5: mean 2, variance mu + alpha mu^2 = 4 (MXNet: 2.002 and 3.997)
    v = a.asnumpy()
    assert v.shape == (100, 100) and v.dtype == dtype
    assert np.all(v == np.round(v)) and v.min() >= 0
    assert abs(v.mean() - 2.0) < 0.1, v.mean()  # std error 0.02
    assert abs(v.var() - 4.0) < 0.6, v.var()


def _check_generalized_negative_binomial_poisson(a, dtype):
    # alpha=0: Poisson(3)
    _check_poisson(a, dtype)


def _zeros_like_dt(dt):
    return nd.zeros((100, 100), dtype=dt or "float32")


add(
    Row("uniform", nd.uniform, kind="random", shapes=(),
        call=lambda dt: nd.uniform(-1, 3, shape=(100, 100), dtype=dt), check=_check_uniform),
    Row("normal", nd.normal, kind="random", shapes=(),
        call=lambda dt: nd.normal(1, 2, shape=(100, 100), dtype=dt), check=_check_normal),
    Row("random_negative_binomial", nd.random.negative_binomial, kind="random", shapes=(),
        names=("random.negative_binomial",),
        call=lambda dt: nd.random.negative_binomial(3, 0.4, shape=(100, 100), dtype=dt),
        check=_check_negative_binomial),
    Row("random_generalized_negative_binomial", nd.random.generalized_negative_binomial,
        kind="random", shapes=(), names=("random.generalized_negative_binomial",),
        call=lambda dt: nd.random.generalized_negative_binomial(2, 0.5, shape=(100, 100),
                                                                dtype=dt),
        check=_check_generalized_negative_binomial),
    Row("random_generalized_negative_binomial_alpha0", nd.random.generalized_negative_binomial,
        kind="random", shapes=(),
        call=lambda dt: nd.random.generalized_negative_binomial(3, 0, shape=(100, 100),
                                                                dtype=dt),
        check=_check_generalized_negative_binomial_poisson),
    Row("random_uniform_like", nd.random.uniform_like, kind="random", shapes=(),
        names=("random.uniform_like",),
        call=lambda dt: nd.random.uniform_like(_zeros_like_dt(dt), low=-1, high=3),
        check=_check_uniform),
    Row("random_normal_like", nd.random.normal_like, kind="random", shapes=(),
        names=("random.normal_like",),
        call=lambda dt: nd.random.normal_like(_zeros_like_dt(dt), loc=1, scale=2),
        check=_check_normal),
    Row("random_gamma_like", nd.random.gamma_like, kind="random", shapes=(),
        names=("random.gamma_like",),
        call=lambda dt: nd.random.gamma_like(_zeros_like_dt(dt), alpha=2.0, beta=3.0),
        check=_check_gamma),
    # the _like form takes the rate (mean 1/lam), random.exponential the scale
    Row("random_exponential_like", nd.random.exponential_like, kind="random", shapes=(),
        names=("random.exponential_like",),
        call=lambda dt: nd.random.exponential_like(_zeros_like_dt(dt), lam=0.5),
        check=_check_exponential),
    Row("random_poisson_like", nd.random.poisson_like, kind="random", shapes=(),
        names=("random.poisson_like",),
        call=lambda dt: nd.random.poisson_like(_zeros_like_dt(dt), lam=3.0),
        check=_check_poisson),
    Row("random_negative_binomial_like", nd.random.negative_binomial_like, kind="random",
        shapes=(), names=("random.negative_binomial_like",),
        call=lambda dt: nd.random.negative_binomial_like(_zeros_like_dt(dt), k=3, p=0.4),
        check=_check_negative_binomial),
    Row("random_generalized_negative_binomial_like",
        nd.random.generalized_negative_binomial_like, kind="random", shapes=(),
        names=("random.generalized_negative_binomial_like",),
        call=lambda dt: nd.random.generalized_negative_binomial_like(_zeros_like_dt(dt), mu=2,
                                                                     alpha=0.5),
        check=_check_generalized_negative_binomial),
)


def _save_frombuffer_round_trip():
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "arrays.params")
        data = [nd.array([[1.5, -2.0], [0.25, 3.0]]), nd.array([1, 2], dtype="int64")]
        nd.save(path, data)
        with open(path, "rb") as f:
            buf = f.read()
    return data, nd.load_frombuffer(buf), nd.load_frombuffer(bytearray(buf))


def _check_frombuffer(r):
    saved, *loaded = r
    for got in loaded:
        assert isinstance(got, list) and len(got) == len(saved)
        for a, b in zip(saved, got):
            assert a.dtype == b.dtype and a.shape == b.shape
            np.testing.assert_array_equal(a.asnumpy(), b.asnumpy())


add(Row("load_frombuffer", nd.load_frombuffer, kind="util", shapes=(),
        call=_save_frombuffer_round_trip, check=_check_frombuffer))


# ----------------------------------------------------------------------------------------
# bad input: one case (at least) per op of the library
# ----------------------------------------------------------------------------------------

def bad_env():
    """Arrays the bad-input cases use. Float arrays are variables whose .grad holds 7."""
    rng = np.random.default_rng(0)
    env = {
        "a": nd.array(rng.normal(size=(2, 3))),
        "b": nd.array(rng.normal(size=(3, 2))),
        "c": nd.array(rng.normal(size=(2, 3, 4))),
        "d": nd.array(rng.normal(size=(2, 3)), dtype="float64"),
        "v": nd.array(rng.normal(size=(4,))),
        "i": nd.array([1, 2, 3], dtype="int32"),
        "spd": nd.array(spd(rng, (3, 3))),
    }
    for k in "abcdv":
        env[k].attach_grad()
        env[k].grad[:] = 7.0
    return env


def _in_record(f):
    with autograd.record():
        return f()


def _train_dropout(x, p):
    with autograd.record():
        return nd.Dropout(x, p=p)



# (id, op, call(env), exception class, builtin it must also be, message regex, xfail reason)
BAD_INPUTS = [
    ("gammaln_int", nd.gammaln, lambda e: nd.gammaln(e["i"]), DTypeError, TypeError,
     r"int32"),
    ("maximum_shapes", nd.maximum, lambda e: nd.maximum(e["a"], e["b"]), ShapeError,
     ValueError, r"\(2, 3\).*\(3, 2\)"),
    ("minimum_dtypes", nd.minimum, lambda e: nd.minimum(e["a"], e["d"]), DTypeError, TypeError,
     r"float32.*float64"),
    ("hypot_str", nd.hypot, lambda e: nd.hypot(e["a"], "x"), ArgumentTypeError, TypeError,
     None),
    ("arctan2_shapes", nd.arctan2, lambda e: nd.arctan2(e["a"], e["v"]), ShapeError,
     ValueError, None),
    ("modulo_dtypes", nd.modulo, lambda e: nd.modulo(e["d"], e["a"]), DTypeError, TypeError,
     None),
    ("logical_and_shapes", nd.logical_and, lambda e: nd.logical_and(e["a"], e["c"]),
     ShapeError, ValueError, None),
    ("logical_or_dtypes", nd.logical_or, lambda e: nd.logical_or(e["a"], e["d"]), DTypeError,
     TypeError, None),
    ("logical_xor_none", nd.logical_xor, lambda e: nd.logical_xor(e["a"], None),
     ArgumentTypeError, TypeError, None),
    ("nansum_axis", nd.nansum, lambda e: nd.nansum(e["a"], axis=2), AxisError, ValueError,
     r"axis 2"),
    ("nanprod_axis", nd.nanprod, lambda e: nd.nanprod(e["c"], axis=(0, -4)), AxisError,
     ValueError, None),
    ("topk_k_too_large", nd.topk, lambda e: nd.topk(e["a"], k=4), InvalidArgumentError,
     ValueError, r"k"),
    ("topk_ret_typ", nd.topk, lambda e: nd.topk(e["a"], ret_typ="values"),
     InvalidArgumentError, ValueError, r"ret_typ"),
    ("topk_axis", nd.topk, lambda e: nd.topk(e["a"], axis=2), AxisError, ValueError, None),
    ("sort_axis", nd.sort, lambda e: nd.sort(e["a"], axis=-3), AxisError, ValueError, None),
    ("argsort_dtype", nd.argsort, lambda e: nd.argsort(e["a"], dtype="float7"), DTypeError,
     TypeError, r"float7"),
    ("concat_shapes", nd.concat, lambda e: nd.concat(e["a"], e["b"], dim=1), ShapeError,
     ValueError, r"\(2, 3\).*\(3, 2\)"),
    ("concat_dtypes", nd.concat, lambda e: nd.concat(e["a"], e["d"]), DTypeError, TypeError,
     None),
    ("concat_nothing", nd.concat, lambda e: nd.concat(), InvalidArgumentError, ValueError,
     None),
    ("stack_shapes", nd.stack, lambda e: nd.stack(e["a"], e["b"]), ShapeError, ValueError,
     None),
    ("split_uneven", nd.split, lambda e: nd.split(e["a"], 2), ShapeError, ValueError,
     r"3.*2"),
    ("split_squeeze_size", nd.split,
     lambda e: nd.split(e["c"], 2, axis=2, squeeze_axis=True), InvalidArgumentError,
     ValueError, None),
    ("split_axis", nd.split, lambda e: nd.split(e["a"], 2, axis=2), AxisError, ValueError,
     None),
    ("slice_too_many_axes", nd.slice, lambda e: nd.slice(e["a"], begin=(0, 0, 0),
                                                         end=(1, 1, 1)),
     InvalidArgumentError, ValueError, None),
    ("slice_step_zero", nd.slice, lambda e: nd.slice(e["a"], begin=(0,), end=(2,), step=(0,)),
     InvalidArgumentError, ValueError, r"step"),
    ("slice_axis_axis", nd.slice_axis, lambda e: nd.slice_axis(e["a"], axis=2, begin=0, end=1),
     AxisError, ValueError, None),
    ("slice_like_rank", nd.slice_like, lambda e: nd.slice_like(e["a"], e["v"]), ShapeError,
     ValueError, None),
    ("slice_like_longer", nd.slice_like, lambda e: nd.slice_like(e["a"], nd.ones((3, 3))),
     ShapeError, ValueError, None),
    ("tile_negative", nd.tile, lambda e: nd.tile(e["a"], reps=(-1,)), InvalidArgumentError,
     ValueError, r"negative"),
    ("repeat_axis", nd.repeat, lambda e: nd.repeat(e["a"], 2, axis=2), AxisError, ValueError,
     None),
    ("flip_axis", nd.flip, lambda e: nd.flip(e["a"], axis=(0, 5)), AxisError, ValueError, None),
    ("broadcast_to_shapes", nd.broadcast_to, lambda e: nd.broadcast_to(e["a"], shape=(3, 3)),
     ShapeError, ValueError, None),
    ("broadcast_like_shapes", nd.broadcast_like, lambda e: nd.broadcast_like(e["a"], e["b"]),
     ShapeError, ValueError, None),
    ("broadcast_axis_not_one", nd.broadcast_axis,
     lambda e: nd.broadcast_axis(e["a"], axis=0, size=4), ShapeError, ValueError, r"size 2"),
    ("reshape_like_size", nd.reshape_like, lambda e: nd.reshape_like(e["a"], e["v"]),
     ShapeError, ValueError, None),
    ("swapaxes_axis", nd.swapaxes, lambda e: nd.swapaxes(e["a"], 0, 2), AxisError, ValueError,
     None),
    ("expand_dims_axis", nd.expand_dims, lambda e: nd.expand_dims(e["a"], axis=-4), AxisError,
     ValueError, None),
    ("squeeze_non_unit", nd.squeeze, lambda e: nd.squeeze(e["a"], axis=1),
     InvalidArgumentError, ValueError, r"size 3"),
    ("flatten_list", nd.flatten, lambda e: nd.flatten([[1.0, 2.0]]), ArgumentTypeError,
     TypeError, r"NDArray"),
    ("clip_bounds", nd.clip, lambda e: nd.clip(e["a"], 1.0, -1.0), InvalidArgumentError,
     ValueError, r"a_min"),
    ("where_shapes", nd.where, lambda e: nd.where(e["v"], e["a"], e["a"]), ShapeError,
     ValueError, None),
    ("where_dtypes", nd.where, lambda e: nd.where(e["a"], e["a"], e["d"]), DTypeError,
     TypeError, None),
    ("take_mode", nd.take, lambda e: nd.take(e["a"], nd.array([0.0]), mode="nearest"),
     InvalidArgumentError, ValueError, r"mode"),
    ("take_raise", nd.take, lambda e: nd.take(e["a"], nd.array([2.0]), mode="raise"),
     MXIndexError, IndexError, r"2"),
    ("take_axis", nd.take, lambda e: nd.take(e["a"], nd.array([0.0]), axis=2), AxisError,
     ValueError, None),
    ("pick_index_shape", nd.pick, lambda e: nd.pick(e["a"], nd.array([0.0, 1.0, 2.0])),
     ShapeError, ValueError, None),
    ("pick_mode", nd.pick, lambda e: nd.pick(e["a"], nd.array([0.0, 1.0]), mode="raise"),
     InvalidArgumentError, ValueError, r"mode"),
    ("one_hot_dtype", nd.one_hot, lambda e: nd.one_hot(e["i"], 3, dtype="complex64"),
     DTypeError, TypeError, None),
    ("gather_nd_out_of_range", nd.gather_nd, lambda e: nd.gather_nd(e["a"], nd.array([[2.0]])),
     MXIndexError, IndexError, r"2"),
    ("gather_nd_too_many_axes", nd.gather_nd,
     lambda e: nd.gather_nd(e["a"], nd.zeros((3, 1))), ShapeError, ValueError, None),
    ("scatter_nd_out_of_range", nd.scatter_nd,
     lambda e: nd.scatter_nd(e["v"][:1], nd.array([[5.0], [0.0]]), shape=(3, 4)), MXIndexError,
     IndexError, r"5"),
    ("scatter_nd_data_shape", nd.scatter_nd,
     lambda e: nd.scatter_nd(e["v"], nd.array([[0.0], [0.0]]), shape=(3, 4)), ShapeError,
     ValueError, None),
    ("diag_list", nd.diag, lambda e: nd.diag([1.0, 2.0]), ArgumentTypeError, TypeError,
     r"NDArray"),
    ("eye_dtype", nd.eye, lambda e: nd.eye(2, dtype="float7"), DTypeError, TypeError, None),
    ("linspace_dtype", nd.linspace, lambda e: nd.linspace(0, 1, 3, dtype="complex64"),
     DTypeError, TypeError, None),
    ("pad_mode", nd.pad, lambda e: nd.pad(e["c"].reshape((1, 2, 3, 4)), mode="symmetric",
                                          pad_width=(0, 0, 0, 0, 1, 1, 1, 1)),
     InvalidArgumentError, ValueError, r"'constant', 'edge' or 'reflect'.*symmetric"),
    ("pad_reflect_too_wide", nd.pad,
     lambda e: nd.pad(e["c"].reshape((1, 2, 3, 4)), mode="reflect",
                      pad_width=(0, 0, 0, 0, 3, 0, 0, 0)),
     InvalidArgumentError, ValueError, r"reflect.*axis 2 of length 3 by \(3, 0\)"),
    ("pad_edge_empty_axis", nd.pad,
     lambda e: nd.pad(nd.zeros((1, 1, 0, 2)), mode="edge", pad_width=(0, 0, 0, 0, 1, 1, 0, 0)),
     InvalidArgumentError, ValueError, r"empty"),
    ("pad_width", nd.pad, lambda e: nd.pad(e["a"], mode="constant", pad_width=(1, 1)),
     InvalidArgumentError, ValueError, r"pad_width"),
    ("softmax_axis", nd.softmax, lambda e: nd.softmax(e["a"], axis=2), AxisError, ValueError,
     None),
    ("softmax_temperature", nd.softmax, lambda e: nd.softmax(e["a"], temperature=0.0),
     InvalidArgumentError, ValueError, r"temperature"),
    ("log_softmax_temperature", nd.log_softmax,
     lambda e: nd.log_softmax(e["a"], temperature=-1.0), InvalidArgumentError, ValueError,
     r"temperature"),
    ("Activation_act_type", nd.Activation, lambda e: nd.Activation(e["a"], act_type="gelu"),
     InvalidArgumentError, ValueError, r"act_type"),
    ("LeakyReLU_act_type", nd.LeakyReLU, lambda e: nd.LeakyReLU(e["a"], act_type="relu6"),
     InvalidArgumentError, ValueError, r"act_type"),
    ("FullyConnected_weight", nd.FullyConnected,
     lambda e: nd.FullyConnected(e["a"], e["b"], e["v"][:3], num_hidden=4), ShapeError,
     ValueError, r"weight"),
    ("FullyConnected_inner", nd.FullyConnected,
     lambda e: nd.FullyConnected(e["a"], e["b"], e["v"][:3], num_hidden=3), ShapeError,
     ValueError, None),
    ("FullyConnected_bias", nd.FullyConnected,
     lambda e: nd.FullyConnected(e["a"], e["a"], e["v"], num_hidden=2), ShapeError,
     ValueError, r"bias"),
    ("FullyConnected_missing_bias", nd.FullyConnected,
     lambda e: nd.FullyConnected(e["a"], e["a"], num_hidden=2), InvalidArgumentError,
     ValueError, r"no_bias"),
    ("Dropout_p", nd.Dropout, lambda e: _train_dropout(e["a"], 1.5), InvalidArgumentError,
     ValueError, r"p"),
    ("Dropout_mode", nd.Dropout, lambda e: nd.Dropout(e["a"], mode="sometimes"),
     InvalidArgumentError, ValueError, r"mode"),
    ("softmax_cross_entropy_label", nd.softmax_cross_entropy,
     lambda e: nd.softmax_cross_entropy(e["a"], nd.array([0.0, 1.0, 2.0])), ShapeError,
     ValueError, None),
    ("softmax_cross_entropy_3d", nd.softmax_cross_entropy,
     lambda e: nd.softmax_cross_entropy(e["c"], nd.array([0.0, 1.0])), ShapeError, ValueError,
     None),
    ("smooth_l1_list", nd.smooth_l1, lambda e: nd.smooth_l1([1.0]), ArgumentTypeError,
     TypeError, None),
    ("gemm2_inner", nd.linalg.gemm2, lambda e: nd.linalg.gemm2(e["a"], e["a"]), ShapeError,
     ValueError, None),
    ("gemm2_batch", nd.linalg.gemm2, lambda e: nd.linalg.gemm2(e["c"], nd.ones((3, 4, 2))),
     ShapeError, ValueError, None),
    ("gemm2_vector", nd.linalg.gemm2, lambda e: nd.linalg.gemm2(e["v"], e["v"]), ShapeError,
     ValueError, None),
    ("potrf_not_pd", nd.linalg.potrf, lambda e: nd.linalg.potrf(nd.array([[1.0, 2.0],
                                                                          [2.0, 1.0]])),
     InvalidArgumentError, ValueError, r"positive definite"),
    ("potrf_not_square", nd.linalg.potrf, lambda e: nd.linalg.potrf(e["a"]), ShapeError,
     ValueError, r"square"),
    ("trsm_shapes", nd.linalg.trsm, lambda e: nd.linalg.trsm(e["spd"], e["b"].T), ShapeError,
     ValueError, None),
    ("trsm_dtypes", nd.linalg.trsm, lambda e: nd.linalg.trsm(e["spd"], e["d"].T), DTypeError,
     TypeError, None),
    ("random_randint_range", nd.random.randint, lambda e: nd.random.randint(5, 5, shape=(2,)),
     InvalidArgumentError, ValueError, r"low"),
    ("random_exponential_scale", nd.random.exponential,
     lambda e: nd.random.exponential(-1.0, shape=(2,)), InvalidArgumentError, ValueError, None),
    ("random_exponential_zero_scale", nd.random.exponential,
     lambda e: nd.random.exponential(0.0, shape=(2,)), InvalidArgumentError, ValueError, None),
    ("random_gamma_alpha", nd.random.gamma, lambda e: nd.random.gamma(0.0, 1.0, shape=(2,)),
     InvalidArgumentError, ValueError, r"alpha"),
    ("random_poisson_lam", nd.random.poisson, lambda e: nd.random.poisson(-1.0, shape=(2,)),
     InvalidArgumentError, ValueError, r"lam"),
    ("random_multinomial_negative", nd.random.multinomial,
     lambda e: nd.random.multinomial(nd.array([[0.5, -0.5, 1.0]])), InvalidArgumentError,
     ValueError, None),
    ("random_multinomial_prob", nd.random.multinomial,
     lambda e: nd.random.multinomial(nd.array([0.5, 0.5]), get_prob=True),
     InvalidArgumentError, ValueError, r"get_prob"),
    ("random_shuffle_list", nd.random.shuffle, lambda e: nd.random.shuffle([1.0, 2.0]),
     ArgumentTypeError, TypeError, None),
    ("save_values", nd.save, lambda e: nd.save(os.devnull, [e["a"], 3.0]),
     InvalidArgumentError, ValueError, r"NDArray"),
    ("save_keys", nd.save, lambda e: nd.save(os.devnull, {0: e["a"]}), InvalidArgumentError,
     ValueError, r"string"),
    ("load_not_a_params_file", nd.load, lambda e: nd.load(os.devnull), InvalidArgumentError,
     ValueError, r"truncated|not an MXNet"),
    # creation and sampling
    ("arange_zero_step", nd.arange, lambda e: nd.arange(0, 5, step=0), InvalidArgumentError,
     ValueError, r"step"),
    ("array_string", nd.array, lambda e: nd.array("abc"), ArgumentTypeError, TypeError,
     r"numbers"),
    ("array_none", nd.array, lambda e: nd.array([1.0, None, 3.0]), ArgumentTypeError,
     TypeError, r"numbers"),
    ("empty_negative", nd.empty, lambda e: nd.empty((2, -1)), InvalidArgumentError, ValueError,
     r"negative"),
    ("full_dtype", nd.full, lambda e: nd.full((2,), 1.0, dtype="float7"), DTypeError,
     TypeError, r"float7"),
    ("ones_shape", nd.ones, lambda e: nd.ones("2x3"), InvalidArgumentError, ValueError,
     r"shape"),
    ("zeros_negative", nd.zeros, lambda e: nd.zeros(-3), InvalidArgumentError, ValueError,
     r"negative"),
    ("random_normal_shape", nd.random.normal, lambda e: nd.random.normal(0, 1, shape=(-1, 2)),
     InvalidArgumentError, ValueError, r"negative"),
    ("random_uniform_dtype", nd.random.uniform,
     lambda e: nd.random.uniform(0, 1, shape=(2,), dtype="int8"), DTypeError, TypeError,
     r"int8"),
    # a negative size is bad input, to be refused with ferrograd's own error
    ("eye_negative", nd.eye, lambda e: nd.eye(-1), InvalidArgumentError, ValueError, None),
    ("linspace_negative", nd.linspace, lambda e: nd.linspace(0, 1, -2), InvalidArgumentError,
     ValueError, None),
    ("one_hot_negative_depth", nd.one_hot, lambda e: nd.one_hot(e["i"], -3),
     InvalidArgumentError, ValueError, None),
    ("repeat_negative", nd.repeat, lambda e: nd.repeat(e["a"], -2), InvalidArgumentError,
     ValueError, None),
    # DLPack
    ("from_dlpack_list", nd.from_dlpack, lambda e: nd.from_dlpack([1.0, 2.0]),
     ArgumentTypeError, TypeError, r"__dlpack__"),
    ("from_dlpack_uint16", nd.from_dlpack,
     lambda e: nd.from_dlpack(np.zeros(2, np.uint16)), DTypeError, TypeError, r"16 bits"),
    ("to_dlpack_for_read_list", nd.to_dlpack_for_read, lambda e: nd.to_dlpack_for_read([1.0]),
     ArgumentTypeError, TypeError, r"NDArray"),
    ("to_dlpack_for_write_in_record", nd.to_dlpack_for_write,
     lambda e: _in_record(lambda: nd.to_dlpack_for_write(e["a"])), InvalidArgumentError,
     ValueError, r"record"),
]
BAD_INPUTS += [
    # the names of issue 11
    ("gamma_list", nd.gamma, lambda e: nd.gamma([3.0]), ArgumentTypeError, TypeError, None),
    ("softmin_axis", nd.softmin, lambda e: nd.softmin(e["a"], axis=2), AxisError, ValueError,
     None),
    ("softmin_temperature", nd.softmin, lambda e: nd.softmin(e["a"], temperature=0.0),
     InvalidArgumentError, ValueError, r"temperature"),
    ("softmin_int_dtype", nd.softmin, lambda e: nd.softmin(e["a"], dtype="int32"), DTypeError,
     TypeError, r"dtype"),
    ("softmin_use_length", nd.softmin, lambda e: nd.softmin(e["a"], use_length=True),
     InvalidArgumentError, ValueError, r"use_length"),
    ("stop_gradient_list", nd.stop_gradient, lambda e: nd.stop_gradient([1.0]),
     ArgumentTypeError, TypeError, r"NDArray"),
    ("add_n_nothing", nd.add_n, lambda e: nd.add_n(), InvalidArgumentError, ValueError,
     r"at least one"),
    ("add_n_shapes", nd.add_n, lambda e: nd.add_n(e["a"], e["b"]), ShapeError, ValueError,
     r"\(3, 2\).*\(2, 3\)"),
    ("add_n_no_broadcast", nd.ElementWiseSum, lambda e: nd.ElementWiseSum(e["a"], e["a"][:1]),
     ShapeError, ValueError, r"broadcast"),
    ("add_n_dtypes", nd.add_n, lambda e: nd.add_n(e["a"], e["d"]), DTypeError, TypeError, None),
    ("concatenate_empty", nd.concatenate, lambda e: nd.concatenate([]), InvalidArgumentError,
     ValueError, r"at least one"),
    ("concatenate_not_a_list", nd.concatenate, lambda e: nd.concatenate(e["a"]),
     ArgumentTypeError, TypeError, r"list"),
    ("concatenate_shapes", nd.concatenate, lambda e: nd.concatenate([e["a"], e["b"]]),
     ShapeError, ValueError, None),
    ("concatenate_axis", nd.concatenate, lambda e: nd.concatenate([e["a"], e["a"]], axis=2),
     AxisError, ValueError, None),
    ("split_v2_uneven", nd.split_v2, lambda e: nd.split_v2(e["a"], 2, axis=1), ShapeError,
     ValueError, r"3.*2"),
    ("split_v2_zero_sections", nd.split_v2, lambda e: nd.split_v2(e["a"], 0), ShapeError,
     ValueError, None),
    ("split_v2_decreasing", nd.split_v2, lambda e: nd.split_v2(e["a"], (2, 1), axis=1),
     InvalidArgumentError, ValueError, r"decrease"),
    ("split_v2_past_the_end", nd.split_v2, lambda e: nd.split_v2(e["a"], (1, 5), axis=1),
     InvalidArgumentError, ValueError, r"5"),
    ("split_v2_negative_index", nd.split_v2, lambda e: nd.split_v2(e["a"], (-1,), axis=1),
     InvalidArgumentError, ValueError, r"-1"),
    ("split_v2_squeeze", nd.split_v2, lambda e: nd.split_v2(e["a"], (1,), axis=1,
                                                            squeeze_axis=True),
     InvalidArgumentError, ValueError, r"squeeze_axis"),
    ("split_v2_axis", nd.split_v2, lambda e: nd.split_v2(e["a"], 2, axis=2), AxisError,
     ValueError, None),
    ("split_v2_sections_type", nd.split_v2, lambda e: nd.split_v2(e["a"], "two"),
     ArgumentTypeError, TypeError, r"indices_or_sections"),
    ("argmax_channel_1d", nd.argmax_channel, lambda e: nd.argmax_channel(e["v"]), AxisError,
     ValueError, r"axis 1"),
    ("shape_array_list", nd.shape_array, lambda e: nd.shape_array([1.0]), ArgumentTypeError,
     TypeError, None),
    ("size_array_list", nd.size_array, lambda e: nd.size_array([1.0]), ArgumentTypeError,
     TypeError, None),
    ("fill_element_0index_rank", nd.fill_element_0index,
     lambda e: nd.fill_element_0index(e["c"], e["v"][:2], nd.array([0.0, 1.0])), ShapeError,
     ValueError, r"matrix"),
    ("fill_element_0index_rows", nd.fill_element_0index,
     lambda e: nd.fill_element_0index(e["a"], e["v"][:3], nd.array([0.0, 1.0])), ShapeError,
     ValueError, r"rows"),
    ("fill_element_0index_dtypes", nd.fill_element_0index,
     lambda e: nd.fill_element_0index(e["a"], e["d"][0, :2], nd.array([0.0, 1.0])),
     DTypeError, TypeError, None),
    ("onehot_encode_shapes", nd.onehot_encode,
     lambda e: nd.onehot_encode(nd.array([0.0, 1.0, 2.0]), e["a"]), ShapeError, ValueError,
     r"onehot_encode"),
    ("onehot_encode_list", nd.onehot_encode, lambda e: nd.onehot_encode([0, 1], e["a"]),
     ArgumentTypeError, TypeError, r"NDArray"),
    ("contrib_isnan_list", nd.contrib.isnan, lambda e: nd.contrib.isnan([1.0]),
     ArgumentTypeError, TypeError, r"NDArray"),
    ("contrib_isinf_list", nd.contrib.isinf, lambda e: nd.contrib.isinf(np.ones(2)),
     ArgumentTypeError, TypeError, r"NDArray"),
    ("contrib_isfinite_list", nd.contrib.isfinite, lambda e: nd.contrib.isfinite(None),
     ArgumentTypeError, TypeError, r"NDArray"),
    ("from_numpy_list", nd.from_numpy, lambda e: nd.from_numpy([1.0, 2.0]), ArgumentTypeError,
     TypeError, r"numpy"),
    ("from_numpy_dtype", nd.from_numpy, lambda e: nd.from_numpy(np.ones(2, np.uint16)),
     DTypeError, TypeError, r"uint16"),
    ("load_frombuffer_str", nd.load_frombuffer, lambda e: nd.load_frombuffer("abc"),
     ArgumentTypeError, TypeError, r"bytes"),
    ("load_frombuffer_garbage", nd.load_frombuffer, lambda e: nd.load_frombuffer(b"abcdefgh" * 4),
     InvalidArgumentError, ValueError, r"not an MXNet"),
    ("load_frombuffer_truncated", nd.load_frombuffer, lambda e: nd.load_frombuffer(b"\x12\x01"),
     InvalidArgumentError, ValueError, r"truncated"),
    ("uniform_no_shape", nd.uniform, lambda e: nd.uniform(0, 1), InvalidArgumentError,
     ValueError, r"shape"),
    ("uniform_bounds", nd.uniform, lambda e: nd.uniform(2, 1, shape=(2,)),
     InvalidArgumentError, ValueError, r"low"),
    ("normal_no_shape", nd.normal, lambda e: nd.normal(), InvalidArgumentError, ValueError,
     r"shape"),
    ("normal_scale", nd.normal, lambda e: nd.normal(0, -1, shape=(2,)), InvalidArgumentError,
     ValueError, r"scale"),
    ("random_negative_binomial_p_zero", nd.random.negative_binomial,
     lambda e: nd.random.negative_binomial(1, 0.0, shape=(2,)), InvalidArgumentError,
     ValueError, r"p must be"),
    ("random_negative_binomial_p_above_one", nd.random.negative_binomial,
     lambda e: nd.random.negative_binomial(1, 1.5, shape=(2,)), InvalidArgumentError,
     ValueError, r"p must be"),
    ("random_negative_binomial_k", nd.random.negative_binomial,
     lambda e: nd.random.negative_binomial(2.5, 0.5, shape=(2,)), InvalidArgumentError,
     ValueError, r"k must be"),
    ("random_negative_binomial_k_negative", nd.random.negative_binomial,
     lambda e: nd.random.negative_binomial(-1, 0.5, shape=(2,)), InvalidArgumentError,
     ValueError, r"k must be"),
    ("random_generalized_negative_binomial_mu", nd.random.generalized_negative_binomial,
     lambda e: nd.random.generalized_negative_binomial(-1, 1, shape=(2,)),
     InvalidArgumentError, ValueError, r"mu"),
    ("random_generalized_negative_binomial_alpha", nd.random.generalized_negative_binomial,
     lambda e: nd.random.generalized_negative_binomial(1, -1, shape=(2,)),
     InvalidArgumentError, ValueError, r"alpha"),
    ("random_uniform_like_bounds", nd.random.uniform_like,
     lambda e: nd.random.uniform_like(e["a"], low=2, high=1), InvalidArgumentError, ValueError,
     r"low"),
    ("random_uniform_like_int", nd.random.uniform_like,
     lambda e: nd.random.uniform_like(e["i"]), DTypeError, TypeError, r"int32"),
    ("random_normal_like_scale", nd.random.normal_like,
     lambda e: nd.random.normal_like(e["a"], scale=-1), InvalidArgumentError, ValueError,
     r"scale"),
    ("random_normal_like_list", nd.random.normal_like,
     lambda e: nd.random.normal_like([1.0]), ArgumentTypeError, TypeError, r"NDArray"),
    ("random_gamma_like_alpha", nd.random.gamma_like,
     lambda e: nd.random.gamma_like(e["a"], alpha=0), InvalidArgumentError, ValueError,
     r"alpha"),
    ("random_exponential_like_lam", nd.random.exponential_like,
     lambda e: nd.random.exponential_like(e["a"], lam=0), InvalidArgumentError, ValueError,
     r"lam"),
    ("random_poisson_like_lam", nd.random.poisson_like,
     lambda e: nd.random.poisson_like(e["a"], lam=-1), InvalidArgumentError, ValueError,
     r"lam"),
    # MXNet's negative_binomial_like returns zeros for these; ferrograd refuses them
    ("random_negative_binomial_like_p", nd.random.negative_binomial_like,
     lambda e: nd.random.negative_binomial_like(e["a"], k=1, p=1.5), InvalidArgumentError,
     ValueError, r"p must be"),
    ("random_generalized_negative_binomial_like_mu",
     nd.random.generalized_negative_binomial_like,
     lambda e: nd.random.generalized_negative_binomial_like(e["a"], mu=-1), InvalidArgumentError,
     ValueError, r"mu"),
    # flags take what MXNet's parser takes (bools, 0/1, "True"/"False"), nothing else
    ("flag_keepdims_two", nd.sum, lambda e: nd.sum(e["a"], axis=1, keepdims=2),
     InvalidArgumentError, ValueError, r"keepdims.*2"),
    ("flag_exclude_float", nd.max, lambda e: nd.max(e["a"], axis=1, exclude=1.0),
     InvalidArgumentError, ValueError, r"exclude"),
    ("flag_transpose_a_none", nd.dot, lambda e: nd.dot(e["a"], e["a"], transpose_a=None),
     InvalidArgumentError, ValueError, r"transpose_a"),
    # the keyword forms of issue 11
    ("broadcast_like_axes_lengths", nd.broadcast_like,
     lambda e: nd.broadcast_like(e["a"][:1], e["b"], lhs_axes=(0,), rhs_axes=(0, 1)),
     InvalidArgumentError, ValueError, r"same length"),
    ("broadcast_like_axes_not_one", nd.broadcast_like,
     lambda e: nd.broadcast_like(e["a"], e["b"], lhs_axes=(0,), rhs_axes=(0,)), ShapeError,
     ValueError, r"size 2"),
    ("broadcast_like_axes_empty", nd.broadcast_like,
     lambda e: nd.broadcast_like(e["a"], e["b"], lhs_axes=(), rhs_axes=()),
     InvalidArgumentError, ValueError, r"empty"),
    ("broadcast_like_rhs_axis", nd.broadcast_like,
     lambda e: nd.broadcast_like(e["a"][:1], e["b"], lhs_axes=(0,), rhs_axes=(2,)), AxisError,
     ValueError, None),
    ("slice_like_axis_missing_in_like", nd.slice_like,
     lambda e: nd.slice_like(e["c"], e["a"], axes=(-1,)), ShapeError, ValueError,
     r"shape_like"),
]
BAD_INPUTS = [c if len(c) == 7 else c + (None,) for c in BAD_INPUTS]



# ---- a non-contiguous input for every differentiable op ------------------------------------
def _variant(row_id, suffix, **changes):
    (row,) = [r for r in TABLE if r.id == row_id]
    return dataclasses.replace(row, id=row_id + suffix, names=(), **changes)


# Every differentiable function of one 2-D array gets a transposed input, unless a row below
# already gives it another non-contiguous one.
_STRIDED_BELOW = {"log", "sin", "norm_axis1", "transpose_3d_axes", "broadcast_axis", "squeeze",
                  "scatter_nd"}
for _row in [r for r in TABLE if r.kind == "op" and r.grad == "smooth" and r.prep is None
             and r.call is None and len(r.shapes) == 1 and len(r.shapes[0]) == 2
             and r.id not in _STRIDED_BELOW
             and not any(o.op is r.op and o.prep is not None for o in TABLE)]:
    add(_variant(_row.id, "_transposed", shapes=(_row.shapes[0][::-1],), prep=T))
add(
    _variant("log", "_stepped", shapes=((6, 4),), prep=STEP2),
    _variant("sin", "_stepped", shapes=((6, 4),), prep=STEP2),
    _variant("subtract", "_transposed", shapes=((4, 3), (4, 3)), prep=T),
    _variant("divide_broadcast", "_transposed", shapes=((1, 3), (4, 1)), prep=T),
    _variant("power", "_stepped", shapes=((6, 4), (6, 4)), prep=STEP2),
    _variant("norm_axis1", "_transposed", shapes=((4, 3),), prep=T),
    _variant("dot_2d_2d", "_transposed_inputs", shapes=((4, 3), (5, 4)), prep=T),
    _variant("batch_dot", "_transposed_inputs", shapes=((2, 4, 3), (2, 5, 4)),
             prep=lambda x: x.transpose(0, 2, 1)),
    _variant("transpose_3d_axes", "_stepped", shapes=((4, 3, 4),), prep=STEP2),
    _variant("broadcast_like", "_transposed", shapes=((4, 1), (3, 4)), prep=(T, None)),
    _variant("broadcast_axis", "_transposed", shapes=((1, 3),), prep=T),
    _variant("squeeze", "_transposed", shapes=((4, 1, 3, 1),),
             prep=lambda x: x.transpose(3, 2, 1, 0)),
    _variant("scatter_nd", "_stepped", shapes=((6,),), prep=STEP2),
)


def row_names(row):
    """The exported names a row covers."""
    return row.names or (row.op.__name__,)


OP_ROWS = [r for r in TABLE if r.kind == "op"]
GRAD_ROWS = [r for r in OP_ROWS if r.grad == "smooth"]
SECOND_ROWS = [r for r in GRAD_ROWS if r.second]
