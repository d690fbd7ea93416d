"""MXNet parity of the nd API (issue 11): the remaining names, ``out=`` and in-place
conventions, flags given as 0/1, MXNet's keyword forms, NaN propagation, and autograd's
module surface.

Expected values marked "MXNet" were produced by MXNet 1.9.1 (CPU build, NumPy 1.23.5) with
the same calls; where ferrograd deliberately differs, the test says so and why. The op table
(tests/op_table.py) checks each new function against NumPy and central differences; this file
checks what the table cannot express.
"""

import inspect
import math

import numpy as np
import pytest

import ferrograd
from ferrograd import autograd, nd
from ferrograd.base import (ArgumentTypeError, GraphError, InvalidArgumentError, MXNetError,
                            ShapeError)

from op_table import OP_ROWS

F64 = "float64"
NAN, INF = float("nan"), float("inf")


def grads_of(f, *arrays, head=None, dtype=F64):
    """f(*xs) and the gradients of each x (as NumPy arrays)."""
    xs = [nd.array(a, dtype=dtype) for a in arrays]
    for x in xs:
        x.attach_grad()
    with autograd.record():
        y = f(*xs)
    y.backward(None if head is None else nd.array(head, dtype=dtype))
    return y.asnumpy(), [x.grad.asnumpy() for x in xs]


# ----------------------------------------------------------------------------------------
# NaN propagation: values and gradients as MXNet 1.9.1 (values also as NumPy)
# ----------------------------------------------------------------------------------------

# (id, f, inputs, value, gradients with a head of ones, NumPy's value or None)
NAN_CASES = [
    # MXNet's relu keeps NaN and its gradient there is NaN (not 0 as before)
    ("relu", nd.relu, ([NAN, -1.0, 0.0, 2.0],), [NAN, 0.0, 0.0, 2.0],
     [[NAN, 0.0, 0.0, 1.0]], lambda x: np.maximum(x, 0.0)),
    ("relu_method", lambda x: x.relu(), ([NAN, -INF, INF],), [NAN, 0.0, INF],
     [[NAN, 0.0, 1.0]], lambda x: np.maximum(x, 0.0)),
    # Deliberate difference: MXNet 1.9.1's Activation(act_type='relu') maps NaN to 0 (value
    # and gradient) while its relu keeps it; ferrograd gives both relu's answer, NumPy's, so
    # that a NaN never silently disappears from a network.
    ("Activation_relu", lambda x: nd.Activation(x, act_type="relu"), ([NAN, -1.0, 2.0],),
     [NAN, 0.0, 2.0], [[NAN, 0.0, 1.0]], lambda x: np.maximum(x, 0.0)),
    # maximum / minimum: NaN wins the value; a NaN position sends the gradient nowhere (MXNet)
    ("maximum_scalar", lambda x: nd.maximum(x, 1.0), ([NAN, -1.0, 1.0, 2.0],),
     [NAN, 1.0, 1.0, 2.0], [[0.0, 0.0, 1.0, 1.0]], lambda x: np.maximum(x, 1.0)),
    ("maximum_scalar_left", lambda x: nd.maximum(1.0, x), ([NAN, -1.0, 2.0],),
     [NAN, 1.0, 2.0], [[0.0, 0.0, 1.0]], lambda x: np.maximum(1.0, x)),
    ("minimum_scalar", lambda x: nd.minimum(x, 1.0), ([NAN, -1.0, 1.0, 2.0],),
     [NAN, -1.0, 1.0, 1.0], [[0.0, 1.0, 1.0, 0.0]], lambda x: np.minimum(x, 1.0)),
    ("maximum_nan_scalar", lambda x: nd.maximum(x, NAN), ([1.0, 5.0],), [NAN, NAN],
     [[0.0, 0.0]], lambda x: np.maximum(x, NAN)),
    ("maximum", nd.maximum, ([NAN, 1.0, 1.0, NAN], [1.0, NAN, 1.0, NAN]),
     [NAN, NAN, 1.0, NAN], [[0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 0.0]], np.maximum),
    ("minimum", nd.minimum, ([NAN, 1.0, 1.0, NAN], [1.0, NAN, 1.0, NAN]),
     [NAN, NAN, 1.0, NAN], [[0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 0.0]], np.minimum),
    ("broadcast_maximum", nd.broadcast_maximum, ([[NAN], [2.0]], [[1.0, 3.0]]),
     [[NAN, NAN], [2.0, 3.0]], [[[0.0], [1.0]], [[0.0, 1.0]]], np.maximum),
    # max / min: a NaN in a row makes the row's result NaN, and that row's elements get no
    # gradient (MXNet compares each element with the result, and NaN equals nothing)
    ("max_axis1", lambda x: nd.max(x, axis=1), ([[1.0, NAN, 3.0], [1.0, 2.0, 3.0]],),
     [NAN, 3.0], [[[0.0, 0.0, 0.0], [0.0, 0.0, 1.0]]], lambda x: np.max(x, axis=1)),
    ("min_axis1", lambda x: nd.min(x, axis=1), ([[1.0, NAN, 3.0], [1.0, 2.0, 3.0]],),
     [NAN, 1.0], [[[0.0, 0.0, 0.0], [1.0, 0.0, 0.0]]], lambda x: np.min(x, axis=1)),
    ("max_first_and_last", lambda x: nd.max(x, axis=1), ([[NAN, 1.0, 3.0], [3.0, 2.0, NAN]],),
     [NAN, NAN], [[[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]], lambda x: np.max(x, axis=1)),
    ("max_all", nd.max, ([[1.0, NAN], [2.0, 3.0]],), [NAN],
     [[[0.0, 0.0], [0.0, 0.0]]], lambda x: np.max(x).reshape(1)),
    ("max_axis0_method", lambda x: x.max(axis=0), ([[NAN, 1.0], [2.0, 3.0]],), [NAN, 3.0],
     [[[0.0, 0.0], [0.0, 1.0]]], lambda x: np.max(x, axis=0)),
    # clip keeps NaN, and passes its gradient (MXNet: only x < a_min or x > a_max stop it)
    ("clip", lambda x: nd.clip(x, -0.5, 0.5), ([NAN, -1.0, 0.0, 2.0, 0.5],),
     [NAN, -0.5, 0.0, 0.5, 0.5], [[1.0, 0.0, 1.0, 0.0, 1.0]],
     lambda x: np.clip(x, -0.5, 0.5)),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", NAN_CASES, ids=[c[0] for c in NAN_CASES])
def test_nan_propagates_as_mxnet(case, dtype):
    _, f, inputs, value, grads, numpy_ref = case
    y, gs = grads_of(f, *inputs, dtype=dtype)
    assert y.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(y, np.array(value, dtype=dtype))  # NaN equals NaN here
    if numpy_ref is not None:
        np.testing.assert_array_equal(y, numpy_ref(*[np.array(a, dtype) for a in inputs]))
    assert len(gs) == len(grads)
    for g, want in zip(gs, grads):
        np.testing.assert_array_equal(g, np.array(want, dtype=dtype))


def test_nan_gradient_reaches_through_relu_in_a_chain():
    """A NaN input reaches the gradient of what it feeds, through relu, in both the fused
    first-order rule and the recorded one (create_graph)."""
    x = nd.array([NAN, 2.0, -1.0], dtype=F64)
    x.attach_grad()
    with autograd.record():
        (g,) = autograd.grad((nd.relu(x) * 3).sum(), [x], create_graph=True)
    np.testing.assert_array_equal(g.asnumpy(), [NAN, 3.0, 0.0])
    with autograd.record():
        y = (nd.relu(x) * 3).sum()
    y.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), [NAN, 3.0, 0.0])


