"""NumPy indexing on NDArrays: reads and writes, with gradients through both.

The cases are the table in tests/index_table.py. Each is checked three ways:

- against NumPy run on the same key (values, shape, dtype), with MXNet's one rule that NumPy
  lacks: an element picked by integers is an array of shape (1,), not a 0-d array;
- against what MXNet 1.9.1 did with the same key (tests/fixtures/mxnet_indexing.json, recorded
  by tools/record_index_fixtures.py): same result, same view-or-copy behaviour, same gradient.
  Where MXNet is wrong (a silently wrong value or shape, or a crash) ferrograd follows NumPy,
  and the case is listed below with the reason; the test checks that MXNet really differs
  there, so the list cannot go stale;
- gradients in float64 against central differences: every read, and every write recorded
  inside ``autograd.record()`` (``out[key] = v * 2``), plus second derivatives.
"""

import json
import os

import numpy as np
import pytest

import index_table as T
from ferrograd import autograd, base, nd
from test_ops import assert_grads_close, central_differences

with open(os.path.join(os.path.dirname(__file__), "fixtures", "mxnet_indexing.json")) as _f:
    MX = json.load(_f)

_MASK = ("MXNet 1.9.1's NDArray reads a boolean NumPy array or list as the integers 0 and 1 "
         "(silently wrong values); ferrograd applies it as a mask, as NumPy does")
_ZERO_D_KEY = ("MXNet fails on a 0-d index array (shape inference error or AttributeError); "
               "here it is an int, as in NumPy")
_NONE_AFTER = ("MXNet moves the indexed axes to the front when None follows an index array "
               "(x[[0, 1], None] has shape (1, 2, 3, 4)): a silently wrong shape; NumPy's here")
_EMPTY = "MXNet refuses an empty selection; zero-size results work (README difference 3)"
_ZERO_D_SRC = "MXNet's own key parsing fails on 0-d arrays for this key; NumPy's result here"

# Reads where ferrograd deliberately differs from MXNet 1.9.1.
READ_DIFFERENCES = {
    "np_uint8": "MXNet refuses a numpy.uint8 scalar as an index (ValueError); every NumPy "
                "integer scalar is an int here, as in NumPy",
    "slice_empty": _EMPTY,
    "list_empty": _EMPTY,
    "np_array_0d": _ZERO_D_KEY,
    "nd_array_0d": _ZERO_D_KEY,
    "nd_array_0d_1d_src": _ZERO_D_KEY,
    "np_0d_int_slice": _ZERO_D_KEY,
    "list_none": _NONE_AFTER,
    "none_list_none": _NONE_AFTER,
    "list_1d_src_none": _NONE_AFTER,
    "mask_np_full": _MASK,
    "mask_np_axis0": _MASK,
    "mask_list_axis0": _MASK,
    "mask_np_axis1": _MASK,
    "int_mask": _MASK,
    "mask_2d_of_3d": _MASK,
    "mask_all_false": _MASK,
    "mask_list_list": _MASK,
    "mask_ellipsis": _MASK,
    "bool_true": "MXNet reads x[True] as x[1]; NumPy adds an axis of length 1",
    "bool_false": "MXNet reads x[False] as x[0]; NumPy adds an axis of length 0",
    "0d_ellipsis": _ZERO_D_SRC,
    "0d_none": _ZERO_D_SRC,
    "0d_ellipsis_none": _ZERO_D_SRC,
}

# Reads whose forward MXNet gets right but whose backward is wrong: negative indices crash its
# scatter (abort with a double free) or silently get a zero gradient. ferrograd's gradient is
# checked against central differences as everywhere else.
_NEG = "MXNet's backward aborts on a negative index"
MXNET_GRAD_WRONG = {
    "list_neg": _NEG,
    "list_1d_src": _NEG,
    "nd_array_neg": _NEG,
    "pair_neg": "MXNet's backward gives zero for negative indices: a silently wrong gradient",
    "slice_reverse_empty": "MXNet's backward of an empty reversed slice raises",
    "0d_empty_tuple": "MXNet cannot attach a gradient to a 0-d array",
}

WRITE_DIFFERENCES = {
    "np_rows": "a negative index in a NumPy index array crashes MXNet's write (abort)",
    "mask_np_scalar": _MASK,
    "mask_np_values": _MASK,
    "mask_axis1": _MASK,
    "empty_slice": _EMPTY,
    "empty_list": _EMPTY,
    "0d_empty_tuple": "MXNet cannot write into its 0-d arrays (shape inference error)",
    "0d_ellipsis": "MXNet cannot write into its 0-d arrays (IndexError)",
}

