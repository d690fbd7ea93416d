"""The indexing table: every read and write case of tests/test_indexing.py, as data.

It imports nothing but NumPy, so the same table drives the tests (against NumPy and
ferrograd) and tools/record_index_fixtures.py (run with real MXNet 1.9.1, which records what
MXNet does with each case into tests/fixtures/mxnet_indexing.json).

A key is written with plain Python index objects (ints, slices, None, Ellipsis, bools, tuples)
and these markers for the objects that differ between libraries:

``L(values)``
    a Python list (possibly nested), e.g. ``x[[0, 2]]``;
``NP(values, dtype)``
    a NumPy array;
``ND(values, dtype)``
    an NDArray of the library under test (float32 unless said: MXNet's default);
``S(value, dtype)``
    a NumPy scalar, e.g. ``np.int64(2)``.

A value to assign is a Python number, an ``S``, or ``V(shape, kind)``: distinct negative
numbers of that shape, given as a list, a NumPy array or an NDArray (``kind``).

Sources are ``arange`` in the case's shape (distinct values, so a wrong element shows).
"""

import numpy as np


class L:
    def __init__(self, values):
        self.values = values

    def __repr__(self):
        return "L(%r)" % (self.values,)


class NP:
    def __init__(self, values, dtype="int64"):
        self.values, self.dtype = values, dtype

    def __repr__(self):
        return "NP(%r, %s)" % (np.asarray(self.values).tolist(), self.dtype)


class ND:
    def __init__(self, values, dtype="float32"):
        self.values, self.dtype = values, dtype

    def __repr__(self):
        return "ND(%r, %s)" % (self.values, self.dtype)


class S:
    def __init__(self, value, dtype):
        self.value, self.dtype = value, dtype

    def __repr__(self):
        return "S(%r, %s)" % (self.value, self.dtype)


class V:
    def __init__(self, shape, kind="nd"):
        self.shape, self.kind = tuple(shape), kind

    def numpy(self):
        n = int(np.prod(self.shape, dtype=np.int64))
        return -(np.arange(n, dtype=np.float64) + 1).reshape(self.shape)

    def __repr__(self):
        return "V(%s, %s)" % (self.shape, self.kind)


def source(shape, dtype="float32"):
    return np.arange(int(np.prod(shape, dtype=np.int64))).reshape(shape).astype(dtype)


def make_key(spec, nd_array):
    """The key for a library whose ``nd.array(values, dtype=...)`` is ``nd_array``."""
    if isinstance(spec, tuple):
        return tuple(make_key(s, nd_array) for s in spec)
    if isinstance(spec, L):
        return spec.values
    if isinstance(spec, NP):
        return np.array(spec.values, dtype=spec.dtype)
    if isinstance(spec, ND):
        return nd_array(spec.values, dtype=spec.dtype)
    if isinstance(spec, S):
        return np.dtype(spec.dtype).type(spec.value)
    return spec


def numpy_key(spec):
    """The same key for NumPy: NDArray and float NumPy indices become integer arrays (MXNet
    reads a float index array, float32 NDArrays included, as integer positions)."""
    if isinstance(spec, tuple):
        return tuple(numpy_key(s) for s in spec)
    if isinstance(spec, ND) or (isinstance(spec, NP) and np.dtype(spec.dtype).kind == "f"):
        return np.array(spec.values).astype(np.int64)
    if isinstance(spec, (L, NP, S)):
        return make_key(spec, None)
    return spec


def make_value(spec, nd_array, dtype="float32"):
    if isinstance(spec, V):
        v = spec.numpy()
        if spec.kind == "list":
            return v.tolist()
        if spec.kind == "np":
            return v.astype(dtype)
        return nd_array(v, dtype=dtype)
    if isinstance(spec, S):
        return np.dtype(spec.dtype).type(spec.value)
    if isinstance(spec, ND):
        return nd_array(spec.values, dtype=spec.dtype)
    return spec


def numpy_value(spec):
    if isinstance(spec, V):
        return spec.numpy()
    if isinstance(spec, S):
        return np.dtype(spec.dtype).type(spec.value)
    if isinstance(spec, ND):
        return np.array(spec.values, dtype=spec.dtype)
    return spec


S0, S1, S2, S3, S4 = (), (5,), (3, 4), (2, 3, 4), (2, 3, 4, 5)
BIG = (16, 9, 9)
_ = slice(None)
MASK2 = np.arange(12).reshape(3, 4) % 3 == 1
MASK23 = np.array([[True, False, True], [False, False, True]])

