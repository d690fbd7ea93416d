"""The NDArray class: attributes, conversions, copies, reshapes, reductions as methods,
operators with Python scalars, creation defaults, indexing (reads and writes) and printing."""

import inspect
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import ferrograd
from ferrograd import autograd, nd
from ferrograd.base import MXNetError

from op_table import OP_ROWS, np_reshape

A = np.arange(12, dtype=np.float32).reshape(3, 4)


def arr(values=A, dtype=None):
    return nd.array(values, dtype=dtype)


# ----------------------------------------------------------------------------------------
# attributes
# ----------------------------------------------------------------------------------------


def test_attributes():
    x = arr()
    assert x.shape == (3, 4) and isinstance(x.shape, tuple)
    assert x.dtype is np.float32  # the NumPy type itself, as in MXNet
    assert nd.ones((2,), dtype="float64").dtype is np.float64
    assert x.size == 12 and x.ndim == 2
    assert repr(x.context) == "cpu(0)" and str(x.context) == "cpu(0)"
    assert x.context == ferrograd.cpu() == x.ctx
    assert x.stype == "default"
    assert x.grad is None and x.grad_req is None
    assert len(x) == 3
    y = x.T
    assert y.shape == (4, 3)
    np.testing.assert_array_equal(y.asnumpy(), A.T)
    assert nd.zeros((2, 0, 3)).size == 0 and nd.zeros((2, 0, 3)).ndim == 3


def test_context_objects():
    assert repr(ferrograd.cpu()) == "cpu(0)"
    assert ferrograd.current_context() == ferrograd.cpu()
    with ferrograd.cpu():
        assert nd.ones((1,), ctx=ferrograd.cpu()).context == ferrograd.cpu()
    assert nd.ones((1,), ctx="cpu").shape == (1,)
    assert arr().as_in_context(ferrograd.cpu()).shape == (3, 4)


# ----------------------------------------------------------------------------------------
# conversions
# ----------------------------------------------------------------------------------------


def test_asnumpy_is_a_copy():
    x = arr()
    a = x.asnumpy()
    assert isinstance(a, np.ndarray) and a.dtype == np.float32
    np.testing.assert_array_equal(a, A)
    a[0, 0] = 100
    assert x.asnumpy()[0, 0] == 0
    np.testing.assert_array_equal(np.asarray(x), A)


def test_scalar_conversions():
    x = nd.array([2.75])
    s = x.asscalar()
    assert type(s) is np.float32 and s == np.float32(2.75)
    assert type(nd.array([2.5], dtype="float64").asscalar()) is np.float64
    assert float(x) == 2.75 and isinstance(float(x), float)
    assert int(x) == 2 and int(nd.array([-2.75])) == -2
    assert bool(nd.array([0.5])) is True and bool(nd.array([0.0])) is False
    assert nd.array([[3.0]]).asscalar() == 3.0  # one element in any shape


@pytest.mark.parametrize("conv", [lambda x: x.asscalar(), float, int, bool],
                         ids=["asscalar", "float", "int", "bool"])
def test_multi_element_conversions_raise_value_error(conv):
    with pytest.raises(ValueError) as info:
        conv(nd.array([1.0, 2.0]))
    assert "(2,)" in str(info.value)


def test_astype():
    x = nd.array([1.7, -1.7, 2.5])
    y = x.astype("float64")
    assert y.dtype is np.float64
    np.testing.assert_array_equal(y.asnumpy(), np.array([1.7, -1.7, 2.5], np.float32)
                                  .astype(np.float64))
    assert x.astype(np.float64).dtype is np.float64
    i = x.astype("int32")
    assert i.dtype is np.int32
    np.testing.assert_array_equal(i.asnumpy(), [1, -1, 2])  # truncation, as NumPy
    z = x.astype("float32")
    z[:] = 0
    np.testing.assert_array_equal(x.asnumpy(), np.array([1.7, -1.7, 2.5], np.float32))  # copy
    back = i.astype("float32")
    np.testing.assert_array_equal(back.asnumpy(), [1.0, -1.0, 2.0])


def test_astype_records_a_gradient():
    x = nd.array([1.0, 2.0])
    x.attach_grad()
    with autograd.record():
        y = (x.astype("float64") * 3).astype("float32")
    y.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), [3.0, 3.0])
    assert x.grad.dtype is np.float32


