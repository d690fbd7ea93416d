"""Integer and float16 arrays compute with MXNet 1.9.1's results: every case of
tests/fixtures/dtypes/cases.py (arithmetic, comparisons, rounding, functions, reductions, with
arrays and Python scalars, for int32, int64, uint8 and int8; float16 with its rounding,
overflow and gradients) against what MXNet returned for it (recorded by
tests/fixtures/dtypes/record_mxnet.py)."""

import json
import os
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest

from ferrograd import autograd, nd
from ferrograd.base import DTypeError, InvalidArgumentError, MXNetError

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "dtypes"
sys.path.insert(0, str(FIXTURES))
from cases import (A, B, DTYPES, EXPRESSIONS, FLOAT_DTYPES, FLOAT_EXPRESSIONS,  # noqa: E402
                   GRAD_EXPRESSIONS, GRAD_X, U, V, X, Y)

MXNET = json.loads((FIXTURES / "mxnet_results.json").read_text())


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case, expr", EXPRESSIONS, ids=[c for c, _ in EXPRESSIONS])
def test_integer_ops_give_mxnets_results(dtype, case, expr):
    xs, ys = (U, V) if dtype == "uint8" else (A, B)
    a, b = nd.array(xs, dtype=dtype), nd.array(ys, dtype=dtype)
    want = MXNET["%s:%s" % (dtype, case)]
    got = eval(expr, {"nd": nd, "a": a, "b": b})
    assert got.dtype == np.dtype(want["dtype"]), (got.dtype, want["dtype"])
    assert list(got.shape) == want["shape"]
    assert got.asnumpy().tolist() == want["values"]
    if dtype == "int8":  # printing: the new dtype prints as MXNet does
        assert repr(got) in mxnet_reprs(want)
    # the inputs are untouched
    assert a.asnumpy().tolist() == xs and b.asnumpy().tolist() == ys


# MXNet's float32 transcendentals (glibc) and ferrograd's (vectorised polynomials) may differ
# in float32's last bit, which can move a float16 rounding by one step: these cases compare
# to within one float16 ulp; all others bit for bit.
F16_ONE_ULP = {"exp", "log", "sin", "cos", "tanh", "sigmoid", "power", "rpow_scalar",
               "softmax", "log_softmax", "rsqrt", "norm", "mean_many"}


def f16_close(got, want, ulps):
    """float16 arrays equal, or (ulps=1) each within one float16 step of the other."""
    got, want = np.asarray(got, np.float64), np.asarray(want, np.float64)
    assert np.array_equal(np.isnan(got), np.isnan(want)), (got, want)
    assert np.array_equal(np.isinf(got), np.isinf(want)), (got, want)
    assert got[np.isinf(want)].tolist() == want[np.isinf(want)].tolist(), (got, want)
    ok = np.isfinite(want)
    if ulps == 0:
        assert got[ok].tolist() == want[ok].tolist(), (got, want)
    else:
        step = np.spacing(np.abs(want[ok]).astype(np.float16)).astype(np.float64)
        assert np.all(np.abs(got[ok] - want[ok]) <= ulps * step), (got, want)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("case, expr", FLOAT_EXPRESSIONS, ids=[c for c, _ in FLOAT_EXPRESSIONS])
def test_float16_ops_give_mxnets_results(dtype, case, expr):
    a, b = nd.array(X, dtype=dtype), nd.array(Y, dtype=dtype)
    want = MXNET["%s:%s" % (dtype, case)]
    got = eval(expr, {"nd": nd, "a": a, "b": b})
    assert got.dtype == np.dtype(want["dtype"]), (got.dtype, want["dtype"])
    assert got.asnumpy().dtype == np.dtype(want["dtype"])
    assert list(got.shape) == want["shape"]
    f16_close(got.asnumpy(), want["values"], 1 if case in F16_ONE_ULP else 0)
    if case not in F16_ONE_ULP:
        assert repr(got) in mxnet_reprs(want)


