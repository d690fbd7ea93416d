"""Every row of tests/op_table.py: forward values against NumPy (float32 and float64), the
gradient against central differences in float64 with a random head gradient, and the second
derivative (a Hessian-vector product through ``autograd.grad(create_graph=True)``) against
central differences of the first gradient; a third derivative for one row per op. Then the
bad-input cases of the op library, MXNet's subgradient conventions at kinks and ties, Dropout,
the symmetric-input rule of linalg.potrf, and the op library at parallel-kernel sizes."""

import inspect
import math
import types

import numpy as np
import pytest

import ferrograd
from ferrograd import autograd, nd
from ferrograd.base import GraphError, InvalidArgumentError, MXNetError

from conftest import no_panic
from op_table import BAD_INPUTS, GRAD_ROWS, OP_ROWS, SECOND_ROWS, TABLE, bad_env, row_names

F64 = "float64"
EPS = 1e-6


def params(rows, against_reference=False):
    """pytest params with the rows' ids; rows with a known engine bug are strict xfails in
    the tests that compare against the reference (the engine agrees with itself), or in
    every test when the bug breaks the call itself (``xfail_all``)."""
    out = []
    for r in rows:
        marks = []
        if r.xfail and (against_reference or r.xfail_all):
            marks.append(pytest.mark.xfail(strict=True, reason=r.xfail))
        out.append(pytest.param(r, id=r.id, marks=marks))
    return out


def as_list(y):
    return list(y) if isinstance(y, (list, tuple)) else [y]


def grad_outputs(row, y):
    """The outputs of a row's result that carry a gradient (all of them unless the row says)."""
    ys = as_list(y)
    return ys if row.grad_outputs is None else [ys[i] for i in row.grad_outputs]


def head_arrays(heads):
    """One head gradient, or a list of them for a list result (autograd's two forms)."""
    hs = [nd.array(h, dtype=F64) for h in heads]
    return hs[0] if len(hs) == 1 else hs


def heads_of(ys):
    """The heads argument matching head_arrays: a single array or the list."""
    return ys[0] if len(ys) == 1 else ys


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
        if isinstance(obj, type) and issubclass(obj, BaseException):
            continue  # nd re-exports an exception class (ArgumentTypeError): not an op
        yield prefix + name, obj


def exported_functions():
    return (list(_public_callables(nd)) + list(_public_callables(nd.random, "random."))
            + list(_public_callables(nd.linalg, "linalg."))
            + list(_public_callables(nd.contrib, "contrib.")))


def test_every_exported_function_has_a_row():
    covered = {}
    for r in TABLE:
        for name in row_names(r):
            covered.setdefault(name, []).append(r)
    exported = exported_functions()
    assert len(exported) > 160
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
        assert not (r.xfail_all and not r.xfail), r.id
        if r.kind == "op":
            assert r.ref is not None and len(r.domains()) == len(r.shapes), r.id
            assert r.grad_outputs is None or r.grad == "smooth", r.id
    # every differentiable function is gradient-checked (and, where a row says it has one,
    # second-derivative-checked) on some row whose checks are expected to pass
    checked = {r.op for r in GRAD_ROWS if not r.xfail_all}
    second = {r.op for r in SECOND_ROWS if not r.xfail_all}
    assert not [r.id for r in GRAD_ROWS if r.op not in checked]
    assert not [r.id for r in SECOND_ROWS if r.op not in second]
    # every differentiable op is gradient-checked on a non-contiguous input (a transposed or
    # stepped view: Row.prep), and every broadcasting one (the registry gives it a
    # broadcast_* name) on broadcast inputs too
    strided = {r.op for r in GRAD_ROWS if r.prep is not None and not r.xfail_all}
    assert not [r.id for r in GRAD_ROWS if r.op not in strided]
    ids = {r.id for r in GRAD_ROWS}
    # (broadcast_axis's alias broadcast_axes is the same op, not a broadcasting binary one)
    broadcasting = [name for ns, name, f, aliases, _ in ferrograd._core._registry
                    if any(a.startswith("broadcast_") for a in aliases) and f in checked
                    and not name.startswith("broadcast_")]
    assert len(broadcasting) >= 9
    assert not [n for n in broadcasting if n + "_broadcast" not in ids]
    assert {"arctan2_broadcast", "where_broadcast", "FullyConnected", "broadcast_to",
            "broadcast_like"} <= ids


# ----------------------------------------------------------------------------------------
# forward values
# ----------------------------------------------------------------------------------------


def expected_dtypes(row, dtype, n):
    """The dtype of each of the n outputs for inputs of `dtype`."""
    spec = row.out_dtype if isinstance(row.out_dtype, tuple) else (row.out_dtype,) * n
    assert len(spec) == n, (row.id, spec, n)
    return [np.dtype(d or dtype) for d in spec]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("row", params(OP_ROWS, against_reference=True))