def test_copy_and_copyto():
    x = arr()
    c = x.copy()
    c[0] = -1
    np.testing.assert_array_equal(x.asnumpy(), A)
    dst = nd.zeros((3, 4))
    r = x.copyto(dst)
    assert r is dst
    np.testing.assert_array_equal(dst.asnumpy(), A)
    dst[:] = 0
    np.testing.assert_array_equal(x.asnumpy(), A)
    c2 = x.copyto(ferrograd.cpu())
    np.testing.assert_array_equal(c2.asnumpy(), A)
    d64 = nd.zeros((3, 4), dtype="float64")
    x.copyto(d64)  # converts to the destination dtype
    assert d64.dtype is np.float64
    np.testing.assert_array_equal(d64.asnumpy(), A)


# ----------------------------------------------------------------------------------------
# reshape and transpose
# ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("args, shape", [
    (((4, 3),), (4, 3)),
    ((4, 3), (4, 3)),
    (((-1,),), (12,)),
    ((-1,), (12,)),
    (((2, -1),), (2, 6)),
    (((-1, 2, 2),), (3, 2, 2)),
    (((0, -1),), (3, 4)),
    (((0, 2, 2),), (3, 2, 2)),
    (((1, 0, -1),), (1, 4, 3)),  # 0 copies the input dim at the same position
])
def test_reshape_forms_and_codes(args, shape):
    x = arr()
    y = x.reshape(*args)
    assert y.shape == shape
    np.testing.assert_array_equal(y.asnumpy().ravel(), A.ravel())


def test_reshape_keyword_and_function():
    x = nd.ones((2, 3, 4))
    assert x.reshape(shape=(4, -1)).shape == (4, 6)
    assert nd.reshape(x, (0, -1)).shape == (2, 12)
    assert nd.reshape(x, shape=(-1, 0), reverse=True).shape == (6, 4)
    assert x.reshape((-2,)).shape == (2, 3, 4)  # MXNet's other codes
    assert x.reshape((-3, 4)).shape == (6, 4)
    assert x.reshape((-4, 1, 2, -2)).shape == (1, 2, 3, 4)


def test_transpose_method_forms():
    x = nd.array(np.arange(24.0).reshape(2, 3, 4))
    ref = np.arange(24.0, dtype=np.float32).reshape(2, 3, 4)
    np.testing.assert_array_equal(x.transpose().asnumpy(), ref.transpose())
    np.testing.assert_array_equal(x.transpose((2, 0, 1)).asnumpy(), ref.transpose(2, 0, 1))
    np.testing.assert_array_equal(x.transpose(1, 0, 2).asnumpy(), ref.transpose(1, 0, 2))
    np.testing.assert_array_equal(nd.transpose(x, axes=(0, 2, 1)).asnumpy(),
                                  ref.transpose(0, 2, 1))
    np.testing.assert_array_equal(x.T.asnumpy(), ref.T)


def test_expand_dims_flatten_squeeze():
    x = arr()
    assert x.expand_dims(0).shape == (1, 3, 4)
    assert x.expand_dims(-1).shape == (3, 4, 1)
    assert nd.ones((2, 3, 4)).flatten().shape == (2, 12)
    assert nd.ones((1, 3, 1)).squeeze().shape == (3,)
    assert nd.ones((1, 3, 1)).squeeze(axis=0).shape == (3, 1)
    assert nd.ones((1, 1)).squeeze().shape == (1,)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=4).map(tuple), st.data())
def test_reshape_round_trip(shape, data):
    n = int(np.prod(shape))
    ref = np.arange(n, dtype=np.float32).reshape(shape)
    x = nd.array(ref)
    # a random factorisation of n, with one dimension given as -1
    dims, rest = [], n
    while rest > 1 and len(dims) < 4:
        divisors = [d for d in range(1, rest + 1) if rest % d == 0]
        d = data.draw(st.sampled_from(divisors))
        dims.append(d)
        rest //= d
    dims.append(rest)
    spec = list(dims)
    spec[data.draw(st.integers(0, len(spec) - 1))] = -1
    y = x.reshape(tuple(spec))
    assert y.shape == tuple(dims)
    np.testing.assert_array_equal(y.asnumpy(), np_reshape(ref, tuple(spec)))
    back = y.reshape(shape)
    assert back.shape == shape
    np.testing.assert_array_equal(back.asnumpy(), ref)
    # and the gradient of a reshape is the head reshaped back
    x.attach_grad()
    with autograd.record():
        z = x.reshape(tuple(spec)) * 2
    head = np.arange(n, dtype=np.float32).reshape(tuple(dims)) + 1
    z.backward(nd.array(head))
    np.testing.assert_array_equal(x.grad.asnumpy(), 2 * head.reshape(shape))


