"""0-d arrays: ``nd.array(3.5)`` has shape (), as in MXNet 1.9.1, and prints like MXNet's.

MXNet 1.9.1 makes 0-d arrays but its legacy operators cannot use them (almost every op fails
shape inference on one); ferrograd gives them NumPy's semantics (elementwise ops keep (),
broadcasting treats them as scalars), except that reductions keep MXNet's (1,) result.
"""

import json
import os
import pickle

import numpy as np
import pytest

import op_table as OT
from ferrograd import autograd, base, nd
from test_ops import assert_grads_close, central_differences

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures")
with open(os.path.join(FIXTURES, "mxnet_indexing.json")) as _f:
    MX = json.load(_f)["zero_d"]

# The same arrays tools/record_index_fixtures.py made with MXNet.
MAKERS = {
    "python_float": lambda: nd.array(3.5),
    "python_int": lambda: nd.array(3),
    "numpy_float32": lambda: nd.array(np.float32(2)),
    "numpy_0d": lambda: nd.array(np.ones(())),
    "float64": lambda: nd.array(1 / 3, dtype="float64"),
    "int32": lambda: nd.array(-7, dtype="int32"),
    "nan": lambda: nd.array(float("nan")),
    "large": lambda: nd.array(1e10),
    "reshape_of_one": lambda: nd.ones((1,)).reshape(()),
    "from_0d_ndarray": lambda: nd.array(nd.array(2.5)),
}


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_made_and_printed_as_in_mxnet(name):
    a = MAKERS[name]()
    want = MX[name]
    assert a.shape == tuple(want["shape"]) == ()
    assert np.dtype(a.dtype).name == want["dtype"]
    assert a.ndim == 0 and a.size == 1
    if name == "large":
        # The number's text is NumPy's str of the 0-d array in both libraries, and NumPy 2
        # writes 1e10 as 1e+10 where MXNet's NumPy 1.23 wrote 10000000000.0.
        assert repr(a) == "\n%s\n<NDArray  @cpu(0)>" % str(np.array(1e10, np.float32))
    else:
        assert repr(a) == str(a) == want["repr"]


def test_scalars_and_conversions():
    a = nd.array(3.5)
    v = a.asnumpy()
    assert isinstance(v, np.ndarray) and v.shape == () and v == 3.5
    s = a.asscalar()
    assert type(s) is np.float32 and s == 3.5
    assert float(a) == 3.5 and int(nd.array(2.9)) == 2 and bool(a)
    assert nd.array(2, dtype="int64").__index__() == 2
    with pytest.raises(TypeError):
        len(a)
    with pytest.raises(TypeError):
        iter(a)
    np.testing.assert_array_equal(np.asarray(a), np.array(3.5, np.float32))


def test_elementwise_ops_keep_0d_and_broadcast_as_scalars():
    a = nd.array(2.0)
    for y in (a + 1, 1 - a, a * a, a / nd.array(4.0), nd.exp(a), -a, abs(a), a ** 2, a > 1,
              nd.maximum(a, 3.0), nd.relu(a), a.astype("float64"), a.copy(), nd.zeros_like(a)):
        assert y.shape == (), y
    np.testing.assert_array_equal((a * a).asnumpy(), 4.0)
    b = a + nd.array([1.0, 2.0])
    assert b.shape == (2,)
    np.testing.assert_array_equal(b.asnumpy(), [3.0, 4.0])
    c = nd.array(np.ones((2, 3))) * a
    assert c.shape == (2, 3)
    np.testing.assert_array_equal(c.asnumpy(), np.full((2, 3), 2.0))


def test_reductions_keep_mxnets_shape_1():
    a = nd.array(2.5)
    for y in (a.sum(), nd.mean(a), a.max(), nd.min(a), nd.prod(a), nd.norm(a), nd.argmax(a)):
        assert y.shape == (1,)
    np.testing.assert_array_equal(nd.sum(a).asnumpy(), [2.5])
    # ... as a reduction over every axis of any array does
    assert nd.ones((2, 3)).sum().shape == (1,)


def test_gradient_of_a_0d_variable():
    x = nd.array(3.0, dtype="float64")
    x.attach_grad()
    with autograd.record():
        y = x * x * x + nd.array([1.0, 2.0], dtype="float64") * x
    y.backward()
    assert x.grad.shape == ()
    np.testing.assert_array_equal(x.grad.asnumpy(), 2 * (3 * 9.0) + (1.0 + 2.0))
    with autograd.record():
        y = (x ** 2).sum()  # a (1,) head from a 0-d variable
    y.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), 6.0)


def test_indexing_a_0d_array():
    a = nd.array(4.0)
    assert a[()].shape == () and a[...].shape == ()
    assert a[None].shape == (1,) and a[..., None].shape == (1,)
    with pytest.raises(base.MXIndexError, match="too many indices"):
        a[0]
    a[()] = 5.0
    a[...] = a + 1
    np.testing.assert_array_equal(a.asnumpy(), 6.0)


def test_save_load_and_pickle_keep_0d(tmp_path):
    a = nd.array(2.5)
    b = nd.array(7, dtype="int32")
    path = str(tmp_path / "zero_d.params")
    nd.save(path, {"a": a, "b": b, "v": nd.array([1.0, 2.0])})
    got = nd.load(path)
    assert got["a"].shape == () and got["b"].shape == () and got["v"].shape == (2,)
    np.testing.assert_array_equal(got["a"].asnumpy(), 2.5)
    assert got["b"].dtype is np.int32
    back = pickle.loads(pickle.dumps(a))
    assert back.shape == () and back.asscalar() == 2.5