def test_forward_matches_numpy(row, dtype, rng, call):
    inputs = [a.astype(dtype) for a in row.sample(rng)]
    xs = to_nd(inputs, dtype)
    y = call(row.invoke, *xs)
    expected = row.reference(*[a.copy() for a in inputs])
    assert isinstance(y, list) == isinstance(expected, list), type(y)
    ys, wants = as_list(y), as_list(expected)
    assert len(ys) == len(wants)
    for k, (y, want, dt) in enumerate(zip(ys, wants, expected_dtypes(row, dtype, len(ys)))):
        assert isinstance(y, nd.NDArray)
        assert y.dtype == dt, "output %d: dtype %s for %s input" % (k, y.dtype, dtype)
        got = y.asnumpy()
        assert got.shape == want.shape, (k, got.shape, want.shape)
        # comparisons, indices, rounding, masks: exact
        if row.grad in ("none", "zero") or (row.grad_outputs is not None
                                            and k not in row.grad_outputs):
            np.testing.assert_array_equal(got, want, err_msg="output %d" % k)
        elif dtype == "float32":
            np.testing.assert_allclose(got, want, rtol=2e-5, atol=2e-6, err_msg="output %d" % k)
        else:
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-13,
                                       err_msg="output %d" % k)
    for x, a in zip(xs, inputs):  # ops do not write to their inputs
        np.testing.assert_array_equal(x.asnumpy(), a)


# Rows whose float16 results cannot be compared with a float64 reference: inputs or results
# beyond float16's range (65504) or resolution, named with the reason.
F16_SKIP = {}


@pytest.mark.parametrize("row", params(OP_ROWS, against_reference=True))
def test_forward_in_float16(row, rng, call):
    """float16 through the same table: inputs rounded to float16; piecewise-constant outputs
    (comparisons, indices, rounding) exactly NumPy's float16 results, the others within float16
    rounding of the float64 reference (each op rounds to float16, as MXNet's half_t does)."""
    if row.id in F16_SKIP:
        pytest.skip(F16_SKIP[row.id])
    inputs = [a.astype(np.float16) for a in row.sample(rng)]
    xs = to_nd(inputs, "float16")
    y = call(row.invoke, *xs)
    exact = row.reference(*[a.copy() for a in inputs])
    wide = row.reference(*[a.astype(np.float64) for a in inputs])
    ys, exacts, wides = as_list(y), as_list(exact), as_list(wide)
    assert len(ys) == len(exacts)
    for k, (y, want, want64, dt) in enumerate(zip(ys, exacts, wides,
                                                   expected_dtypes(row, "float16", len(ys)))):
        assert y.dtype == dt, "output %d: dtype %s for float16 input" % (k, y.dtype)
        got = y.asnumpy()
        assert got.dtype == dt and got.shape == want.shape, (k, got.shape, want.shape)
        if row.grad in ("none", "zero") or (row.grad_outputs is not None
                                            and k not in row.grad_outputs):
            np.testing.assert_array_equal(got, want, err_msg="output %d" % k)
        else:
            np.testing.assert_allclose(got.astype(np.float64), want64, rtol=1e-2, atol=1e-2,
                                       err_msg="output %d" % k)
    for x, a in zip(xs, inputs):
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


@pytest.mark.parametrize("dtype", [None, "float32", "float64", "float16"])
@pytest.mark.parametrize("row", params([r for r in TABLE if r.kind == "create"], True))
def test_creation(row, dtype, call):
    y = call(row.call, dtype)
    expected = row.ref(dtype)
    assert y.dtype == expected.dtype
    assert y.shape == expected.shape
    np.testing.assert_array_equal(y.asnumpy(), expected)


def random_params():
    out = []
    for r in TABLE:
        if r.kind != "random":
            continue
        marks = [pytest.mark.xfail(strict=True, reason=r.xfail)] if r.xfail else []
        for dt in r.dtypes:
            out.append(pytest.param(r, dt, id="%s-%s" % (r.id, dt), marks=marks))
    return out


@pytest.mark.parametrize("row, dtype", random_params())
def test_random(row, dtype, call):
    ferrograd.random.seed(7)
    a = call(row.call, dtype)
    row.check(a, np.dtype(dtype or row.out_dtype or np.float32))
    ferrograd.random.seed(7)
    b = call(row.call, dtype)
    np.testing.assert_array_equal(a.asnumpy(), b.asnumpy())  # same seed, same samples
    c = call(row.call, dtype)
    assert not np.array_equal(b.asnumpy(), c.asnumpy())  # the stream moves on
    nd.random.seed(7)  # nd.random.seed and ferrograd.random.seed drive one generator
    np.testing.assert_array_equal(call(row.call, dtype).asnumpy(), a.asnumpy())


@pytest.mark.parametrize("row", params([r for r in TABLE if r.kind == "util"], True))
def test_util(row, call):
    row.check(call(row.call))


# ----------------------------------------------------------------------------------------
# gradients
# ----------------------------------------------------------------------------------------


def forward_np(row, arrays):
    """The engine's forward in float64, outside record(): its differentiable outputs."""
    return [y.asnumpy() for y in grad_outputs(row, row.invoke(*to_nd(arrays)))]


def random_heads(row, rng, arrays):
    return [rng.normal(size=y.shape) for y in forward_np(row, arrays)]


def weighted_sum(row, arrays, heads):
    """sum over outputs of sum(f(x) * head): the scalar whose gradient autograd computes."""
    return float(sum((y * h).sum() for y, h in zip(forward_np(row, arrays), heads)))


