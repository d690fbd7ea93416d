"""Every row of tests/op_table.py: forward values against NumPy (float32 and float64), the
gradient against central differences in float64 with a random head gradient, and the second
derivative (a Hessian-vector product through ``autograd.grad(create_graph=True)``) against
central differences of the first gradient."""

import inspect
import types

import numpy as np
import pytest

from ferrograd import autograd, nd
from ferrograd.base import GraphError

from op_table import GRAD_ROWS, OP_ROWS, SECOND_ROWS, TABLE, row_names

F64 = "float64"
EPS = 1e-6


def params(rows, against_reference=False):
    """pytest params with the rows' ids; rows with a known engine bug are strict xfails in
    the tests that compare against the reference (the engine agrees with itself)."""
    out = []
    for r in rows:
        marks = []
        if against_reference and r.xfail:
            marks.append(pytest.mark.xfail(strict=True, reason=r.xfail))
        out.append(pytest.param(r, id=r.id, marks=marks))
    return out


def to_nd(arrays, dtype=F64, attach=False):
    xs = [nd.array(a, dtype=dtype) for a in arrays]
    if attach:
        for x in xs:
            x.attach_grad()
    return xs


# ----------------------------------------------------------------------------------------
# the table covers the library
# ----------------------------------------------------------------------------------------


def _public_callables(module, prefix=""):
    for name in module.__all__:
        if name.startswith("_") or name == "NDArray":
            continue
        obj = getattr(module, name)
        if isinstance(obj, types.ModuleType) or not callable(obj):
            continue
        yield prefix + name, obj


def test_every_exported_function_has_a_row():
    covered = {}
    for r in TABLE:
        for name in row_names(r):
            covered.setdefault(name, []).append(r)
    exported = list(_public_callables(nd)) + list(_public_callables(nd.random, "random."))
    assert len(exported) > 90
    missing = [n for n, _ in exported if n not in covered]
    assert not missing, "exported nd functions with no row in tests/op_table.py: %s" % missing
    # A row names a function only if it really tests that object (aliases are the same one).
    for name, obj in exported:
        assert any(r.op is obj for r in covered[name]), name


def test_table_is_well_formed():
    ids = [r.id for r in TABLE]
    assert len(ids) == len(set(ids)), "duplicate row ids"
    for r in TABLE:
        assert r.grad in ("smooth", "zero", "none"), r.id
        assert r.kind in ("op", "create", "random", "util"), r.id
        assert not (r.second and r.grad != "smooth"), r.id
        if r.kind == "op":
            assert r.ref is not None and len(r.domains()) == len(r.shapes), r.id
    # every differentiable unary/binary function of the library is gradient-checked
    checked = {r.op for r in GRAD_ROWS}
    for name in ["exp", "log", "sin", "tanh", "add", "multiply", "power", "dot", "batch_dot",
                 "sum", "mean", "max", "min", "prod", "norm", "transpose", "reshape"]:
        assert getattr(nd, name) in checked, name


# ----------------------------------------------------------------------------------------
# forward values
# ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("row", params(OP_ROWS, against_reference=True))
def test_forward_matches_numpy(row, dtype, rng, call):
    inputs = [a.astype(dtype) for a in row.sample(rng)]
    xs = to_nd(inputs, dtype)
    y = call(row.invoke, *xs)
    expected = row.reference(*[a.copy() for a in inputs])
    assert isinstance(y, nd.NDArray)
    assert y.dtype == np.dtype(dtype), "output dtype %s for %s input" % (y.dtype, dtype)
    got = y.asnumpy()
    assert got.shape == expected.shape
    if row.grad == "none" or row.grad == "zero":  # comparisons, indices, rounding: exact
        np.testing.assert_array_equal(got, expected)
    elif dtype == "float32":
        np.testing.assert_allclose(got, expected, rtol=2e-5, atol=2e-6)
    else:
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-13)
    for x, a in zip(xs, inputs):  # ops do not write to their inputs
        np.testing.assert_array_equal(x.asnumpy(), a)


def test_comparison_outputs_are_zero_one_in_input_dtype():
    a = nd.array([1, 2, 3], dtype="float64")
    b = nd.array([3, 2, 1], dtype="float64")
    for f, want in [(nd.equal, [0, 1, 0]), (nd.not_equal, [1, 0, 1]), (nd.greater, [0, 0, 1]),
                    (nd.greater_equal, [0, 1, 1]), (nd.lesser, [1, 0, 0]),
                    (nd.lesser_equal, [1, 1, 0])]:
        y = f(a, b)
        assert y.dtype == np.float64
        np.testing.assert_array_equal(y.asnumpy(), np.array(want, np.float64))