# Bad keys that MXNet silently accepts: ferrograd raises instead.
ERROR_DIFFERENCES = {
    "nd_fractional_index": "MXNet truncates 0.5 to 0: a silently wrong element",
    "mask_wrong_length": "MXNet reads the mask as the integers 1 and 0 (see the masks above)",
    "write_list_out_of_range": "MXNet writes somewhere (or nowhere) without an error",
}


def ids(table):
    return [case[0] for case in table]


def numpy_read(src, spec):
    """NumPy's x[key] with MXNet's (1,) for one element picked by integers."""
    key = T.numpy_key(spec)
    want = np.asarray(src[key])
    if want.ndim == 0 and src.ndim > 0:
        want = want.reshape(1)
    return want


def numpy_write(src, spec, value):
    out = src.copy()
    out[T.numpy_key(spec)] = T.numpy_value(value)
    return out


def is_view(shape, spec):
    """Whether writing into x[key] changes x."""
    x = nd.array(T.source(shape))
    y = x[T.make_key(spec, nd.array)]
    y[...] = -7
    return bool((x.asnumpy() == -7).any())


def mx_result(rec):
    return np.array(rec["values"]).reshape(rec["shape"])


def write_case(case):
    cid, shape, spec, value = case[:4]
    return cid, shape, spec, value, (case[4] if len(case) > 4 else "float32")


# ----------------------------------------------------------------------------------------
# reads
# ----------------------------------------------------------------------------------------


def test_the_table_is_large_enough():
    assert len(T.READS) + len(T.WRITES) >= 150
    assert len(set(ids(T.READS))) == len(T.READS)
    assert len(set(ids(T.WRITES))) == len(T.WRITES)
    assert len(set(ids(T.ERRORS))) == len(T.ERRORS)
    assert set(MX["reads"]) == set(ids(T.READS)), "re-run tools/record_index_fixtures.py"
    assert set(MX["writes"]) == set(ids(T.WRITES)), "re-run tools/record_index_fixtures.py"
    assert set(MX["errors"]) == set(ids(T.ERRORS)), "re-run tools/record_index_fixtures.py"
    known = set(ids(T.READS)) | set(ids(T.WRITES)) | set(ids(T.ERRORS))
    lists = set(READ_DIFFERENCES) | set(WRITE_DIFFERENCES) | set(ERROR_DIFFERENCES)
    assert lists | set(MXNET_GRAD_WRONG) <= known


@pytest.mark.parametrize("cid, shape, spec", T.READS, ids=ids(T.READS))
def test_read_matches_numpy(cid, shape, spec):
    src = T.source(shape)
    x = nd.array(src)
    got = x[T.make_key(spec, nd.array)]
    want = numpy_read(src, spec)
    assert got.shape == want.shape
    assert got.dtype is np.float32
    np.testing.assert_array_equal(got.asnumpy(), want)
    np.testing.assert_array_equal(x.asnumpy(), src)  # reading changes nothing


@pytest.mark.parametrize("cid, shape, spec", T.READS, ids=ids(T.READS))
def test_read_matches_mxnet(cid, shape, spec):
    mx = MX["reads"][cid]
    got = nd.array(T.source(shape))[T.make_key(spec, nd.array)].asnumpy()
    if cid in READ_DIFFERENCES:
        differs = "error" in mx or mx["shape"] != list(got.shape) or not np.array_equal(
            mx_result(mx), got)
        assert differs, "MXNet now agrees: drop %s from READ_DIFFERENCES" % cid
        return
    assert "error" not in mx, mx
    assert mx["shape"] == list(got.shape)
    np.testing.assert_array_equal(mx_result(mx), got)
    if isinstance(mx["view"], bool):
        # Basic indexing shares memory exactly where MXNet's does (a contiguous region);
        # advanced indexing copies.
        assert is_view(shape, spec) == mx["view"]


@pytest.mark.parametrize("cid, shape, spec", T.READS, ids=ids(T.READS))
def test_read_gradient_matches_mxnet(cid, shape, spec):
    mx = MX["reads"][cid]
    if cid in READ_DIFFERENCES:
        return
    x = nd.array(T.source(shape))
    x.attach_grad()
    with autograd.record():
        y = x[T.make_key(spec, nd.array)]
    y.backward(nd.array(np.arange(1, y.size + 1).reshape(y.shape)))
    got = x.grad.asnumpy().ravel()
    if cid in MXNET_GRAD_WRONG:
        differs = isinstance(mx["grad"], dict) or not np.array_equal(mx["grad"], got)
        assert differs, "MXNet's gradient is right now: drop %s" % cid
        return
    np.testing.assert_array_equal(got, mx["grad"])