def test_argmax_takes_the_nan():
    # MXNet: a NaN is the largest and the smallest element (argmax and argmin pick it)
    x = nd.array([[1.0, NAN, 3.0], [2.0, 2.0, 1.0], [NAN, 5.0, 1.0], [0.0, 1.0, NAN]])
    np.testing.assert_array_equal(nd.argmax(x, axis=1).asnumpy(), [1.0, 0.0, 0.0, 2.0])
    np.testing.assert_array_equal(nd.argmin(x, axis=1).asnumpy(), [1.0, 2.0, 0.0, 2.0])
    np.testing.assert_array_equal(nd.argmax_channel(x).asnumpy(), [1.0, 0.0, 0.0, 2.0])


# ----------------------------------------------------------------------------------------
# out=: every function that takes it writes into it and returns it
# ----------------------------------------------------------------------------------------


def _python_functions(module):
    for name, f in vars(module).items():
        if not name.startswith("_") and inspect.isfunction(f) and f.__module__ == module.__name__:
            yield name, f


def functions_with_out():
    """{function: exported name} for every nd function with an ``out`` parameter: the
    engine's registry and the Python functions of nd, nd.random, nd.linalg, nd.contrib."""
    found = {}
    for ns, name, f, _aliases, _ in ferrograd._core._registry:
        if ns in ("nd", "linalg") and "out" in inspect.signature(f).parameters:
            found[f] = ("linalg." if ns == "linalg" else "") + name
    for prefix, module in [("", nd), ("random.", nd.random), ("linalg.", nd.linalg),
                           ("contrib.", nd.contrib)]:
        for name, f in _python_functions(module):
            if "out" in inspect.signature(f).parameters:
                found[f] = prefix + name
    return found


def _zeros_for(want):
    return nd.zeros(want.shape, dtype=want.dtype)


# Functions whose op-table rows cannot take out= (creation, sampling, a row whose call does
# not pass keywords on): f(**kw) calls it; sampled results are compared under one seed.
X = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])
OUT_CALLS = {
    "zeros": lambda **kw: nd.zeros((2, 3), **kw),
    "ones": lambda **kw: nd.ones((2, 3), **kw),
    "full": lambda **kw: nd.full((2, 3), 2.5, **kw),
    "where": lambda **kw: nd.where(nd.array([[1, 0, 1], [0, 0, 1]]), nd.array(X),
                                   nd.array(-X), **kw),
    "fill_element_0index": lambda **kw: nd.fill_element_0index(
        nd.array(X), nd.array([7.0, 8.0]), nd.array([2.0, 0.0]), **kw),
    "onehot_encode": lambda out=None: nd.onehot_encode(
        nd.array([2.0, 0.0]), nd.zeros((2, 3)) if out is None else out),
    "uniform": lambda **kw: nd.uniform(0, 1, shape=(2, 3), **kw),
    "normal": lambda **kw: nd.normal(0, 1, shape=(2, 3), **kw),
    "random.uniform": lambda **kw: nd.random.uniform(0, 1, shape=(2, 3), **kw),
    "random.normal": lambda **kw: nd.random.normal(0, 1, shape=(2, 3), **kw),
    "random.randint": lambda **kw: nd.random.randint(0, 9, shape=(2, 3), **kw),
    "random.exponential": lambda **kw: nd.random.exponential(2.0, shape=(2, 3), **kw),
    "random.gamma": lambda **kw: nd.random.gamma(2.0, 1.0, shape=(2, 3), **kw),
    "random.poisson": lambda **kw: nd.random.poisson(3.0, shape=(2, 3), **kw),
    "random.negative_binomial":
        lambda **kw: nd.random.negative_binomial(3, 0.5, shape=(2, 3), **kw),
    "random.generalized_negative_binomial":
        lambda **kw: nd.random.generalized_negative_binomial(2.0, 0.5, shape=(2, 3), **kw),
    "random.multinomial":
        lambda **kw: nd.random.multinomial(nd.array([[0.2, 0.8], [0.5, 0.5]]), shape=3, **kw),
    "random.uniform_like": lambda **kw: nd.random.uniform_like(nd.zeros((2, 3)), **kw),
    "random.normal_like": lambda **kw: nd.random.normal_like(nd.zeros((2, 3)), **kw),
    "random.gamma_like": lambda **kw: nd.random.gamma_like(nd.zeros((2, 3)), **kw),
    "random.exponential_like": lambda **kw: nd.random.exponential_like(nd.zeros((2, 3)), **kw),
    "random.poisson_like": lambda **kw: nd.random.poisson_like(nd.zeros((2, 3)), **kw),
    "random.negative_binomial_like":
        lambda **kw: nd.random.negative_binomial_like(nd.zeros((2, 3)), k=2, p=0.5, **kw),
    "random.generalized_negative_binomial_like":
        lambda **kw: nd.random.generalized_negative_binomial_like(nd.zeros((2, 3)), **kw),
}


