"""Bad input raises ferrograd's exceptions (each an MXNetError and the builtin a Python user
expects), with a message that names the problem; the failed call leaves its inputs and their
gradients untouched; no Rust panic reaches Python; the process survives huge allocations."""

import gc
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import ferrograd
from ferrograd import _core, autograd, nd
from ferrograd.base import (ArgumentTypeError, AxisError, DTypeError, GraphError,
                            InvalidArgumentError, MXIndexError, MXNetError, OutOfMemoryError,
                            ShapeError)

from conftest import no_panic


def make_env():
    """Arrays every case may use. Float arrays are variables whose .grad holds a sentinel."""
    rng = np.random.default_rng(0)
    env = {
        "a": nd.array(rng.normal(size=(2, 3))),
        "b": nd.array(rng.normal(size=(3, 2))),
        "v": nd.array(rng.normal(size=(4,))),
        "c": nd.array(rng.normal(size=(2, 3, 4))),
        "d": nd.array(rng.normal(size=(2, 3)), dtype="float64"),
        "i": nd.array([1, 2, 3], dtype="int32"),
    }
    for k in "abvcd":
        env[k].attach_grad()
        env[k].grad[:] = 7.0
    return env


def snapshot(env):
    return {k: (a.asnumpy().copy(), None if a.grad is None else a.grad.asnumpy().copy())
            for k, a in env.items()}


def assert_unchanged(env, snap):
    for k, a in env.items():
        values, grad = snap[k]
        np.testing.assert_array_equal(a.asnumpy(), values, err_msg="values of %s changed" % k)
        if grad is not None:
            np.testing.assert_array_equal(a.grad.asnumpy(), grad,
                                          err_msg="gradient of %s changed" % k)


def _set(x, key, value):
    x[key] = value


def _iadd(x, y):
    x += y


def _reshape_method(x, *args):
    return x.reshape(*args)