def first_grad_np(row, arrays, heads):
    """The engine's gradient of sum(f(x) * head) w.r.t. every input, as NumPy arrays."""
    xs = to_nd(arrays, attach=True)
    with autograd.record():
        ys = grad_outputs(row, row.invoke(*xs))
    gs = autograd.grad(heads_of(ys), xs, head_grads=head_arrays(heads), allow_unused=True)
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
    heads = random_heads(row, rng, arrays)
    xs = to_nd(arrays, attach=True)
    with autograd.record():
        ys = grad_outputs(row, call(row.invoke, *xs))
    if len(ys) == 1:
        call(ys[0].backward, nd.array(heads[0], dtype=F64))
    else:
        call(autograd.backward, ys, head_arrays(heads))
    got = [x.grad.asnumpy() for x in xs]
    want = central_differences(lambda arrs: weighted_sum(row, arrs, heads), arrays)
    assert_grads_close(got, want, "gradient")
    # autograd.grad gives the same values without touching .grad
    for x in xs:
        x.grad[:] = 5.0
    with autograd.record():
        ys = grad_outputs(row, row.invoke(*xs))
    gs = autograd.grad(heads_of(ys), xs, head_grads=head_arrays(heads), allow_unused=True)
    assert isinstance(gs, list) and len(gs) == len(xs)
    assert_grads_close([g.asnumpy() for g in gs], want, "autograd.grad")
    for x in xs:
        np.testing.assert_array_equal(x.grad.asnumpy(), np.full(x.shape, 5.0))