def _check_out(call, name):
    nd.random.seed(11)
    want = call()
    out = _zeros_for(want)
    out_before = out
    nd.random.seed(11)
    got = call(out=out)
    assert got is out_before, "%s(out=...) must return out itself" % name
    assert out.dtype == want.dtype and out.shape == want.shape, name
    np.testing.assert_array_equal(out.asnumpy(), want.asnumpy(), err_msg=name)


def _try_rows(f, name, rng):
    """Calls f with out= through one of its op-table rows; False when none passes keywords
    on (its `call` has no **kw) or returns a list."""
    for row in OP_ROWS:
        if row.op is not f:
            continue
        xs = [nd.array(a) for a in row.sample(rng)]
        fn = row.call or row.op
        args = row._prepped(xs)
        want = fn(*args, **row.kwargs)
        if isinstance(want, list):
            continue
        try:
            _check_out(lambda **kw: fn(*args, **row.kwargs, **kw), name)
        except TypeError as e:
            if "out" in str(e):
                continue
            raise
        return True
    return False


def test_every_function_that_takes_out_writes_into_it_and_returns_it(rng):
    functions = functions_with_out()
    assert len(functions) > 130
    untested = []
    for f, name in sorted(functions.items(), key=lambda kv: kv[1]):
        if name in OUT_CALLS:
            _check_out(OUT_CALLS[name], name)
        elif not _try_rows(f, name, rng):
            untested.append(name)
    assert not untested, "functions with out= that no test calls with it: %s" % untested


def test_out_of_the_wrong_shape_is_refused_and_left_alone():
    x = nd.array(X)
    out = nd.ones((5,))
    for call in (lambda: nd.relu(x, out=out), lambda: nd.add_n(x, x, out=out),
                 lambda: nd.zeros((2, 3), out=out), lambda: nd.sum(x, axis=1, out=out)):
        with pytest.raises(InvalidArgumentError, match="out"):
            call()
        np.testing.assert_array_equal(out.asnumpy(), np.ones(5))


# ----------------------------------------------------------------------------------------
# inplace=True on x.flatten / x.squeeze / x.expand_dims: a view sharing x's memory (MXNet)
# ----------------------------------------------------------------------------------------

INPLACE = [
    ("flatten", lambda x, **kw: x.flatten(**kw), (2, 3)),
    ("squeeze", lambda x, **kw: x.squeeze(**kw), (2, 3)),
    ("squeeze_axis", lambda x, **kw: x.squeeze(axis=2, **kw), (2, 3)),
    ("expand_dims", lambda x, **kw: x.expand_dims(0, **kw), (1, 2, 3, 1)),
]


@pytest.mark.parametrize("name, method, shape", INPLACE, ids=[c[0] for c in INPLACE])
def test_inplace_methods_share_memory(name, method, shape):
    base = np.arange(6.0).reshape(2, 3, 1)
    x = nd.array(base)
    y = method(x, inplace=True)
    assert y.shape == shape
    y[:] = -1.0  # MXNet: writes through the view reach x ...
    np.testing.assert_array_equal(x.asnumpy(), np.full((2, 3, 1), -1.0))
    x[:] = 5.0  # ... and writes to x show in the view
    np.testing.assert_array_equal(y.asnumpy(), np.full(shape, 5.0))
    # without inplace (and with inplace=0, MXNet's parser's False) it is a copy
    for kw in ({}, {"inplace": False}, {"inplace": 0}):
        x = nd.array(base)
        z = method(x, **kw)
        assert z.shape == shape
        z[:] = -1.0
        np.testing.assert_array_equal(x.asnumpy(), base)


def test_inplace_views_carry_gradients():
    # MXNet: a.expand_dims(0, inplace=True) under record() differentiates as a reshape
    a = nd.array([[1.0, 2.0]])
    a.attach_grad()
    with autograd.record():
        y = a.expand_dims(0, inplace=True)
        z = (y * y).sum()
    z.backward()
    np.testing.assert_array_equal(a.grad.asnumpy(), [[2.0, 4.0]])
    a = nd.array([[1.0, 2.0]])
    a.attach_grad()
    with autograd.record():
        b = a * 2
        y = b.flatten(inplace=True)
        z = (y * y).sum()
    z.backward()
    np.testing.assert_array_equal(a.grad.asnumpy(), [[8.0, 16.0]])


def test_inplace_with_out_is_refused():
    x = nd.ones((2, 3, 1))
    with pytest.raises(InvalidArgumentError, match="inplace"):
        x.flatten(inplace=True, out=nd.zeros((2, 3)))
    out = nd.zeros((2, 3))
    assert x.squeeze(out=out) is out
    np.testing.assert_array_equal(out.asnumpy(), np.ones((2, 3)))


# ----------------------------------------------------------------------------------------
# flags: keepdims=1 (and every other bool parameter given as 0/1) as in MXNet
# ----------------------------------------------------------------------------------------


def _rows_with_flags():
    return [r for r in OP_ROWS if any(isinstance(v, bool) for v in r.kwargs.values())]