# (id, call(env), exception class, builtin it must also be, regex the message must match)
CASES = [
    # shapes
    ("add_shapes", lambda e: e["a"] + e["b"], ShapeError, ValueError, r"\(2, 3\).*\(3, 2\)"),
    ("nd_add_shapes", lambda e: nd.add(e["a"], e["v"]), ShapeError, ValueError, r"broadcast"),
    ("multiply_shapes", lambda e: nd.multiply(e["c"], e["b"]), ShapeError, ValueError, None),
    ("compare_shapes", lambda e: nd.greater(e["a"], e["v"]), ShapeError, ValueError, None),
    ("dot_shapes", lambda e: nd.dot(e["a"], e["a"]), ShapeError, ValueError, r"\(2, 3\)"),
    ("dot_flags_shapes", lambda e: nd.dot(e["a"], e["b"], transpose_a=True), ShapeError,
     ValueError, None),
    ("dot_vectors", lambda e: nd.dot(e["v"], nd.ones((3,))), ShapeError, ValueError, None),
    ("matmul_shapes", lambda e: e["a"] @ e["a"], ShapeError, ValueError, None),
    ("batch_dot_inner", lambda e: nd.batch_dot(e["c"], e["c"]), ShapeError, ValueError, None),
    ("batch_dot_batch", lambda e: nd.batch_dot(e["c"], nd.ones((3, 4, 2))), ShapeError,
     ValueError, r"batch"),
    ("batch_dot_2d", lambda e: nd.batch_dot(e["a"], e["b"]), ShapeError, ValueError, r"3-D"),
    ("reshape_size", lambda e: e["a"].reshape((4, 2)), ShapeError, ValueError, r"size 6"),
    ("nd_reshape_size", lambda e: nd.reshape(e["a"], (5,)), ShapeError, ValueError, None),
    ("reshape_two_minus_one", lambda e: e["c"].reshape((-1, -1)), ShapeError, ValueError,
     r"-1"),
    ("reshape_zero_code", lambda e: e["a"].reshape((0, 0, 0)), ShapeError, ValueError, None),
    ("setitem_shape", lambda e: _set(e["a"], slice(None), nd.ones((4,))), ShapeError,
     ValueError, r"\(4,\)"),
    ("setitem_rows_shape", lambda e: _set(e["a"], [0, 1], nd.ones((2, 2))), ShapeError,
     ValueError, None),
    ("iadd_broadcast_grows", lambda e: _iadd(e["v"].reshape((1, 4)), nd.ones((3, 4))),
     ShapeError, ValueError, None),
    ("copyto_shape", lambda e: e["a"].copyto(e["b"]), ShapeError, ValueError, None),
    ("head_grad_size", lambda e: _backward_with_head(e["a"], nd.ones((5,))), ShapeError,
     ValueError, r"head"),
    ("mark_variables_shape", lambda e: autograd.mark_variables([e["a"]], [nd.zeros((3,))]),
     ShapeError, ValueError, None),
    # dtypes
    ("add_f32_f64", lambda e: e["a"] + e["d"], DTypeError, TypeError,
     r"float32.*float64.*astype"),
    ("nd_multiply_f64_f32", lambda e: nd.multiply(e["d"], e["a"]), DTypeError, TypeError,
     r"float64.*float32.*astype"),
    ("dot_f32_f64", lambda e: nd.dot(e["a"], e["d"].T), DTypeError, TypeError,
     r"float32.*float64.*astype"),
    ("batch_dot_f32_f64", lambda e: nd.batch_dot(e["c"], nd.ones((2, 4, 1), dtype="float64")),
     DTypeError, TypeError, r"float32.*float64"),
    ("equal_f32_f64", lambda e: nd.equal(e["a"], e["d"]), DTypeError, TypeError, r"astype"),
    ("iadd_f64_into_f32", lambda e: _iadd(e["a"], e["d"]), DTypeError, TypeError, r"astype"),
    ("head_grad_dtype", lambda e: _backward_with_head(e["a"], nd.ones((2, 3), dtype="float64")),
     DTypeError, TypeError, r"float64.*float32"),
    ("mixed_int_float", lambda e: nd.add(e["i"], e["v"][:3]), DTypeError, TypeError,
     r"int32.*float32.*astype"),
    ("attach_grad_int32", lambda e: e["i"].attach_grad(), DTypeError, TypeError, r"int32"),
    ("attach_grad_int64", lambda e: nd.array([1], dtype="int64").attach_grad(), DTypeError,
     TypeError, r"int64"),
    ("unsupported_dtype", lambda e: nd.zeros((2,), dtype="complex64"), DTypeError, TypeError,
     r"complex64"),
    ("astype_unknown", lambda e: e["a"].astype("float7"), DTypeError, TypeError, r"float7"),
    # axes
    ("sum_axis", lambda e: nd.sum(e["a"], axis=2), AxisError, ValueError, r"axis 2"),
    ("sum_axis_negative", lambda e: e["a"].sum(axis=-3), AxisError, ValueError, r"-3"),
    ("mean_axes", lambda e: nd.mean(e["c"], axis=(0, 3)), AxisError, ValueError, None),
    ("max_axis", lambda e: nd.max(e["a"], axis=5, keepdims=True), AxisError, ValueError, None),
    ("prod_exclude_axis", lambda e: nd.prod(e["a"], axis=4, exclude=True), AxisError,
     ValueError, None),
    ("norm_axis", lambda e: nd.norm(e["a"], axis=2), AxisError, ValueError, None),
    ("argmax_axis", lambda e: nd.argmax(e["a"], axis=2), AxisError, ValueError, None),
    ("argmin_axis", lambda e: e["a"].argmin(axis=-4), AxisError, ValueError, None),
    ("transpose_axis", lambda e: nd.transpose(e["a"], axes=(0, 5)), AxisError, ValueError,
     None),
    ("expand_dims_axis", lambda e: e["a"].expand_dims(4), AxisError, ValueError, None),
    # indices
    ("index_int", lambda e: e["a"][2], MXIndexError, IndexError, r"2.*size 2"),
    ("index_negative", lambda e: e["a"][-3], MXIndexError, IndexError, None),
    ("index_tuple", lambda e: e["a"][0, 3], MXIndexError, IndexError, r"axis 1"),
    ("index_too_many", lambda e: e["a"][0, 0, 0], MXIndexError, IndexError, r"too many"),
    ("index_rows", lambda e: e["a"][nd.array([0, 5])], MXIndexError, IndexError, r"5"),
    ("index_list", lambda e: e["a"][[1, -3]], MXIndexError, IndexError, None),
    ("index_float", lambda e: e["a"][1.5], MXIndexError, IndexError, None),
    ("index_two_ellipses", lambda e: e["c"][..., 0, ...], MXIndexError, IndexError, None),
    ("setitem_index", lambda e: _set(e["a"], 2, 1.0), MXIndexError, IndexError, None),
    ("setitem_rows_index", lambda e: _set(e["a"], [0, 9], 1.0), MXIndexError, IndexError,
     None),
    ("setitem_tuple_index", lambda e: _set(e["a"], (1, 3), 1.0), MXIndexError, IndexError,
     None),
    # huge shapes: refused before allocating
    ("zeros_huge", lambda e: nd.zeros((1 << 40, 1 << 40)), OutOfMemoryError, MemoryError, None),
    ("ones_huge", lambda e: nd.ones((10 ** 7, 10 ** 7)), OutOfMemoryError, MemoryError,
     r"float32"),
    ("full_huge", lambda e: nd.full((10 ** 7, 10 ** 7), 2.0), OutOfMemoryError, MemoryError,
     None),
    ("empty_huge_f64", lambda e: nd.empty((10 ** 6, 10 ** 7), dtype="float64"), OutOfMemoryError,
     MemoryError, r"float64"),
    ("arange_huge", lambda e: nd.arange(0, 1e15), OutOfMemoryError, MemoryError, None),
    ("normal_huge", lambda e: nd.random.normal(shape=(10 ** 7, 10 ** 7)), OutOfMemoryError,
     MemoryError, None),
    ("uniform_huge", lambda e: nd.random.uniform(shape=(10 ** 7, 10 ** 7)), OutOfMemoryError,
     MemoryError, None),
    ("broadcast_huge", lambda e: nd.ones((10 ** 6, 1)) + nd.ones((1, 10 ** 6)),
     OutOfMemoryError, MemoryError, None),
    ("dot_huge", lambda e: nd.dot(nd.ones((10 ** 6, 1)), nd.ones((1, 10 ** 6))),
     OutOfMemoryError, MemoryError, None),
    # other argument values
    ("grad_req", lambda e: e["a"].attach_grad(grad_req="sometimes"), InvalidArgumentError,
     ValueError, r"write.*add.*null"),
    ("grad_req_stype", lambda e: e["a"].attach_grad(stype="csr"), InvalidArgumentError,
     ValueError, None),
    ("norm_ord", lambda e: nd.norm(e["a"], ord=3), InvalidArgumentError, ValueError, r"ord"),
    ("sum_repeated_axis", lambda e: nd.sum(e["a"], axis=(0, 0)), InvalidArgumentError,
     ValueError, None),
    ("sum_axis_type", lambda e: nd.sum(e["a"], axis="rows"), InvalidArgumentError, ValueError,
     None),
    ("transpose_repeated", lambda e: nd.transpose(e["a"], axes=(1, 1)), InvalidArgumentError,
     ValueError, None),
    ("transpose_too_few", lambda e: nd.transpose(e["c"], axes=(1, 0)), InvalidArgumentError,
     ValueError, None),
    ("zeros_negative", lambda e: nd.zeros((-1, 3)), InvalidArgumentError, ValueError,
     r"negative"),
    ("arange_step_zero", lambda e: nd.arange(0, 5, 0), InvalidArgumentError, ValueError,
     r"step"),
    ("arange_repeat_zero", lambda e: nd.arange(0, 5, 1, repeat=0), InvalidArgumentError,
     ValueError, r"repeat"),
    ("ctx_gpu", lambda e: nd.ones((2,), ctx="gpu(0)"), InvalidArgumentError, ValueError,
     r"CPU"),
    # a GPU context exists (as in MXNet without GPUs); arrays cannot go there
    ("context_gpu_array", lambda e: nd.zeros((1,), ctx=ferrograd.gpu(0)), InvalidArgumentError,
     ValueError, r"gpu\(0\) is not available"),
    ("context_gpu_as_in_context", lambda e: e["a"].as_in_context(ferrograd.gpu(1)),
     InvalidArgumentError, ValueError, r"gpu\(1\)"),
    ("context_gpu_copyto", lambda e: e["a"].copyto(ferrograd.gpu()), InvalidArgumentError,
     ValueError, r"gpu"),
    ("context_gpu_with", lambda e: ferrograd.gpu().__enter__(), InvalidArgumentError,
     ValueError, r"gpu"),
    ("context_unknown", lambda e: ferrograd.Context("tpu", 0), InvalidArgumentError, ValueError,
     r"tpu"),
    ("out_shape", lambda e: nd.exp(e["a"], out=e["b"]), InvalidArgumentError, ValueError,
     r"out"),
    ("out_shape_binary", lambda e: nd.add(e["a"], e["a"], out=e["v"]), InvalidArgumentError,
     ValueError, None),
    ("max_of_empty", lambda e: nd.max(nd.zeros((0, 3))), InvalidArgumentError, ValueError,
     r"zero-size"),
    ("argmax_of_empty", lambda e: nd.argmax(nd.zeros((0,))), InvalidArgumentError,
     ValueError, None),
    ("squeeze_non_unit", lambda e: e["a"].squeeze(axis=0), InvalidArgumentError, ValueError,
     None),
    ("mark_variables_count", lambda e: autograd.mark_variables([e["a"], e["b"]], [e["a"]]),
     InvalidArgumentError, ValueError, None),
    ("grad_unattached_variable", lambda e: _grad_of_plain(e["a"]), InvalidArgumentError,
     ValueError, r"attach_grad"),
    ("backward_no_heads", lambda e: autograd.backward([]), InvalidArgumentError, ValueError,
     None),
    ("backward_head_count", lambda e: autograd.backward([e["a"]], [e["a"], e["a"]]),
     InvalidArgumentError, ValueError, None),
    ("backward_non_array_head", lambda e: autograd.backward([1]), InvalidArgumentError,
     ValueError, None),
    ("write_in_record", lambda e: _write_in_record(e["a"]), InvalidArgumentError, ValueError,
     r"record"),
    ("get_symbol", lambda e: autograd.get_symbol(e["a"]), InvalidArgumentError, ValueError,
     None),
    # element counts that overflow (each was accepted before, with a wrapped-around size)
    ("reshape_wraps_to_size", lambda e: e["a"].reshape((2, 11, 838488366986797801)),
     ShapeError, ValueError, r"838488366986797801"),
    ("nd_reshape_wraps_to_size", lambda e: nd.reshape(e["a"], (-4, 3074457345618258603, 6, 1)),
     ShapeError, ValueError, None),
    ("reshape_minus_one_wraps", lambda e: e["a"].reshape((-1, 1 << 62, 4)), ShapeError,
     ValueError, None),
    ("reshape_zero_size_too_big", lambda e: nd.zeros((0,)).reshape((0, 1 << 62, 4)),
     ShapeError, ValueError, None),
    ("zeros_zero_size_too_big", lambda e: nd.zeros((0, 1 << 62, 4)), OutOfMemoryError,
     MemoryError, None),
    ("broadcast_to_zero_size_too_big", lambda e: nd.broadcast_to(nd.zeros((0, 1, 1)),
                                                                 (0, 1 << 62, 4)),
     OutOfMemoryError, MemoryError, None),
    ("tile_dim_wraps", lambda e: nd.tile(nd.zeros((0, 6)), (1, 3074457345618258603)),
     InvalidArgumentError, ValueError, r"too large"),
    ("repeat_dim_wraps", lambda e: nd.repeat(nd.zeros((0, 3)), 6148914691236517206, axis=1),
     InvalidArgumentError, ValueError, r"too large"),
    ("concat_dim_wraps", lambda e: nd.concat(*[nd.zeros((0, 1 << 62))] * 4, dim=1),
     InvalidArgumentError, ValueError, r"too large"),
    ("take_result_too_big", lambda e: nd.zeros((3, 1 << 40, 0))[nd.zeros((0, 1 << 40))],
     OutOfMemoryError, MemoryError, None),
    # bad values that were taken silently (each must leave its inputs alone)
    ("array_none", lambda e: nd.array(None), ArgumentTypeError, TypeError, r"numbers"),
    ("array_none_inside", lambda e: nd.array([1.0, None, 3.0]), ArgumentTypeError, TypeError,
     r"numbers"),
    ("array_complex", lambda e: nd.array([1 + 2j]), ArgumentTypeError, TypeError, r"complex"),
    ("array_numpy_complex", lambda e: nd.array(np.ones(2, np.complex64)), ArgumentTypeError,
     TypeError, r"complex"),
    ("arange_stop_nan", lambda e: nd.arange(0, float("nan")), InvalidArgumentError, ValueError,
     r"finite"),
    ("arange_start_nan", lambda e: nd.arange(float("nan")), InvalidArgumentError, ValueError,
     r"finite"),
    ("arange_stop_inf", lambda e: nd.arange(0, float("inf")), InvalidArgumentError, ValueError,
     r"finite"),
    ("arange_start_minus_inf", lambda e: nd.arange(float("-inf"), 0), InvalidArgumentError,
     ValueError, r"finite"),
    ("normal_negative_scale", lambda e: nd.random.normal(0, -1), InvalidArgumentError,
     ValueError, r"scale"),
    ("normal_nan_loc", lambda e: nd.random.normal(float("nan"), 1), InvalidArgumentError,
     ValueError, r"loc"),
    ("normal_inf_loc", lambda e: nd.random.normal(float("inf"), 1), InvalidArgumentError,
     ValueError, r"loc"),
    ("normal_nan_scale", lambda e: nd.random.normal(0, float("nan")), InvalidArgumentError,
     ValueError, r"scale"),
    ("randn_negative_scale", lambda e: nd.random.randn(2, scale=-2), InvalidArgumentError,
     ValueError, r"scale"),
    ("uniform_nan", lambda e: nd.random.uniform(float("nan"), 1), InvalidArgumentError,
     ValueError, None),
    ("exponential_zero_scale", lambda e: nd.random.exponential(0), InvalidArgumentError,
     ValueError, r"scale"),
    ("exponential_inf_scale", lambda e: nd.random.exponential(float("inf")),
     InvalidArgumentError, ValueError, r"scale"),
    ("gamma_nan", lambda e: nd.random.gamma(float("nan"), 1), InvalidArgumentError, ValueError,
     None),
    ("poisson_negative", lambda e: nd.random.poisson(-1), InvalidArgumentError, ValueError,
     None),
    ("multinomial_negative", lambda e: nd.random.multinomial(nd.array([0.5, -0.5])),
     InvalidArgumentError, ValueError, None),
    ("setitem_none", lambda e: _set(e["a"], slice(None), None), ArgumentTypeError, TypeError,
     r"NoneType"),
    ("setitem_element_none", lambda e: _set(e["a"], (1, 1), None), ArgumentTypeError,
     TypeError, r"NoneType"),
    ("setitem_complex", lambda e: _set(e["a"], 0, 1j), ArgumentTypeError, TypeError, None),
    ("iadd_none", lambda e: _iadd(e["a"], None), ArgumentTypeError, TypeError, None),
    # the graph
    ("grad_no_variables", lambda e: _grad_no_variables(e["a"]), InvalidArgumentError,
     ValueError, r"no variables"),
    ("grad_variable_outside_graph", lambda e: _grad_unrelated(e["a"], e["d"]), GraphError,
     RuntimeError, r"not part of the heads' graph"),
    ("backward_unrecorded", lambda e: (e["a"] * 2).backward(), GraphError, RuntimeError,
     r"record"),
    ("backward_twice", lambda e: _backward_twice(e["a"]), GraphError, RuntimeError,
     r"retain_graph"),
]