@pytest.mark.parametrize("row", params(GRAD_ROWS))
def test_recorded_and_fused_first_order_rules_agree(row, rng, call):
    """A first-order pass runs each op's fused rule (one pass g * f'(x) where the op has one);
    under create_graph the same pass runs the recorded tensor-op rule. Both give one value."""
    arrays = row.sample(rng)
    heads = random_heads(row, rng, arrays)
    xs = to_nd(arrays, attach=True)
    with autograd.record():
        ys = grad_outputs(row, call(row.invoke, *xs))
    fused = autograd.grad(heads_of(ys), xs, head_grads=head_arrays(heads), retain_graph=True,
                          allow_unused=True)
    with autograd.record():
        recorded = autograd.grad(heads_of(ys), xs, head_grads=head_arrays(heads),
                                 create_graph=True, allow_unused=True)
    for f, r in zip(fused, recorded):
        np.testing.assert_allclose(f.asnumpy(), r.asnumpy(), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("row", params(SECOND_ROWS))
def test_second_derivative_matches_central_differences(row, rng, call):
    arrays = row.sample(rng)
    heads = random_heads(row, rng, arrays)
    vs = [rng.normal(size=a.shape) for a in arrays]
    xs = to_nd(arrays, attach=True)
    with autograd.record():
        ys = grad_outputs(row, call(row.invoke, *xs))
        gs = call(autograd.grad, heads_of(ys), xs, head_grads=head_arrays(heads),
                  create_graph=True)
        z = sum(((g * nd.array(v, dtype=F64)).sum() for g, v in zip(gs, vs)),
                nd.zeros((1,), dtype=F64))
    call(z.backward)
    got = [x.grad.asnumpy() for x in xs]

    def hv(arrs):
        return float(sum((g * v).sum() for g, v in zip(first_grad_np(row, arrs, heads), vs)))

    want = central_differences(hv, arrays)
    assert_grads_close(got, want, "Hessian-vector product")


@pytest.mark.parametrize("row", params([r for r in GRAD_ROWS if not r.second]
                                        + [r for r in OP_ROWS if r.grad == "zero"]))
def test_trivial_second_derivative_is_zero(row, rng, call):
    """Linear and piecewise rules: the gradient does not depend on the inputs, so its
    derivative is exactly zero, as in MXNet (not an error, and never a non-zero value)."""
    arrays = row.sample(rng)
    heads = random_heads(row, rng, arrays)
    vs = [rng.normal(size=a.shape) for a in arrays]
    xs = to_nd(arrays, attach=True)
    for x in xs:
        x.grad[:] = 3.0
    with autograd.record():
        ys = grad_outputs(row, row.invoke(*xs))
        gs = autograd.grad(heads_of(ys), xs, head_grads=head_arrays(heads), create_graph=True,
                           allow_unused=True)
        z = sum(((g * nd.array(v, dtype=F64)).sum() for g, v in zip(gs, vs)),
                nd.zeros((1,), dtype=F64))
    call(z.backward)
    for x in xs:
        np.testing.assert_array_equal(x.grad.asnumpy(), np.zeros(x.shape))


@pytest.mark.parametrize("row", params([r for r in OP_ROWS if r.grad == "zero"]))
def test_piecewise_constant_gradient_is_exactly_zero(row, rng, call):
    arrays = row.sample(rng)
    (head,) = random_heads(row, rng, arrays)
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
        z = (nd.sum(y.astype(F64)) * nd.sum(xs[0] * xs[0]))  # indices may be float32/int
    z.backward()
    np.testing.assert_allclose(xs[0].grad.asnumpy(), float(y.asnumpy().sum()) * 2 * arrays[0],
                               rtol=1e-12, atol=1e-12)


def _first_row_per_op(rows):
    seen, out = set(), []
    for r in rows:
        if r.op not in seen and not r.xfail_all:
            seen.add(r.op)
            out.append(r)
    return out


def second_directional_np(row, arrays, heads, vs):
    """The engine's v^T H v of sum(f(x) * head) (through two nested autograd.grad calls)."""
    xs = to_nd(arrays, attach=True)
    v_nd = [nd.array(v, dtype=F64) for v in vs]
    with autograd.record():
        ys = grad_outputs(row, row.invoke(*xs))
        g1 = autograd.grad(heads_of(ys), xs, head_grads=head_arrays(heads), create_graph=True,
                           allow_unused=True)
        s1 = sum(((g * v).sum() for g, v in zip(g1, v_nd)), nd.zeros((1,), dtype=F64))
        g2 = autograd.grad(s1, xs, create_graph=True, allow_unused=True)
        s2 = sum(((g * v).sum() for g, v in zip(g2, v_nd)), nd.zeros((1,), dtype=F64))
    return xs, s2


@pytest.mark.parametrize("row", params(_first_row_per_op(SECOND_ROWS)))
def test_third_derivative_matches_central_differences(row, rng, call):
    """Any order: the gradient of v^T H(x) v (a third derivative) against central
    differences of the engine's own (already checked) second directional derivative."""
    arrays = row.sample(rng)
    heads = random_heads(row, rng, arrays)
    vs = [rng.normal(size=a.shape) for a in arrays]
    xs, s2 = second_directional_np(row, arrays, heads, vs)
    want = central_differences(
        lambda arrs: float(second_directional_np(row, arrs, heads, vs)[1].asscalar()), arrays)
    call(s2.backward)  # zeros where the second derivative does not depend on x (square)
    assert_grads_close([x.grad.asnumpy() for x in xs], want, "third derivative")


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
        if not r.kwargs:  # rows with a `call` pass their kwargs on to the op too
            continue
        params_ = inspect.signature(r.op).parameters
        for k in r.kwargs:
            assert k in params_, (r.id, k)
            checked += 1
    assert checked > 150


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


UNARY_DOMAINS = {  # op -> (low, high) of the sampled inputs
    "sin": (-30, 30), "cos": (-30, 30), "tan": (-1.2, 1.2), "exp": (-5, 5), "expm1": (-5, 5),
    "log": (0.1, 5), "log1p": (-0.5, 5), "log2": (0.1, 5), "log10": (0.1, 5),
    "sqrt": (0.1, 5), "rsqrt": (0.1, 5), "cbrt": (0.1, 5), "reciprocal": (0.5, 5),
    "square": (-3, 3), "abs": (-3, 3), "relu": (-3, 3), "sigmoid": (-6, 6), "tanh": (-3, 3),
    "arcsin": (-0.9, 0.9), "arccos": (-0.9, 0.9), "arctan": (-3, 3), "sinh": (-3, 3),
    "cosh": (-3, 3), "arcsinh": (-3, 3), "arccosh": (1.1, 5), "arctanh": (-0.9, 0.9),
    "softsign": (-3, 3), "erf": (-3, 3), "negative": (-3, 3),
}


@pytest.mark.parametrize("name", sorted(UNARY_DOMAINS))
def test_float32_unary_values_and_gradients_match_float64(name, rng):
    """The float32 kernels (vectorised polynomials, one fused pass for the first-order
    backward, parallel chunks) agree with the float64 ones, which the table checks against
    NumPy and central differences; sin and cos also at arguments past the fast reduction."""
    lo, hi = UNARY_DOMAINS[name]
    x = rng.uniform(lo, hi, size=70_001)
    if name in ("sin", "cos"):
        x[::997] = rng.uniform(-1e6, 1e6, size=x[::997].shape)
    h = rng.uniform(0.5, 1.5, size=x.shape)
    x, h = (a.astype(np.float32).astype(np.float64) for a in (x, h))  # same inputs for both
    fn = getattr(nd, name)
    results = {}
    for dtype in ("float32", "float64"):
        xd = nd.array(x, dtype=dtype)
        xd.attach_grad()
        with autograd.record():
            y = fn(xd)
        y.backward(nd.array(h, dtype=dtype))
        results[dtype] = (y.asnumpy().astype(np.float64), xd.grad.asnumpy().astype(np.float64))
    for what, got, want in zip(("value", "gradient"), results["float32"], results["float64"]):
        scale = np.maximum(1.0, np.abs(want))
        err = float(np.max(np.abs(got - want) / scale))
        assert err < 2e-6, (what, err)


# ----------------------------------------------------------------------------------------
# bad input: every op of the library refuses it with ferrograd's own exception
# ----------------------------------------------------------------------------------------

def _snapshot(env):
    return {k: (a.asnumpy().copy(), None if a.grad is None else a.grad.asnumpy().copy())
            for k, a in env.items()}


def test_every_function_without_a_row_of_its_own_has_a_bad_input_case():
    """Op rows get their bad-input case from the row itself (test_an_op_refuses_a_string_input);
    creation, random and utility functions need one in BAD_INPUTS."""
    with_case = {c[1] for c in BAD_INPUTS if c[6] is None}
    op_functions = {r.op for r in OP_ROWS}
    missing = [n for n, f in exported_functions() if f not in op_functions and f not in with_case
               and n not in ("waitall", "random.seed", "random.randn")]
    assert not missing, "functions with no (passing) bad-input case in BAD_INPUTS: %s" % missing


@pytest.mark.parametrize("row", params([r for r in OP_ROWS if r.call is None and r.prep is None]))
def test_an_op_refuses_a_string_input(row):
    """Every op of the table, called with a string where its first array goes, raises
    ferrograd's ArgumentTypeError (also a TypeError) and changes none of its other inputs."""
    xs = to_nd(row.sample(np.random.default_rng(0)))
    before = [x.asnumpy().copy() for x in xs]
    with pytest.raises(TypeError) as info:
        no_panic(row.invoke, "not an array", *xs[1:])
    assert isinstance(info.value, MXNetError), type(info.value).__mro__
    for x, b in zip(xs[1:], before[1:]):
        np.testing.assert_array_equal(x.asnumpy(), b)


@pytest.mark.parametrize("fn, exc, builtin, match", [
    pytest.param(*c[2:6], id=c[0],
                 marks=[pytest.mark.xfail(strict=True, reason=c[6])] if c[6] else [])
    for c in BAD_INPUTS])
def test_bad_input_raises_and_changes_nothing(fn, exc, builtin, match):
    env = bad_env()
    before = _snapshot(env)
    with pytest.raises(exc) as info:
        no_panic(fn, env)
    assert isinstance(info.value, builtin) and isinstance(info.value, MXNetError), \
        type(info.value).__mro__
    if match:
        assert info.match(match)
    for k, (values, grad) in before.items():  # validate first, then mutate
        np.testing.assert_array_equal(env[k].asnumpy(), values, err_msg=k)
        if grad is not None:
            np.testing.assert_array_equal(env[k].grad.asnumpy(), grad, err_msg=k)


# ----------------------------------------------------------------------------------------
# subgradient conventions (MXNet's) at kinks and ties
# ----------------------------------------------------------------------------------------


def grads_of(f, *arrays, head=None):
    """Gradients of f(*xs) w.r.t. each x (float64), with an optional head gradient."""
    xs = to_nd(arrays, attach=True)
    with autograd.record():
        y = f(*xs)
    y.backward(None if head is None else nd.array(head, dtype=F64))
    return [x.grad.asnumpy() for x in xs]


def test_max_min_reductions_give_every_tied_element_the_gradient():
    x = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])
    (g,) = grads_of(lambda a: nd.max(a, axis=1), x, head=[10.0, 20.0])
    np.testing.assert_array_equal(g, [[0, 10, 10], [20, 20, 20]])
    (g,) = grads_of(lambda a: nd.min(a), np.array([[1.0, 3.0, 1.0], [2.0, 1.0, 2.0]]))
    np.testing.assert_array_equal(g, [[1, 0, 1], [0, 1, 0]])
    (g,) = grads_of(lambda a: a.max(axis=0, keepdims=True), x, head=[[1.0, 2.0, 3.0]])
    np.testing.assert_array_equal(g, [[0, 2, 3], [1, 0, 0]])