@pytest.mark.parametrize("dtype", [None, "float32", "float64"])
@pytest.mark.parametrize("row", params([r for r in TABLE if r.kind == "create"], True))
def test_creation(row, dtype, call):
    y = call(row.call, dtype)
    expected = row.ref(dtype)
    assert y.dtype == expected.dtype
    assert y.shape == expected.shape
    np.testing.assert_array_equal(y.asnumpy(), expected)


@pytest.mark.parametrize("dtype", [None, "float64"])
@pytest.mark.parametrize("row", params([r for r in TABLE if r.kind == "random"], True))
def test_random(row, dtype, call):
    nd.random.seed(7)
    a = call(row.call, dtype)
    row.check(a, np.dtype(dtype or np.float32))
    nd.random.seed(7)
    b = call(row.call, dtype)
    np.testing.assert_array_equal(a.asnumpy(), b.asnumpy())  # same seed, same samples
    c = call(row.call, dtype)
    assert not np.array_equal(b.asnumpy(), c.asnumpy())  # the stream moves on


@pytest.mark.parametrize("row", params([r for r in TABLE if r.kind == "util"], True))
def test_util(row, call):
    row.check(call(row.call))


# ----------------------------------------------------------------------------------------
# gradients
# ----------------------------------------------------------------------------------------


def forward_np(row, arrays):
    """The engine's forward in float64, outside record()."""
    return row.invoke(*to_nd(arrays)).asnumpy()


def first_grad_np(row, arrays, head):
    """The engine's gradient of sum(f(x) * head) w.r.t. every input, as NumPy arrays."""
    xs = to_nd(arrays, attach=True)
    with autograd.record():
        y = row.invoke(*xs)
    gs = autograd.grad(y, xs, head_grads=nd.array(head, dtype=F64))
    return [g.asnumpy() for g in gs]


def central_differences(fn, arrays, eps=EPS):
    """d fn / d arrays[i] for a scalar-valued fn of a list of arrays."""
    out = []
    for i, a in enumerate(arrays):
        d = np.zeros_like(a)
        for j in np.ndindex(a.shape):
            plus = [b.copy() for b in arrays]
            minus = [b.copy() for b in arrays]
            plus[i][j] += eps
            minus[i][j] -= eps
            d[j] = (fn(plus) - fn(minus)) / (2 * eps)
        out.append(d)
    return out


def assert_grads_close(got, want, what):
    for i, (g, w) in enumerate(zip(got, want)):
        assert g.shape == w.shape, (what, i)
        scale = max(1.0, float(np.abs(w).max(initial=0.0)))
        np.testing.assert_allclose(g, w, rtol=1e-6, atol=1e-6 * scale,
                                   err_msg="%s of input %d" % (what, i))


@pytest.mark.parametrize("row", params(GRAD_ROWS))
def test_gradient_matches_central_differences(row, rng, call):
    arrays = row.sample(rng)
    out_shape = forward_np(row, arrays).shape
    head = rng.normal(size=out_shape)
    xs = to_nd(arrays, attach=True)
    with autograd.record():
        y = call(row.invoke, *xs)
    call(y.backward, nd.array(head, dtype=F64))
    got = [x.grad.asnumpy() for x in xs]
    want = central_differences(lambda arrs: float((forward_np(row, arrs) * head).sum()), arrays)
    assert_grads_close(got, want, "gradient")
    # autograd.grad gives the same values without touching .grad
    for x in xs:
        x.grad[:] = 5.0
    with autograd.record():
        y = row.invoke(*xs)
    gs = autograd.grad(y, xs, head_grads=nd.array(head, dtype=F64))
    assert isinstance(gs, list) and len(gs) == len(xs)
    assert_grads_close([g.asnumpy() for g in gs], want, "autograd.grad")
    for x in xs:
        np.testing.assert_array_equal(x.grad.asnumpy(), np.full(x.shape, 5.0))


@pytest.mark.parametrize("row", params(SECOND_ROWS))
def test_second_derivative_matches_central_differences(row, rng, call):
    arrays = row.sample(rng)
    out_shape = forward_np(row, arrays).shape
    head = rng.normal(size=out_shape)
    vs = [rng.normal(size=a.shape) for a in arrays]
    xs = to_nd(arrays, attach=True)
    with autograd.record():
        y = call(row.invoke, *xs)
        gs = call(autograd.grad, y, xs, head_grads=nd.array(head, dtype=F64), create_graph=True)
        z = sum(((g * nd.array(v, dtype=F64)).sum() for g, v in zip(gs, vs)),
                nd.zeros((1,), dtype=F64))
    call(z.backward)
    got = [x.grad.asnumpy() for x in xs]

    def hv(arrs):
        return float(sum((g * v).sum() for g, v in zip(first_grad_np(row, arrs, head), vs)))

    want = central_differences(hv, arrays)
    assert_grads_close(got, want, "Hessian-vector product")