def _backward_with_head(x, head):
    with autograd.record():
        y = x * 2
    y.backward(head)


def _grad_of_plain(x):
    plain = nd.ones(x.shape)
    with autograd.record():
        y = x * plain
    return autograd.grad(y, [plain])


def _grad_no_variables(x):
    with autograd.record():
        y = x * 2
    return autograd.grad(y, [])


def _grad_unrelated(x, other):
    with autograd.record():
        y = x * 2
    return autograd.grad(y, [other])


def _write_in_record(x):
    with autograd.record():
        x[:] = 0.0


def _backward_twice(x):
    with autograd.record():
        y = x * x
    autograd.grad(y, [x])  # frees the graph; .grad untouched
    y.backward()


@pytest.mark.parametrize("fn, exc, builtin, match",
                         [pytest.param(*c[1:], id=c[0]) for c in CASES])
def test_bad_input_raises_and_changes_nothing(fn, exc, builtin, match):
    env = make_env()
    snap = snapshot(env)
    gc.collect()  # earlier tests' garbage must not be freed inside the measured window
    nodes = _core.live_nodes()
    with pytest.raises(exc) as info:
        no_panic(fn, env)
    e = info.value
    assert isinstance(e, MXNetError) and isinstance(e, builtin), type(e).__mro__
    if match:
        assert info.match(match)
    assert_unchanged(env, snap)
    assert (autograd.is_recording(), autograd.is_training()) == (False, False)
    del info, e
    assert _core.live_nodes() == nodes  # a failed op leaves nothing on the tape
    # the process is fine afterwards
    np.testing.assert_array_equal((nd.ones((2,)) + 1).asnumpy(), [2.0, 2.0])