# (id, source shape, key)
READS = [
    # ints
    ("int", S2, 0),
    ("int_neg", S2, -1),
    ("int_3d", S3, 1),
    ("int_1d", S1, 2),
    ("int_1d_neg", S1, -5),
    ("int_int", S2, (1, 2)),
    ("int_int_int", S3, (1, 2, 3)),
    ("int_int_of_3d", S3, (1, -2)),
    ("int_tuple1", S3, (1,)),
    ("int_tuple1_1d", S1, (3,)),
    ("np_int64", S2, S(1, "int64")),
    ("np_int32_neg", S2, S(-1, "int32")),
    ("np_uint8", S2, S(2, "uint8")),
    ("np_ints_tuple", S3, (S(1, "int64"), S(2, "int32"))),
    ("np_int_1d", S1, S(4, "int64")),
    # slices
    ("slice", S2, slice(1, 3)),
    ("slice_neg_start", S2, slice(-2, None)),
    ("slice_stop_past_end", S1, slice(2, 100)),
    ("slice_start_past_end", S1, slice(7, 9)),
    ("slice_empty", S2, slice(2, 1)),
    ("slice_step2", S2, slice(None, None, 2)),
    ("slice_step3_1d", S1, slice(1, None, 3)),
    ("slice_reverse", S2, slice(None, None, -1)),
    ("slice_reverse2_1d", S1, slice(None, None, -2)),
    ("slice_reverse_bounds", S1, slice(3, 0, -1)),
    ("slice_reverse_neg_bounds", S1, slice(-1, -4, -1)),
    ("slice_reverse_empty", S1, slice(0, 3, -1)),
    ("slices_2d", S2, (slice(1, 3), slice(0, 4, 2))),
    ("slice_full_col", S2, (_, 1)),
    ("slice_cols_reverse2", S2, (_, slice(None, None, -2))),
    ("int_slice", S3, (1, slice(1, 3))),
    ("slice_int", S3, (_, 2)),
    ("slice_int_slice", S3, (_, 1, slice(1, None))),
    ("slice_steps_3d", S3, (slice(None, None, -1), slice(None, None, 2), slice(1, None, 2))),
    ("int_reverse", S3, (1, slice(None, None, -1))),
    ("slice_whole_3d", S3, (_, _, _)),
    ("slice_block_4d", S4, (1, slice(0, 2), _, slice(1, 4))),
    # Ellipsis
    ("ellipsis", S3, Ellipsis),
    ("ellipsis_int", S3, (Ellipsis, 1)),
    ("int_ellipsis", S3, (1, Ellipsis)),
    ("int_ellipsis_int", S3, (0, Ellipsis, 2)),
    ("ellipsis_slice", S3, (Ellipsis, slice(1, 3))),
    ("ellipsis_of_nothing", S3, (0, 1, Ellipsis, 2)),
    ("ellipsis_4d", S4, (1, Ellipsis, slice(None, None, -2))),
    ("empty_tuple", S3, ()),
    ("ellipsis_1d", S1, Ellipsis),
    # None / np.newaxis
    ("none", S2, None),
    ("none_int", S3, (None, 0)),
    ("int_none", S3, (0, None)),
    ("none_int_none_ellipsis", S3, (None, 0, None, Ellipsis)),
    ("ellipsis_none", S3, (Ellipsis, None)),
    ("slice_none", S2, (_, None)),
    ("slice_none_1d", S1, (_, None)),
    ("none_slice_1d", S1, (None, _)),
    ("none_none_1d", S1, (None, None)),
    ("none_int_1d", S1, (None, 2)),
    ("int_none_1d", S1, (2, None)),
    ("int_none_int", S2, (1, None, 2)),
    ("none_reverse_int", S2, (None, slice(None, None, -1), 1)),
    ("ellipsis_none_int", S3, (Ellipsis, None, 1)),
    ("none_ellipsis_none", S2, (None, Ellipsis, None)),
    ("none_step_none", S2, (slice(None, None, 2), None, slice(1, 3), None)),
    # integer arrays: lists, NumPy arrays, NDArrays
    ("list", S2, L([2, 0, 2])),
    ("list_neg", S2, L([-1])),
    ("list_one", S2, L([1])),
    ("list_empty", S2, L([])),
    ("list_2d", S2, L([[0, 1], [2, 0]])),
    ("list_1d_src", S1, L([4, 0, -1])),
    ("list_repeats", S2, L([0, 0, 0, 2])),
    ("np_array", S2, NP([2, 1])),
    ("np_array_int32", S2, NP([2, 1], "int32")),
    ("np_array_uint8", S2, NP([2, 0], "uint8")),
    ("np_array_2d_1d_src", S1, NP([[0, 1], [4, 3]])),
    ("np_array_0d", S3, NP(1)),
    ("nd_array", S2, ND([1, 0])),
    ("nd_array_int32", S2, ND([1, 2], "int32")),
    ("nd_array_int64", S2, ND([0, 2], "int64")),
    ("nd_array_float64", S2, ND([2, 1], "float64")),
    ("nd_array_2d", S3, ND([[0, 1], [1, 1]])),
    ("nd_array_one", S3, ND([1])),
    ("nd_array_1d_src", S1, ND([2])),
    ("nd_array_0d", S3, ND(1)),
    ("nd_array_0d_1d_src", S1, ND(2)),
    ("nd_array_neg", S2, ND([-1, -3])),
    ("np_float_array", S2, NP([2.0, 0.0], "float64")),
    # tuples mixing basic and advanced indices
    ("pair", S2, (L([0, 1]), L([1, 2]))),
    ("pair_3d", S3, (L([0, 1]), L([1, 2]))),
    ("triple", S3, (L([0, 1]), L([1, 2]), L([2, 3]))),
    ("pair_repeats", S2, (L([1, 1]), L([2, 2]))),
    ("pair_neg", S3, (L([-1, -2]), L([-3, 0]))),
    ("slice_list", S2, (_, L([0, 2]))),
    ("slice_nd", S3, (_, ND([2, 0]))),
    ("slice_list_repeats", S2, (_, L([1, 1, 3]))),
    ("list_int", S2, (L([0, 2]), 0)),
    ("int_list", S3, (0, L([0, 2]))),
    ("int_slice_list", S3, (0, _, L([1, 2]))),
    ("list_slice_list", S3, (L([0, 1]), _, L([1, 2]))),
    ("slice_list_list", S3, (_, L([0, 1]), L([1, 2]))),
    ("list_int_list", S3, (L([0]), 1, L([2]))),
    ("int_list_slice", S3, (1, L([0, 2]), _)),
    ("list_slice", S3, (L([1, 0]), slice(1, 3))),
    ("list_reverse", S3, (L([1, 0]), slice(None, None, -1))),
    ("step_list", S3, (slice(None, None, 2), L([0, 1]))),
    ("broadcast_column_row", S3, (L([[0], [1]]), L([0, 2]))),
    ("broadcast_row_column", S3, (L([0, 1]), L([[1], [2]]))),
    ("broadcast_int_2d", S3, (1, L([[0, 1], [2, 0]]), L([3]))),
    ("none_list", S3, (None, L([0, 1]))),
    ("list_none", S3, (L([0, 1]), None)),
    ("none_list_none", S3, (None, L([1, 0]), None)),
    ("list_none_list", S3, (L([0, 1]), None, L([1, 2]))),
    ("ellipsis_list", S3, (Ellipsis, L([0, 1]))),
    ("list_ellipsis", S3, (L([1, 0]), Ellipsis)),
    ("list_ellipsis_list", S2, (L([0, 2]), Ellipsis, L([1, 3]))),
    ("np_nd_pair", S3, (NP([0, 1]), ND([1, 2]))),
    ("nd_pair_int32", S2, (ND([2, 0], "int32"), ND([3, 1], "int32"))),
    ("mixed_4d", S4, (_, L([0, 2]), slice(1, 3), L([1, 4]))),
    ("adjacent_4d", S4, (0, _, L([[1], [2]]), L([0, 4]))),
    ("np_int_list_ellipsis_4d", S4, (S(1, "int64"), L([0, 1]), Ellipsis)),
    ("none_int_list_4d", S4, (None, 1, None, L([2, 0]), slice(None, None, -1))),
    ("list_1d_src_none", S1, (L([1, 3]), None)),
    ("np_0d_int_slice", S3, (NP(1), slice(0, 2))),
    # boolean masks (NumPy arrays, lists and Python bools)
    ("mask_np_full", S2, NP(MASK2, "bool")),
    ("mask_np_axis0", S2, NP([True, False, True], "bool")),
    ("mask_list_axis0", S2, L([True, False, True])),
    ("mask_np_axis1", S2, (_, NP([True, False, True, False], "bool"))),
    ("int_mask", S3, (0, NP([True, False, True], "bool"))),
    ("mask_2d_of_3d", S3, NP(MASK23, "bool")),
    ("mask_all_false", S1, NP([False] * 5, "bool")),
    ("mask_list_list", S3, (NP([True, False], "bool"), _, L([0, 3]))),
    ("mask_ellipsis", S3, (Ellipsis, NP([False, True, True, False], "bool"))),
    ("bool_true", S2, True),
    ("bool_false", S2, False),
    # 0-d sources
    ("0d_empty_tuple", S0, ()),
    ("0d_ellipsis", S0, Ellipsis),
    ("0d_none", S0, None),
    ("0d_ellipsis_none", S0, (Ellipsis, None)),
]