@pytest.mark.parametrize("row", params([r for r in GRAD_ROWS if not r.second]
                                        + [r for r in OP_ROWS if r.grad == "zero"]))
def test_trivial_second_derivative_is_zero_or_cut(row, rng, call):
    """Linear and piecewise rules: the gradient does not depend on the inputs. Either it is
    cut from the graph, and differentiating it again raises GraphError (a clear error) and
    leaves .grad alone, or it stays connected through zero-gradient ops (abs's sign) and the
    second derivative is exactly zero. Never a non-zero value."""
    arrays = row.sample(rng)
    head = rng.normal(size=forward_np(row, arrays).shape)
    vs = [rng.normal(size=a.shape) for a in arrays]
    xs = to_nd(arrays, attach=True)
    for x in xs:
        x.grad[:] = 3.0
    with autograd.record():
        y = row.invoke(*xs)
        gs = autograd.grad(y, xs, head_grads=nd.array(head, dtype=F64), create_graph=True)
        z = sum(((g * nd.array(v, dtype=F64)).sum() for g, v in zip(gs, vs)),
                nd.zeros((1,), dtype=F64))
    try:
        call(z.backward)
    except GraphError as e:
        assert "record" in str(e)
        for x in xs:
            np.testing.assert_array_equal(x.grad.asnumpy(), np.full(x.shape, 3.0))
    else:
        for x in xs:
            np.testing.assert_array_equal(x.grad.asnumpy(), np.zeros(x.shape))


@pytest.mark.parametrize("row", params([r for r in OP_ROWS if r.grad == "zero"]))
def test_piecewise_constant_gradient_is_exactly_zero(row, rng, call):
    arrays = row.sample(rng)
    head = rng.normal(size=forward_np(row, arrays).shape)
    xs = to_nd(arrays, attach=True)
    for x in xs:
        x.grad[:] = 3.0  # grad_req 'write' must overwrite this with the (zero) gradient
    with autograd.record():
        y = call(row.invoke, *xs)
    call(y.backward, nd.array(head, dtype=F64))
    for x in xs:
        g = x.grad.asnumpy()
        assert g.shape == x.shape
        assert np.all(g == 0.0), g
    with autograd.record():
        y = row.invoke(*xs)
        w = y * xs[0]  # the op's result enters another expression as a constant
    w.backward()
    np.testing.assert_array_equal(xs[0].grad.asnumpy(), np.broadcast_to(y.asnumpy(), xs[0].shape))


@pytest.mark.parametrize("row", params([r for r in OP_ROWS if r.grad == "none"]))
def test_no_gradient_ops_are_not_recorded(row, rng, call):
    """Comparisons, argmax/argmin and *_like have no gradient: their result is not part of
    the graph, so backward from it raises GraphError and leaves .grad untouched."""
    arrays = row.sample(rng)
    xs = to_nd(arrays, attach=True)
    for x in xs:
        x.grad[:] = 3.0
    with autograd.record():
        y = call(row.invoke, *xs)
    with pytest.raises(GraphError, match="record"):
        call(y.backward)
    for x in xs:
        np.testing.assert_array_equal(x.grad.asnumpy(), np.full(x.shape, 3.0))
    # Used inside a differentiable expression it acts as a constant.
    with autograd.record():
        y = row.invoke(*xs)
        z = (nd.sum(y) * nd.sum(xs[0] * xs[0]))
    z.backward()
    np.testing.assert_allclose(xs[0].grad.asnumpy(), float(y.asnumpy().sum()) * 2 * arrays[0],
                               rtol=1e-12, atol=1e-12)


def test_gradient_of_non_contiguous_input_reaches_the_right_elements():
    """x[::2] and x.T route the gradient back to the elements they read."""
    x = nd.array(np.arange(12.0).reshape(6, 2), dtype=F64)
    x.attach_grad()
    with autograd.record():
        y = (x[::2] * nd.array([[1.0, 2.0]], dtype=F64)).sum() + (x.T * 10).sum()
    y.backward()
    want = np.full((6, 2), 10.0)
    want[::2] += [1.0, 2.0]
    np.testing.assert_array_equal(x.grad.asnumpy(), want)


def test_table_kwargs_are_real_parameters():
    """Keyword arguments in the table are named parameters of the functions (a typo there
    would silently test nothing)."""
    checked = 0
    for r in OP_ROWS:
        if not r.kwargs or r.call is not None:
            continue
        params_ = inspect.signature(r.op).parameters
        for k in r.kwargs:
            assert k in params_, (r.id, k)
            checked += 1
    assert checked > 50