@pytest.mark.parametrize("op, ref", [(nd.maximum, np.maximum), (nd.minimum, np.minimum)])
def test_maximum_minimum_send_a_tie_to_the_first_argument(op, ref):
    a = np.array([1.0, 2.0, 3.0, -1.0])
    b = np.array([1.0, 1.0, 4.0, -1.0])
    ga, gb = grads_of(op, a, b, head=[1.0, 2.0, 3.0, 4.0])
    first = (a >= b) if op is nd.maximum else (a <= b)  # ties included
    np.testing.assert_array_equal(ga, np.where(first, [1.0, 2.0, 3.0, 4.0], 0.0))
    np.testing.assert_array_equal(gb, np.where(first, 0.0, [1.0, 2.0, 3.0, 4.0]))
    np.testing.assert_array_equal(ga + gb, [1.0, 2.0, 3.0, 4.0])  # never counted twice
    # broadcast: every tie of the (2, 2) result goes to the (2, 1) first argument
    ga, gb = grads_of(op, np.array([[1.0], [2.0]]), np.array([[1.0, 2.0]]))
    # pairs (a, b): (1, 1) tie, (1, 2), (2, 1), (2, 2) tie
    want_a = [[1.0], [2.0]] if op is nd.maximum else [[2.0], [1.0]]
    want_b = [[0.0, 1.0]] if op is nd.maximum else [[1.0, 0.0]]
    np.testing.assert_array_equal(ga, want_a)
    np.testing.assert_array_equal(gb, want_b)
    # an array and a Python scalar: a tie goes to the array (MXNet's _maximum_scalar /
    # _minimum_scalar, which also serve nd.maximum(scalar, x))
    (g,) = grads_of(lambda x: op(x, 1.0), np.array([1.0, 2.0, 0.0]))
    np.testing.assert_array_equal(g, (np.array([1.0, 2.0, 0.0]) >= 1.0) if op is nd.maximum
                                  else (np.array([1.0, 2.0, 0.0]) <= 1.0))
    (g,) = grads_of(lambda x: op(1.0, x), np.array([1.0]))
    np.testing.assert_array_equal(g, [1.0])