def mxnet_reprs(want):
    """What MXNet printed for a result, and what it prints for the same values with this
    NumPy (MXNet prints through NumPy, and NumPy 2 prints some float16 values differently
    from the NumPy 1.23 the fixture was recorded with: 65504 is 6.55e+04)."""
    values = np.array(want["values"], np.float64).astype(want["dtype"]).reshape(want["shape"])
    return (want["repr"],
            "\n%s\n<NDArray %s @cpu(0)>" % (values, "x".join(map(str, want["shape"]))))
    assert a.asnumpy().tolist() == np.array(X, np.float16).tolist()


@pytest.mark.parametrize("case, expr", GRAD_EXPRESSIONS, ids=[c for c, _ in GRAD_EXPRESSIONS])
def test_float16_gradients_match_mxnet_and_float64(case, expr):
    want = MXNET["float16:grad:%s" % case]
    grads = {}
    for dtype in ("float16", "float64"):
        x = nd.array(np.array(GRAD_X, np.float16), dtype=dtype)
        x.attach_grad()
        with autograd.record():
            y = eval(expr, {"nd": nd, "x": x})
        y.backward()
        assert x.grad.dtype == np.dtype(dtype) and y.dtype == np.dtype(dtype)
        grads[dtype] = x.grad.asnumpy()
        if dtype == "float16":
            f16_close(y.asnumpy(), want["y"]["values"], 1)
    f16_close(grads["float16"], want["values"], 1)
    # float16 gradients are float64's, rounded after each op: a few float16 steps away
    np.testing.assert_allclose(grads["float16"].astype(np.float64), grads["float64"],
                               rtol=4e-3, atol=1e-4)


def test_the_fixture_covers_every_case():
    assert len(MXNET) == (len(DTYPES) * len(EXPRESSIONS)
                          + len(FLOAT_DTYPES) * len(FLOAT_EXPRESSIONS) + len(GRAD_EXPRESSIONS))
    assert not [k for k, v in MXNET.items() if "error" in v]


@pytest.mark.parametrize("expr", ["a / b", "a / 0", "7 / b", "nd.divide(a, b)"])
def test_integer_division_by_zero_raises(expr):
    # MXNet's process dies of SIGFPE here; an integer has no inf or NaN to give.
    a, b = nd.array([1, 2], dtype="int32"), nd.array([1, 0], dtype="int32")
    with pytest.raises(InvalidArgumentError, match="division by zero") as e:
        eval(expr)
    assert isinstance(e.value, ValueError)
    assert a.asnumpy().tolist() == [1, 2]


def test_mixed_dtypes_name_both_and_the_op():
    with pytest.raises(DTypeError, match=r"add.*int32.*float32") as e:
        nd.array([1, 2], dtype="int32") + nd.array([1.0, 2.0])
    assert isinstance(e.value, TypeError) and isinstance(e.value, MXNetError)


def test_astype_without_copy_returns_the_same_array():
    a = nd.array([1, 2], dtype="int32")
    assert a.astype("int32", copy=False) is a
    b = a.astype("int32")
    assert b is not a and b.asnumpy().tolist() == [1, 2]
    assert a.astype("float32", copy=False).dtype == np.float32


def test_int_arithmetic_on_large_arrays_matches_small_ones():
    # the parallel kernels (above 32K elements) give the same wrap-around and rounding
    x = np.arange(-50000, 50000, dtype=np.int64) * 3
    a = nd.array(x, dtype="int64")
    np.testing.assert_array_equal((a / 7).asnumpy(), np.trunc(x / 7).astype(np.int64))
    np.testing.assert_array_equal((a % 7).asnumpy(), x % 7)
    np.testing.assert_array_equal(a.sum().asnumpy(), [x.sum()])
    u = nd.array(np.arange(100000) % 256, dtype="uint8")
    np.testing.assert_array_equal((u * 3).asnumpy(), ((np.arange(100000) % 256) * 3 % 256))