# (id, source shape, key, value[, source dtype])
WRITES = [
    ("int_scalar", S2, 1, 5.0),
    ("int_row", S2, -1, V((4,))),
    ("slice_scalar", S2, slice(1, 3), 0.0),
    ("step_row_broadcast", S2, slice(None, None, 2), V((1, 4))),
    ("int_int_scalar", S2, (1, 2), 42.0),
    ("col", S2, (_, 1), V((3,))),
    ("ellipsis_int_scalar", S2, (Ellipsis, 3), -2.0),
    ("ellipsis_scalar", S2, Ellipsis, 1.0),
    ("whole_slice", S2, _, V((3, 4))),
    ("block", S2, (slice(0, 2), slice(1, 3)), V((2, 2))),
    ("numpy_value", S2, _, V((4,), "np")),
    ("list_value", S2, 1, V((4,), "list")),
    ("value_extra_unit_dims", S2, 1, V((1, 4))),
    ("broadcast_column", S2, _, V((3, 1))),
    ("broadcast_row_into_3d", S3, (_, slice(0, 2)), V((4,))),
    ("big_full_from_1119", BIG, _, V((1, 1, 1, 9))),
    ("big_int_from_119", BIG, 3, V((1, 1, 9))),
    ("big_ellipsis_col", BIG, (Ellipsis, 4), V((1, 9))),
    ("big_step_region", BIG, (slice(None, None, 4), slice(1, 9, 3)), V((1, 1, 1, 9))),
    ("reverse", S1, slice(None, None, -1), V((5,))),
    ("reverse_cols", S2, (_, slice(None, None, -2)), V((3, 2))),
    ("reverse_broadcast", S3, (slice(None, None, -1), 1), V((1, 4))),
    ("none_int", S2, (None, 1), V((1, 4))),
    ("slice_none", S2, (_, None), V((3, 1, 4))),
    ("none_scalar", S2, (None, _, 2), 8.0),
    ("int_1d", S1, 3, 9.0),
    ("np_float32_scalar", S2, 1, S(2.5, "float32")),
    ("np_float64_scalar", S2, (0, 0), S(1.5, "float64")),
    ("np_int64_scalar", S2, 0, S(3, "int64")),
    ("python_int", S2, 0, 3),
    ("nd_0d_value", S2, 1, ND(2.5)),
    ("nd_1elem_value", S2, (_, 1), ND([7.0])),
    ("list_scalar", S2, L([0, 2]), 7.0),
    ("nd_rows", S2, ND([1]), V((1, 4))),
    ("nd_rows_int32", S2, ND([2, 0], "int32"), V((2, 4))),
    ("np_rows", S2, NP([0, -1]), V((1, 4))),
    ("list_2d_1d_src", S1, L([[0, 1], [3, 4]]), V((2, 2))),
    ("rows_repeated_last_wins", S1, L([1, 1, 3]), V((3,))),
    ("pair", S2, (L([0, 2]), L([1, 3])), V((2,))),
    ("pair_broadcast_index", S2, (L([[0], [2]]), L([1, 3])), V((2, 2))),
    ("slice_list", S2, (_, L([0, 3])), V((3, 2))),
    ("slice_list_broadcast_value", S2, (_, L([0, 3])), V((2,))),
    ("list_int", S3, (L([0, 1]), 2), V((2, 4))),
    ("int_slice_list_front", S3, (0, _, L([1, 2])), V((2, 3))),
    ("ellipsis_list_scalar", S3, (Ellipsis, L([0, 3])), 9.0),
    ("none_list", S2, (None, L([0, 2])), V((4,))),
    ("triple", S3, (L([0, 1]), L([1, 2]), L([2, 3])), V((2,))),
    ("nd_pair_scalar", S2, (ND([0, 2]), ND([3, 1])), -1.0),
    ("mask_np_scalar", S2, NP(MASK2, "bool"), 0.0),
    ("mask_np_values", S1, NP([True, False, True, False, True], "bool"), V((3,))),
    ("mask_axis1", S2, (_, NP([False, True, True, False], "bool")), V((3, 1))),
    ("empty_slice", S2, slice(2, 1), 5.0),
    ("empty_list", S2, L([]), 5.0),
    ("int32_target_truncates", S2, 1, 2.7, "int32"),
    ("int32_target_from_float_array", S2, (_, 0), V((3,)), "int32"),
    ("float64_target", S2, L([0, 2]), V((4,)), "float64"),
    ("uint8_target", S2, (1, slice(1, 3)), 200.0, "uint8"),
    ("0d_empty_tuple", S0, (), 3.0),
    ("0d_ellipsis", S0, Ellipsis, V(())),
]