def test_out_of_memory_message_names_shape_and_dtype():
    with pytest.raises(MemoryError) as info:
        nd.ones((10 ** 7, 10 ** 7))
    assert "(10000000, 10000000)" in str(info.value) and "float32" in str(info.value)


def test_out_of_memory_message_names_dtype_when_count_overflows():
    with pytest.raises(MemoryError) as info:
        nd.zeros((1 << 40, 1 << 40))
    msg = str(info.value)
    assert "(1099511627776, 1099511627776)" in msg
    assert "float32" in msg and "elements of elements" not in msg


def test_dims_beyond_int64_raise_value_or_memory_error():
    for shape in [(1 << 63, 1 << 63), (1 << 64,)]:
        with pytest.raises((MemoryError, ValueError)) as info:
            no_panic(nd.zeros, shape)
        assert isinstance(info.value, MXNetError)


# ---- arguments that are not arrays -----------------------------------------------------------

NON_ARRAY_CASES = [
    ("exp_str", lambda e: nd.exp("a"), None),
    ("exp_none", lambda e: nd.exp(None), None),
    ("sqrt_list", lambda e: nd.sqrt([1.0, 2.0]), None),
    ("sum_str", lambda e: nd.sum("a"), None),
    ("norm_int", lambda e: nd.norm(3), None),
    ("argmax_int", lambda e: nd.argmax(3), None),
    ("dot_int_lhs", lambda e: nd.dot(1, e["a"]), None),
    ("dot_str_rhs", lambda e: nd.dot(e["a"], "b"), None),
    ("dot_numpy", lambda e: nd.dot(e["a"], np.ones((3, 2), np.float32)), None),
    ("batch_dot_int", lambda e: nd.batch_dot(e["c"], 1), None),
    ("add_str", lambda e: nd.add("a", e["a"]), None),
    ("multiply_none", lambda e: nd.multiply(e["a"], None), None),
    ("transpose_list", lambda e: nd.transpose([1.0, 2.0]), None),
    ("reshape_list", lambda e: nd.reshape([1.0, 2.0], (2,)), None),
    ("zeros_like_list", lambda e: nd.zeros_like([1.0, 2.0]), None),
    ("ones_like_int", lambda e: nd.ones_like(3), None),
]