# ----------------------------------------------------------------------------------------
# reductions as methods
# ----------------------------------------------------------------------------------------

R = np.random.default_rng(5).permutation(24).astype(np.float32).reshape(2, 3, 4) / 4 - 3


@pytest.mark.parametrize("name, ref", [
    ("sum", np.sum), ("mean", np.mean), ("max", np.max), ("min", np.min), ("prod", np.prod),
])
@pytest.mark.parametrize("axis", [None, 0, 1, -1, (0, 2)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_reduction_methods(name, ref, axis, keepdims):
    x = nd.array(R)
    got = getattr(x, name)(axis=axis, keepdims=keepdims)
    want = np.asarray(ref(R, axis=axis, keepdims=keepdims))
    if axis is None and not keepdims:
        want = want.reshape(1)  # MXNet: a full reduction has shape (1,)
    assert got.shape == want.shape
    assert got.dtype is np.float32
    np.testing.assert_allclose(got.asnumpy(), want, rtol=1e-5)


def test_full_reductions_have_shape_one():
    x = nd.array(R)
    for m in ["sum", "mean", "max", "min", "prod", "norm", "argmax", "argmin"]:
        assert getattr(x, m)().shape == (1,), m
        assert getattr(nd, m)(x).shape == (1,), m


def test_norm_method():
    x = nd.array([[3.0, -4.0], [0.0, 12.0]])
    np.testing.assert_allclose(x.norm().asnumpy(), [13.0])
    np.testing.assert_allclose(x.norm(axis=1).asnumpy(), [5.0, 12.0])
    np.testing.assert_allclose(x.norm(ord=1, axis=0, keepdims=True).asnumpy(), [[3.0, 16.0]])


def test_argmax_argmin_methods():
    x = nd.array(R)
    a = x.argmax(axis=1)
    assert a.dtype is np.float32  # indices come back as floats, as in MXNet
    np.testing.assert_array_equal(a.asnumpy(), R.argmax(axis=1))
    np.testing.assert_array_equal(x.argmin(axis=-1, keepdims=True).asnumpy(),
                                  R.argmin(axis=-1)[..., None])
    np.testing.assert_array_equal(x.argmax().asnumpy(), [R.argmax()])
    np.testing.assert_array_equal(nd.array([1.0, 3.0, 3.0]).argmax().asnumpy(), [1.0])  # first


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=4).map(tuple), st.data())
def test_reductions_agree_with_numpy(shape, data):
    ndim = len(shape)
    axes = data.draw(st.lists(st.integers(0, ndim - 1), unique=True, max_size=ndim))
    keepdims = data.draw(st.booleans())
    exclude = data.draw(st.booleans())
    ref = np.random.default_rng(len(axes)).normal(size=shape)
    x = nd.array(ref, dtype="float64")
    reduced = tuple(i for i in range(ndim) if (i in axes) != exclude)
    for name, f in [("sum", np.sum), ("mean", np.mean), ("max", np.max), ("min", np.min)]:
        got = getattr(nd, name)(x, axis=tuple(axes), keepdims=keepdims, exclude=exclude)
        want = np.asarray(f(ref, axis=reduced, keepdims=keepdims))
        want = want.reshape(1) if want.ndim == 0 else want
        assert got.shape == want.shape, (name, axes, exclude)
        np.testing.assert_allclose(got.asnumpy(), want, rtol=1e-12, atol=1e-12)


# ----------------------------------------------------------------------------------------
# unary math as methods
# ----------------------------------------------------------------------------------------

# Every differentiable function of one array that NDArray also has as a method (from the
# engine's registry; the shape queries and argmax_channel, which have no gradient, are checked
# in tests/test_parity_api.py).
_NO_GRADIENT = {r.op for r in OP_ROWS if r.grad == "none"}
UNARY_METHODS = [name for ns, name, f, _, fluent in ferrograd._core._registry
                 if fluent and ns == "nd" and f not in _NO_GRADIENT
                 and str(inspect.signature(f)) == "(data, out=None, name=None)"]