def test_loads_mxnets_0d_numpy_array_file():
    # Written by MXNet 1.9.1: npx.set_np(); npx.save(f, [np.array(3.5), np.array([1., 2.])]).
    # Its V3 records keep rank 0 (V2, MXNet's legacy format, reads rank 0 as "no array").
    path = os.path.join(FIXTURES, "mxnet_0d_v3.nd")
    a, v = nd.load(path)
    assert a.shape == () and a.asscalar() == 3.5
    np.testing.assert_array_equal(v.asnumpy(), [1.0, 2.0])


def test_saves_0d_arrays_byte_for_byte_as_mxnet(tmp_path):
    # With a 0-d array in the file every record is V3 (MXNet loads a file in one semantics).
    mine = str(tmp_path / "mine.nd")
    nd.save(mine, [nd.array(3.5), nd.array([1.0, 2.0])])
    with open(mine, "rb") as f, open(os.path.join(FIXTURES, "mxnet_0d_v3.nd"), "rb") as g:
        assert f.read() == g.read()


# ----------------------------------------------------------------------------------------
# every op of the op table with 0-d inputs
# ----------------------------------------------------------------------------------------

_AXIS = ("an axis of a 0-d array is refused with AxisError (NumPy's argmax/repeat/softmax "
         "treat a 0-d array as one element; MXNet 1.9.1 fails on 0-d arrays altogether)")
# Rows whose NumPy reference accepts 0-d inputs but whose op refuses them, with a clear error.
REFUSED = {
    "argmax_axis0": _AXIS, "argmax_axis_neg1_3d": _AXIS, "argmin_axis0": _AXIS,
    "argmin_axis_neg1_3d": _AXIS, "repeat_axis0": _AXIS, "repeat_axis_neg_transposed": _AXIS,
    "swapaxes_default_identity": _AXIS, "softmax": _AXIS, "softmax_axis0_temperature": _AXIS,
    "softmax_large_values": _AXIS, "log_softmax": _AXIS, "log_softmax_axis0_temperature": _AXIS,
    "log_softmax_large_values": _AXIS,
    "softmin": _AXIS, "softmin_axis0_temperature": _AXIS, "softmin_dtype_float64": _AXIS,
    "concatenate_one": _AXIS,
    "onehot_encode": "onehot_encode's indices are a vector of shape (n,), as MXNet's",
    "scatter_nd": "scatter_nd's data must have one element per index column",
    "scatter_nd_rows": "scatter_nd's data must have one element per index column",
}
# Rows whose reference encodes a rule for inputs of at least one dimension: MXNet's where
# with a 1-D condition picks rows; with 0-d x and y the condition broadcasts, as in NumPy.
OTHER_REFERENCE = {
    "where_1d_condition_selects_rows": lambda x, y: np.where(OT.COND_1D != 0, x, y),
    "where_1d_condition_selects_rows_square": lambda x, y: np.where(OT.COND_1D != 0, x, y),
}
OP_ROWS = [r for r in OT.TABLE if r.kind == "op"]


def zero_d_inputs(row, rng):
    try:
        return [np.asarray(d(rng, (1,))).reshape(()) for d in row.domains()]
    except Exception:  # a domain that builds matrices (spd) has no 0-d form
        return None


@pytest.mark.parametrize("row", OP_ROWS, ids=[r.id for r in OP_ROWS])
def test_every_op_takes_0d_inputs_or_refuses_them_clearly(row, rng, call):
    arrays = zero_d_inputs(row, rng)
    if arrays is None:
        pytest.skip("no 0-d input for this domain")
    xs = [nd.array(a, dtype="float64") for a in arrays]
    want = None
    if row.ref is not None:
        try:
            want = OTHER_REFERENCE.get(row.id, row.reference)(*arrays)
        except Exception:
            pass
    try:
        out = call(row.invoke, *xs)
    except base.MXNetError as e:
        assert want is None or row.id in REFUSED, "%s: NumPy takes 0-d inputs: %s" % (row.id, e)
        return
    assert row.id not in REFUSED, "%s works with 0-d inputs now: drop it from REFUSED" % row.id
    if want is None:
        return
    outs = out if isinstance(out, (list, tuple)) else [out]
    wants = want if isinstance(want, (list, tuple)) else [want]
    for o, w in zip(outs, wants):
        w = np.asarray(w)
        assert o.shape == w.shape, row.id
        np.testing.assert_allclose(o.asnumpy(), w, rtol=1e-12, atol=1e-12, equal_nan=True)


GRAD_ROWS = [r for r in OP_ROWS if r.grad == "smooth"]


@pytest.mark.parametrize("row", GRAD_ROWS, ids=[r.id for r in GRAD_ROWS])
def test_gradients_through_0d_inputs(row, rng):
    from test_ops import grad_outputs, head_arrays, heads_of, random_heads, weighted_sum

    arrays = zero_d_inputs(row, rng)
    if arrays is None:
        pytest.skip("no 0-d input for this domain")
    xs = [nd.array(a, dtype="float64") for a in arrays]
    for x in xs:
        x.attach_grad()
    try:
        with autograd.record():
            ys = grad_outputs(row, row.invoke(*xs))
    except base.MXNetError:
        return  # refused with a clear error: checked by the test above
    heads = random_heads(row, rng, arrays)
    autograd.backward(heads_of(ys), head_arrays(heads))
    got = [x.grad.asnumpy() for x in xs]
    want = central_differences(lambda arrs: weighted_sum(row, arrs, heads), arrays)
    assert_grads_close(got, want, row.id)