@pytest.mark.parametrize("cid, shape, spec", T.READS, ids=ids(T.READS))
def test_read_gradient_matches_central_differences(cid, shape, spec, rng):
    a = rng.standard_normal(shape)
    x = nd.array(a, dtype="float64")
    x.attach_grad()
    key = T.make_key(spec, nd.array)
    with autograd.record():
        y = x[key]
    w = rng.standard_normal(y.shape)
    y.backward(nd.array(w, dtype="float64"))

    def f(arrs):
        r = numpy_read(arrs[0], spec)
        return float((r * w.reshape(r.shape)).sum())

    assert_grads_close([x.grad.asnumpy()], central_differences(f, [a]), cid)
    # autograd.grad agrees and leaves .grad alone
    with autograd.record():
        y = x[key]
    (g,) = autograd.grad(y, [x], head_grads=nd.array(w, dtype="float64"))
    np.testing.assert_array_equal(g.asnumpy(), x.grad.asnumpy())


@pytest.mark.parametrize("cid, shape, spec", T.READS, ids=ids(T.READS))
def test_read_result_is_a_copy_or_a_view_never_both(cid, shape, spec):
    """A result either shares memory with its source both ways or not at all."""
    src = T.source(shape)
    x = nd.array(src)
    key = T.make_key(spec, nd.array)
    y = x[key]
    if y.size == 0:
        return
    y[...] = -7
    through = bool((x.asnumpy() == -7).any())
    x[...] = 5
    back = bool((y.asnumpy() == 5).all())
    assert through == back
    if through:
        assert not any(isinstance(s, (T.L, T.NP, T.ND)) for s in
                       (spec if isinstance(spec, tuple) else (spec,)))


SECOND = ["int", "slice_reverse", "none_int_none_ellipsis", "list_repeats", "pair_repeats",
          "slice_list_repeats", "broadcast_column_row", "int_slice_list", "mask_np_full",
          "list_none_list", "mixed_4d", "bool_true"]


@pytest.mark.parametrize("cid", SECOND)
def test_read_second_derivative(cid, rng):
    """d/dx of sum(u * d/dx sum(w * x[key]**3)): the gather's backward (a scatter-add) is
    itself differentiated."""
    _, shape, spec = next(c for c in T.READS if c[0] == cid)
    key = T.make_key(spec, nd.array)
    a = rng.standard_normal(shape)
    w = rng.standard_normal(numpy_read(a, spec).shape)
    u = rng.standard_normal(shape)

    def first(arr, create_graph=False):
        x = nd.array(arr, dtype="float64")
        x.attach_grad()
        with autograd.record():
            loss = (x[key] ** 3 * nd.array(w, dtype="float64")).sum()
            (g,) = autograd.grad(loss, [x], create_graph=create_graph)
        return x, g

    x, g = first(a, create_graph=True)
    with autograd.record():
        z = (g * nd.array(u, dtype="float64")).sum()
    z.backward()
    want = central_differences(lambda arrs: float((first(arrs[0])[1].asnumpy() * u).sum()), [a])
    assert_grads_close([x.grad.asnumpy()], want, cid)
    assert np.abs(want[0]).max() > 0


# ----------------------------------------------------------------------------------------
# writes
# ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", T.WRITES, ids=ids(T.WRITES))
def test_write_matches_numpy(case):
    cid, shape, spec, value, dtype = write_case(case)
    src = T.source(shape, dtype)
    x = nd.array(src, dtype=dtype)
    x[T.make_key(spec, nd.array)] = T.make_value(value, nd.array)
    want = numpy_write(src, spec, value)
    assert x.shape == want.shape
    assert x.dtype is np.dtype(dtype).type
    np.testing.assert_array_equal(x.asnumpy(), want)


@pytest.mark.parametrize("case", T.WRITES, ids=ids(T.WRITES))
def test_write_matches_mxnet(case):
    cid, shape, spec, value, dtype = write_case(case)
    mx = MX["writes"][cid]
    x = nd.array(T.source(shape, dtype), dtype=dtype)
    x[T.make_key(spec, nd.array)] = T.make_value(value, nd.array)
    got = x.asnumpy()
    if cid in WRITE_DIFFERENCES:
        differs = "error" in mx or not np.array_equal(mx_result(mx), got)
        assert differs, "MXNet now agrees: drop %s from WRITE_DIFFERENCES" % cid
        return
    assert "error" not in mx, mx
    assert mx["dtype"] == dtype
    np.testing.assert_array_equal(mx_result(mx), got)