def test_every_flag_in_the_table_accepts_0_and_1(rng):
    rows = _rows_with_flags()
    assert len(rows) > 40
    flags = set()
    for row in rows:
        xs = [nd.array(a) for a in row.sample(rng)]
        want = row.invoke(*xs)
        as_ints = {k: int(v) if isinstance(v, bool) else v for k, v in row.kwargs.items()}
        flags |= {k for k, v in row.kwargs.items() if isinstance(v, bool)}
        got = (row.call or row.op)(*row._prepped(xs), **as_ints)
        for g, w in zip(got if isinstance(got, list) else [got],
                        want if isinstance(want, list) else [want]):
            assert g.shape == w.shape, row.id
            np.testing.assert_array_equal(g.asnumpy(), w.asnumpy(), err_msg=row.id)
    assert {"keepdims", "exclude", "transpose_a", "transpose_b", "is_ascend", "squeeze_axis",
            "no_bias", "flatten", "transpose", "rightside", "lower"} <= flags


def test_flags_accept_what_mxnet_parses():
    a = nd.ones((2, 3))
    want = [[3.0], [3.0]]
    for v in (True, 1, np.bool_(True), np.int64(1), "True", "1"):
        np.testing.assert_array_equal(nd.sum(a, axis=1, keepdims=v).asnumpy(), want)
        np.testing.assert_array_equal(a.sum(axis=1, keepdims=v).asnumpy(), want)
    for v in (False, 0, np.bool_(False), "False", "0"):
        assert nd.sum(a, axis=1, keepdims=v).shape == (2,)
    # the other flags of the hand-written functions and methods
    assert nd.argmax(a, axis=1, keepdims=1).shape == (2, 1)
    assert nd.norm(a, axis=1, keepdims=1).shape == (2, 1)
    assert nd.dot(a, a, transpose_a=1).shape == (3, 3)
    assert nd.linspace(0, 1, 4, endpoint=0).asnumpy().tolist() == [0.0, 0.25, 0.5, 0.75]
    np.testing.assert_array_equal(nd.topk(nd.array([[3.0, 1.0, 2.0]]), is_ascend=1).asnumpy(),
                                  [[1.0]])
    assert [p.shape for p in nd.split(nd.ones((2, 2)), 2, axis=0, squeeze_axis=1)] == [(2,), (2,)]
    assert a.astype("float32", copy=0).shape == (2, 3)
    x = nd.array([1.0, 2.0])
    x.attach_grad()
    with autograd.record():
        y = x * x
    y.backward(retain_graph=1)
    y.backward(train_mode=0)
    np.testing.assert_array_equal(x.grad.asnumpy(), [2.0, 4.0])


@pytest.mark.parametrize("value", [2, -1, 1.0, None, "yes"])
def test_a_flag_that_is_not_a_boolean_is_refused_by_name(value):
    with pytest.raises(InvalidArgumentError, match="keepdims") as info:
        nd.sum(nd.ones((2, 3)), axis=1, keepdims=value)
    assert isinstance(info.value, ValueError)


# ----------------------------------------------------------------------------------------
# MXNet's keyword forms: transpose(axes=), broadcast_like(lhs_axes=, rhs_axes=), slice_like
# with negative axes
# ----------------------------------------------------------------------------------------


def test_transpose_method_takes_axes_as_a_keyword():
    a = np.arange(24.0).reshape(2, 3, 4)
    x = nd.array(a)
    for y in (x.transpose(axes=(2, 0, 1)), x.transpose((2, 0, 1)), x.transpose(2, 0, 1),
              nd.transpose(x, axes=(2, 0, 1)), x.transpose(axes=(-1, 0, 1))):
        np.testing.assert_array_equal(y.asnumpy(), a.transpose(2, 0, 1))
    np.testing.assert_array_equal(x.transpose(axes=None).asnumpy(), a.T)
    np.testing.assert_array_equal(x.transpose().asnumpy(), a.T)
    with pytest.raises(TypeError, match="axes"):
        x.transpose((2, 0, 1), axes=(2, 0, 1))


@pytest.mark.parametrize("lhs, rhs, lhs_axes, rhs_axes, shape", [
    ((1, 3), (2, 4), (0,), (0,), (2, 3)),  # MXNet
    ((1, 3), (2, 4), (-2,), (-2,), (2, 3)),  # MXNet: negative axes
    ((1, 3, 1), (5, 2, 4), (0, 2), (1, 2), (2, 3, 4)),  # MXNet
    ((1, 3), (5, 2, 4), 0, 2, (4, 3)),  # MXNet: ints, and another rank
    ((1, 3), (5, 2, 4), (0, 0), (0, 1), (2, 3)),  # MXNet: a repeated axis, the last wins
    ((1, 3), (1, 2, 4), (0,), (0,), (1, 3)),  # MXNet
    ((1, 3), (2, 3), (0,), None, (2, 3)),  # MXNet: one side only is the plain broadcast
    ((1, 3), (2, 3), None, (0,), (2, 3)),
])
def test_broadcast_like_axes(lhs, rhs, lhs_axes, rhs_axes, shape):
    a = np.arange(float(np.prod(lhs))).reshape(lhs)
    y = nd.broadcast_like(nd.array(a), nd.zeros(rhs), lhs_axes=lhs_axes, rhs_axes=rhs_axes)
    np.testing.assert_array_equal(y.asnumpy(), np.broadcast_to(a, shape))


def test_broadcast_like_axes_gradient_and_method():
    # MXNet: y = broadcast_like(x (1, 3), ones (4, 2), lhs_axes=(0,), rhs_axes=(0,)),
    # head arange(12).reshape(4, 3): x.grad = [[18, 22, 26]]
    y, (g,) = grads_of(lambda x: nd.broadcast_like(x, nd.ones((4, 2), dtype=F64),
                                                   lhs_axes=(0,), rhs_axes=(0,)),
                       [[1.0, 2.0, 3.0]], head=np.arange(12.0).reshape(4, 3))
    np.testing.assert_array_equal(y, [[1.0, 2.0, 3.0]] * 4)
    np.testing.assert_array_equal(g, [[18.0, 22.0, 26.0]])
    # the method takes the axes too (MXNet's does not: an extension)
    assert nd.ones((1, 3)).broadcast_like(nd.ones((2, 4)), lhs_axes=0, rhs_axes=0).shape == (2, 3)