@pytest.mark.parametrize("fn", [
    pytest.param(c[1], id=c[0],
                 marks=[pytest.mark.xfail(strict=True, reason=c[2])] if c[2] else [])
    for c in NON_ARRAY_CASES])
def test_non_array_argument_raises_type_error(fn):
    env = make_env()
    snap = snapshot(env)
    with pytest.raises(TypeError):
        no_panic(fn, env)
    assert_unchanged(env, snap)


@pytest.mark.parametrize("fn", [pytest.param(c[1], id=c[0]) for c in NON_ARRAY_CASES])
def test_non_array_argument_error_is_an_mxnet_error(fn):
    env = make_env()
    with pytest.raises(TypeError) as info:
        no_panic(fn, env)
    assert isinstance(info.value, MXNetError), type(info.value).__mro__


def test_operators_with_unsupported_operands_raise_type_error():
    a = nd.ones((2,))
    for bad in ["x", None, object()]:
        for op in [lambda: a + bad, lambda: bad + a, lambda: a * bad, lambda: a / bad,
                   lambda: a - bad, lambda: a ** bad, lambda: a < bad]:
            with pytest.raises(TypeError):
                no_panic(op)
    with pytest.raises(TypeError):
        a += "x"
    np.testing.assert_array_equal(a.asnumpy(), [1.0, 1.0])