def test_clip_passes_the_gradient_at_its_bounds():
    x = np.array([-1.0, 1.0, -2.0, 2.0, 0.5, -1.0000001])
    (g,) = grads_of(lambda a: nd.clip(a, -1.0, 1.0), x, head=[1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    np.testing.assert_array_equal(g, [1.0, 2.0, 0.0, 0.0, 5.0, 0.0])


@pytest.mark.parametrize("f, want", [
    (nd.relu, [0.0, 1.0, 0.0]),
    (nd.abs, [0.0, 1.0, -1.0]),
    (lambda a: nd.Activation(a, act_type="relu"), [0.0, 1.0, 0.0]),
    (lambda a: a.relu(), [0.0, 1.0, 0.0]),
    (lambda a: a.abs(), [0.0, 1.0, -1.0]),
    (lambda a: nd.LeakyReLU(a, slope=0.1), [0.1, 1.0, 0.1]),  # x > 0 ? 1 : slope
    (lambda a: nd.smooth_l1(a), [0.0, 1.0, -1.0]),
], ids=["relu", "abs", "Activation_relu", "relu_method", "abs_method", "LeakyReLU", "smooth_l1"])
def test_kinks_at_zero_follow_mxnet(f, want):
    (g,) = grads_of(f, np.array([0.0, 2.0, -2.0]))
    np.testing.assert_array_equal(g, want)


def test_sort_and_topk_backward_with_the_default_axis():
    """MXNet 1.9.1 fails here; ferrograd routes each gradient to the element it came from."""
    x = np.array([[3.0, 1.0, 2.0], [0.0, 5.0, 4.0]])
    h = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    (g,) = grads_of(nd.sort, x, head=h)  # sorted: [1, 2, 3], [0, 4, 5]
    np.testing.assert_array_equal(g, [[3.0, 1.0, 2.0], [4.0, 6.0, 5.0]])
    (g,) = grads_of(lambda a: nd.sort(a, is_ascend=False), x, head=h)
    np.testing.assert_array_equal(g, [[1.0, 3.0, 2.0], [6.0, 4.0, 5.0]])
    (g,) = grads_of(lambda a: nd.topk(a, k=2, ret_typ="value"), x, head=h[:, :2])
    np.testing.assert_array_equal(g, [[1.0, 0.0, 2.0], [0.0, 4.0, 5.0]])
    (g,) = grads_of(lambda a: nd.topk(a, k=2, ret_typ="both")[0], x, head=h[:, :2])
    np.testing.assert_array_equal(g, [[1.0, 0.0, 2.0], [0.0, 4.0, 5.0]])
    (g,) = grads_of(lambda a: nd.topk(a, axis=None, k=2, ret_typ="value"), x, head=[7.0, 8.0])
    np.testing.assert_array_equal(g, [[0.0, 0.0, 0.0], [0.0, 7.0, 8.0]])
    (g,) = grads_of(lambda a: nd.topk(a, k=1, ret_typ="value", is_ascend=True), x)
    np.testing.assert_array_equal(g, [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    # d/dx sum(sort(x) * x) = sort(x) + (x read back through the permutation), also with
    # create_graph=True; then a second derivative through it: the permutation's symmetric
    # part, d2/dx_j dx_k = [j sits where k is sorted] + [k sits where j is sorted]
    xs = to_nd([x], attach=True)
    with autograd.record():
        (gx,) = autograd.grad(nd.sort(xs[0]) * xs[0], xs, create_graph=True)
        z = (gx * nd.array([[1.0, 10.0, 100.0], [1.0, 10.0, 100.0]], dtype=F64)).sum()
    np.testing.assert_array_equal(gx.asnumpy(), [[3.0, 5.0, 4.0], [0.0, 8.0, 10.0]])
    z.backward()
    # row 0: sort = (x1, x2, x0); row 1: sort = (x0, x2, x1)
    np.testing.assert_array_equal(xs[0].grad.asnumpy(), [[110.0, 101.0, 11.0],
                                                          [2.0, 200.0, 20.0]])


def test_topk_outputs_that_carry_no_gradient_are_not_recorded():
    (x,) = to_nd([np.array([[3.0, 1.0, 2.0]])], attach=True)
    with autograd.record():
        values, indices = nd.topk(x, k=2, ret_typ="both")
        mask = nd.topk(x, k=2, ret_typ="mask")
    for y in (indices, mask):
        with pytest.raises(GraphError, match="record"):
            y.backward()
    values.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), [[1.0, 0.0, 1.0]])


def test_nan_reductions_give_nan_elements_a_zero_gradient():
    x = np.array([[1.0, np.nan, 2.0], [np.nan, np.nan, 3.0]])
    (g,) = grads_of(lambda a: nd.nansum(a, axis=1), x, head=[2.0, 5.0])
    np.testing.assert_array_equal(g, [[2.0, 0.0, 2.0], [0.0, 0.0, 5.0]])
    (g,) = grads_of(nd.nanprod, x)
    np.testing.assert_array_equal(g, [[6.0, 0.0, 3.0], [0.0, 0.0, 2.0]])
    y = nd.nansum(nd.array(x), axis=0)
    np.testing.assert_array_equal(y.asnumpy(), [1.0, 0.0, 5.0])
    np.testing.assert_array_equal(nd.nanprod(nd.array(x), axis=0).asnumpy(), [1.0, 1.0, 6.0])


# ----------------------------------------------------------------------------------------
# Dropout: identity in prediction mode; in training mode a random mask scaled by 1/(1-p)
# ----------------------------------------------------------------------------------------


def test_dropout_is_the_identity_in_prediction_mode(rng):
    a = rng.normal(size=(20, 30))
    (x,) = to_nd([a], attach=True)
    for y in [nd.Dropout(x, p=0.5), nd.Dropout(x)]:  # outside record(): predict mode
        np.testing.assert_array_equal(y.asnumpy(), a)
    with autograd.pause():
        np.testing.assert_array_equal(nd.Dropout(x, p=0.9).asnumpy(), a)
    with autograd.record():
        with autograd.predict_mode():
            y = nd.Dropout(x, p=0.5) * 3.0
    np.testing.assert_array_equal(y.asnumpy(), 3.0 * a)
    y.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), np.full(a.shape, 3.0))
    with autograd.record(train_mode=False):
        np.testing.assert_array_equal(nd.Dropout(x, p=0.5).asnumpy(), a)