@pytest.mark.filterwarnings("ignore:overflow encountered in cast:RuntimeWarning")
def test_float16_and_int8_arrays_are_made_read_and_converted_as_numpy_does():
    # (65520 overflows to inf: NumPy's conversion warns, in MXNet too)
    x = nd.array([1 / 3, 2.0, 65519.0, 65520.0, 1e-8], dtype="float16")
    assert x.dtype == np.float16 and x.asnumpy().dtype == np.float16
    assert x.asnumpy().tolist() == np.array([1 / 3, 2.0, 65519.0, 65520.0, 1e-8],
                                             np.float16).tolist()
    assert x.asnumpy().tolist()[2:] == [65504.0, float("inf"), 0.0]
    # a NumPy array becomes float32 unless dtype says otherwise, as in MXNet
    h = np.array([0.1, -2.5], np.float16)
    assert nd.array(h).dtype == np.float32 and nd.array(h).asnumpy().tolist() == h.tolist()
    assert nd.array(h, dtype=h.dtype).dtype == np.float16
    assert nd.array(h, dtype=h.dtype).asnumpy().tolist() == h.tolist()
    i8 = nd.array(np.array([-128, 127], np.int8), dtype=np.int8)
    assert i8.dtype == np.int8 and i8.asnumpy().tolist() == [-128, 127]
    for name in ("float16", np.float16, np.dtype("float16"), "f2"):
        assert nd.zeros((2,), dtype=name).dtype == np.float16
    # astype both ways rounds to nearest even; float32 -> int8 truncates and wraps
    f = nd.array([1 / 3, 2049.0, 70000.0])
    assert f.astype("float16").asnumpy().tolist() == [0.333251953125, 2048.0, float("inf")]
    assert f.astype("float16").astype("float32").dtype == np.float32
    assert f.astype("float16").astype("float64").asnumpy().tolist() == [0.333251953125, 2048.0,
                                                                         float("inf")]
    i = nd.array([1.9, -1.9, 127.0, -128.0]).astype("int8")
    assert i.dtype == np.int8 and i.asnumpy().tolist() == [1, -1, 127, -128]
    assert i.astype("float16").asnumpy().tolist() == [1.0, -1.0, 127.0, -128.0]
    assert nd.array([2.5], dtype="float16").asscalar() == 2.5
    assert isinstance(nd.array([2.5], dtype="float16").asscalar(), np.float16)


def test_float16_and_int8_print_as_mxnet_does():
    assert repr(nd.array([1, 2], dtype="float16")) == "\n[1. 2.]\n<NDArray 2 @cpu(0)>"
    assert repr(nd.array([1 / 3, 1e-3], dtype="float16")) == \
        "\n[0.3333 0.001 ]\n<NDArray 2 @cpu(0)>"
    assert repr(nd.array([[127, -128]], dtype="int8")) == "\n[[ 127 -128]]\n<NDArray 1x2 @cpu(0)>"


@pytest.mark.parametrize("dtype, values", [("float16", [[1 / 3, -2.5], [65504.0, float("inf")]]),
                                           ("int8", [[127, -128], [0, 5]])])
def test_float16_and_int8_save_and_load(dtype, values):
    a = nd.array(values, dtype=dtype)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "x.params")
        nd.save(path, {"a": a, "b": a * 2})
        raw = open(path, "rb").read()
        back = nd.load(path)
    # the array record's type flag: MXNet's 2 for float16, 5 for int8
    flag = {"float16": 2, "int8": 5}[dtype]
    assert (np.int32(1).tobytes() + np.int32(0).tobytes() + np.int32(flag).tobytes()) in raw
    assert back["a"].dtype == np.dtype(dtype) and back["b"].dtype == np.dtype(dtype)
    assert back["a"].asnumpy().tolist() == a.asnumpy().tolist()
    assert back["b"].asnumpy().tolist() == (a * 2).asnumpy().tolist()


def test_float16_refuses_mixing_with_float32():
    with pytest.raises(DTypeError, match=r"add.*float16.*float32"):
        nd.array([1, 2], dtype="float16") + nd.array([1.0, 2.0])
    with pytest.raises(DTypeError, match=r"int8.*int32|int32.*int8"):
        nd.array([1, 2], dtype="int8") * nd.array([1, 2], dtype="int32")