@pytest.mark.parametrize("data, like, axes, shape", [
    ((4, 5), (2, 3), (-1,), (4, 3)),  # MXNet
    ((4, 5, 6), (2, 3, 2), (-1, -3), (2, 5, 2)),  # MXNet
    ((4, 5, 6), (2, 3), (0, 1), (2, 3, 6)),  # MXNet: another rank, with axes
    ((4, 5), (2, 3), (1, -1), (4, 3)),  # MXNet: one axis twice
    ((4, 5), (2, 3), (), (2, 3)),  # MXNet: empty axes, every axis
])
def test_slice_like_axes(data, like, axes, shape):
    a = np.arange(float(np.prod(data))).reshape(data)
    y = nd.slice_like(nd.array(a), nd.zeros(like), axes=axes)
    np.testing.assert_array_equal(y.asnumpy(), a[tuple(slice(0, n) for n in shape)])


@pytest.mark.parametrize("data, like, axes", [
    ((4, 5), (2, 3), (-3,)),  # MXNet: "Slice axis: -3 too small"
    ((4, 5, 6), (2, 3), (-1,)),  # MXNet: axis 2 "exceeds second input"
    ((4, 5, 6), (2, 3), None),  # MXNet: "ndim mismatch"
    ((4, 5), (6, 3), None),  # MXNet: "exceeds limit of input"
])
def test_slice_like_refuses_what_mxnet_refuses(data, like, axes):
    with pytest.raises((ShapeError, IndexError)) as info:
        nd.slice_like(nd.ones(data), nd.ones(like), axes=axes)
    assert isinstance(info.value, MXNetError)


# ----------------------------------------------------------------------------------------
# The new names: values MXNet gives
# ----------------------------------------------------------------------------------------


def test_softmin_matches_mxnet():
    a = nd.array([[1, 2, 3], [-1, 0, 4]], dtype=F64)
    np.testing.assert_allclose(nd.softmin(a).asnumpy(), [
        [0.6652409557748218, 0.24472847105479764, 0.09003057317038046],
        [0.7274751568004648, 0.2676231541498624, 0.004901689049672921]], rtol=1e-14)
    np.testing.assert_allclose(nd.softmin(a, axis=0, temperature=2).asnumpy(), [
        [0.2689414213699951, 0.2689414213699951, 0.6224593312018546],
        [0.7310585786300049, 0.7310585786300049, 0.37754066879814546]], rtol=1e-14)
    np.testing.assert_allclose(a.softmin().asnumpy(), nd.softmin(a).asnumpy(), rtol=0)
    _, (g,) = grads_of(nd.softmin, [[1.0, 2.0, 3.0]], head=[[1.0, 0.0, 0.0]])
    np.testing.assert_allclose(g, [[-0.2226954265346234, 0.1628034019898044,
                                    0.05989202454481893]], rtol=1e-13)
    y = nd.softmin(nd.array([[1, 2, 3]]), dtype="float64")  # MXNet: float64 output
    assert y.dtype == np.float64
    np.testing.assert_allclose(y.asnumpy(), [[0.66524094, 0.24472848, 0.09003057]], rtol=1e-6)


def test_gamma_matches_mxnet():
    x = [0.5, 1.0, 2.5, 5.0, -0.5, -1.5]
    y, (g,) = grads_of(nd.gamma, x)
    np.testing.assert_allclose(y, [1.772453850905516, 1.0, 1.329340388179137, 24.0,
                                   -3.5449077018110318, 2.363271801207355], rtol=1e-14)  # MXNet
    # Gamma'(x) = Gamma(x) digamma(x): Gamma(0.5) = sqrt(pi), digamma(0.5) = -gamma - 2 ln 2,
    # digamma(1) = -gamma, digamma(5) = 25/12 - gamma (Euler's gamma 0.5772156649015329)
    euler = 0.5772156649015329
    np.testing.assert_allclose(g[[0, 1, 3]], [math.sqrt(math.pi) * (-euler - 2 * math.log(2)),
                                              -euler, 24.0 * (25.0 / 12.0 - euler)], rtol=1e-14)
    # MXNet 1.9.1 gives these within 2.3e-6 (relative): its float64 gradient goes through
    # float32 somewhere (it gives -3.4802307575806073 at 0.5, the exact value being
    # -3.480230906913262); ferrograd's is exact in float64.
    np.testing.assert_allclose(g, [-3.4802307575806073, -0.5772156649015329,
                                   0.9347346336255761, 36.14682404236321,
                                   -0.12935388846084703, 1.661750459778802], rtol=3e-6)
    # MXNet, float32: poles, overflow and the infinities
    special = nd.gamma(nd.array([0.0, -0.0, -1.0, 171.0, INF, -INF, NAN])).asnumpy()
    np.testing.assert_array_equal(special, [INF, -INF, NAN, INF, INF, NAN, NAN])
    np.testing.assert_allclose(nd.gamma(nd.array([171.0], dtype=F64)).asnumpy(),
                               [7.257415615307999e+306], rtol=1e-13)


def test_stop_gradient_and_blockgrad():
    # MXNet: d/dx (stop_gradient(x) * x) = x; d/dx (BlockGrad(x*x) + x) = 1; alone: 0
    assert nd.BlockGrad is nd.stop_gradient
    _, (g,) = grads_of(lambda x: nd.stop_gradient(x) * x, [1.0, 2.0])
    np.testing.assert_array_equal(g, [1.0, 2.0])
    _, (g,) = grads_of(lambda x: nd.BlockGrad(x * x) + x, [1.0, 2.0])
    np.testing.assert_array_equal(g, [1.0, 1.0])
    y, (g,) = grads_of(nd.stop_gradient, [1.0, 2.0])
    np.testing.assert_array_equal(y, [1.0, 2.0])
    np.testing.assert_array_equal(g, [0.0, 0.0])
    x = nd.array([1.0, 2.0])
    y = nd.stop_gradient(x)
    y[:] = 7.0  # a new array: writing it leaves x alone
    np.testing.assert_array_equal(x.asnumpy(), [1.0, 2.0])


