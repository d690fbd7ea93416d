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
over ``TABLE`` and fails if an exported name has no row.
"""

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

import numpy as np

from ferrograd import nd

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

    def invoke(self, *xs):
        if self.prep is not None:
            xs = [self.prep(x) for x in xs]
        fn = self.call or self.op
        return fn(*xs, **self.kwargs)

    def reference(self, *xs):
        if self.prep is not None:
            xs = [self.prep(x) for x in xs]
        return self.ref(*xs, **self.kwargs)

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
        names=("divide", "elemwise_div")),
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
                second=second, names=(name, "sum_axis") if name == "sum" else (name,)))
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


def row_names(row):
    """The exported names a row covers."""
    return row.names or (row.op.__name__,)


OP_ROWS = [r for r in TABLE if r.kind == "op"]
GRAD_ROWS = [r for r in OP_ROWS if r.grad == "smooth"]
SECOND_ROWS = [r for r in GRAD_ROWS if r.second]