def test_three_argument_pow_is_refused():
    with pytest.raises(TypeError):
        pow(nd.array([2.0, 3.0]), 2, 3)


@pytest.mark.parametrize("op", [lambda x, n: x + n, lambda x, n: n + x, lambda x, n: x * n,
                                lambda x, n: n - x], ids=["add", "radd", "mul", "rsub"])
def test_numpy_operand_is_refused_or_kept_in_graph(op):
    x = nd.array([1.0, 2.0])
    x.attach_grad()
    n = np.array([3.0, 4.0], np.float32)
    try:
        with autograd.record():
            y = op(x, n)
    except TypeError:
        return  # MXNet's behaviour
    assert isinstance(y, nd.NDArray), type(y)  # or else it must stay an NDArray in the graph
    y.backward()


@pytest.mark.parametrize("flags", [dict(transpose_a=True), dict(transpose_b=True)])
def test_dot_of_vectors_refuses_transpose_flags(flags):
    with pytest.raises(InvalidArgumentError):
        nd.dot(nd.ones((3,)), nd.ones((3,)), **flags)


# ---- panics --------------------------------------------------------------------------------


def test_odd_inputs_never_panic():
    """A sweep over odd arguments: whatever happens, it is a Python exception or a result,
    never a Rust panic (PanicException)."""
    arrays = [nd.ones((2, 3)), nd.zeros((0,)), nd.zeros((0, 3)), nd.ones((1,)),
              nd.array([1, 2], dtype="int32"), nd.array([1, 2], dtype="uint8"),
              nd.ones((2, 3, 4))[::2], nd.ones((2, 3)).T, nd.array([np.nan, np.inf])]
    funcs = [getattr(nd, n) for n in nd.__all__
             if callable(getattr(nd, n)) and n not in ("NDArray", "random", "waitall")]
    kwargs = [{}, {"axis": 0}, {"axis": -1}, {"axis": (0, 1)}, {"axis": 3}, {"axis": ()},
              {"axis": 0, "exclude": True}, {"keepdims": True}, {"transpose_a": True},
              {"shape": (0, -1)}, {"shape": (-3,)}, {"shape": (-4, 1, -1)}, {"axes": (1, 0)}]
    count = 0
    for f in funcs:
        for a in arrays:
            for kw in kwargs:
                for args in [(a,), (a, a), (a, 2.0), (2.0, a), (a, arrays[0])]:
                    try:
                        no_panic(f, *args, **kw)
                    except Exception:
                        pass
                    count += 1
    for a in arrays:
        for key in [0, -1, 7, slice(None, None, -1), slice(5, 1), (0, 0), (Ellipsis, 0), [0],
                    [], nd.array([0]), np.array(0), None, True, 10 ** 20, slice(None, None, 0)]:
            for act in [lambda: a[key], lambda: _set(a, key, 1.0),
                        lambda: _set(a, key, nd.ones((2,)))]:
                try:
                    no_panic(act)
                except Exception:
                    pass
                count += 1
        for spec in [(), (-1, -1), (0, 0, 0, 0), (-2,), (-3, -3), (-4, -1, -1), (10 ** 12,)]:
            try:
                no_panic(a.reshape, spec)
            except Exception:
                pass
    assert count > 3000
    assert (nd.ones((2,)) * 3).asnumpy().tolist() == [3.0, 3.0]