def test_add_n_and_elementwisesum():
    a = nd.array([[1, 2, 3], [4, 5, 6]])
    assert nd.ElementWiseSum is nd.add_n
    np.testing.assert_array_equal(nd.ElementWiseSum(a, a, a).asnumpy(), 3 * a.asnumpy())
    np.testing.assert_array_equal(nd.add_n(a, a, num_args=2).asnumpy(), 2 * a.asnumpy())
    np.testing.assert_array_equal(nd.add_n(a).asnumpy(), a.asnumpy())
    # MXNet: d/dx add_n(x, x*x, x) = 2 + 2x
    _, (g,) = grads_of(lambda x: nd.add_n(x, x * x, x), [1.0, 2.0])
    np.testing.assert_array_equal(g, [4.0, 6.0])


def test_concatenate():
    a, b = nd.array([[1, 2, 3], [4, 5, 6]]), nd.array([[7, 8, 9]])
    np.testing.assert_array_equal(nd.concatenate([a, b]).asnumpy(),
                                  np.concatenate([a.asnumpy(), b.asnumpy()]))
    np.testing.assert_array_equal(nd.concatenate([a, a], axis=1).asnumpy(),
                                  np.concatenate([a.asnumpy()] * 2, axis=1))
    # MXNet: one array with always_copy=False is returned as it is; otherwise a copy
    assert nd.concatenate([a], always_copy=False) is a
    c = nd.concatenate([a])
    assert c is not a
    c[:] = 0
    np.testing.assert_array_equal(a.asnumpy(), [[1, 2, 3], [4, 5, 6]])
    # MXNet 1.9.1 refuses to differentiate concatenate under record() (it writes into a
    # preallocated array); ferrograd records it as concat
    _, (g,) = grads_of(lambda x: nd.concatenate([x, x * 2]), [1.0, 2.0],
                       head=[1.0, 10.0, 100.0, 1000.0])
    np.testing.assert_array_equal(g, [201.0, 2010.0])


def test_split_v2_matches_mxnet():
    a = nd.arange(10).reshape(2, 5)
    parts = nd.split_v2(a, (1, 3), axis=1)
    assert [p.asnumpy().tolist() for p in parts] == [
        [[0.0], [5.0]], [[1.0, 2.0], [6.0, 7.0]], [[3.0, 4.0], [8.0, 9.0]]]  # MXNet
    b = nd.array([[1, 2, 3], [4, 5, 6]])
    one = nd.split_v2(b, 1)  # MXNet: one part is the array, not a list
    assert isinstance(one, nd.NDArray) and one.shape == (2, 3)
    assert isinstance(nd.split_v2(b, ()), nd.NDArray)
    parts = nd.split_v2(b, (0, 2), axis=1)  # MXNet: an empty first part
    assert [p.shape for p in parts] == [(2, 0), (2, 2), (2, 1)]
    assert [p.shape for p in nd.split_v2(b, 2, axis=0, squeeze_axis=True)] == [(3,), (3,)]
    assert [p.shape for p in b.split_v2(3, axis=1)] == [(2, 1)] * 3
    # ferrograd also takes a list (MXNet only a tuple)
    assert [p.shape for p in nd.split_v2(b, [1], axis=1)] == [(2, 1), (2, 2)]
    # MXNet: the gradient of part 1 lands in columns 1 and 2
    _, (g,) = grads_of(lambda x: nd.split_v2(x, (1,), axis=1)[1], [[1.0, 2.0, 3.0],
                                                                   [4.0, 5.0, 6.0]])
    np.testing.assert_array_equal(g, [[0.0, 1.0, 1.0], [0.0, 1.0, 1.0]])


def test_argmax_channel_shape_array_size_array():
    x = nd.array([[1, 3, 3], [2, 2, 1]])
    np.testing.assert_array_equal(nd.argmax_channel(x).asnumpy(), [1.0, 0.0])  # MXNet: ties
    assert x.argmax_channel().dtype == np.float32
    x3 = nd.array(np.arange(24).reshape(2, 3, 4) % 5)
    np.testing.assert_array_equal(nd.argmax_channel(x3).asnumpy(),
                                  [[1, 2, 0, 0], [0, 0, 0, 1]])  # MXNet: over axis 1
    s = nd.shape_array(nd.ones((2, 3, 4), dtype=F64))
    assert s.dtype == np.int64 and s.asnumpy().tolist() == [2, 3, 4]  # MXNet
    n = nd.ones((2, 3)).size_array()
    assert n.dtype == np.int64 and n.asnumpy().tolist() == [6]  # MXNet


def test_choose_and_fill_element_0index():
    a = nd.array([[1, 2, 3], [4, 5, 6]])
    assert nd.choose_element_0index is nd.pick
    # MXNet: out-of-range indices are clipped
    np.testing.assert_array_equal(nd.choose_element_0index(a, nd.array([5, -1])).asnumpy(),
                                  [3.0, 4.0])
    np.testing.assert_array_equal(
        nd.choose_element_0index(a, nd.array([4, -1]), mode="wrap").asnumpy(), [2.0, 6.0])
    # MXNet: indices truncated; a row whose index is outside is left unchanged
    np.testing.assert_array_equal(
        nd.fill_element_0index(a, nd.array([9, 8]), nd.array([1.7, 0.2])).asnumpy(),
        [[1, 9, 3], [8, 5, 6]])
    np.testing.assert_array_equal(
        nd.fill_element_0index(a, nd.array([9, 8]), nd.array([-1, 3])).asnumpy(),
        a.asnumpy())
    np.testing.assert_array_equal(a.asnumpy(), [[1, 2, 3], [4, 5, 6]])  # a copy


