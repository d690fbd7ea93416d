"""NDArray and the rest of the ecosystem: NumPy arrays in operators (one policy: TypeError
naming the fix, every operator, both orders), NumPy functions and ufuncs on NDArrays, the
PyTorch/NumPy habits item() and tolist(), copies that never alias ferrograd's memory, and
DLPack both ways with NumPy 2 and (when importable) PyTorch."""

import operator

import numpy as np
import pytest

from ferrograd import autograd, nd
from ferrograd.base import DTypeError, InvalidArgumentError, MXNetError

try:
    import torch
except ImportError:  # PyTorch is optional; its tests skip without it
    torch = None

needs_torch = pytest.mark.skipif(torch is None, reason="PyTorch is not installed")

BINARY = [operator.add, operator.sub, operator.mul, operator.truediv, operator.pow,
          operator.mod, operator.eq, operator.ne, operator.lt, operator.le, operator.gt,
          operator.ge]
IN_PLACE = [operator.iadd, operator.isub, operator.imul, operator.itruediv, operator.ipow,
            operator.imod]


def ids(fs):
    return [f.__name__ for f in fs]


# ---- NumPy arrays in operators -------------------------------------------------------------

@pytest.mark.parametrize("op", BINARY + [operator.matmul], ids=ids(BINARY + [operator.matmul]))
@pytest.mark.parametrize("order", ["ndarray_first", "numpy_first"])
def test_an_operator_mixing_an_ndarray_and_a_numpy_array_raises_type_error(op, order):
    # Before: x == a gave the bool False, a + x NumPy's unrelated "Concatenation operation is
    # not implemented", a < x a plain "not supported" without the fix.
    x = nd.array([[1.0, 2.0], [3.0, 4.0]])
    a = np.array([[1.0, 2.0], [3.0, 4.0]], dtype=np.float32)
    before = x.asnumpy().copy(), a.copy()
    with pytest.raises(TypeError, match=r"nd\.array\(a\).*asnumpy\(\)"):
        op(x, a) if order == "ndarray_first" else op(a, x)
    np.testing.assert_array_equal(x.asnumpy(), before[0])
    np.testing.assert_array_equal(a, before[1])


@pytest.mark.parametrize("op", IN_PLACE, ids=ids(IN_PLACE))
@pytest.mark.parametrize("order", ["ndarray_first", "numpy_first"])
def test_in_place_operators_mixing_them_raise_and_change_nothing(op, order):
    x = nd.array([1.0, 2.0])
    a = np.array([3.0, 4.0], dtype=np.float32)
    with pytest.raises(TypeError, match=r"nd\.array\(a\)"):
        op(x, a) if order == "ndarray_first" else op(a, x)
    np.testing.assert_array_equal(x.asnumpy(), [1.0, 2.0])
    np.testing.assert_array_equal(a, [3.0, 4.0])


@pytest.mark.parametrize("op", BINARY, ids=ids(BINARY))
def test_numpy_scalars_act_as_python_numbers_on_both_sides(op):
    x = nd.array([1.0, 2.0, 3.0])
    x.attach_grad()
    s = np.float32(2.0)
    for left, right in ((x, s), (s, x)):
        with autograd.record():
            y = op(left, right)
        assert isinstance(y, nd.NDArray), type(y)
        want = op(*(v.asnumpy() if isinstance(v, nd.NDArray) else np.float32(v)
                    for v in (left, right)))
        np.testing.assert_allclose(y.asnumpy(), want, rtol=1e-6)
    # kept in the graph
    with autograd.record():
        y = (np.float64(3.0) * x).sum()
    y.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), [3.0, 3.0, 3.0])


# ---- NumPy functions and ufuncs on NDArrays -------------------------------------------------