# ---- hypothesis ----------------------------------------------------------------------------

dims = st.integers(min_value=1, max_value=4)
shapes = st.lists(dims, min_size=0, max_size=4).map(tuple)


@settings(max_examples=150, deadline=None)
@given(shapes, shapes)
def test_broadcasting_agrees_with_numpy(s1, s2):
    s1, s2 = s1 or (1,), s2 or (1,)
    a = np.arange(int(np.prod(s1)), dtype=np.float64).reshape(s1)
    b = np.arange(int(np.prod(s2)), dtype=np.float64).reshape(s2) + 0.5
    try:
        want = a + b
    except ValueError:
        with pytest.raises(ShapeError):
            no_panic(nd.add, nd.array(a, dtype="float64"), nd.array(b, dtype="float64"))
        return
    got = no_panic(nd.add, nd.array(a, dtype="float64"), nd.array(b, dtype="float64"))
    np.testing.assert_array_equal(got.asnumpy(), want)


@settings(max_examples=150, deadline=None)
@given(st.lists(dims, min_size=1, max_size=4).map(tuple), st.integers(-6, 6),
       st.booleans())
def test_axis_out_of_range_raises_axis_error(shape, axis, keepdims):
    a = nd.ones(shape)
    ndim = len(shape)
    for f, ref in [(nd.sum, np.sum), (nd.max, np.max), (nd.mean, np.mean)]:
        if -ndim <= axis < ndim:
            got = no_panic(f, a, axis=axis, keepdims=keepdims)
            want = ref(np.ones(shape, np.float32), axis=axis, keepdims=keepdims)
            np.testing.assert_array_equal(got.asnumpy(), np.asarray(want).reshape(got.shape))
            assert got.shape == (np.asarray(want).shape or (1,))
        else:
            with pytest.raises(AxisError) as info:
                no_panic(f, a, axis=axis, keepdims=keepdims)
            assert isinstance(info.value, ValueError) and isinstance(info.value, MXNetError)