def test_onehot_encode_writes_its_out():
    out = nd.ones((2, 3)) * 5
    got = nd.onehot_encode(nd.array([0.7, 2.2]), out)  # MXNet: indices truncated
    assert got is out
    np.testing.assert_array_equal(out.asnumpy(), [[1, 0, 0], [0, 0, 1]])
    nd.onehot_encode(nd.array([5, -1]), out)  # MXNet: outside the classes, a zero row
    np.testing.assert_array_equal(out.asnumpy(), np.zeros((2, 3)))


def test_from_numpy_keeps_the_dtype_and_copies():
    for dt in ("float32", "float64", "int32", "int64", "uint8"):
        a = np.arange(6).reshape(2, 3).astype(dt)
        x = nd.from_numpy(a)
        assert x.dtype == np.dtype(dt) and x.shape == (2, 3)
        np.testing.assert_array_equal(x.asnumpy(), a)
    a = np.arange(6.0).reshape(2, 3)
    for kw in ({}, {"zero_copy": True}, {"zero_copy": False}):
        x = nd.from_numpy(a, **kw)
        # ferrograd always copies (documented): the user's array stays writable and
        # independent (MXNet's zero copy makes it read-only instead)
        assert a.flags.writeable
        a[0, 0] = 100.0
        assert x.asnumpy()[0, 0] == 0.0
        x[0, 1] = 50.0
        assert a[0, 1] == 1.0
        a[0, 0] = 0.0
    # MXNet's zero-copy path refuses non-contiguous arrays; a copy has no such limit
    np.testing.assert_array_equal(nd.from_numpy(a.T).asnumpy(), a.T)


def test_load_frombuffer_reads_what_save_writes(tmp_path):
    path = str(tmp_path / "x.params")
    nd.save(path, {"w": nd.array([[1.5, 2.0]]), "b": nd.array([3], dtype="int64")})
    with open(path, "rb") as f:
        buf = f.read()
    for b in (buf, bytearray(buf), memoryview(buf)):
        got = nd.load_frombuffer(b)
        assert sorted(got) == ["b", "w"]
        np.testing.assert_array_equal(got["w"].asnumpy(), [[1.5, 2.0]])
        assert got["b"].dtype == np.int64
    with pytest.raises(InvalidArgumentError, match="truncated"):
        nd.load_frombuffer(buf[:-3])  # MXNet: also an error


def test_top_level_samplers_take_mxnet_argument_order():
    # nd.uniform(low, high, shape, ctx, dtype): ctx before dtype, unlike nd.random.uniform
    y = nd.uniform(0, 1, (2, 3), ferrograd.cpu(), "float64")
    assert y.shape == (2, 3) and y.dtype == np.float64
    y = nd.normal(1, 2, (4,), None, "float64")
    assert y.shape == (4,) and y.dtype == np.float64
    nd.random.seed(5)
    a = nd.uniform(low=2, high=3, shape=(50,)).asnumpy()
    nd.random.seed(5)
    np.testing.assert_array_equal(nd.random.uniform(2, 3, shape=(50,)).asnumpy(), a)
    assert a.min() >= 2 and a.max() < 3


def test_like_samplers_take_the_shape_and_dtype_of_data():
    d = nd.ones((2, 3), dtype=F64)
    R = nd.random
    for y in (R.uniform_like(d, 5, 6), R.normal_like(d, loc=10, scale=0.01),
              R.gamma_like(d, alpha=2, beta=3), R.exponential_like(d, lam=4),
              R.poisson_like(d, lam=4), R.negative_binomial_like(d, k=3, p=0.4),
              R.generalized_negative_binomial_like(d, mu=2, alpha=0.5)):
        assert y.shape == (2, 3) and y.dtype == np.float64
    assert (R.uniform_like(d, 5, 6).asnumpy() >= 5).all()
    # exponential_like takes the rate (MXNet: lam=4 has mean 0.25)
    nd.random.seed(1)
    assert abs(R.exponential_like(nd.ones((20000,)), lam=4).asnumpy().mean() - 0.25) < 0.01
    # MXNet: the data array gets a zero gradient through a sampler
    x = nd.ones((2,))
    x.attach_grad()
    with autograd.record():
        y = R.uniform_like(x) * x
    y.backward()
    assert np.all((x.grad.asnumpy() >= 0) & (x.grad.asnumpy() < 1))
    # degenerate parameters give zeros, as MXNet (k=0, p=1, mu=0)
    for y in (R.negative_binomial(0, 0.5, shape=(5,)), R.negative_binomial(3, 1, shape=(5,)),
              R.generalized_negative_binomial(0, 1, shape=(5,))):
        np.testing.assert_array_equal(y.asnumpy(), np.zeros(5))


def test_contrib_tests_in_integer_arrays():
    # MXNet: an integer array holds no NaN nor infinity (0/1 in the int dtype)
    i = nd.array([1, 2], dtype="int32")
    for f, want in ((nd.contrib.isnan, [0, 0]), (nd.contrib.isinf, [0, 0]),
                    (nd.contrib.isfinite, [1, 1])):
        y = f(i)
        assert y.dtype == np.int32
        np.testing.assert_array_equal(y.asnumpy(), want)
    # MXNet: isnan(x) * x has gradient isnan(x)
    _, (g,) = grads_of(lambda x: nd.contrib.isnan(x) * x, [1.0, NAN])
    np.testing.assert_array_equal(g, [0.0, 1.0])