@pytest.mark.parametrize("name", UNARY_METHODS)
def test_unary_method_equals_function(name):
    v = np.array([0.25, 0.5, 0.75]) if name != "arccosh" else np.array([1.5, 2.0, 3.0])
    x = nd.array(v, dtype="float64")
    x.attach_grad()
    with autograd.record():
        y = getattr(x, name)()
    np.testing.assert_array_equal(y.asnumpy(), getattr(nd, name)(x).asnumpy())
    y.backward()
    g_method = x.grad.asnumpy().copy()
    with autograd.record():
        y = getattr(nd, name)(x)
    y.backward()
    np.testing.assert_array_equal(g_method, x.grad.asnumpy())


# ----------------------------------------------------------------------------------------
# operators
# ----------------------------------------------------------------------------------------


def test_comparisons_return_zero_one_in_input_dtype():
    for dt in ["float32", "float64"]:
        x = nd.array([1.0, 2.0, 3.0], dtype=dt)
        y = nd.array([3.0, 2.0, 1.0], dtype=dt)
        cases = [(x == y, [0, 1, 0]), (x != y, [1, 0, 1]), (x < y, [1, 0, 0]),
                 (x <= y, [1, 1, 0]), (x > y, [0, 0, 1]), (x >= y, [0, 1, 1]),
                 (x == 2, [0, 1, 0]), (x > 1.5, [0, 1, 1]), (2 < x, [0, 0, 1]),
                 (2 >= x, [1, 1, 0])]
        for got, want in cases:
            assert isinstance(got, nd.NDArray)
            assert got.dtype is np.dtype(dt).type
            np.testing.assert_array_equal(got.asnumpy(), np.array(want, dt))


def test_comparison_broadcasts():
    got = nd.array([[1.0], [2.0]]) == nd.array([[1.0, 2.0, 3.0]])
    np.testing.assert_array_equal(got.asnumpy(), [[1, 0, 0], [0, 1, 0]])


@pytest.mark.parametrize("dt", ["float32", "float64"])
def test_python_scalars_on_either_side(dt):
    v = np.array([0.5, 1.0, 2.0], dtype=dt)
    x = nd.array(v, dtype=dt)
    cases = [
        (x + 2, v + 2), (2 + x, 2 + v), (x - 2, v - 2), (2 - x, 2 - v),
        (x * 3, v * 3), (3 * x, 3 * v), (x / 4, v / 4), (2 / x, 2 / v),
        (x ** 2, v ** 2), (2 ** x, 2 ** v), (-x, -v), (abs(-x), v), (+x, v),
        (x + 0.1, v + dt_type(dt)(0.1)),
    ]
    for got, want in cases:
        assert got.dtype is np.dtype(dt).type  # the scalar takes the array's dtype
        np.testing.assert_allclose(got.asnumpy(), want, rtol=1e-7 if dt == "float32" else 0)


def dt_type(dt):
    return np.dtype(dt).type


def test_scalar_operators_are_differentiable():
    x = nd.array([0.5, 1.0, 2.0], dtype="float64")
    x.attach_grad()
    with autograd.record():
        y = (2 - x) * (2 / x) + 2 ** x + x ** 3 - x / 4 + 1 + 3 * x
    y.backward()
    v = x.asnumpy()
    want = -(2 / v) + (2 - v) * (-2 / v ** 2) + np.log(2) * 2 ** v + 3 * v ** 2 - 0.25 + 3
    np.testing.assert_allclose(x.grad.asnumpy(), want, rtol=1e-13)


def test_in_place_operators():
    x = nd.array([1.0, 2.0])
    y = x
    x += 1
    x *= 3
    x -= nd.array([1.0, 1.0])
    x /= 2
    assert y is x
    np.testing.assert_array_equal(x.asnumpy(), [2.5, 4.0])


def test_matmul_operator():
    x = nd.array(A)
    np.testing.assert_array_equal((x @ x.T).asnumpy(), A @ A.T)


# ----------------------------------------------------------------------------------------
# creation
# ----------------------------------------------------------------------------------------


