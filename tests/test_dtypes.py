"""Integer arrays compute with MXNet 1.9.1's results: every case of
tests/fixtures/dtypes/cases.py (arithmetic, comparisons, rounding, functions, reductions, with
arrays and Python scalars, for int32, int64 and uint8) against what MXNet returned for it
(recorded by tests/fixtures/dtypes/record_mxnet.py)."""

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from ferrograd import nd
from ferrograd.base import DTypeError, InvalidArgumentError, MXNetError

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "dtypes"
sys.path.insert(0, str(FIXTURES))
from cases import A, B, DTYPES, EXPRESSIONS, U, V  # noqa: E402

MXNET = json.loads((FIXTURES / "mxnet_int_results.json").read_text())


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
    # the inputs are untouched
    assert a.asnumpy().tolist() == xs and b.asnumpy().tolist() == ys


def test_the_fixture_covers_every_case():
    assert len(MXNET) == len(DTYPES) * len(EXPRESSIONS)


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


def test_integer_arrays_carry_no_gradient():
    a = nd.array([1, 2], dtype="int32")
    with pytest.raises(DTypeError, match="float32 or float64"):
        a.attach_grad()