def test_numpy_functions_and_ufuncs_compute_on_a_copy():
    v = np.arange(6, dtype=np.float32).reshape(2, 3)
    x = nd.array(v)
    # Before: np.mean(x, axis=0) failed on dtype=, np.exp(x) on __array_ufunc__ = None.
    assert np.sum(x) == pytest.approx(15.0) and isinstance(np.sum(x), np.floating)
    np.testing.assert_allclose(np.mean(x, axis=0), v.mean(axis=0))
    np.testing.assert_allclose(np.exp(x), np.exp(v), rtol=1e-6)
    assert isinstance(np.exp(x), np.ndarray)
    np.testing.assert_array_equal(np.concatenate([x, x]), np.concatenate([v, v]))
    np.testing.assert_array_equal(np.maximum(x, 2.0), np.maximum(v, 2.0))
    assert np.add.reduce(x, axis=1).tolist() == [3.0, 12.0]
    assert np.allclose(x, v) and np.array_equal(x, v)
    np.testing.assert_array_equal(x.asnumpy(), v)  # the NDArray is unchanged


def test_a_ufunc_cannot_write_into_an_ndarray():
    x = nd.array([1.0, 2.0])
    with pytest.raises(TypeError, match="out="):
        np.exp(np.float32(1.0), out=x)
    np.testing.assert_array_equal(x.asnumpy(), [1.0, 2.0])


def test_asarray_copy_false_follows_numpy_2():
    # ferrograd's __array__ always copies, so "never copy" is refused (NumPy 2's contract).
    with pytest.raises(ValueError, match="copy"):
        np.asarray(nd.ones((2,)), copy=False)
    assert np.asarray(nd.ones((2,)), copy=True).tolist() == [1.0, 1.0]


# ---- item, tolist --------------------------------------------------------------------------

def test_item_and_tolist_give_python_numbers():
    assert nd.array([2.5]).item() == 2.5 and type(nd.array([2.5]).item()) is float
    assert nd.array([[7]], dtype="int64").item() == 7
    assert type(nd.array([7], dtype="int32").item()) is int
    assert nd.array([[1, 2], [3, 4]]).tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert type(nd.array([1, 2], dtype="uint8").tolist()[0]) is int
    assert nd.zeros((0, 2)).tolist() == []
    with pytest.raises(ValueError, match=r"exactly one element.*\(2,\)"):
        nd.ones((2,)).item()
    assert nd.array([3.0]).asscalar() == np.float32(3.0)  # MXNet's, unchanged


# ---- copies never alias ferrograd's memory -------------------------------------------------

@pytest.mark.parametrize("export", [lambda x: x.asnumpy(), np.asarray, lambda x: x.__array__(),
                                    lambda x: np.array(x), lambda x: x.tolist()],
                         ids=["asnumpy", "asarray", "__array__", "array", "tolist"])
def test_exported_values_do_not_change_when_the_array_is_written(export):
    x = nd.array([1.0, 2.0, 3.0])
    out = export(x)
    x[:] = 5.0
    x += 1
    x[1] = -1.0
    assert np.asarray(out).tolist() == [1.0, 2.0, 3.0]
    # and writing the copy leaves the array alone
    if isinstance(out, np.ndarray):
        out[:] = 0
        assert x.asnumpy().tolist() == [6.0, -1.0, 6.0]


def test_numpy_values_imported_by_nd_array_are_copied():
    a = np.array([1.0, 2.0], dtype=np.float32)
    x = nd.array(a)
    a[0] = 9.0
    x[1] = 7.0
    assert x.asnumpy().tolist() == [1.0, 7.0] and a.tolist() == [9.0, 2.0]


# ---- DLPack with NumPy ---------------------------------------------------------------------

def test_numpy_reads_an_ndarray_through_dlpack_without_a_copy():
    x = nd.array(np.arange(12, dtype=np.float32).reshape(3, 4))
    assert x.__dlpack_device__() == (1, 0)
    a = np.from_dlpack(x)
    assert a.shape == (3, 4) and a.dtype == np.float32
    np.testing.assert_array_equal(a, np.arange(12).reshape(3, 4))
    # Zero-copy: the same memory as a second export of the same values.
    assert a.ctypes.data == np.from_dlpack(x).ctypes.data
    # Read-only (the buffer may be shared with a recorded graph's saved values) ...
    assert not a.flags.writeable
    # ... and stable: a later write to x moves x to new memory (copy-on-write).
    x[:] = -1.0
    np.testing.assert_array_equal(a, np.arange(12).reshape(3, 4))
    np.testing.assert_array_equal(np.from_dlpack(x), -np.ones((3, 4)))