def test_array_dtype_defaults():
    assert nd.array([1, 2, 3]).dtype is np.float32  # a list gives float32, ints too
    assert nd.array(np.array([1.5, 2.5])).dtype is np.float32  # float64 NumPy -> float32
    assert nd.array(np.array([1.5]), dtype="float64").dtype is np.float64
    assert nd.array(np.array([1.5]), dtype=np.float64).dtype is np.float64
    assert nd.array([1, 2], dtype="int32").dtype is np.int32
    src = nd.array([1.0], dtype="float64")
    assert nd.array(src).dtype is np.float64  # an NDArray source keeps its dtype
    np.testing.assert_array_equal(nd.array(np.array([0.1])).asnumpy(),
                                  np.array([0.1], np.float32))
    assert nd.array(3.5).shape in ((1,), ())  # a scalar source
    nd_src = nd.array([1.0, 2.0])
    copy = nd.array(nd_src)
    copy[:] = 0
    np.testing.assert_array_equal(nd_src.asnumpy(), [1.0, 2.0])  # a copy


def test_array_from_non_contiguous_numpy():
    a = np.arange(24.0).reshape(4, 6)
    for src in [a[:, ::2], a.T, a[::-1], np.asfortranarray(a), a.astype(">f8")]:
        np.testing.assert_array_equal(nd.array(src, dtype="float64").asnumpy(), src)


def test_creation_defaults():
    for f in [nd.zeros, nd.ones, nd.empty]:
        x = f((2, 3))
        assert x.dtype is np.float32 and x.shape == (2, 3)
    assert nd.full((2,), 3).dtype is np.float32
    np.testing.assert_array_equal(nd.full((2,), 3).asnumpy(), [3.0, 3.0])
    out = nd.zeros((2,))
    r = nd.full((2,), 4.0, out=out)
    assert r is out
    np.testing.assert_array_equal(out.asnumpy(), [4.0, 4.0])
    x = nd.array([[1.0, 2.0]], dtype="float64")
    for f, v in [(nd.zeros_like, 0.0), (nd.ones_like, 1.0)]:
        y = f(x)
        assert y.dtype is np.float64 and y.shape == (1, 2)
        np.testing.assert_array_equal(y.asnumpy(), [[v, v]])
    assert x.zeros_like().shape == (1, 2) and x.ones_like().asnumpy().sum() == 2


@pytest.mark.parametrize("args, kwargs, want", [
    ((4,), {}, [0, 1, 2, 3]),
    ((2, 5), {}, [2, 3, 4]),
    ((1, 2, 0.25), {}, [1, 1.25, 1.5, 1.75]),
    ((0, 3, 1, 2), {}, [0, 0, 1, 1, 2, 2]),
    ((0, 3), {"repeat": 3}, [0, 0, 0, 1, 1, 1, 2, 2, 2]),
    ((5, 0, -2), {}, [5, 3, 1]),
    ((5, 0), {}, []),
    ((2.5,), {}, [0, 1, 2]),
])
def test_arange(args, kwargs, want):
    x = nd.arange(*args, **kwargs)
    assert x.dtype is np.float32
    np.testing.assert_array_equal(x.asnumpy(), np.array(want, np.float32))


def test_arange_values_are_computed_in_double():
    # MXNet computes start + i * step in double and casts: 0.9, not NumPy's float32 0.90000004
    x = nd.arange(0, 1, 0.1)
    assert x.shape == (10,)
    np.testing.assert_array_equal(x.asnumpy(), (np.arange(10) * 0.1).astype(np.float32))
    y = nd.arange(0, 1, 0.1, dtype="float64")
    np.testing.assert_allclose(y.asnumpy(), np.arange(10) * 0.1, rtol=0, atol=1e-15)


# ----------------------------------------------------------------------------------------
# indexing
# ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", [
    0, 2, -1, slice(1, 3), slice(None, None, 2), slice(None, None, -1), slice(-2, None),
    slice(5, 1), (1, 2), (slice(None), 1), (slice(1, 3), slice(0, 4, 2)), (Ellipsis, 1),
    (1, Ellipsis), Ellipsis, (slice(None), slice(None, None, -2)),
], ids=lambda k: repr(k))
def test_getitem_basic(key):
    x = arr()
    got = x[key]
    want = np.asarray(A[key])
    want = want.reshape(1) if want.ndim == 0 else want  # MXNet: x[i, j] has shape (1,)
    assert got.shape == want.shape
    np.testing.assert_array_equal(got.asnumpy(), want)


@pytest.mark.parametrize("key", [[2, 0, 2], [-1], nd.array([1, 0]), np.array([2, 1]),
                                 nd.array([1, 2], dtype="int32")],
                         ids=["list", "neg", "ndarray", "numpy", "int32"])