@pytest.mark.parametrize("p", [0.2, 0.5, 0.8])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_dropout_in_training_mode_scales_what_it_keeps(p, dtype, rng):
    a = rng.uniform(0.5, 1.5, size=(100, 100))
    h = rng.normal(size=a.shape)
    x = nd.array(a, dtype=dtype)
    x.attach_grad()
    with autograd.record():
        y = nd.Dropout(x, p=p)
    y.backward(nd.array(h, dtype=dtype))
    v = y.asnumpy()
    assert v.dtype == np.dtype(dtype)
    kept = v != 0
    assert abs(1.0 - kept.mean() - p) < 0.03, kept.mean()  # 10^4 draws: std error <= 0.005
    tol = dict(rtol=1e-6) if dtype == "float32" else dict(rtol=1e-13)
    np.testing.assert_allclose(v[kept], a.astype(dtype)[kept] / (1 - p), **tol)
    # the gradient is the mask scaled by 1/(1-p), times the head gradient
    np.testing.assert_allclose(x.grad.asnumpy(), h.astype(dtype) * kept / (1 - p), **tol)
    # the next call draws a new mask
    with autograd.record():
        y2 = nd.Dropout(x, p=p)
    assert not np.array_equal(y2.asnumpy() != 0, kept)


def test_dropout_modes_and_extreme_rates():
    x = nd.ones((50, 40), dtype="float64")
    y = nd.Dropout(x, p=0.5, mode="always")  # drops outside record() too
    assert 0.4 < float((y.asnumpy() == 0).mean()) < 0.6
    assert set(np.unique(y.asnumpy()).tolist()) == {0.0, 2.0}
    with autograd.train_mode():  # training without recording still drops (is_training)
        assert (nd.Dropout(x, p=0.5).asnumpy() == 0).any()
    x.attach_grad()
    with autograd.record():
        y0 = nd.Dropout(x, p=0.0)
        y1 = nd.Dropout(x, p=1.0)
    np.testing.assert_array_equal(y0.asnumpy(), x.asnumpy())
    np.testing.assert_array_equal(y1.asnumpy(), np.zeros(x.shape))
    y1.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), np.zeros(x.shape))


def test_dropout_axes_share_the_mask_along_them():
    with autograd.train_mode():
        y = nd.Dropout(nd.ones((20, 30)), p=0.5, axes=(1,)).asnumpy()
    assert 0 < (y == 0).mean() < 1
    for row in y:  # each row is kept or dropped whole
        assert len(set(row.tolist())) == 1, row


def test_dropout_masks_follow_the_seed():
    x = nd.ones((30, 30))
    masks = []
    for _ in range(2):
        ferrograd.random.seed(42)
        with autograd.record():
            masks.append(nd.Dropout(x, p=0.5).asnumpy())
    np.testing.assert_array_equal(masks[0], masks[1])


# ----------------------------------------------------------------------------------------
# linalg: potrf reads the symmetric part of its input
# ----------------------------------------------------------------------------------------


def _potrf_loss(a, h):
    return float((np.asarray(nd.linalg.potrf(nd.array(a, dtype=F64)).asnumpy()) * h).sum())


def test_potrf_gradient_along_symmetric_directions(rng):
    from op_table import spd
    a = spd(rng, (4, 4))
    h = rng.normal(size=(4, 4))
    (g,) = grads_of(nd.linalg.potrf, a, head=h)
    np.testing.assert_allclose(g, g.T, rtol=0, atol=1e-14)  # a symmetric gradient
    low = nd.linalg.potrf(nd.array(a, dtype=F64)).asnumpy()
    np.testing.assert_allclose(low, np.tril(low), atol=0)
    np.testing.assert_allclose(low @ low.T, a, rtol=1e-12, atol=1e-12)
    for _ in range(3):
        m = rng.normal(size=(4, 4))
        v = m + m.T  # a symmetric perturbation keeps A symmetric positive definite
        fd = (_potrf_loss(a + EPS * v, h) - _potrf_loss(a - EPS * v, h)) / (2 * EPS)
        np.testing.assert_allclose((g * v).sum(), fd, rtol=1e-6, atol=1e-7)
    # the upper triangle is ignored only through symmetrisation: A and its transpose agree
    skew = np.triu(rng.normal(size=(4, 4)), 1) * 0.01
    np.testing.assert_allclose(nd.linalg.potrf(nd.array(a + skew - skew.T, dtype=F64)).asnumpy(),
                               low, rtol=1e-12, atol=1e-12)