@pytest.mark.parametrize("case", T.WRITES, ids=ids(T.WRITES))
def test_write_through_a_view_reaches_the_source(case):
    """The same write into a window of a larger array (x[1] of a stack of two) lands in the
    larger array, at the window's offset."""
    cid, shape, spec, value, dtype = write_case(case)
    src = T.source(shape, dtype)
    big = nd.array(np.stack([src, src]), dtype=dtype)
    window = big[1]
    window[T.make_key(spec, nd.array)] = T.make_value(value, nd.array)
    want = numpy_write(src, spec, value)
    np.testing.assert_array_equal(big.asnumpy()[1], want)
    np.testing.assert_array_equal(big.asnumpy()[0], src)


@pytest.mark.parametrize("case", T.WRITES, ids=ids(T.WRITES))
def test_recorded_write_gradient_matches_central_differences(case, rng):
    """out[key] = v * 2 inside record(): the value's gradient is the head's elements at the
    positions it was written to (summed over broadcasting; zero for a value a later
    repeated position overwrote)."""
    cid, shape, spec, value, _ = write_case(case)
    v0 = rng.standard_normal(np.shape(T.numpy_value(value)))
    w = rng.standard_normal(shape)
    key = T.make_key(spec, nd.array)
    v = nd.array(v0, dtype="float64")
    v.attach_grad()
    out = nd.zeros(shape, dtype="float64")
    with autograd.record():
        out[key] = v * 2
        loss = (out * nd.array(w, dtype="float64")).sum()
    loss.backward()
    np.testing.assert_array_equal(out.asnumpy(), numpy_write(np.zeros(shape), spec, 2 * v0))

    def f(arrs):
        return float((numpy_write(np.zeros(shape), spec, 2 * arrs[0]) * w).sum())

    assert_grads_close([v.grad.asnumpy()], central_differences(f, [v0]), cid)


@pytest.mark.parametrize("cid", ["int_row", "slice_list", "rows_repeated_last_wins",
                                 "mask_np_values", "big_full_from_1119", "reverse_broadcast",
                                 "int_slice_list_front", "0d_ellipsis"])
def test_recorded_write_second_derivative(cid, rng):
    case = next(c for c in T.WRITES if c[0] == cid)
    _, shape, spec, value, _ = write_case(case)
    key = T.make_key(spec, nd.array)
    v0 = rng.standard_normal(np.shape(T.numpy_value(value)))
    w = rng.standard_normal(shape)
    u = rng.standard_normal(v0.shape)

    def first(arr, create_graph=False):
        v = nd.array(arr, dtype="float64")
        v.attach_grad()
        out = nd.zeros(shape, dtype="float64")
        with autograd.record():
            out[key] = v ** 3
            loss = (out * nd.array(w, dtype="float64")).sum()
            (g,) = autograd.grad(loss, [v], create_graph=create_graph)
        return v, g

    v, g = first(v0, create_graph=True)
    with autograd.record():
        z = (g * nd.array(u, dtype="float64")).sum()
    z.backward()
    want = central_differences(lambda arrs: float((first(arrs[0])[1].asnumpy() * u).sum()), [v0])
    assert_grads_close([v.grad.asnumpy()], want, cid)


def test_recorded_write_keeps_the_rest_of_a_recorded_view():
    """A recorded write into a window: the window's other elements keep their values."""
    v = nd.array([1.0, 2.0], dtype="float64")
    v.attach_grad()
    big = nd.array(np.arange(12.0).reshape(3, 4), dtype="float64")
    row = big[1]
    with autograd.record():
        row[[0, 3]] = v * 10
        loss = (row * row).sum()
    np.testing.assert_array_equal(big.asnumpy()[1], [10.0, 5.0, 6.0, 20.0])
    loss.backward()
    np.testing.assert_array_equal(v.grad.asnumpy(), [200.0, 400.0])  # 2 * 10 * (10 v)


def test_recorded_write_into_a_graph_array_is_refused_and_changes_nothing():
    # As in MXNet (and README difference 1): an array in the graph cannot be overwritten
    # inside record(), whatever the key.
    x = nd.array([1.0, 2.0, 3.0])
    x.attach_grad()
    v = nd.array([5.0])
    v.attach_grad()
    with autograd.record():
        y = x * 2
        for key in ([0, 2], slice(0, 1), (np.array([True, False, True]),)):
            with pytest.raises(base.InvalidArgumentError, match="record"):
                y[key] = v * 3
    np.testing.assert_array_equal(y.asnumpy(), [2.0, 4.0, 6.0])