# Bad keys and values: (id, source shape, key, value or None for a read, error class, words
# the message must contain). The error classes are ferrograd's (python/ferrograd/base.py).
ERRORS = [
    ("int_out_of_range", S3, 2, None, "MXIndexError", ["index 2", "axis 0", "size 2"]),
    ("neg_int_out_of_range", S3, -3, None, "MXIndexError", ["index -3", "axis 0", "size 2"]),
    ("int_out_of_range_axis2", S3, (0, 1, 4), None, "MXIndexError", ["index 4", "axis 2", "size 4"]),
    ("int_out_of_range_after_none", S3, (None, 0, 3), None, "MXIndexError",
     ["index 3", "axis 1", "size 3"]),
    ("int_out_of_range_after_ellipsis", S3, (Ellipsis, -5), None, "MXIndexError",
     ["index -5", "axis 2", "size 4"]),
    ("list_out_of_range", S3, L([0, 5]), None, "MXIndexError", ["index 5", "axis 0", "size 2"]),
    ("list_out_of_range_axis1", S3, (_, L([0, -4])), None, "MXIndexError",
     ["index -4", "axis 1", "size 3"]),
    ("nd_out_of_range", S2, ND([3]), None, "MXIndexError", ["index 3", "axis 0", "size 3"]),
    ("pair_out_of_range", S2, (L([0, 1]), L([1, 4])), None, "MXIndexError",
     ["index 4", "axis 1", "size 4"]),
    ("too_many", S3, (0, 0, 0, 0), None, "MXIndexError", ["too many indices", "4", "3"]),
    ("too_many_arrays", S1, (L([0]), L([0])), None, "MXIndexError", ["too many indices"]),
    ("int_into_0d", S0, 0, None, "MXIndexError", ["too many indices", "0"]),
    ("two_ellipses", S3, (Ellipsis, 0, Ellipsis), None, "MXIndexError", ["ellipsis"]),
    ("float_key", S2, 1.0, None, "MXIndexError", ["float"]),
    ("str_key", S2, "a", None, "MXIndexError", ["str"]),
    ("float_in_tuple", S2, (0, 1.5), None, "MXIndexError", ["float"]),
    ("step_zero", S2, slice(None, None, 0), None, "InvalidArgumentError", ["step", "zero"]),
    ("nd_fractional_index", S2, ND([0.5]), None, "MXIndexError", ["0.5", "integer"]),
    ("np_str_array", S2, NP(["a"], "U1"), None, "MXIndexError", ["str"]),
    ("mask_wrong_length", S2, NP([True, False], "bool"), None, "MXIndexError",
     ["boolean", "axis 0", "size 3", "2"]),
    ("ragged_list", S2, L([[0, 1], [2]]), None, "MXIndexError", ["list"]),
    ("arrays_do_not_broadcast", S3, (L([0, 1]), L([0, 1, 2])), None, "MXIndexError",
     ["broadcast", "(2,)", "(3,)"]),
    ("write_out_of_range", S2, 3, 1.0, "MXIndexError", ["index 3", "axis 0", "size 3"]),
    ("write_list_out_of_range", S2, (_, L([0, 9])), 1.0, "MXIndexError",
     ["index 9", "axis 1", "size 4"]),
    ("write_bad_value_shape", S2, 1, V((3,)), "ShapeError", ["(3,)", "(4,)"]),
    ("write_bad_value_shape_adv", S2, L([0, 1]), V((3, 4)), "ShapeError", ["(3, 4)", "(2, 4)"]),
    ("write_value_string", S2, 1, "abc", "ArgumentTypeError", ["str"]),
    ("write_too_many", S2, (0, 0, 0), 1.0, "MXIndexError", ["too many indices"]),
    ("write_float_key", S2, 0.5, 1.0, "MXIndexError", ["float"]),
]