def test_cholesky_solve_matches_numpy_solve(rng):
    from op_table import _cholesky_solve, spd
    for dtype, tol in [("float64", 1e-10), ("float32", 2e-4)]:
        a = spd(rng, (5, 5))
        b = rng.normal(size=(5, 3))
        x = _cholesky_solve(nd.array(a, dtype=dtype), nd.array(b, dtype=dtype))
        assert x.dtype == np.dtype(dtype)
        np.testing.assert_allclose(x.asnumpy(), np.linalg.solve(a, b), rtol=tol, atol=tol)


# ----------------------------------------------------------------------------------------
# the op library at sizes that use the parallel kernels
# ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_large_arrays_forward_library_ops(dtype, rng):
    from op_table import np_log_softmax, np_mod, np_softmax
    tol = dict(rtol=1e-4, atol=1e-5) if dtype == "float32" else dict(rtol=1e-11, atol=1e-12)
    a = rng.normal(size=(300, 400)).astype(dtype)
    b = rng.normal(size=(300, 1)).astype(dtype)
    A, B = to_nd([a, b], dtype)
    idx = rng.integers(0, 400, size=500).astype(dtype)
    checks = [
        (nd.maximum(A, B), np.maximum(a, b)), (nd.minimum(A.T, 0.5), np.minimum(a.T, 0.5)),
        (nd.hypot(A, B), np.hypot(a, b)), (nd.arctan2(A, B), np.arctan2(a, b)),
        (nd.modulo(A, B), np_mod(a.astype(np.float64), b.astype(np.float64))),
        (nd.clip(A, -0.5, 0.5), np.clip(a, -0.5, 0.5)),
        (nd.where(A > 0, A, B), np.where(a > 0, a, b)),
        (nd.softmax(A), np_softmax(a.astype(np.float64))),
        (nd.log_softmax(A, axis=0), np_log_softmax(a.astype(np.float64), axis=0)),
        (nd.sort(A), np.sort(a)), (nd.sort(A, axis=0), np.sort(a, axis=0)),
        (nd.topk(A, k=3, ret_typ="value"), -np.sort(-a)[:, :3]),
        (nd.take(A, nd.array(idx, dtype=dtype), axis=1), a[:, idx.astype(np.int64)]),
        (nd.concat(A, A, dim=0), np.concatenate([a, a])),
        (nd.tile(B, reps=(1, 200)), np.tile(b, (1, 200))),
        (nd.broadcast_to(B, shape=(300, 400)), np.broadcast_to(b, (300, 400))),
        (nd.flip(A, axis=1), a[:, ::-1]), (nd.swapaxes(A, 0, 1), a.T),
        (nd.Activation(A, act_type="softrelu"), np.logaddexp(0, a.astype(np.float64))),
        (nd.FullyConnected(A, A[:50], nd.zeros((50,), dtype=dtype), num_hidden=50),
         a @ a[:50].T),
        (nd.gammaln(nd.abs(A) + 0.5), np.vectorize(math.lgamma)(np.abs(a) + 0.5)),
    ]
    for i, (got, want) in enumerate(checks):
        want = np.asarray(want).astype(dtype)
        assert got.dtype == np.dtype(dtype), i
        assert got.shape == want.shape, (i, got.shape, want.shape)
        np.testing.assert_allclose(got.asnumpy(), want, err_msg="check %d" % i, **tol)


@pytest.mark.parametrize("fn", [
    lambda x, out: nd.concat(x, x, dim=0, out=out),
    lambda x, out: nd.clip(x, -0.5, 0.5, out=out),
    lambda x, out: nd.softmax(x, axis=0, out=out),
    lambda x, out: nd.sort(x, out=out),
    lambda x, out: nd.take(x, nd.array([1.0, 0.0]), out=out),
    lambda x, out: nd.maximum(x, 0.25, out=out),
    lambda x, out: nd.where(x > 0, x, -x, out=out),
    lambda x, out: nd.FullyConnected(x, x, nd.zeros((2,)), num_hidden=2, out=out),
    lambda x, out: nd.linalg.gemm2(x, x, transpose_b=True, out=out),
], ids=["concat", "clip", "softmax", "sort", "take", "maximum", "where", "FullyConnected",
        "gemm2"])
def test_out_argument_receives_the_result(fn, rng):
    x = nd.array(rng.normal(size=(2, 2)))
    want = fn(x, None)
    out = nd.zeros(want.shape)
    got = fn(x, out)
    assert got is out or np.array_equal(got.asnumpy(), out.asnumpy())
    np.testing.assert_array_equal(out.asnumpy(), want.asnumpy())
    with pytest.raises(InvalidArgumentError, match="out"):
        fn(x, nd.zeros((5,)))