# ----------------------------------------------------------------------------------------
# arrays large enough for the parallel kernels (PAR_MIN_ELEMS is 32K elements)
# ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_large_arrays_forward(dtype, rng):
    tol = dict(rtol=1e-4, atol=1e-3) if dtype == "float32" else dict(rtol=1e-11, atol=1e-10)
    a = rng.normal(size=(300, 400)).astype(dtype)
    b = rng.normal(size=(300, 1)).astype(dtype)
    c = rng.normal(size=(400,)).astype(dtype)
    x3 = rng.normal(size=(40, 50, 60)).astype(dtype)
    A, B, C, X3 = to_nd([a, b, c, x3], dtype)
    checks = [
        (A + B, a + b), (A * C, a * c), (B - C, b - c), (nd.exp(A), np.exp(a)),
        (nd.exp(A.T), np.exp(a.T)), (A[::3] * 2, a[::3] * 2), (A.sum(), [a.sum()]),
        (A.sum(axis=0), a.sum(axis=0)), (A.sum(axis=1), a.sum(axis=1)),
        (A.max(axis=0), a.max(axis=0)), (A.min(axis=1), a.min(axis=1)),
        (A.argmin(axis=0), a.argmin(axis=0)), (A.argmax(), [a.argmax()]),
        (A.mean(axis=1), a.mean(axis=1)), ((A * 0.01 + 1).prod(axis=0), (a * 0.01 + 1).prod(0)),
        (nd.dot(A, A.T), a @ a.T), (nd.dot(A, A, transpose_a=True), a.T @ a),
        (nd.dot(A, A, transpose_b=True), a @ a.T), (nd.transpose(A), a.T),
        (nd.transpose(X3, axes=(2, 0, 1)), x3.transpose(2, 0, 1)),
        (X3.sum(axis=1), x3.sum(axis=1)), (X3.sum(axis=(0, 2)), x3.sum(axis=(0, 2))),
        (X3.max(axis=2), x3.max(axis=2)), (X3 + X3[:, 0:1, :], x3 + x3[:, :1, :]),
        (X3 * nd.array(x3[:1, :, :1], dtype=dtype), x3 * x3[:1, :, :1]),
        (nd.batch_dot(X3, X3, transpose_b=True), x3 @ x3.transpose(0, 2, 1)),
        (X3.norm(axis=1), np.sqrt((x3 ** 2).sum(axis=1))),
        (X3 > X3[:, :, 0:1], (x3 > x3[:, :, :1]).astype(dtype)),
    ]
    for i, (got, want) in enumerate(checks):
        want = np.asarray(want, dtype=dtype)
        assert got.dtype == np.dtype(dtype), i
        assert got.shape == want.shape, (i, got.shape, want.shape)
        np.testing.assert_allclose(got.asnumpy(), want, err_msg="check %d" % i, **tol)


def test_large_arrays_gradient(rng):
    a, b, c = rng.normal(size=(300, 400)), rng.normal(size=(300, 1)), rng.normal(size=(400,))
    A, B, C = to_nd([a, b, c], attach=True)
    h = rng.normal(size=(400,))
    with autograd.record():
        y = (nd.tanh(A * C + B) * A).sum(axis=0)
    y.backward(nd.array(h, dtype=F64))
    t = np.tanh(a * c + b)
    d = (1 - t ** 2) * a * h
    np.testing.assert_allclose(A.grad.asnumpy(), d * c + t * h, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(B.grad.asnumpy(), d.sum(axis=1, keepdims=True), rtol=1e-10,
                               atol=1e-10)
    np.testing.assert_allclose(C.grad.asnumpy(), (d * a).sum(axis=0), rtol=1e-10, atol=1e-10)
    with autograd.record():
        y = nd.dot(A, A.T).max(axis=1)
    y.backward()
    m = a @ a.T
    G = np.zeros_like(m)
    G[np.arange(300), m.argmax(axis=1)] = 1
    np.testing.assert_allclose(A.grad.asnumpy(), G @ a + G.T @ a, rtol=1e-10, atol=1e-10)
    x3 = rng.normal(size=(40, 50, 60))
    (S,) = to_nd([x3], attach=True)
    with autograd.record():
        y = S[::2, 1:40:3].sum() + S[5].sum() * 2 + S.reshape((40, -1))[3:7].sum()
    y.backward()
    W = np.zeros_like(x3)
    W[::2, 1:40:3] += 1
    W[5] += 2
    W.reshape(40, -1)[3:7] += 1
    np.testing.assert_array_equal(S.grad.asnumpy(), W)
