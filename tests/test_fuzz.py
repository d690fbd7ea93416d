"""Property-based fuzzing (hypothesis).

1. Random programs: a few input arrays (random shapes, zero-size and 0-d included; float32 or
   float64), then a random sequence of ops (elementwise, broadcasting, reductions, reshapes,
   transposes, slices) and in-place writes to constant inputs between them, recorded and
   differentiated. Every value is compared with NumPy replaying the same program, and every
   gradient with central differences of that replay (float64; float32 programs check values).
2. The public API with random arguments (wrong types, huge or negative sizes, NaN and
   infinite parameters, arrays of every dtype and odd shapes): no Rust panic, no abort or
   hang, only ferrograd's errors (MXNetError) or the builtins the README lists, and the
   inputs of a call unchanged.

Budget: ``FERROGRAD_FUZZ_EXAMPLES`` examples per test (default 40 in the normal run; e.g.
``FERROGRAD_FUZZ_EXAMPLES=2000 python -m pytest -q tests/test_fuzz.py`` for a long run).
"""

import faulthandler
import math
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from ferrograd import autograd, nd
from ferrograd.base import MXNetError

EXAMPLES = int(os.environ.get("FERROGRAD_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize="CI" in os.environ,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# The builtins the README lists next to MXNetError (argument conversion raises the last one
# for an integer beyond 64 bits).
ALLOWED = (MXNetError, TypeError, ValueError, IndexError, RuntimeError, MemoryError,
           OverflowError)


@pytest.fixture(autouse=True)
def no_hang():
    # A hang would stall the suite: dump every thread's stack and exit instead.
    faulthandler.dump_traceback_later(600, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


# ---- 1. random programs against NumPy -------------------------------------------------------

def _smooth_div(a, b):
    return a / (1.0 + b * b)


# name: (arity, ferrograd, numpy). Smooth everywhere on the inputs' range (no kinks, poles or
# domain edges), so central differences are a fair reference.
UNARY = {
    "exp": (nd.exp, np.exp),
    "sin": (nd.sin, np.sin),
    "tanh": (nd.tanh, np.tanh),
    "sigmoid": (nd.sigmoid, lambda x: 1 / (1 + np.exp(-x))),
    "square": (nd.square, np.square),
    "neg": (lambda x: -x, np.negative),
    "log1p_sq": (lambda x: nd.log1p(x * x), lambda x: np.log1p(x * x)),
    "scale": (lambda x: x * 0.5 + 1, lambda x: x * 0.5 + 1),
}
BINARY = {
    "add": (lambda a, b: a + b, np.add),
    "sub": (lambda a, b: a - b, np.subtract),
    "mul": (lambda a, b: a * b, np.multiply),
    "div": (lambda a, b: _smooth_div(a, b), _smooth_div),
    "nd_add": (nd.broadcast_add, np.add),
}


def broadcastable(rng_draw, shape):
    """A shape that broadcasts with `shape`: a suffix of it with some dims set to 1."""
    k = rng_draw(st.integers(0, len(shape)))
    tail = list(shape[len(shape) - k:])
    return tuple(1 if rng_draw(st.booleans()) else d for d in tail)


shapes = st.lists(st.integers(0, 3), min_size=0, max_size=3).map(tuple)


def to_fg_shape(shape):
    return shape if shape else (1,)  # MXNet has no 0-d arrays: a scalar is shape (1,)


class Program:
    """Steps over a pool of values; `run(arrays, lib)` replays them with NumPy or ferrograd."""

    def __init__(self, input_shapes, dtype):
        self.input_shapes = input_shapes
        self.dtype = dtype
        self.steps = []  # (kind, details)

    def run_numpy(self, inputs, constants):
        # Writes change a constant in place, so its views (reshape and first-axis slices, as
        # in ferrograd and MXNet) see them; results computed before a write keep their values.
        pool = list(inputs) + [c.copy() for c in constants]
        nin = len(inputs)
        for kind, d in self.steps:
            if kind == "write":
                _write_numpy(pool[nin + d["const"]], d["how"], d["v"])
                continue
            pool.append(self.apply_numpy(kind, d, pool))
        return pool

    @staticmethod
    def apply_numpy(kind, d, pool):
        if kind == "unary":
            return UNARY[d["op"]][1](pool[d["a"]])
        if kind == "binary":
            return BINARY[d["op"]][1](pool[d["a"]], pool[d["b"]])
        x = pool[d["a"]]
        if kind == "sum":
            # MXNet's rule: a reduction to one element has shape (1,), not ()
            return np.sum(x, axis=d["axis"], keepdims=d["keepdims"]).reshape(
                sum_shape(x.shape, d["axis"], d["keepdims"]))
        if kind == "reshape":
            return x.reshape(d["shape"])
        if kind == "transpose":
            return x.transpose().copy()  # a copy in ferrograd (as MXNet), a view in NumPy
        if kind == "slice":
            return x[d["key"]]
        raise AssertionError(kind)


def sum_shape(shape, axis, keepdims):
    out = np.sum(np.zeros(shape), axis=axis, keepdims=keepdims).shape
    return out or (1,)


@st.composite
def programs(draw):
    dtype = draw(st.sampled_from(["float64", "float32"]))
    n_inputs = draw(st.integers(1, 3))
    input_shapes = [draw(shapes) for _ in range(n_inputs)]
    n_consts = draw(st.integers(0, 2))
    const_shapes = [broadcastable(draw, input_shapes[0]) for _ in range(n_consts)]
    prog = Program(input_shapes, dtype)
    prog.const_shapes = const_shapes
    shapes_pool = [tuple(s) for s in input_shapes] + [tuple(s) for s in const_shapes]
    for _ in range(draw(st.integers(1, 8))):
        kinds = ["unary", "binary", "sum", "reshape", "transpose", "slice"]
        if n_consts:
            kinds.append("write")
        kind = draw(st.sampled_from(kinds))
        a = draw(st.integers(0, len(shapes_pool) - 1))
        sa = shapes_pool[a]
        if kind == "write":
            c = draw(st.integers(0, n_consts - 1))
            how = draw(st.sampled_from(["fill", "iadd", "setslice"]))
            v = draw(st.floats(-2, 2, allow_nan=False, width=32))
            prog.steps.append(("write", {"const": c, "how": how, "v": v}))
            continue
        if kind == "unary":
            d = {"op": draw(st.sampled_from(sorted(UNARY))), "a": a}
            out = sa
        elif kind == "binary":
            # another value whose shape broadcasts with this one (or a fresh constant-free
            # pick among compatible ones)
            partners = [i for i, s in enumerate(shapes_pool) if _broadcasts(sa, s)]
            b = draw(st.sampled_from(partners))
            d = {"op": draw(st.sampled_from(sorted(BINARY))), "a": a, "b": b}
            out = np.broadcast_shapes(sa, shapes_pool[b])
        elif kind == "sum":
            if not sa:
                continue
            axis = draw(st.one_of(st.none(), st.integers(0, len(sa) - 1)))
            keepdims = draw(st.booleans())
            d = {"a": a, "axis": axis, "keepdims": keepdims}
            out = sum_shape(sa, axis, keepdims)
        elif kind == "reshape":
            size = int(np.prod(sa))
            if size == 0:
                continue
            options = [s for s in [(size,), (1, size), (size, 1)] + _factorizations(size)]
            d = {"a": a, "shape": draw(st.sampled_from(options))}
            out = d["shape"]
        elif kind == "transpose":
            d = {"a": a}
            out = tuple(reversed(sa))
        else:  # slice along the first axis
            if not sa:
                continue
            start = draw(st.integers(0, sa[0]))
            stop = draw(st.integers(start, sa[0]))
            d = {"a": a, "key": slice(start, stop)}
            out = (stop - start,) + tuple(sa[1:])
        prog.steps.append((kind, d))
        shapes_pool.append(tuple(out))
    return prog


def _broadcasts(a, b):
    try:
        np.broadcast_shapes(a, b)
        return True
    except ValueError:
        return False


def _factorizations(n):
    return [(i, n // i) for i in range(2, n) if n % i == 0][:3]


def _write_numpy(c, how, v):
    if how == "fill" or c.ndim == 0:
        c[...] = v if how != "iadd" else c + v
    elif how == "iadd":
        c += v
    else:
        c[:1] = v


def _write_fg(arr, how, v):
    if arr.ndim == 0 and how != "iadd":
        arr[...] = v
    elif how == "fill":
        arr[:] = v
    elif how == "iadd":
        arr += v
    elif arr.shape[0]:
        arr[:1] = v


def run_fg(prog, inputs, constants):
    """Replays the program with ferrograd: inputs are variables, constants are written in
    place (outside record) between ops. Returns the pool of values."""
    xs = [nd.array(v, dtype=prog.dtype) for v in inputs]
    for x in xs:
        x.attach_grad()
    cs = [nd.array(c, dtype=prog.dtype) for c in constants]
    pool = xs + cs
    with autograd.record():
        for kind, d in prog.steps:
            if kind == "write":
                with autograd.pause():
                    _write_fg(cs[d["const"]], d["how"], d["v"])
                continue
            pool.append(apply_fg(kind, d, pool))
    return xs, pool


def apply_fg(kind, d, pool):
    if kind == "unary":
        return UNARY[d["op"]][0](pool[d["a"]])
    if kind == "binary":
        return BINARY[d["op"]][0](pool[d["a"]], pool[d["b"]])
    x = pool[d["a"]]
    if kind == "sum":
        return nd.sum(x, axis=d["axis"], keepdims=d["keepdims"])
    if kind == "reshape":
        return x.reshape(d["shape"])
    if kind == "transpose":
        return x.transpose()
    if kind == "slice":
        return x[d["key"]]
    raise AssertionError(kind)


def head_numpy(pool, nin, weights):
    # A weighted sum of every computed value: each op's gradient path is exercised.
    total = 0.0
    for v, w in zip(pool[nin:], weights):
        total += float(np.sum(np.asarray(v, np.float64) * w))
    return total


def assert_same(fg, want, rtol, what):
    got = fg.asnumpy()
    want = np.asarray(want)
    assert got.shape == want.shape, (what, got.shape, want.shape)
    np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol, err_msg=what)


@FUZZ
@given(prog=programs(), data=st.data())
def test_random_programs_match_numpy_forward_and_backward(prog, data):
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    inputs = [rng.uniform(-1.5, 1.5, s).astype(np.float64) for s in prog.input_shapes]
    constants = [rng.uniform(-1.5, 1.5, s).astype(np.float64) for s in prog.const_shapes]
    if prog.dtype == "float32":
        inputs = [v.astype(np.float32).astype(np.float64) for v in inputs]
        constants = [c.astype(np.float32).astype(np.float64) for c in constants]
    xs, pool = run_fg(prog, inputs, constants)
    nin = len(inputs) + len(constants)
    want_pool = prog.run_numpy(inputs, constants)
    rtol = 1e-9 if prog.dtype == "float64" else 2e-4
    computed = pool[nin:]
    for i, (got, want) in enumerate(zip(computed, want_pool[len(inputs) + len(constants):])):
        assert_same(got, want, rtol, "value %d of %s" % (i, prog.steps))
    # Inputs are unchanged by the program; constants hold their last write.
    for x, v in zip(xs, inputs):
        assert_same(x, v, 0, "input")
    if not computed:
        return
    want_values = want_pool[len(inputs) + len(constants):]
    if not all(np.isfinite(w).all() and np.abs(w).max(initial=0) < 1e4 for w in want_values):
        return  # values overflowing float64 (exp of exp of ...) leave no gradient to compare
    weights = [rng.uniform(0.5, 1.5, np.asarray(w).shape) for w in want_values]
    with autograd.record():
        # (+ 0 * each input: the head depends on every input even if the program does not)
        head = sum((x.sum() * 0 for x in xs), (computed[0] * nd.array(weights[0], dtype=prog.dtype)).sum())
        for v, w in zip(computed[1:], weights[1:]):
            head = head + (v * nd.array(w, dtype=prog.dtype)).sum()
    head.backward()
    if prog.dtype != "float64":
        for x in xs:  # float32: gradients exist and are finite
            assert np.isfinite(x.grad.asnumpy()).all()
        return

    def f(values):
        p = prog.run_numpy(values, constants)
        return head_numpy(p, len(values) + len(constants), weights)

    eps = 1e-6
    for k, x in enumerate(xs):
        want = np.zeros(inputs[k].shape)
        for idx in np.ndindex(inputs[k].shape):
            up = [v.copy() for v in inputs]
            dn = [v.copy() for v in inputs]
            up[k][idx] += eps
            dn[k][idx] -= eps
            want[idx] = (f(up) - f(dn)) / (2 * eps)
        assert_same(x.grad, want, 1e-5, "gradient of input %d of %s" % (k, prog.steps))


# ---- 2. the public API with random arguments ------------------------------------------------

def odd_values():
    """Arguments of every wrong kind, and extreme numbers."""
    return st.one_of(
        st.none(), st.booleans(), st.text(max_size=3),
        st.integers(-3, 6),
        # Huge sizes are ones no machine can hold (refused before allocating); sizes a
        # machine could hold but slowly (2**31 float32s: 8 GB) are left out on purpose.
        st.sampled_from([-1, -(2**31), 2**40, 2**62, 2**63, 2**64, 2**70, -(2**70)]),
        st.sampled_from([float("nan"), float("inf"), -float("inf"), 1e300, -0.0, 0.5, 1e-300]),
        st.tuples(st.integers(-2, 4), st.integers(-2, 4)),
        st.sampled_from([(2**62, 4), (0, 2**62, 4), (2**40, 2**40), (-1,), (), (3, 0)]),
        st.lists(st.floats(allow_nan=True), max_size=3),
        st.sampled_from([object(), {}, [None], [[1], [2, 3]], 1j, np.float32(2.0),
                         np.array([1.0, 2.0]), np.zeros((2, 0)), slice(None), Ellipsis]),
    )


@st.composite
def arrays(draw):
    dtype = draw(st.sampled_from(["float32", "float64", "int32", "int64", "uint8"]))
    shape = draw(st.lists(st.integers(0, 3), max_size=3).map(tuple))
    values = draw(st.sampled_from([0.0, 1.5, -2.0, float("nan"), float("inf")]))
    base = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape) + values
    if dtype in ("int32", "int64", "uint8"):
        base = np.nan_to_num(base, nan=0, posinf=1, neginf=0) % 200
    return nd.array(base, dtype=dtype)


def public_functions():
    names = sorted(n for n in dir(nd) if not n.startswith("_") and callable(getattr(nd, n)))
    # Functions that write files or block are left out: everything else is fair game.
    skip = {"save", "load", "waitall", "NDArray", "array", "cpu"}
    funcs = [(n, getattr(nd, n)) for n in names if n not in skip]
    funcs += [("random." + n, getattr(nd.random, n)) for n in dir(nd.random)
              if not n.startswith("_") and callable(getattr(nd.random, n))]
    funcs += [("linalg." + n, getattr(nd.linalg, n)) for n in dir(nd.linalg)
              if not n.startswith("_") and callable(getattr(nd.linalg, n))]
    funcs += [("array", nd.array)]
    return funcs


FUNCTIONS = public_functions()
METHODS = ["reshape", "transpose", "sum", "mean", "max", "argmax", "astype", "__getitem__",
           "__setitem__", "__iadd__", "__add__", "__mul__", "__truediv__", "__pow__",
           "__eq__", "__matmul__", "attach_grad", "copyto", "slice_axis", "expand_dims",
           "broadcast_to", "tile", "repeat", "clip", "take", "one_hot", "topk", "sort",
           "item", "tolist", "asscalar", "__dlpack__", "norm", "flatten", "squeeze", "split"]


def snapshot(values):
    out = []
    for v in values:
        if isinstance(v, nd.NDArray):
            out.append((v, v.asnumpy().copy(), v.shape))
    return out


def assert_unchanged(snap):
    for a, values, shape in snap:
        assert a.shape == shape
        np.testing.assert_array_equal(a.asnumpy(), values)


def call_checked(fn, args, kwargs, mutates=False):
    snap = snapshot(list(args) + list(kwargs.values()))
    try:
        fn(*args, **kwargs)
    except BaseException as e:  # noqa: B036 - anything but the allowed errors fails
        if type(e).__name__ == "PanicException":
            pytest.fail("a Rust panic reached Python: %r (%r %r)" % (e, args, kwargs))
        if not isinstance(e, ALLOWED):
            pytest.fail("%s: %r for %r %r" % (type(e).__name__, e, args, kwargs))
        assert_unchanged(snap)  # a failed call changes nothing
        return
    if not mutates:
        assert_unchanged(snap)


@FUZZ
@given(data=st.data())
def test_public_functions_with_random_arguments_fail_cleanly(data):
    name, fn = data.draw(st.sampled_from(FUNCTIONS), label="function")
    n = data.draw(st.integers(0, 4))
    args = [data.draw(st.one_of(arrays(), odd_values())) for _ in range(n)]
    kwargs = {}
    for key in data.draw(st.lists(st.sampled_from(
            ["axis", "shape", "dtype", "k", "out", "keepdims", "loc", "scale", "low", "high",
             "begin", "end", "depth", "repeats", "reps", "num_outputs", "transpose_a"]),
            max_size=2, unique=True)):
        kwargs[key] = data.draw(st.one_of(arrays(), odd_values()))
    call_checked(fn, args, kwargs, mutates="out" in kwargs)


@FUZZ
@given(data=st.data())
def test_ndarray_methods_with_random_arguments_fail_cleanly(data):
    x = data.draw(arrays(), label="array")
    name = data.draw(st.sampled_from(METHODS), label="method")
    n = data.draw(st.integers(0, 3))
    args = [data.draw(st.one_of(arrays(), odd_values())) for _ in range(n)]
    mutates = name in ("__setitem__", "__iadd__", "attach_grad", "copyto")
    snap_x = snapshot([x])
    method = getattr(x, name)
    call_checked(method, args, {}, mutates=True)
    if not mutates:
        assert_unchanged(snap_x)