def test_getitem_with_index_arrays_on_axis_0(key):
    x = arr()
    idx = key.asnumpy().astype(int) if isinstance(key, nd.NDArray) else np.asarray(key)
    got = x[key]
    np.testing.assert_array_equal(got.asnumpy(), A[idx])
    got[:] = -1  # a copy, as in NumPy
    np.testing.assert_array_equal(x.asnumpy(), A)


def test_getitem_with_index_array_is_differentiable():
    x = nd.array(A, dtype="float64")
    x.attach_grad()
    with autograd.record():
        y = x[nd.array([2, 0, 2])] * 2
    y.backward()
    want = np.zeros((3, 4))
    want[0] = 2
    want[2] = 4  # picked twice: gradients add
    np.testing.assert_array_equal(x.grad.asnumpy(), want)


@pytest.mark.parametrize("key, value", [
    (0, 5.0), (-1, nd.array([1.0, 2.0, 3.0, 4.0])), (slice(1, 3), 0.0),
    (slice(None, None, 2), nd.array([[9.0, 8.0, 7.0, 6.0]])), ((1, 2), 42.0),
    ((slice(None), 1), nd.array([1.0, 2.0, 3.0])), ((Ellipsis, 3), -2.0),
    (Ellipsis, 1.0), ([0, 2], 7.0), (nd.array([1]), nd.array([[0.5, 0.5, 0.5, 0.5]])),
    ((slice(0, 2), slice(1, 3)), nd.array([[1.0, 2.0], [3.0, 4.0]])),
    (slice(None), np.arange(4, dtype=np.float32)),
    (1, [4.0, 3.0, 2.0, 1.0]),
], ids=lambda v: repr(v) if not isinstance(v, nd.NDArray) else "nd%s" % (v.shape,))
def test_setitem(key, value):
    x = arr()
    want = A.copy()
    if isinstance(key, nd.NDArray):
        npkey = key.asnumpy().astype(int)
    else:
        npkey = key
    want[npkey] = value.asnumpy() if isinstance(value, nd.NDArray) else value
    x[key] = value
    np.testing.assert_array_equal(x.asnumpy(), want)


def test_setitem_converts_dtype_of_value():
    x = nd.zeros((2,), dtype="float64")
    x[:] = nd.array([0.5, 1.5])  # float32 value into a float64 array
    np.testing.assert_array_equal(x.asnumpy(), [0.5, 1.5])
    assert x.dtype is np.float64


def test_iteration_yields_rows():
    rows = [r.asnumpy() for r in arr()]
    assert len(rows) == 3
    for r, want in zip(rows, A):
        np.testing.assert_array_equal(r, want)


# ----------------------------------------------------------------------------------------
# printing
# ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("values", [
    np.array([1.0, 2.5, -3.0], np.float32),
    np.arange(4, dtype=np.float32).reshape(4, 1),
    np.array([[0.0, 4.0], [0.8, 0.12]], np.float32),
    np.array([1e-5, 1e5], np.float32),
    np.zeros((0,), np.float32),
    np.zeros((0, 3), np.float32),
    np.arange(8, dtype=np.float32).reshape(2, 2, 2),
    np.array([math.pi, -math.e]),
], ids=["1d", "column", "2d", "sci", "empty", "empty2d", "3d", "f64"])
def test_printing_matches_numpy_str(values):
    x = nd.array(values, dtype=values.dtype)
    dims = "x".join(str(d) for d in values.shape)
    want = "\n%s\n<NDArray %s @cpu(0)>" % (str(values), dims)
    assert str(x) == want
    assert repr(x) == want


def test_printing_the_chapter_arrays():
    assert str(nd.arange(4).reshape((4, 1))) == (
        "\n[[0.]\n [1.]\n [2.]\n [3.]]\n<NDArray 4x1 @cpu(0)>")
    assert str(nd.array([1.0])) == "\n[1.]\n<NDArray 1 @cpu(0)>"
    assert str(nd.array([[28.0]])) == "\n[[28.]]\n<NDArray 1x1 @cpu(0)>"


def test_errors_are_mxnet_errors():
    assert issubclass(ferrograd.MXNetError, Exception)
    assert ferrograd.MXNetError is MXNetError
    with pytest.raises(ferrograd.MXNetError):
        nd.ones((2,)) + nd.ones((3,))