def test_methods_of_the_new_functions_equal_the_functions():
    a = np.array([[1.0, 3.0, 2.0], [0.5, -1.0, 4.0]])
    x = nd.array(a)
    for name in ("argmax_channel", "shape_array", "size_array", "softmin", "relu"):
        want = getattr(nd, name)(x)
        got = getattr(x, name)()
        assert got.dtype == want.dtype and got.shape == want.shape, name
        np.testing.assert_array_equal(got.asnumpy(), want.asnumpy(), err_msg=name)
    y = nd.ones((2, 1)).broadcast_axes(axis=1, size=3)
    np.testing.assert_array_equal(y.asnumpy(), np.ones((2, 3)))
    assert [p.shape for p in x.split_v2((1,), axis=1)] == [(2, 1), (2, 2)]


NEW_NAMES = ["uniform", "normal", "stop_gradient", "softmin", "add_n", "concatenate",
             "split_v2", "argmax_channel", "shape_array", "size_array", "fill_element_0index",
             "onehot_encode", "gamma", "from_numpy", "load_frombuffer", "random.uniform_like",
             "random.normal_like", "random.gamma_like", "random.exponential_like",
             "random.poisson_like", "random.negative_binomial_like",
             "random.generalized_negative_binomial_like", "random.negative_binomial",
             "random.generalized_negative_binomial", "contrib.isinf", "contrib.isnan",
             "contrib.isfinite", "broadcast_like", "flatten", "squeeze", "expand_dims"]


@pytest.mark.parametrize("name", NEW_NAMES)
def test_new_functions_have_mxnet_style_docstrings(name):
    obj = nd
    for part in name.split("."):
        obj = getattr(obj, part)
    doc = inspect.getdoc(obj) or ""
    assert len(doc.splitlines()) >= 3, doc
    assert ">>>" in doc, "no example in the docstring of %s" % name


# ----------------------------------------------------------------------------------------
# autograd: backward with no variable that wants a gradient; the module's names
# ----------------------------------------------------------------------------------------


def test_backward_with_every_variable_null_raises_as_mxnet():
    """MXNet: "There are no inputs in computation graph that require gradients." The failed
    call writes nothing and frees nothing."""
    x = nd.array([1.0, 2.0])
    x.attach_grad(grad_req="null")
    w = nd.array([3.0, 4.0])
    w.attach_grad(grad_req="null")
    with autograd.record():
        y = x * w
    for call in (y.backward, lambda: autograd.backward([y]), lambda: autograd.backward(y)):
        with pytest.raises(GraphError, match="no inputs .* require gradients"):
            call()
    # the graph is intact: once a variable wants a gradient, the same graph differentiates
    # (MXNet: attach_grad again makes a new variable, so this needs a fresh record)
    w.attach_grad()
    with autograd.record():
        y = x * w
    y.backward()
    np.testing.assert_array_equal(w.grad.asnumpy(), [1.0, 2.0])


def test_backward_with_some_null_variables_still_works():
    x = nd.array([1.0, 2.0])
    x.attach_grad(grad_req="null")
    w = nd.array([3.0, 4.0])
    w.attach_grad()
    with autograd.record():
        y = x * w
    y.backward()  # MXNet: fine, w.grad = x
    np.testing.assert_array_equal(w.grad.asnumpy(), [1.0, 2.0])


MXNET_AUTOGRAD_API = ["Function", "NDArray", "backward", "get_symbol", "grad", "is_recording",
                      "is_training", "mark_variables", "pause", "predict_mode", "record",
                      "set_recording", "set_training", "train_mode"]


def test_star_import_of_autograd_gives_mxnets_public_names():
    """`from mxnet.autograd import *` (no __all__ there) gives these API names, besides
    implementation imports (ctypes, check_call, ...) that are no part of the API."""
    scope = {}
    exec("from ferrograd.autograd import *", scope)
    missing = [n for n in MXNET_AUTOGRAD_API if n not in scope]
    assert not missing, missing
    assert scope["NDArray"] is nd.NDArray


def test_mark_variables_and_get_symbol():
    x = nd.array([1.0, 2.0])
    g = nd.zeros((2,))
    autograd.mark_variables([x], [g])  # MXNet's default grad_reqs: 'write'
    with autograd.record():
        y = x * 3
    y.backward()
    np.testing.assert_array_equal(g.asnumpy(), [3.0, 3.0])
    with pytest.raises(MXNetError, match="symbol"):
        autograd.get_symbol(y)


def test_mx_random_has_mxnets_samplers():
    # MXNet's mx.random: seed and the samplers of nd.random (the same functions)
    for name in ("exponential", "gamma", "generalized_negative_binomial", "multinomial",
                 "negative_binomial", "normal", "poisson", "randint", "randn", "seed",
                 "shuffle", "uniform"):
        assert hasattr(ferrograd.random, name), name
        if name != "seed":
            assert getattr(ferrograd.random, name) is getattr(nd.random, name)


# nd.pad's edge and reflect modes: values (NumPy's, as MXNet's) and the input gradient of
# sum(pad(x) * arange) as MXNet 1.9.1 gives them for this 4-D layout.
@pytest.mark.parametrize("mode, want_grad", [
    ("reflect", [[46, 92, 146, 52], [48, 96, 156, 57], [23, 46, 73, 26]]),
    ("edge", [[27, 13, 15, 36], [45, 17, 18, 39], [261, 93, 96, 201]]),
])
def test_pad_edge_and_reflect_give_mxnets_values_and_gradients(mode, want_grad):
    x = np.arange(12.0).reshape(1, 1, 3, 4)
    width = (0, 0, 0, 0, 1, 2, 2, 1)
    a = nd.array(x, dtype=F64)
    a.attach_grad()
    with autograd.record():
        y = nd.pad(a, mode=mode, pad_width=width)
        loss = (y * nd.arange(y.size, dtype=F64).reshape(y.shape)).sum()
    loss.backward()
    assert y.shape == (1, 1, 6, 7)
    assert np.array_equal(y.asnumpy(), np.pad(x, ((0, 0), (0, 0), (1, 2), (2, 1)), mode=mode))
    assert a.grad.asnumpy()[0, 0].tolist() == want_grad