def test_float16_sums_and_products_accumulate_in_float32():
    # MXNet's sum: 10000 ones is 10000 (a float16 running sum would stop at 2048)
    ones = nd.ones((10000,), dtype="float16")
    assert ones.sum().asnumpy().tolist() == [10000.0]
    assert ones.mean().asnumpy().tolist() == [1.0]
    # norm and softmax too (MXNet only with MXNET_SAFE_ACCUMULATION=1; README difference 9)
    assert ones.norm().asnumpy().tolist() == [100.0]
    assert nd.softmax(ones)[:2].asnumpy().tolist() == [np.float16(1e-4)] * 2
    # dot (MXNet refuses float16 on the CPU): float32 multiply-adds, one rounding
    a = nd.array(np.full((64, 300), 0.1), dtype="float16")
    want = (np.full((64, 300), 0.1, np.float16).astype(np.float32) @
            np.full((300, 5), 0.1, np.float16).astype(np.float32)).astype(np.float16)
    got = nd.dot(a, nd.array(np.full((300, 5), 0.1), dtype="float16"))
    assert got.dtype == np.float16 and got.asnumpy().tolist() == want.tolist()


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_uniform_stays_below_high_after_rounding_to_the_dtype(dtype):
    # A draw just under `high` used to round onto it: about 25 of these 100 000 float16
    # draws were 1.0, outside MXNet's documented [low, high).
    nd.random.seed(5)
    u = nd.random.uniform(0, 1, shape=(100_000,), dtype=dtype).asnumpy()
    assert u.dtype == np.dtype(dtype)
    assert u.min() >= 0 and u.max() < 1, (u.min(), u.max())
    assert abs(float(u.astype(np.float64).mean()) - 0.5) < 0.01
    v = nd.random.uniform(-2, 3, shape=(50_000,), dtype=dtype).asnumpy()
    assert v.min() >= -2 and v.max() < 3


def test_float16_arithmetic_on_large_arrays_matches_small_ones():
    # the parallel and vectorised kernels round each result as the scalar path does
    x = (np.arange(100000) % 997 / 7).astype(np.float16)
    a = nd.array(x, dtype="float16")
    want = (x.astype(np.float32) / np.float32(3)).astype(np.float16)
    np.testing.assert_array_equal((a / 3).asnumpy(), want)
    np.testing.assert_array_equal((a * a).asnumpy(), x * x)  # NumPy float16 rounds per op too
    # the sum (7.1e6) is past float16's range; the mean sums and divides in float32 first
    assert a.sum().asnumpy().tolist() == [float("inf")]
    assert a.mean().asnumpy().tolist() == [np.float16(x.astype(np.float64).mean())]
    assert nd.mean(a.reshape((1000, 100)), axis=1).asnumpy().tolist() == \
        x.astype(np.float64).reshape(1000, 100).mean(axis=1).astype(np.float16).tolist()
    np.testing.assert_array_equal(nd.exp(a / 100).asnumpy(),
                                  np.exp((x.astype(np.float32) / 100).astype(np.float16)
                                         .astype(np.float32)).astype(np.float16))


def test_int8_wraps_divides_and_reduces_as_the_other_ints():
    a = nd.array([127, -128, 7, -7], dtype="int8")
    assert (a + 1).asnumpy().tolist() == [-128, -127, 8, -6]
    assert (a * 2).asnumpy().tolist() == [-2, 0, 14, -14]
    assert (a / 2).asnumpy().tolist() == [63, -64, 3, -3]
    assert (a % 3).asnumpy().tolist() == [1, 1, 1, 2]
    assert a.sum().asnumpy().tolist() == [-1] and a.sum().dtype == np.int8
    with pytest.raises(InvalidArgumentError, match="division by zero"):
        a / 0
    with pytest.raises(DTypeError, match="float16, float32 or float64"):
        a.attach_grad()


def test_integer_arrays_carry_no_gradient():
    a = nd.array([1, 2], dtype="int32")
    with pytest.raises(DTypeError, match="float32 or float64"):
        a.attach_grad()