@settings(max_examples=150, deadline=None)
@given(st.lists(dims, min_size=1, max_size=3).map(tuple), st.integers(-10, 10))
def test_index_out_of_range_raises_index_error(shape, i):
    x = nd.array(np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape))
    before = x.asnumpy().copy()
    if -shape[0] <= i < shape[0]:
        np.testing.assert_array_equal(no_panic(lambda: x[i]).asnumpy().ravel(),
                                      before[i].ravel())
    else:
        with pytest.raises(IndexError) as info:
            no_panic(lambda: x[i])
        assert isinstance(info.value, MXNetError)
        with pytest.raises(IndexError):
            no_panic(_set, x, i, 0.0)
        np.testing.assert_array_equal(x.asnumpy(), before)


@settings(max_examples=100, deadline=None)
@given(st.lists(dims, min_size=1, max_size=4).map(tuple),
       st.lists(st.integers(1, 8), min_size=1, max_size=4).map(tuple))
def test_reshape_to_wrong_size_raises_shape_error(shape, target):
    x = nd.ones(shape)
    if int(np.prod(shape)) == int(np.prod(target)):
        assert no_panic(x.reshape, target).shape == target
    else:
        with pytest.raises(ShapeError):
            no_panic(x.reshape, target)
        assert x.shape == shape