@pytest.mark.parametrize("dtype", ["float32", "float64", "int32", "int64", "uint8"])
def test_dlpack_round_trips_every_dtype_and_views(dtype):
    x = nd.array(np.arange(24).reshape(2, 3, 4), dtype=dtype)
    for view in (x, x[1], x[1:2], x.reshape((6, 4))[2]):
        a = np.from_dlpack(view)
        assert a.dtype == np.dtype(dtype)
        np.testing.assert_array_equal(a, view.asnumpy())
        back = nd.from_dlpack(a)
        assert back.dtype == np.dtype(dtype) and back.shape == view.shape
        np.testing.assert_array_equal(back.asnumpy(), view.asnumpy())


def test_dlpack_exports_a_copy_on_request():
    x = nd.array([1.0, 2.0])
    a = np.from_dlpack(x, copy=True)
    a[0] = 5.0  # a private copy may be written
    assert x.asnumpy().tolist() == [1.0, 2.0]


def test_an_ndarray_imported_from_numpy_shares_memory_both_ways():
    a = np.zeros((2, 3), dtype=np.float32)
    x = nd.from_dlpack(a)
    # NumPy's writes are seen by the NDArray ...
    a[0, 1] = 5.0
    assert x.asnumpy()[0, 1] == 5.0
    # ... and the NDArray's in-place writes by NumPy.
    x[1, 2] = 7.0
    x[0] += 1
    assert a[1, 2] == 7.0 and a[0].tolist() == [1.0, 6.0, 1.0]
    # Results of ops are new arrays, as always.
    y = x * 2
    a[:] = 0
    assert y.asnumpy()[1, 2] == 14.0 and x.asnumpy().sum() == 0


def test_an_imported_array_keeps_its_memory_alive():
    a = np.arange(5, dtype=np.float64)
    x = nd.from_dlpack(a)
    del a
    import gc
    gc.collect()
    assert x.asnumpy().tolist() == [0.0, 1.0, 2.0, 3.0, 4.0]


def test_a_recorded_graph_keeps_its_values_when_the_shared_memory_is_written():
    a = np.array([1.0, 2.0, 3.0])
    x = nd.from_dlpack(a)
    w = nd.array([1.0, 1.0, 1.0], dtype="float64")
    w.attach_grad()
    with autograd.record():
        y = (w * x).sum()
    # The graph holds x's values, so the write goes to a copy (copy-on-write): the graph and
    # NumPy's array keep [1, 2, 3]; x has moved to memory of its own.
    x[:] = 0.0
    y.backward()
    assert w.grad.asnumpy().tolist() == [1.0, 2.0, 3.0]
    assert x.asnumpy().tolist() == [0.0, 0.0, 0.0] and a.tolist() == [1.0, 2.0, 3.0]


def test_whole_array_writes_reach_the_shared_memory():
    a = np.ones(3)
    x = nd.from_dlpack(a)
    x[:] = 4.0
    assert a.tolist() == [4.0, 4.0, 4.0]
    x[:] = nd.array([1.0, 2.0, 3.0], dtype="float64")
    assert a.tolist() == [1.0, 2.0, 3.0]


def test_a_read_only_numpy_array_is_copied_before_ferrograd_writes():
    a = np.arange(4, dtype=np.float32)
    a.flags.writeable = False
    x = nd.from_dlpack(a)
    x[0] = 10.0
    assert a.tolist() == [0.0, 1.0, 2.0, 3.0] and x.asnumpy().tolist() == [10.0, 1.0, 2.0, 3.0]