def test_recorded_write_with_a_value_of_another_dtype_is_refused():
    v = nd.array([1.0, 2.0], dtype="float64")
    v.attach_grad()
    out = nd.zeros((3,))
    with autograd.record():
        with pytest.raises(base.DTypeError, match="astype"):
            out[[0, 1]] = v * 2
    np.testing.assert_array_equal(out.asnumpy(), np.zeros(3))


# ----------------------------------------------------------------------------------------
# errors
# ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("cid, shape, spec, value, cls, words", T.ERRORS, ids=ids(T.ERRORS))
def test_bad_keys_raise_clear_errors_and_change_nothing(cid, shape, spec, value, cls, words,
                                                        call):
    x = nd.array(T.source(shape))
    before = x.asnumpy().copy()
    key = T.make_key(spec, nd.array)
    with pytest.raises(getattr(base, cls)) as info:
        if value is None:
            call(x.__getitem__, key)
        else:
            call(x.__setitem__, key, T.make_value(value, nd.array))
    message = str(info.value)
    for word in words:
        assert word in message, (word, message)
    np.testing.assert_array_equal(x.asnumpy(), before)
    mx = MX["errors"][cid]
    if cid in ERROR_DIFFERENCES:
        assert "error" not in mx, "MXNet raises now: drop %s from ERROR_DIFFERENCES" % cid
    else:
        assert "error" in mx


def test_errors_are_builtin_index_errors_too():
    with pytest.raises(IndexError):
        nd.zeros((2, 3))[0, 5]
    with pytest.raises(IndexError):
        nd.zeros((2, 3))[:, [0, 3]]


def test_failed_recorded_write_changes_nothing():
    v = nd.array([1.0, 2.0, 3.0])
    v.attach_grad()
    out = nd.zeros((3, 4))
    with autograd.record():
        with pytest.raises(base.ShapeError):
            out[[0, 1]] = v * 2  # (3,) does not fit (2, 4)
        with pytest.raises(base.MXIndexError):
            out[:, [0, 4]] = v * 2
    np.testing.assert_array_equal(out.asnumpy(), np.zeros((3, 4)))


# ----------------------------------------------------------------------------------------
# the rest of the indexing surface
# ----------------------------------------------------------------------------------------


def test_every_index_kind_of_an_ndarray_index():
    x = nd.array(np.arange(12.0).reshape(3, 4))
    for dtype in ("float32", "float64", "int32", "int64", "uint8"):
        idx = nd.array([2, 0], dtype=dtype)
        np.testing.assert_array_equal(x[idx].asnumpy(), np.arange(12.0).reshape(3, 4)[[2, 0]])
        np.testing.assert_array_equal(x[:, idx].asnumpy(),
                                      np.arange(12.0).reshape(3, 4)[:, [2, 0]])


def test_slice_bounds_may_be_numpy_ints():
    x = nd.arange(10)
    np.testing.assert_array_equal(x[np.int64(2):np.int32(8):np.int64(3)].asnumpy(), [2.0, 5.0])


def test_iteration_and_loop_indexing_agree():
    x = nd.array(np.arange(12.0).reshape(3, 4))
    for i, row in enumerate(x):
        np.testing.assert_array_equal(row.asnumpy(), x[i].asnumpy())
        for j in range(4):
            assert x[i, j].asscalar() == 4 * i + j
            assert x[:, j].asnumpy()[i] == 4 * i + j


def test_matplotlib_plots_ndarrays():
    """plt.plot(x, y) on NDArrays: matplotlib reshapes with x[:, np.newaxis]."""
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    import matplotlib.pyplot as plt

    x = nd.arange(10)
    y = x * x
    fig, ax = plt.subplots()
    try:
        (line,) = ax.plot(x, y)
        np.testing.assert_array_equal(line.get_xdata(orig=False), np.arange(10.0))
        np.testing.assert_array_equal(line.get_ydata(orig=False), np.arange(10.0) ** 2)
        ax.plot(nd.array(np.arange(6.0).reshape(3, 2)))  # one line per column
        assert len(ax.lines) == 3
        np.testing.assert_array_equal(ax.lines[2].get_ydata(orig=False), [1.0, 3.0, 5.0])
        fig.canvas.draw()
    finally:
        plt.close(fig)