def test_a_strided_numpy_array_is_copied():
    a = np.arange(12, dtype=np.float64).reshape(3, 4)[:, ::2]
    x = nd.from_dlpack(a)
    np.testing.assert_array_equal(x.asnumpy(), a)
    np.testing.assert_array_equal(nd.from_dlpack(a.T).asnumpy(), a.T)


def test_zero_size_and_zero_d_arrays():
    assert nd.from_dlpack(np.zeros((0, 3), dtype=np.float32)).shape == (0, 3)
    assert nd.from_dlpack(np.array(2.5)).asnumpy().tolist() == [2.5]  # MXNet has no 0-d
    assert np.from_dlpack(nd.zeros((0, 3))).shape == (0, 3)


def test_mxnet_capsule_functions():
    x = nd.array([1.0, 2.0, 3.0])
    y = nd.from_dlpack(nd.to_dlpack_for_read(x))
    np.testing.assert_array_equal(y.asnumpy(), [1.0, 2.0, 3.0])
    # for_write: what the consumer writes, x sees
    z = nd.from_dlpack(nd.to_dlpack_for_write(x))
    z[0] = 42.0
    assert x.asnumpy().tolist() == [42.0, 2.0, 3.0]
    assert y.asnumpy().tolist() == [1.0, 2.0, 3.0]  # the read export kept the old values
    capsule = nd.to_dlpack_for_read(x)
    nd.from_dlpack(capsule)
    with pytest.raises(InvalidArgumentError, match="once"):
        nd.from_dlpack(capsule)


def test_to_dlpack_for_write_does_not_reach_a_recorded_graph():
    w = nd.array([1.0, 2.0], dtype="float64")
    w.attach_grad()
    x = nd.array([3.0, 4.0], dtype="float64")
    with autograd.record():
        y = (w * x).sum()
    z = nd.from_dlpack(nd.to_dlpack_for_write(x))
    z[:] = 0.0
    y.backward()
    assert w.grad.asnumpy().tolist() == [3.0, 4.0]
    assert x.asnumpy().tolist() == [0.0, 0.0]


def test_unsupported_dlpack_inputs_raise_clear_errors():
    with pytest.raises(DTypeError, match="16 bits.*float16"):
        raise_dtype(np.zeros(3, dtype=np.uint16))
    with pytest.raises(DTypeError):
        nd.from_dlpack(np.zeros(3, dtype=np.complex64))
    with pytest.raises(TypeError, match="__dlpack__"):
        nd.from_dlpack([1.0, 2.0])
    with pytest.raises(BufferError):
        nd.ones(2).__dlpack__(stream=1)
    with pytest.raises(BufferError):
        nd.ones(2).__dlpack__(dl_device=(2, 0))


def raise_dtype(a):
    try:
        nd.from_dlpack(a)
    except DTypeError as e:
        assert isinstance(e, MXNetError)
        raise DTypeError(str(e)) from e


# ---- DLPack with PyTorch -------------------------------------------------------------------

@needs_torch
def test_pytorch_reads_an_ndarray_without_a_copy():
    x = nd.array(np.arange(6, dtype=np.float32).reshape(2, 3))
    t = torch.from_dlpack(x)
    assert t.shape == (2, 3) and t.dtype == torch.float32
    assert t.tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    assert t.data_ptr() == torch.from_dlpack(nd.to_dlpack_for_read(x)).data_ptr()


@needs_torch
def test_an_ndarray_imported_from_pytorch_shares_memory_both_ways():
    t = torch.zeros(2, 3, dtype=torch.float64)
    x = nd.from_dlpack(t)
    assert x.dtype == np.float64
    t[0, 0] = 3.0
    assert x.asnumpy()[0, 0] == 3.0
    x[1, 1] = 4.0
    assert t[1, 1].item() == 4.0


@needs_torch
def test_pytorch_writes_into_an_ndarray_exported_for_write():
    x = nd.array([1.0, 2.0])
    t = torch.from_dlpack(nd.to_dlpack_for_write(x))
    t[1] = 9.0
    assert x.asnumpy().tolist() == [1.0, 9.0]
