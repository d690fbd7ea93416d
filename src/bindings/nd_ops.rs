//! `nd` functions of the op library beyond elementwise math: layout, selection, NN ops,
//! sorting, linear algebra, random sampling. Argument unpacking only; each function is
//! declared once (`nd_fn!`, or by hand and registered with `nd_entry!`).

use super::convert::{
    arg_tensor, axes_arg, count, deliver, flags, opt_isize_list, parse_dtype, run, shape_arg,
    tensor_from_any, tensors, wrap,
};
use super::pyarray::PyNDArray;
use crate::dtype::DType;
use crate::error::invalid;
use crate::ops::{self, layout, nn};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};

type Out<'a, 'py> = Option<&'a Bound<'py, PyNDArray>>;

/// Joins arrays along axis `dim` (given as arguments or as one list).
///
/// Parameters
/// ----------
/// *data : NDArray
///     The arrays to join: one dtype, equal shapes except along ``dim``.
/// dim : int, default 1
///     The axis to join along.
/// num_args : int, default None
///     Ignored: the number of arrays, which MXNet's symbolic API needs.
/// out : NDArray, default None
///     The output array: when given, the result is written into it (it must have the result's
///     shape) and it is returned.
/// name : str, default None
///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
///
/// Returns
/// -------
/// NDArray
///     The result (``out`` itself when it is given).
///
/// Examples
/// --------
/// >>> nd.concat(nd.ones((1, 2)), nd.zeros((1, 2)), dim=0)
/// [[1. 1.]
///  [0. 0.]]
/// <NDArray 2x2 @cpu(0)>
#[pyfunction]
#[pyo3(signature = (*data, dim = 1, num_args = None, out = None, name = None))]
#[allow(unused_variables)]
fn concat(
    py: Python<'_>,
    data: &Bound<'_, PyTuple>,
    dim: isize,
    num_args: Option<usize>,
    out: Out<'_, '_>,
    name: Option<&str>,
) -> PyResult<Py<PyAny>> {
    let xs = tensors("concat", data)?;
    deliver(py, layout::concat(&xs, dim)?, out)
}
nd_entry!(concat, aliases = ["Concat"]);

/// Joins arrays along a new axis `axis`.
///
/// Parameters
/// ----------
/// *data : NDArray
///     The arrays to stack: one shape and dtype.
/// axis : int | Sequence[int], default 0
///     The position of the new axis in the result.
/// num_args : int, default None
///     Ignored: the number of arrays, which MXNet's symbolic API needs.
/// out : NDArray, default None
///     The output array: when given, the result is written into it (it must have the result's
///     shape) and it is returned.
/// name : str, default None
///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
///
/// Returns
/// -------
/// NDArray
///     The result (``out`` itself when it is given).
///
/// Examples
/// --------
/// >>> nd.stack(nd.array([1, 2]), nd.array([3, 4]), axis=1)
/// [[1. 3.]
///  [2. 4.]]
/// <NDArray 2x2 @cpu(0)>
#[pyfunction]
#[pyo3(signature = (*data, axis = 0, num_args = None, out = None, name = None))]
#[allow(unused_variables)]
fn stack(
    py: Python<'_>,
    data: &Bound<'_, PyTuple>,
    axis: isize,
    num_args: Option<usize>,
    out: Out<'_, '_>,
    name: Option<&str>,
) -> PyResult<Py<PyAny>> {
    let xs = tensors("stack", data)?;
    deliver(py, layout::stack(&xs, axis)?, out)
}
nd_entry!(stack);

/// Splits into `num_outputs` equal parts along `axis` (a list, or the array itself for one
/// part), removing that axis when `squeeze_axis`.
///
/// Parameters
/// ----------
/// data : NDArray
///     The input array.
/// num_outputs : int
///     The number of equal parts (it must divide the axis' length).
/// axis : int | Sequence[int], default 1
///     The axis to split along.
/// squeeze_axis : bool, default False
///     Remove the split axis from each part (its length must then be 1).
/// name : str, default None
///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
///
/// Returns
/// -------
/// list of NDArray or NDArray
///     The parts, or the one NDArray when ``num_outputs`` is 1.
///
/// Examples
/// --------
/// >>> [p.shape for p in nd.split(nd.ones((2, 6)), num_outputs=3, axis=1)]
/// [(2, 2), (2, 2), (2, 2)]
#[pyfunction]
#[pyo3(signature = (data, num_outputs, axis = 1, squeeze_axis = false, name = None))]
#[allow(unused_variables)]
fn split(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    num_outputs: i64,
    axis: isize,
    #[pyo3(from_py_with = flags::squeeze_axis)] squeeze_axis: bool,
    name: Option<&str>,
) -> PyResult<Py<PyAny>> {
    let parts = layout::split(
        &arg_tensor("split", data)?,
        count("split", "num_outputs", num_outputs)?,
        axis,
        squeeze_axis,
    )?;
    if parts.len() == 1 {
        return wrap(
            py,
            parts
                .into_iter()
                .next()
                .ok_or_else(|| PyErr::from(invalid("split", "no output")))?,
        );
    }
    let items = parts
        .into_iter()
        .map(|t| wrap(py, t))
        .collect::<PyResult<Vec<_>>>()?;
    Ok(PyList::new(py, items)?.into_any().unbind())
}
nd_entry!(split, aliases = ["SliceChannel"]);

#[pymethods]
impl PyNDArray {
    /// `nd.split(self, ...)`.
    ///
    /// Parameters
    /// ----------
    /// num_outputs : int
    ///     The number of equal parts (it must divide the axis' length).
    /// axis : int | Sequence[int], default 1
    ///     The axis to split along.
    /// squeeze_axis : bool, default False
    ///     Remove the split axis from each part (its length must then be 1).
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// list of NDArray or NDArray
    ///     The parts, or the one NDArray when ``num_outputs`` is 1.
    ///
    /// Examples
    /// --------
    /// >>> [p.shape for p in nd.ones((2, 6)).split(num_outputs=3, axis=1)]
    /// [(2, 2), (2, 2), (2, 2)]
    #[pyo3(name = "split", signature = (num_outputs, axis = 1, squeeze_axis = false, name = None))]
    fn split_method(
        slf: &Bound<'_, Self>,
        num_outputs: i64,
        axis: isize,
        #[pyo3(from_py_with = flags::squeeze_axis)] squeeze_axis: bool,
        name: Option<&str>,
    ) -> PyResult<Py<PyAny>> {
        split(
            slf.py(),
            slf.as_any(),
            num_outputs,
            axis,
            squeeze_axis,
            name,
        )
    }
}

/// The elementwise sum of its arguments (MXNet's add_n and ElementWiseSum).
///
/// Parameters: `*args` (NDArrays of one shape and dtype; no broadcasting, as MXNet), or one
/// list of them; `num_args` (ignored: the number of arrays given).
/// Returns their sum; each input's gradient is the head gradient.
///
/// Parameters
/// ----------
/// *args : NDArray
///     The arrays to add: one shape and dtype (no broadcasting, as MXNet).
/// num_args : int, default None
///     Ignored: the number of arrays, which MXNet's symbolic API needs.
/// out : NDArray, default None
///     The output array: when given, the result is written into it (it must have the result's
///     shape) and it is returned.
/// name : str, default None
///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
///
/// Returns
/// -------
/// NDArray
///     The result (``out`` itself when it is given).
///
/// Examples
/// --------
/// >>> nd.add_n(nd.ones((2,)), nd.ones((2,)), nd.ones((2,)))
/// [3. 3.]
/// <NDArray 2 @cpu(0)>
#[pyfunction]
#[pyo3(signature = (*args, num_args = None, out = None, name = None))]
#[allow(unused_variables)]
fn add_n(
    py: Python<'_>,
    args: &Bound<'_, PyTuple>,
    num_args: Option<usize>,
    out: Out<'_, '_>,
    name: Option<&str>,
) -> PyResult<Py<PyAny>> {
    let xs = tensors("add_n", args)?;
    let n = xs.iter().map(|x| x.numel()).sum();
    deliver(py, run(py, n, || ops::add_n(&xs))?, out)
}
nd_entry!(add_n, aliases = ["ElementWiseSum"]);

/// Joins a list of arrays along an existing axis (MXNet's concatenate).
///
/// Parameters
/// ----------
/// arrays : Sequence[NDArray]
///     A list of NDArrays of one dtype, equal in shape except along `axis`.
/// axis : int | Sequence[int], default 0
///     The axis to join along.
/// always_copy : bool, default True
///     Accepted for MXNet's API: the result is always a new array.
///
/// Returns
/// -------
/// NDArray
///     Joined NDArray; the gradient is cut back to each input.
///
/// Examples
/// --------
/// >>> nd.concatenate([nd.ones((1, 2)), nd.zeros((2, 2))]).shape
/// (3, 2)
#[pyfunction]
#[pyo3(signature = (arrays, axis = 0, always_copy = true))]
fn concatenate(
    py: Python<'_>,
    arrays: &Bound<'_, PyAny>,
    axis: isize,
    #[pyo3(from_py_with = flags::always_copy)] always_copy: bool,
) -> PyResult<Py<PyAny>> {
    if !(arrays.is_instance_of::<PyList>() || arrays.is_instance_of::<PyTuple>()) {
        return Err(crate::error::type_err(
            "concatenate",
            format!(
                "arrays must be a list of NDArrays, got {}",
                arrays.get_type().name()?
            ),
        )
        .into());
    }
    let items: Vec<Bound<'_, PyAny>> = arrays.try_iter()?.collect::<PyResult<_>>()?;
    let xs = items
        .iter()
        .map(|a| arg_tensor("concatenate", a))
        .collect::<PyResult<Vec<_>>>()?;
    if xs.is_empty() {
        return Err(invalid("concatenate", "arrays must hold at least one NDArray").into());
    }
    if xs.len() == 1 && !always_copy {
        return Ok(items[0].clone().unbind());
    }
    let n = xs.iter().map(|x| x.numel()).sum();
    wrap(py, run(py, n, || layout::concat(&xs, axis))?)
}
nd_entry!(concatenate);

/// Splits along `axis` into equal sections or at given indices (MXNet's split_v2, NumPy's
/// split).
///
/// Parameters
/// ----------
/// ary : NDArray
///     The array to split.
/// indices_or_sections : int | Sequence[int]
///     An int: that many equal parts (it must divide the axis length). A tuple of ints: the
///     parts run between these points, which must not decrease nor pass the axis length.
/// axis : int | Sequence[int], default 0
///     The axis to split along.
/// squeeze_axis : bool, default False
///     Drop `axis` from each part, which must then have length 1.
///
/// Returns
/// -------
/// list of NDArray or NDArray
///     The parts, or the one NDArray when there is a single part.
///
/// Examples
/// --------
/// >>> [p.shape for p in nd.split_v2(nd.ones((2, 5)), (1, 3), axis=1)]
/// [(2, 1), (2, 2), (2, 2)]
#[pyfunction]
#[pyo3(signature = (ary, indices_or_sections, axis = 0, squeeze_axis = false))]
fn split_v2(
    py: Python<'_>,
    ary: &Bound<'_, PyAny>,
    indices_or_sections: &Bound<'_, PyAny>,
    axis: isize,
    #[pyo3(from_py_with = flags::squeeze_axis)] squeeze_axis: bool,
) -> PyResult<Py<PyAny>> {
    const OP: &str = "split_v2";
    let x = arg_tensor(OP, ary)?;
    let ax = crate::shape::normalize_axis(OP, axis, x.ndim())?;
    let n = x.shape()[ax];
    let bounds: Vec<usize> = if let Ok(sections) = indices_or_sections.extract::<i64>() {
        if sections <= 0 || n as i64 % sections != 0 {
            return Err(crate::error::shape_err(
                OP,
                format!(
                    "axis {} of size {} cannot be split into {} equal sections",
                    ax, n, sections
                ),
            )
            .into());
        }
        let part = n / sections as usize;
        (0..=sections as usize).map(|i| i * part).collect()
    } else {
        let points: Vec<i64> = indices_or_sections.extract().map_err(|_| {
            PyErr::from(crate::error::type_err(
                OP,
                format!(
                    "indices_or_sections must be an int or a tuple of ints, got {}",
                    indices_or_sections
                        .repr()
                        .map(|r| r.to_string())
                        .unwrap_or_default()
                ),
            ))
        })?;
        if let Some(&p) = points.iter().find(|&&p| p < 0 || p as u64 > n as u64) {
            return Err(invalid(
                OP,
                format!("split point {} is outside axis {} of size {}", p, ax, n),
            )
            .into());
        }
        std::iter::once(0)
            .chain(points.iter().map(|&p| p as usize))
            .chain(std::iter::once(n))
            .collect()
    };
    let parts = layout::split_at(OP, &x, &bounds, ax, squeeze_axis)?;
    if let [one] = parts.as_slice() {
        return wrap(py, one.clone());
    }
    let items = parts
        .into_iter()
        .map(|t| wrap(py, t))
        .collect::<PyResult<Vec<_>>>()?;
    Ok(PyList::new(py, items)?.into_any().unbind())
}
nd_entry!(split_v2);

#[pymethods]
impl PyNDArray {
    /// `nd.split_v2(self, ...)`.
    ///
    /// Parameters
    /// ----------
    /// indices_or_sections : int | Sequence[int]
    ///     An int: that many equal parts (it must divide the axis length). A tuple of ints: the parts
    ///     run between these points.
    /// axis : int | Sequence[int], default 0
    ///     The axis to split along.
    /// squeeze_axis : bool, default False
    ///     Remove the split axis from each part (its length must then be 1).
    ///
    /// Returns
    /// -------
    /// list of NDArray or NDArray
    ///     The parts, or the one NDArray when there is a single part.
    ///
    /// Examples
    /// --------
    /// >>> [p.shape for p in nd.ones((2, 5)).split_v2((1, 3), axis=1)]
    /// [(2, 1), (2, 2), (2, 2)]
    #[pyo3(name = "split_v2", signature = (indices_or_sections, axis = 0, squeeze_axis = false))]
    fn split_v2_method(
        slf: &Bound<'_, Self>,
        indices_or_sections: &Bound<'_, PyAny>,
        axis: isize,
        #[pyo3(from_py_with = flags::squeeze_axis)] squeeze_axis: bool,
    ) -> PyResult<Py<PyAny>> {
        split_v2(
            slf.py(),
            slf.as_any(),
            indices_or_sections,
            axis,
            squeeze_axis,
        )
    }
}

nd_fn! {
    /// The identity whose gradient is zero (MXNet's stop_gradient, also BlockGrad): the
    /// arrays it is computed from get no gradient through it.
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     `data`'s values (a new NDArray).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([1, 2])
    /// >>> x.attach_grad()
    /// >>> with autograd.record():
    /// ...     y = nd.stop_gradient(x) * x
    /// >>> y.backward()
    /// >>> x.grad  # dy/dx = x, not 2x
    /// [1. 2.]
    /// <NDArray 2 @cpu(0)>
    #[nd(aliases = ["BlockGrad"], fluent = false)]
    #[pyo3(signature = (data, out = None, name = None))]
    fn stop_gradient(py, data: &Bound<'_, PyAny>) {
        ops::stop_gradient(&arg_tensor("stop_gradient", data)?)?
    }
}

nd_fn! {
    /// Writes `mhs[i]` into column `rhs[i]` of row `i` of the matrix `lhs` (MXNet's
    /// fill_element_0index), in a copy.
    ///
    /// Parameters
    /// ----------
    /// lhs : NDArray | float
    ///     A 2-D array.
    /// mhs : NDArray
    ///     The value to write in each row, shape (rows,).
    /// rhs : NDArray | float
    ///     The column to write to in each row, shape (rows,).
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     Filled copy. No gradient (as MXNet).
    ///
    /// Examples
    /// --------
    /// >>> nd.fill_element_0index(nd.zeros((2, 3)), nd.array([7, 8]), nd.array([2, 0]))
    /// [[0. 0. 7.]
    ///  [8. 0. 0.]]
    /// <NDArray 2x3 @cpu(0)>
    #[nd(fluent = false)]
    #[pyo3(signature = (lhs, mhs, rhs, out = None, name = None))]
    fn fill_element_0index(py, lhs: &Bound<'_, PyAny>, mhs: &Bound<'_, PyAny>, rhs: &Bound<'_, PyAny>) {
        let (l, m) = (
            arg_tensor("fill_element_0index", lhs)?,
            arg_tensor("fill_element_0index", mhs)?,
        );
        let idx = arg_tensor("fill_element_0index", rhs)?;
        layout::fill_element_0index(&l.detach(), &m.detach(), &idx)?
    }
}

nd_fn! {
    /// Slices along every axis: `begin[i]:end[i]:step[i]` (None: the whole axis); also
    /// MXNet's crop.
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// begin : int | Sequence[int | None]
    ///     The first index on each sliced axis (None: the axis' start).
    /// end : int | Sequence[int | None]
    ///     The index past the last on each sliced axis (None: the axis' end).
    /// step : int | Sequence[int | None], default None
    ///     The step on each sliced axis (None: 1).
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([[1, 2, 3], [4, 5, 6]])
    /// >>> nd.slice(x, begin=(0, 1), end=(2, 3))
    /// [[2. 3.]
    ///  [5. 6.]]
    /// <NDArray 2x2 @cpu(0)>
    #[nd(aliases = ["crop"], fluent = true)]
    #[pyo3(signature = (data, begin, end, step = None, out = None, name = None))]
    fn slice(py, data: &Bound<'_, PyAny>, begin: &Bound<'_, PyAny>, end: &Bound<'_, PyAny>, step: Option<&Bound<'_, PyAny>>) {
        let x = arg_tensor("slice", data)?;
        layout::slice(
            &x,
            &opt_isize_list(Some(begin))?,
            &opt_isize_list(Some(end))?,
            &opt_isize_list(step)?,
        )?
    }
}

nd_fn! {
    /// Slices `begin:end` along one axis (end None: to the end).
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// axis : int | Sequence[int]
    ///     The axis to slice.
    /// begin : int | Sequence[int | None]
    ///     The first index.
    /// end : int | Sequence[int | None]
    ///     The index past the last (None: the axis' end).
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([[1, 2, 3], [4, 5, 6]])
    /// >>> nd.slice_axis(x, axis=1, begin=0, end=2)
    /// [[1. 2.]
    ///  [4. 5.]]
    /// <NDArray 2x2 @cpu(0)>
    #[nd(fluent = true)]
    #[pyo3(signature = (data, axis, begin, end, out = None, name = None))]
    fn slice_axis(py, data: &Bound<'_, PyAny>, axis: isize, begin: isize, end: Option<isize>) {
        layout::slice_axis(&arg_tensor("slice_axis", data)?, axis, begin, end)?
    }
}

nd_fn! {
    /// Slices `data` to the shape of `shape_like` along `axes` (all axes when empty).
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// shape_like : NDArray
    ///     The array whose shape the result is sliced to (from the start of each axis).
    /// axes : int | Sequence[int], default None
    ///     The axes to slice; None means every axis.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([[1, 2, 3], [4, 5, 6]])
    /// >>> nd.slice_like(x, nd.ones((1, 2)))
    /// [[1. 2.]]
    /// <NDArray 1x2 @cpu(0)>
    #[nd(fluent = true)]
    #[pyo3(signature = (data, shape_like, axes = None, out = None, name = None))]
    fn slice_like(py, data: &Bound<'_, PyAny>, shape_like: &Bound<'_, PyAny>, axes: Option<&Bound<'_, PyAny>>) {
        let like = arg_tensor("slice_like", shape_like)?;
        let axes = axes_arg(axes)?.unwrap_or_default();
        layout::slice_like(&arg_tensor("slice_like", data)?, like.shape(), &axes)?
    }
}

nd_fn! {
    /// Repeats the whole array `reps` times along each axis.
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// reps : Shape
    ///     How many times to repeat the array along each axis.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> nd.tile(nd.array([[1, 2]]), reps=(2, 2))
    /// [[1. 2. 1. 2.]
    ///  [1. 2. 1. 2.]]
    /// <NDArray 2x4 @cpu(0)>
    #[nd(fluent = true)]
    #[pyo3(signature = (data, reps, out = None, name = None))]
    fn tile(py, data: &Bound<'_, PyAny>, reps: &Bound<'_, PyAny>) {
        let reps = shape_arg("tile", reps)?;
        layout::tile(&arg_tensor("tile", data)?, &reps)?
    }
}

nd_fn! {
    /// Repeats each element `repeats` times along `axis` (the flattened array when None).
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// repeats : int
    ///     How many times each element is repeated.
    /// axis : int | Sequence[int], default None
    ///     The axis to repeat along; None flattens the input first.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> nd.repeat(nd.array([[1, 2], [3, 4]]), repeats=2, axis=1)
    /// [[1. 1. 2. 2.]
    ///  [3. 3. 4. 4.]]
    /// <NDArray 2x4 @cpu(0)>
    #[nd(fluent = true)]
    #[pyo3(signature = (data, repeats, axis = None, out = None, name = None))]
    fn repeat(py, data: &Bound<'_, PyAny>, repeats: i64, axis: Option<isize>) {
        layout::repeat(
            &arg_tensor("repeat", data)?,
            count("repeat", "repeats", repeats)?,
            axis,
        )?
    }
}

nd_fn! {
    /// Reverses the order of the elements along `axis`.
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// axis : int | Sequence[int]
    ///     The axis or axes to reverse.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([[1, 2, 3], [4, 5, 6]])
    /// >>> nd.flip(x, axis=1)
    /// [[3. 2. 1.]
    ///  [6. 5. 4.]]
    /// <NDArray 2x3 @cpu(0)>
    #[nd(aliases = ["reverse"], fluent = true)]
    #[pyo3(signature = (data, axis, out = None, name = None))]
    fn flip(py, data: &Bound<'_, PyAny>, axis: &Bound<'_, PyAny>) {
        let mut x = arg_tensor("flip", data)?;
        for a in axes_arg(Some(axis))?.unwrap_or_default() {
            x = layout::flip(&x, a)?;
        }
        x
    }
}

nd_fn! {
    /// Broadcasts to `shape` (a 0 keeps the input's size there).
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// shape : Shape
    ///     The target shape; 0 keeps the input's length on that axis.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> nd.broadcast_to(nd.array([[1, 2, 3]]), shape=(2, 3))
    /// [[1. 2. 3.]
    ///  [1. 2. 3.]]
    /// <NDArray 2x3 @cpu(0)>
    #[nd(fluent = true)]
    #[pyo3(signature = (data, shape, out = None, name = None))]
    fn broadcast_to(py, data: &Bound<'_, PyAny>, shape: &Bound<'_, PyAny>) {
        let x = arg_tensor("broadcast_to", data)?;
        let mut target = shape_arg("broadcast_to", shape)?;
        // MXNet: a 0 in the target shape keeps the input's size there.
        let lead = target.len().saturating_sub(x.ndim());
        for (i, d) in target.iter_mut().enumerate() {
            if *d == 0 && i >= lead {
                *d = x.shape()[i - lead];
            }
        }
        let n = crate::shape::checked_numel("broadcast_to", &target)?;
        run(py, n, || ops::broadcast_to(&x, &target))?
    }
}

nd_fn! {
    /// Broadcasts `lhs` to the shape of `rhs`.
    ///
    /// With both given, only axis `lhs_axes[i]` of `lhs` (of size 1) is broadcast, to the size of
    /// axis `rhs_axes[i]` of `rhs`; otherwise `lhs` is broadcast to the whole shape of `rhs`
    /// (NumPy's rules)
    ///
    /// Parameters
    /// ----------
    /// lhs : NDArray | float
    ///     The array to broadcast.
    /// rhs : NDArray | float
    ///     The array whose shape is the target.
    /// lhs_axes : int | Sequence[int], default None
    ///     The axes of lhs to broadcast; None means every axis.
    /// rhs_axes : int | Sequence[int], default None
    ///     The axes of rhs whose lengths those take.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     Broadcast array; its gradient is summed back to `lhs`'s shape.
    ///
    /// Examples
    /// --------
    /// >>> nd.broadcast_like(nd.ones((1, 3)), nd.ones((4, 2)), lhs_axes=0, rhs_axes=0).shape
    /// (4, 3)
    #[nd(fluent = true)]
    #[pyo3(signature = (lhs, rhs, lhs_axes = None, rhs_axes = None, out = None, name = None))]
    fn broadcast_like(py, lhs: &Bound<'_, PyAny>, rhs: &Bound<'_, PyAny>, lhs_axes: Option<&Bound<'_, PyAny>>, rhs_axes: Option<&Bound<'_, PyAny>>) {
        let (x, like) = (
            arg_tensor("broadcast_like", lhs)?,
            arg_tensor("broadcast_like", rhs)?,
        );
        // MXNet ignores the axes unless both are given.
        let target = match (axes_arg(lhs_axes)?, axes_arg(rhs_axes)?) {
            (Some(la), Some(ra)) => layout::broadcast_like_shape(x.shape(), like.shape(), &la, &ra)?,
            _ => like.shape_vec(),
        };
        run(py, target.iter().product(), || ops::broadcast_to(&x, &target))?
    }
}

nd_fn! {
    /// Broadcasts the unit axes `axis` to `size` (also MXNet's broadcast_axes).
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// axis : int | Sequence[int]
    ///     The axis or axes (each of length 1) to broadcast.
    /// size : Shape
    ///     The new length of each of those axes.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> nd.broadcast_axis(nd.array([[1], [2]]), axis=1, size=3)
    /// [[1. 1. 1.]
    ///  [2. 2. 2.]]
    /// <NDArray 2x3 @cpu(0)>
    #[nd(aliases = ["broadcast_axes"], fluent = true)]
    #[pyo3(signature = (data, axis, size, out = None, name = None))]
    fn broadcast_axis(py, data: &Bound<'_, PyAny>, axis: &Bound<'_, PyAny>, size: &Bound<'_, PyAny>) {
        let axes = axes_arg(Some(axis))?.unwrap_or_default();
        let sizes = shape_arg("broadcast_axis", size)?;
        layout::broadcast_axis(&arg_tensor("broadcast_axis", data)?, &axes, &sizes)?
    }
}

#[pymethods]
impl PyNDArray {
    /// `nd.broadcast_axes(self, axis, size)` (MXNet's method name for broadcast_axis).
    ///
    /// Parameters
    /// ----------
    /// axis : int | Sequence[int]
    ///     The axis or axes (each of length 1) to broadcast.
    /// size : Shape
    ///     The new length of each of those axes.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> nd.array([[1], [2]]).broadcast_axes(axis=1, size=3)
    /// [[1. 1. 1.]
    ///  [2. 2. 2.]]
    /// <NDArray 2x3 @cpu(0)>
    #[pyo3(signature = (axis, size, out = None, name = None))]
    #[allow(unused_variables)]
    fn broadcast_axes(
        slf: &Bound<'_, Self>,
        axis: &Bound<'_, PyAny>,
        size: &Bound<'_, PyAny>,
        out: Out<'_, '_>,
        name: Option<&str>,
    ) -> PyResult<Py<PyAny>> {
        let axes = axes_arg(Some(axis))?.unwrap_or_default();
        let sizes = shape_arg("broadcast_axes", size)?;
        let y = layout::broadcast_axis(&slf.borrow().inner().tensor(), &axes, &sizes)?;
        deliver(slf.py(), y, out)
    }
}

nd_fn! {
    /// Reshapes `lhs` to the shape of `rhs`.
    ///
    /// Parameters
    /// ----------
    /// lhs : NDArray | float
    ///     The array to reshape.
    /// rhs : NDArray | float
    ///     The array whose shape the result takes (of the same size).
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> nd.reshape_like(nd.arange(6), nd.ones((2, 3)))
    /// [[0. 1. 2.]
    ///  [3. 4. 5.]]
    /// <NDArray 2x3 @cpu(0)>
    #[nd(fluent = true)]
    #[pyo3(signature = (lhs, rhs, out = None, name = None))]
    fn reshape_like(py, lhs: &Bound<'_, PyAny>, rhs: &Bound<'_, PyAny>) {
        let (x, like) = (
            arg_tensor("reshape_like", lhs)?,
            arg_tensor("reshape_like", rhs)?,
        );
        ops::reshape(&x, like.shape_vec())?
    }
}

nd_fn! {
    /// Moves axes `source` to positions `destination`; the other axes keep their order.
    ///
    /// Parameters
    /// ----------
    /// tensor : NDArray
    ///     The input array.
    /// source : int | Sequence[int]
    ///     The axis or axes to move.
    /// destination : int | Sequence[int]
    ///     Their positions in the result.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> nd.moveaxis(nd.ones((2, 3, 4)), 0, -1).shape
    /// (3, 4, 2)
    #[nd(fluent = false)]
    #[pyo3(signature = (tensor, source, destination, out = None, name = None))]
    fn moveaxis(py, tensor: &Bound<'_, PyAny>, source: &Bound<'_, PyAny>, destination: &Bound<'_, PyAny>) {
        let (src, dst) = (axes_arg(Some(source))?, axes_arg(Some(destination))?);
        layout::moveaxis(
            &arg_tensor("moveaxis", tensor)?,
            &src.unwrap_or_default(),
            &dst.unwrap_or_default(),
        )?
    }
}

nd_fn! {
    /// Swaps two axes (also MXNet's SwapAxis).
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// dim1 : int, default 0
    ///     The first axis.
    /// dim2 : int, default 0
    ///     The second axis.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([[1, 2, 3], [4, 5, 6]])
    /// >>> nd.swapaxes(x, dim1=0, dim2=1)
    /// [[1. 4.]
    ///  [2. 5.]
    ///  [3. 6.]]
    /// <NDArray 3x2 @cpu(0)>
    #[nd(aliases = ["SwapAxis"], fluent = true)]
    #[pyo3(signature = (data, dim1 = 0, dim2 = 0, out = None, name = None))]
    fn swapaxes(py, data: &Bound<'_, PyAny>, dim1: isize, dim2: isize) {
        layout::swapaxes(&arg_tensor("swapaxes", data)?, dim1, dim2)?
    }
}

nd_fn! {
    /// Inserts a unit axis at `axis`.
    ///
    /// The method `x.expand_dims(axis, inplace=True)` returns a view sharing `x`'s memory.
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// axis : int | Sequence[int]
    ///     The position of the new axis, in [-ndim-1, ndim].
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     `data` with shape `data.shape[:axis] + (1,) + data.shape[axis:]`.
    ///
    /// Examples
    /// --------
    /// >>> nd.expand_dims(nd.ones((2, 3)), axis=1).shape
    /// (2, 1, 3)
    #[nd(fluent = by_hand)]
    #[pyo3(signature = (data, axis, out = None, name = None))]
    fn expand_dims(py, data: &Bound<'_, PyAny>, axis: isize) {
        layout::expand_dims(&arg_tensor("expand_dims", data)?, axis)?
    }
}

nd_fn! {
    /// Removes unit axes (those in `axis`, or all of them).
    ///
    /// The method `x.squeeze(axis, inplace=True)` returns a view sharing `x`'s memory.
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// axis : int | Sequence[int], default None
    ///     The axis or axes (of length 1) to remove; None removes every axis of length 1.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     `data` without those axes (shape (1,) if none would be left, as MXNet).
    ///
    /// Examples
    /// --------
    /// >>> nd.squeeze(nd.ones((2, 1, 3, 1))).shape
    /// (2, 3)
    #[nd(fluent = by_hand)]
    #[pyo3(signature = (data, axis = None, out = None, name = None))]
    fn squeeze(py, data: &Bound<'_, PyAny>, axis: Option<&Bound<'_, PyAny>>) {
        let axes = axes_arg(axis)?;
        layout::squeeze(&arg_tensor("squeeze", data)?, axes.as_deref())?
    }
}

nd_fn! {
    /// Flattens to 2-D: (first axis, product of the others); also MXNet's Flatten.
    ///
    /// The method `x.flatten(inplace=True)` returns a view sharing `x`'s memory.
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     `data` with shape `(data.shape[0], prod(data.shape[1:]))`.
    ///
    /// Examples
    /// --------
    /// >>> nd.flatten(nd.ones((2, 3, 4))).shape
    /// (2, 12)
    #[nd(aliases = ["Flatten"], fluent = by_hand)]
    #[pyo3(signature = (data, out = None, name = None))]
    fn flatten(py, data: &Bound<'_, PyAny>) {
        layout::flatten(&arg_tensor("flatten", data)?)?
    }
}

/// The methods behind `x.flatten()`, `x.squeeze()`, `x.expand_dims()`: MXNet's take
/// `inplace`, which returns a view sharing this array's memory (a recorded reshape, so
/// gradients flow through it) instead of a copy.
#[pymethods]
impl PyNDArray {
    /// `nd.expand_dims(self, axis)`; `inplace=True`: a view sharing this array's memory.
    ///
    /// Parameters
    /// ----------
    /// axis : int | Sequence[int]
    ///     The position of the new axis, in [-ndim-1, ndim].
    /// inplace : bool, default False
    ///     Return a view sharing this array's memory instead of a new array.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> nd.ones((2, 3)).expand_dims(1).shape
    /// (2, 1, 3)
    #[pyo3(name = "expand_dims", signature = (axis, inplace = false, out = None, name = None))]
    #[allow(unused_variables)]
    fn expand_dims_method(
        slf: &Bound<'_, Self>,
        axis: isize,
        #[pyo3(from_py_with = flags::inplace)] inplace: bool,
        out: Out<'_, '_>,
        name: Option<&str>,
    ) -> PyResult<Py<PyAny>> {
        let y = layout::expand_dims(&slf.borrow().inner().tensor(), axis)?;
        reshaped_or_copy(slf, inplace, y, out)
    }

    /// `nd.squeeze(self, axis)`; `inplace=True`: a view sharing this array's memory.
    ///
    /// Parameters
    /// ----------
    /// axis : int | Sequence[int], default None
    ///     The axis or axes (of length 1) to remove; None removes every axis of length 1.
    /// inplace : bool, default False
    ///     Return a view sharing this array's memory instead of a new array.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> nd.ones((2, 1, 3)).squeeze().shape
    /// (2, 3)
    #[pyo3(name = "squeeze", signature = (axis = None, inplace = false, out = None, name = None))]
    #[allow(unused_variables)]
    fn squeeze_method(
        slf: &Bound<'_, Self>,
        axis: Option<&Bound<'_, PyAny>>,
        #[pyo3(from_py_with = flags::inplace)] inplace: bool,
        out: Out<'_, '_>,
        name: Option<&str>,
    ) -> PyResult<Py<PyAny>> {
        let axes = axes_arg(axis)?;
        let y = layout::squeeze(&slf.borrow().inner().tensor(), axes.as_deref())?;
        reshaped_or_copy(slf, inplace, y, out)
    }

    /// `nd.flatten(self)`; `inplace=True`: a view sharing this array's memory.
    ///
    /// Parameters
    /// ----------
    /// inplace : bool, default False
    ///     Return a view sharing this array's memory instead of a new array.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> nd.ones((2, 3, 4)).flatten().shape
    /// (2, 12)
    #[pyo3(name = "flatten", signature = (inplace = false, out = None, name = None))]
    #[allow(unused_variables)]
    fn flatten_method(
        slf: &Bound<'_, Self>,
        #[pyo3(from_py_with = flags::inplace)] inplace: bool,
        out: Out<'_, '_>,
        name: Option<&str>,
    ) -> PyResult<Py<PyAny>> {
        let y = layout::flatten(&slf.borrow().inner().tensor())?;
        reshaped_or_copy(slf, inplace, y, out)
    }
}

/// `y`, the reshape of `slf` that `x.flatten()` and the like computed: with `inplace`, an
/// NDArray that shares `slf`'s memory (and `y`'s place in the graph); otherwise `y` itself,
/// delivered into `out` when given, as the nd function would.
fn reshaped_or_copy(
    slf: &Bound<'_, PyNDArray>,
    inplace: bool,
    y: crate::graph::Tensor,
    out: Out<'_, '_>,
) -> PyResult<Py<PyAny>> {
    if !inplace {
        return deliver(slf.py(), y, out);
    }
    if out.is_some() {
        return Err(invalid(
            "inplace",
            "inplace=True returns a view of this array; it cannot also write into out=",
        )
        .into());
    }
    let view = slf.borrow().view_as(&y);
    Ok(Py::new(slf.py(), view)?.into_any())
}

nd_fn! {
    /// Limits the values to [a_min, a_max]; the gradient passes inside, bounds included.
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// a_min : float
    ///     The lower bound: smaller elements become it.
    /// a_max : float
    ///     The upper bound: larger elements become it.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> nd.clip(nd.array([-2, 0.5, 3]), -1, 1)
    /// [-1.   0.5  1. ]
    /// <NDArray 3 @cpu(0)>
    #[nd(fluent = true)]
    #[pyo3(signature = (data, a_min, a_max, out = None, name = None))]
    fn clip(py, data: &Bound<'_, PyAny>, a_min: f64, a_max: f64) {
        let x = arg_tensor("clip", data)?;
        run(py, x.numel(), || ops::clip(&x, a_min, a_max))?
    }
}

/// `x` where `condition` is non-zero, else `y`.
///
/// Parameters
/// ----------
/// condition : NDArray
///     Where non-zero, the result takes ``x``; elsewhere ``y``. The shape of x, or of x's first
///     axis.
/// x : NDArray
///     The values where the condition holds.
/// y : NDArray
///     The values elsewhere (x's shape).
/// out : NDArray, default None
///     The output array: when given, the result is written into it (it must have the result's
///     shape) and it is returned.
/// name : str, default None
///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
///
/// Returns
/// -------
/// NDArray
///     The result (``out`` itself when it is given).
///
/// Examples
/// --------
/// >>> nd.where(nd.array([1, 0, 1]), nd.array([1, 2, 3]), nd.array([7, 8, 9]))
/// [1. 8. 3.]
/// <NDArray 3 @cpu(0)>
#[pyfunction]
#[pyo3(name = "where", signature = (condition, x, y, out = None, name = None))]
#[allow(unused_variables)]
fn where_(
    py: Python<'_>,
    condition: &Bound<'_, PyAny>,
    x: &Bound<'_, PyAny>,
    y: &Bound<'_, PyAny>,
    out: Out<'_, '_>,
    name: Option<&str>,
) -> PyResult<Py<PyAny>> {
    let (c, a, b) = (
        arg_tensor("where", condition)?,
        arg_tensor("where", x)?,
        arg_tensor("where", y)?,
    );
    deliver(py, run(py, a.numel(), || ops::where_(&c, &a, &b))?, out)
}
inventory::submit! {
    super::NdFunction {
        namespace: "nd",
        name: "where",
        aliases: &[],
        fluent: true,
        make: |m| wrap_pyfunction!(where_, m),
    }
}

#[pymethods]
impl PyNDArray {
    /// `x` where this array is non-zero, else `y` (`nd.where(self, x, y)`).
    ///
    /// Parameters
    /// ----------
    /// x : NDArray
    ///     The values where this array (the condition) is non-zero.
    /// y : NDArray
    ///     The values elsewhere.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> nd.array([1, 0, 1]).where(nd.array([1, 2, 3]), nd.array([7, 8, 9]))
    /// [1. 8. 3.]
    /// <NDArray 3 @cpu(0)>
    #[pyo3(name = "where", signature = (x, y, out = None, name = None))]
    fn where_method(
        slf: &Bound<'_, Self>,
        x: &Bound<'_, PyAny>,
        y: &Bound<'_, PyAny>,
        out: Out<'_, '_>,
        name: Option<&str>,
    ) -> PyResult<Py<PyAny>> {
        where_(slf.py(), slf.as_any(), x, y, out, name)
    }
}

nd_fn! {
    /// Picks slices along `axis` at `indices` (mode 'clip' or 'wrap' for out-of-range ones).
    ///
    /// Parameters
    /// ----------
    /// a : NDArray
    ///     The input array.
    /// indices : ArrayLike
    ///     Integer positions (an NDArray, a list or a NumPy array; MXNet reads floats as their integer
    ///     part).
    /// axis : int | Sequence[int], default 0
    ///     The axis to take along.
    /// mode : str, default 'clip'
    ///     What an index outside the axis means: 'clip' (the nearest end) or 'wrap' (modulo the
    ///     length).
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([[1, 2, 3], [4, 5, 6]])
    /// >>> nd.take(x, nd.array([1, 0]))
    /// [[4. 5. 6.]
    ///  [1. 2. 3.]]
    /// <NDArray 2x3 @cpu(0)>
    /// >>> nd.take(x, nd.array([2]), axis=1)
    /// [[3.]
    ///  [6.]]
    /// <NDArray 2x1 @cpu(0)>
    #[nd(fluent = true)]
    #[pyo3(signature = (a, indices, axis = 0, mode = "clip", out = None, name = None))]
    fn take(py, a: &Bound<'_, PyAny>, indices: &Bound<'_, PyAny>, axis: isize, mode: &str) {
        let idx = tensor_from_any(indices, DType::F64)?;
        layout::take(&arg_tensor("take", a)?, &idx, axis, mode)?
    }
}

nd_fn! {
    /// Picks one element along `axis` for each position, at `index` (also MXNet's
    /// choose_element_0index).
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// index : ArrayLike
    ///     The position to pick in each slice along ``axis``: data's shape without that axis.
    /// axis : int | Sequence[int], default -1
    ///     The axis to pick along.
    /// keepdims : bool, default False
    ///     Keep the picked axis, with length 1.
    /// mode : str, default 'clip'
    ///     What an index outside the axis means: 'clip' (the nearest end) or 'wrap' (modulo the
    ///     length).
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([[1, 2, 3], [4, 5, 6]])
    /// >>> nd.pick(x, nd.array([0, 2]), axis=1)
    /// [1. 6.]
    /// <NDArray 2 @cpu(0)>
    #[nd(aliases = ["choose_element_0index"], fluent = true)]
    #[pyo3(signature = (data, index, axis = -1, keepdims = false, mode = "clip", out = None, name = None),
        text_signature = "(data, index, axis=-1, keepdims=False, mode=\"clip\", out=None, name=None)",
        method_signature = "($self, index, axis=-1, keepdims=False, mode=\"clip\", out=None, name=None)")]
    fn pick(py, data: &Bound<'_, PyAny>, index: &Bound<'_, PyAny>, axis: isize, #[pyo3(from_py_with = flags::keepdims)] keepdims: bool, mode: &str) {
        let x = arg_tensor("pick", data)?;
        let idx = tensor_from_any(index, x.dtype())?;
        layout::pick(&x, &idx, axis, keepdims, mode)?
    }
}

nd_fn! {
    /// One-hot encodes integer `indices` to `depth` classes.
    ///
    /// Parameters
    /// ----------
    /// indices : ArrayLike
    ///     The class indices.
    /// depth : int
    ///     The number of classes: the length of the new last axis.
    /// on_value : float, default 1.0
    ///     The value at each index's position.
    /// off_value : float, default 0.0
    ///     The value everywhere else.
    /// dtype : DTypeLike, default None
    ///     The element type of the result: a NumPy dtype or its name ('float32', 'float64', 'int32',
    ///     'int64', 'uint8'); None means the default.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> nd.one_hot(nd.array([0, 2]), depth=3)
    /// [[1. 0. 0.]
    ///  [0. 0. 1.]]
    /// <NDArray 2x3 @cpu(0)>
    #[nd(fluent = true)]
    #[pyo3(signature = (indices, depth, on_value = 1.0, off_value = 0.0, dtype = None, out = None, name = None))]
    fn one_hot(py, indices: &Bound<'_, PyAny>, depth: i64, on_value: f64, off_value: f64, dtype: Option<&Bound<'_, PyAny>>) {
        let idx = tensor_from_any(indices, DType::F64)?;
        let dt = parse_dtype(dtype, DType::F32)?;
        layout::one_hot(
            &idx,
            count("one_hot", "depth", depth)?,
            on_value,
            off_value,
            dt,
        )?
    }
}

nd_fn! {
    /// Gathers the elements (or slices) whose leading coordinates are the columns of `indices`.
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// indices : ArrayLike
    ///     Positions, one row per leading axis of data: shape (M, ...) picks data[indices[0], ...,
    ///     indices[M-1]].
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([[1, 2, 3], [4, 5, 6]])
    /// >>> nd.gather_nd(x, nd.array([[0, 1], [2, 0]]))
    /// [3. 4.]
    /// <NDArray 2 @cpu(0)>
    #[nd(fluent = true)]
    #[pyo3(signature = (data, indices, out = None, name = None))]
    fn gather_nd(py, data: &Bound<'_, PyAny>, indices: &Bound<'_, PyAny>) {
        let idx = tensor_from_any(indices, DType::F64)?;
        layout::gather_nd(&arg_tensor("gather_nd", data)?, &idx)?
    }
}

nd_fn! {
    /// Scatters `data` into a zero array of `shape` at the coordinates in `indices`.
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The values to place.
    /// indices : ArrayLike
    ///     Their positions, one row per axis of the result (as gather_nd's).
    /// shape : Shape
    ///     The shape of the result (zeros where nothing is placed).
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> nd.scatter_nd(nd.array([5, 7]), nd.array([[0, 1], [2, 0]]), shape=(2, 3))
    /// [[0. 0. 5.]
    ///  [7. 0. 0.]]
    /// <NDArray 2x3 @cpu(0)>
    #[nd(fluent = false)]
    #[pyo3(signature = (data, indices, shape, out = None, name = None))]
    fn scatter_nd(py, data: &Bound<'_, PyAny>, indices: &Bound<'_, PyAny>, shape: &Bound<'_, PyAny>) {
        let idx = tensor_from_any(indices, DType::F64)?;
        let shape = shape_arg("scatter_nd", shape)?;
        layout::scatter_nd(&arg_tensor("scatter_nd", data)?, &idx, &shape)?
    }
}

nd_fn! {
    /// Extracts the `k`-th diagonal of a matrix, or builds a diagonal matrix from a vector.
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     A 1-D array (the result has it on a diagonal) or an array of 2 axes or more (the result is
    ///     its diagonal).
    /// k : int, default 0
    ///     The diagonal: 0 the main one, > 0 above it, < 0 below.
    /// axis1 : int, default 0
    ///     The first axis of the 2-D planes whose diagonal is taken (input of 2 axes or more).
    /// axis2 : int, default 1
    ///     The second axis of those planes.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([[1, 2, 3], [4, 5, 6]])
    /// >>> nd.diag(x)
    /// [1. 5.]
    /// <NDArray 2 @cpu(0)>
    /// >>> nd.diag(nd.array([1, 2]))
    /// [[1. 0.]
    ///  [0. 2.]]
    /// <NDArray 2x2 @cpu(0)>
    #[nd(fluent = true)]
    #[pyo3(signature = (data, k = 0, axis1 = 0, axis2 = 1, out = None, name = None))]
    fn diag(py, data: &Bound<'_, PyAny>, k: isize, axis1: isize, axis2: isize) {
        layout::diag(&arg_tensor("diag", data)?, k, axis1, axis2)?
    }
}

/// A 2-D array with ones on the `k`-th diagonal (behind `nd.eye`).
///
/// Parameters
/// ----------
/// n : int
///     The number of rows.
/// m : int, default None
///     The number of columns; None means n.
/// k : int, default 0
///     The diagonal that holds the ones: 0 the main one, > 0 above it, < 0 below.
/// dtype : DTypeLike, default None
///     The element type of the result: a NumPy dtype or its name ('float32', 'float64', 'int32',
///     'int64', 'uint8'); None means the default.
///
/// Returns
/// -------
/// NDArray
///     The result.
///
/// Examples
/// --------
/// >>> nd.eye(2, 3)
/// [[1. 0. 0.]
///  [0. 1. 0.]]
/// <NDArray 2x3 @cpu(0)>
#[pyfunction]
#[pyo3(signature = (n, m = None, k = 0, dtype = None))]
fn eye(
    py: Python<'_>,
    n: i64,
    m: Option<i64>,
    k: isize,
    dtype: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    wrap(
        py,
        layout::eye(
            count("eye", "N", n)?,
            m.filter(|&m| m != 0)
                .map(|m| count("eye", "M", m))
                .transpose()?,
            k,
            parse_dtype(dtype, DType::F32)?,
        )?,
    )
}
nd_entry!(eye);

/// `num` evenly spaced values from `start` to `stop` (behind `nd.linspace`).
///
/// Parameters
/// ----------
/// start : float
///     The first value.
/// stop : float
///     The last value (with ``endpoint``) or the end of the interval.
/// num : int
///     How many values.
/// endpoint : bool, default True
///     Include ``stop`` as the last value.
/// dtype : DTypeLike, default None
///     The element type of the result: a NumPy dtype or its name ('float32', 'float64', 'int32',
///     'int64', 'uint8'); None means the default.
///
/// Returns
/// -------
/// NDArray
///     The result.
///
/// Examples
/// --------
/// >>> nd.linspace(0, 1, 5)
/// [0.   0.25 0.5  0.75 1.  ]
/// <NDArray 5 @cpu(0)>
#[pyfunction]
#[pyo3(signature = (start, stop, num, endpoint = true, dtype = None))]
fn linspace(
    py: Python<'_>,
    start: f64,
    stop: f64,
    num: i64,
    #[pyo3(from_py_with = flags::endpoint)] endpoint: bool,
    dtype: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    wrap(
        py,
        layout::linspace(
            start,
            stop,
            count("linspace", "num", num)?,
            endpoint,
            parse_dtype(dtype, DType::F32)?,
        )?,
    )
}
nd_entry!(linspace);

nd_fn! {
    /// Pads every axis by (before, after) elements, given flat in `pad_width`: with
    /// `constant_value`, the border element, or a reflection (also MXNet's Pad).
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// mode : str, default 'constant'
    ///     How to fill: 'constant' (with ``constant_value``), 'edge' (the border element
    ///     repeated) or 'reflect' (mirrored about the border element; each width must be
    ///     smaller than its axis), as NumPy's modes of those names.
    /// pad_width : Shape, default None
    ///     The number of values before and after each axis, flattened: (before_0, after_0, before_1,
    ///     after_1, ...). MXNet leaves the first two axes unpadded; any axis may be padded here.
    /// constant_value : float, default 0.0
    ///     The value to pad with.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> nd.pad(nd.ones((1, 1, 2, 2)), mode='constant', pad_width=(0, 0, 0, 0, 1, 1, 1, 1)).shape
    /// (1, 1, 4, 4)
    #[nd(aliases = ["Pad"], fluent = true)]
    #[pyo3(signature = (data, mode = "constant", pad_width = None, constant_value = 0.0, out = None, name = None))]
    fn pad(py, data: &Bound<'_, PyAny>, mode: &str, pad_width: Option<&Bound<'_, PyAny>>, constant_value: f64) {
        let widths = match pad_width {
            Some(w) => shape_arg("pad", w)?,
            None => return Err(invalid("pad", "pad_width is required").into()),
        };
        layout::pad(&arg_tensor("pad", data)?, mode, &widths, constant_value)?
    }
}

nd_fn! {
    /// exp(x / temperature), normalised along `axis`.
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// axis : int | Sequence[int], default -1
    ///     The axis to normalise along; negative counts from the last.
    /// temperature : float, default None
    ///     Divides the input before the exponential; None means 1.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([[1, 2], [3, 4]])
    /// >>> nd.softmax(x)
    /// [[0.26894143 0.7310586 ]
    ///  [0.26894143 0.7310586 ]]
    /// <NDArray 2x2 @cpu(0)>
    /// >>> nd.softmax(x, axis=0)
    /// [[0.11920292 0.11920292]
    ///  [0.880797   0.880797  ]]
    /// <NDArray 2x2 @cpu(0)>
    #[nd(fluent = true)]
    #[pyo3(signature = (data, axis = -1, temperature = None, out = None, name = None),
        text_signature = "(data, axis=-1, temperature=None, out=None, name=None)",
        method_signature = "($self, axis=-1, temperature=None, out=None, name=None)")]
    fn softmax(py, data: &Bound<'_, PyAny>, axis: isize, temperature: Option<f64>) {
        let x = arg_tensor("softmax", data)?;
        run(py, x.numel(), || {
            nn::softmax(&x, axis, temperature.unwrap_or(1.0))
        })?
    }
}

nd_fn! {
    /// log(softmax(x)) along `axis`, computed stably.
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// axis : int | Sequence[int], default -1
    ///     The axis to normalise along; negative counts from the last.
    /// temperature : float, default None
    ///     Divides the input before the exponential; None means 1.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> nd.log_softmax(nd.array([1, 2, 3]))
    /// [-2.407606   -1.407606   -0.40760598]
    /// <NDArray 3 @cpu(0)>
    #[nd(fluent = true)]
    #[pyo3(signature = (data, axis = -1, temperature = None, out = None, name = None),
        text_signature = "(data, axis=-1, temperature=None, out=None, name=None)",
        method_signature = "($self, axis=-1, temperature=None, out=None, name=None)")]
    fn log_softmax(py, data: &Bound<'_, PyAny>, axis: isize, temperature: Option<f64>) {
        let x = arg_tensor("log_softmax", data)?;
        run(py, x.numel(), || {
            nn::log_softmax(&x, axis, temperature.unwrap_or(1.0))
        })?
    }
}

nd_fn! {
    /// softmax(-x / temperature) along `axis` (MXNet's softmin): the smallest inputs get the
    /// largest weights.
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// axis : int | Sequence[int], default -1
    ///     The axis to normalise along; negative counts from the last.
    /// temperature : float, default None
    ///     Divides the input before the exponential; None means 1.
    /// dtype : DTypeLike, default None
    ///     The dtype of the result (it is cast to it); None means `data`'s.
    /// use_length : bool, default False
    ///     MXNet's masked softmax; not supported (must be False).
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     NDArray of `data`'s shape whose slices along `axis` sum to 1.
    ///
    /// Examples
    /// --------
    /// >>> nd.softmin(nd.array([1, 2, 3]))
    /// [0.66524094 0.24472848 0.09003057]
    /// <NDArray 3 @cpu(0)>
    #[nd(fluent = true)]
    #[pyo3(signature = (data, axis = -1, temperature = None, dtype = None, use_length = false, out = None, name = None),
        text_signature = "(data, axis=-1, temperature=None, dtype=None, use_length=False, out=None, name=None)",
        method_signature = "($self, axis=-1, temperature=None, dtype=None, use_length=False, out=None, name=None)")]
    fn softmin(py, data: &Bound<'_, PyAny>, axis: isize, temperature: Option<f64>, dtype: Option<&Bound<'_, PyAny>>, #[pyo3(from_py_with = flags::use_length)] use_length: bool) {
        if use_length {
            return Err(invalid(
                "softmin",
                "use_length=True needs a length input, which ferrograd's softmin does not take",
            )
            .into());
        }
        let x = arg_tensor("softmin", data)?;
        let dt = parse_dtype(dtype, x.dtype())?;
        if !dt.is_float() {
            // Probabilities cast to integers would be silently all 0 (MXNet refuses too).
            return Err(crate::error::dtype_err(
                "softmin",
                format!("dtype must be float16, float32 or float64, got {}", dt),
            )
            .into());
        }
        let y = run(py, x.numel(), || {
            nn::softmin(&x, axis, temperature.unwrap_or(1.0))
        })?;
        if dt == y.dtype() { y } else { ops::cast(&y, dt)? }
    }
}

nd_fn! {
    /// Applies the activation `act_type`: 'relu', 'sigmoid', 'tanh', 'softrelu' or 'softsign'.
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// act_type : str
    ///     The activation: 'relu', 'sigmoid', 'tanh', 'softrelu' (log(1 + e^x)) or 'softsign'.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> nd.Activation(nd.array([-1, 0, 2]), act_type='relu')
    /// [0. 0. 2.]
    /// <NDArray 3 @cpu(0)>
    /// >>> nd.Activation(nd.array([-1, 0, 2]), act_type='tanh')
    /// [-0.7615942  0.         0.9640276]
    /// <NDArray 3 @cpu(0)>
    #[nd(fluent = false)]
    #[pyo3(signature = (data, act_type, out = None, name = None))]
    fn Activation(py, data: &Bound<'_, PyAny>, act_type: &str) {
        nn::activation(&arg_tensor("Activation", data)?, act_type)?
    }
}

/// Leaky ReLU: x where x > 0, slope * x elsewhere ('elu': slope (e^x - 1); 'selu', 'gelu'
/// as MXNet).
///
/// Parameters
/// ----------
/// data : NDArray
///     The input array.
/// act_type : str, default 'leaky'
///     The activation: 'leaky' (slope * x for x <= 0), 'elu' (slope * (e^x - 1) for x <= 0), 'selu'
///     or 'gelu'.
/// slope : float, default 0.25
///     The slope for negative inputs ('leaky'), or the scale of 'elu'.
/// gamma : Any, default None
///     MXNet's learned slopes of 'prelu' (not supported: ignored).
/// out : NDArray, default None
///     The output array: when given, the result is written into it (it must have the result's
///     shape) and it is returned.
/// name : str, default None
///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
///
/// Returns
/// -------
/// NDArray
///     The result (``out`` itself when it is given).
///
/// Examples
/// --------
/// >>> nd.LeakyReLU(nd.array([-2, 0, 2]), slope=0.1)
/// [-0.2  0.   2. ]
/// <NDArray 3 @cpu(0)>
#[pyfunction]
#[pyo3(signature = (data, act_type = "leaky", slope = 0.25, gamma = None, out = None, name = None))]
#[allow(clippy::too_many_arguments, non_snake_case, unused_variables)]
fn LeakyReLU(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    act_type: &str,
    slope: f64,
    gamma: Option<&Bound<'_, PyAny>>,
    out: Out<'_, '_>,
    name: Option<&str>,
) -> PyResult<Py<PyAny>> {
    deliver(
        py,
        nn::leaky_relu(&arg_tensor("LeakyReLU", data)?, act_type, slope)?,
        out,
    )
}
nd_entry!(LeakyReLU);

nd_fn! {
    /// data . weight^T + bias, with `data` flattened to 2-D unless `flatten` is false.
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// weight : NDArray
    ///     The weight, shape (num_hidden, input size).
    /// bias : NDArray, default None
    ///     The bias, shape (num_hidden,); None with ``no_bias``.
    /// num_hidden : int, default 0
    ///     The number of output units (weight's first axis).
    /// no_bias : bool, default False
    ///     Leave the bias out.
    /// flatten : bool, default True
    ///     Collapse every axis of data after the first before the product (else the product is over the
    ///     last axis).
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([[1, 2], [3, 4]])
    /// >>> w = nd.array([[1, 0], [0, 1], [1, 1]])
    /// >>> nd.FullyConnected(x, w, nd.array([0, 0, 10]), num_hidden=3)
    /// [[ 1.  2. 13.]
    ///  [ 3.  4. 17.]]
    /// <NDArray 2x3 @cpu(0)>
    #[nd(fluent = false)]
    #[pyo3(signature = (data, weight, bias = None, num_hidden = 0, no_bias = false, flatten = true, out = None, name = None))]
    fn FullyConnected(py, data: &Bound<'_, PyAny>, weight: &Bound<'_, PyAny>, bias: Option<&Bound<'_, PyAny>>, num_hidden: usize, #[pyo3(from_py_with = flags::no_bias)] no_bias: bool, #[pyo3(from_py_with = flags::flatten)] flatten: bool) {
        let w = arg_tensor("FullyConnected", weight)?;
        let b = match bias.filter(|b| !b.is_none() && !no_bias) {
            Some(b) => Some(arg_tensor("FullyConnected", b)?),
            None if !no_bias => {
                return Err(invalid("FullyConnected", "bias is required unless no_bias=True").into())
            }
            None => None,
        };
        let hidden = if num_hidden == 0 {
            w.shape().first().copied().unwrap_or(0)
        } else {
            num_hidden
        };
        let x = arg_tensor("FullyConnected", data)?;
        nn::fully_connected(&x, &w, b.as_ref(), hidden, flatten)?
    }
}

nd_fn! {
    /// Zeroes each element with probability `p` and scales the rest by 1/(1-p), in training mode
    /// under autograd.record() (always with mode='always'); the identity otherwise.
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// p : float, default 0.5
    ///     The probability of zeroing an element (the others are scaled by 1 / (1 - p)).
    /// mode : str, default 'training'
    ///     'training': drop only in training mode (inside autograd.record()); 'always': drop always.
    /// axes : int | Sequence[int], default None
    ///     Axes along which one mask is shared (variational dropout); None means none.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> nd.Dropout(nd.ones((2, 3)), p=0.5)  # outside autograd.record(): identity
    /// [[1. 1. 1.]
    ///  [1. 1. 1.]]
    /// <NDArray 2x3 @cpu(0)>
    #[nd(fluent = false)]
    #[pyo3(signature = (data, p = 0.5, mode = "training", axes = None, out = None, name = None))]
    fn Dropout(py, data: &Bound<'_, PyAny>, p: f64, mode: &str, axes: Option<&Bound<'_, PyAny>>) {
        let always = match mode {
            "training" => false,
            "always" => true,
            other => {
                return Err(invalid(
                    "Dropout",
                    format!("mode must be 'training' or 'always', got '{}'", other),
                )
                .into())
            }
        };
        nn::dropout(
            &arg_tensor("Dropout", data)?,
            p,
            always,
            &axes_arg(axes)?.unwrap_or_default(),
        )?
    }
}

nd_fn! {
    /// The summed cross-entropy of softmax(data) against integer labels.
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The scores, shape (batch, classes).
    /// label : ArrayLike
    ///     The class index of each row, shape (batch,).
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> nd.softmax_cross_entropy(nd.array([[1, 2, 3], [1, 1, 1]]), nd.array([2, 0]))
    /// [1.5062183]
    /// <NDArray 1 @cpu(0)>
    #[nd(fluent = false)]
    #[pyo3(signature = (data, label, out = None, name = None))]
    fn softmax_cross_entropy(py, data: &Bound<'_, PyAny>, label: &Bound<'_, PyAny>) {
        let x = arg_tensor("softmax_cross_entropy", data)?;
        let l = tensor_from_any(label, x.dtype())?;
        nn::softmax_cross_entropy(&x, &l)?
    }
}

nd_fn! {
    /// Huber-like loss: 0.5 (scalar x)^2 / scalar where |x| < 1/scalar^2, |x| - 0.5/scalar^2
    /// elsewhere.
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// scalar : float, default 1.0
    ///     sigma: |x| < 1/sigma^2 is quadratic (0.5 (sigma x)^2), beyond linear.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> nd.smooth_l1(nd.array([-2, -0.5, 0, 0.5, 2]), scalar=1)
    /// [1.5   0.125 0.    0.125 1.5  ]
    /// <NDArray 5 @cpu(0)>
    #[nd(fluent = false)]
    #[pyo3(signature = (data, scalar = 1.0, out = None, name = None))]
    fn smooth_l1(py, data: &Bound<'_, PyAny>, scalar: f64) {
        nn::smooth_l1(&arg_tensor("smooth_l1", data)?, scalar)?
    }
}

nd_fn! {
    /// Sorts along `axis` (the flattened array when None).
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// axis : int | Sequence[int], default -1
    ///     The axis to sort along; None sorts the flattened array.
    /// is_ascend : bool, default True
    ///     Sort in ascending order (else descending).
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> x = nd.array([[3, 1, 2], [0, 5, 4]])
    /// >>> nd.sort(x)
    /// [[1. 2. 3.]
    ///  [0. 4. 5.]]
    /// <NDArray 2x3 @cpu(0)>
    /// >>> nd.sort(x, axis=0, is_ascend=False)
    /// [[3. 5. 4.]
    ///  [0. 1. 2.]]
    /// <NDArray 2x3 @cpu(0)>
    #[nd(fluent = true)]
    #[pyo3(signature = (data, axis = Some(-1), is_ascend = true, out = None, name = None),
        text_signature = "(data, axis=-1, is_ascend=True, out=None, name=None)",
        method_signature = "($self, axis=-1, is_ascend=True, out=None, name=None)")]
    fn sort(py, data: &Bound<'_, PyAny>, axis: Option<isize>, #[pyo3(from_py_with = flags::is_ascend)] is_ascend: bool) {
        ops::sort::sort(&arg_tensor("sort", data)?, axis, is_ascend)?
    }
}

nd_fn! {
    /// Indices that sort along `axis`, as floats unless `dtype` says otherwise.
    ///
    /// Parameters
    /// ----------
    /// data : NDArray
    ///     The input array.
    /// axis : int | Sequence[int], default -1
    ///     The axis to sort along; None sorts the flattened array.
    /// is_ascend : bool, default True
    ///     Sort in ascending order (else descending).
    /// dtype : DTypeLike, default None
    ///     The element type of the result: a NumPy dtype or its name ('float32', 'float64', 'int32',
    ///     'int64', 'uint8'); None means the default.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> nd.argsort(nd.array([[3, 1, 2], [0, 5, 4]]))
    /// [[1. 2. 0.]
    ///  [0. 2. 1.]]
    /// <NDArray 2x3 @cpu(0)>
    #[nd(fluent = true)]
    #[pyo3(signature = (data, axis = Some(-1), is_ascend = true, dtype = None, out = None, name = None),
        text_signature = "(data, axis=-1, is_ascend=True, dtype=None, out=None, name=None)",
        method_signature = "($self, axis=-1, is_ascend=True, dtype=None, out=None, name=None)")]
    fn argsort(py, data: &Bound<'_, PyAny>, axis: Option<isize>, #[pyo3(from_py_with = flags::is_ascend)] is_ascend: bool, dtype: Option<&Bound<'_, PyAny>>) {
        let dt = parse_dtype(dtype, DType::F32)?;
        ops::sort::argsort(&arg_tensor("argsort", data)?, axis, is_ascend, dt)?
    }
}

/// The `k` largest (or smallest, `is_ascend`) elements along `axis`: their indices, values,
/// both (a list), or a 0/1 mask, per `ret_typ`.
///
/// Parameters
/// ----------
/// data : NDArray
///     The input array.
/// axis : int | Sequence[int], default -1
///     The axis to search along; None searches the flattened array.
/// k : int, default 1
///     How many elements to return.
/// ret_typ : str, default 'indices'
///     What to return: 'indices', 'value', 'both' (values and indices) or 'mask' (1 at the chosen
///     positions).
/// is_ascend : bool, default False
///     Return the smallest elements instead of the largest.
/// dtype : DTypeLike, default None
///     The element type of the result: a NumPy dtype or its name ('float32', 'float64', 'int32',
///     'int64', 'uint8'); None means the default.
/// name : str, default None
///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
///
/// Returns
/// -------
/// NDArray or list of NDArray
///     The indices, the values, the mask, or [values, indices] for ret_typ='both'.
///
/// Examples
/// --------
/// >>> x = nd.array([[3, 1, 2], [0, 5, 4]])
/// >>> nd.topk(x, k=2)
/// [[0. 2.]
///  [1. 2.]]
/// <NDArray 2x2 @cpu(0)>
/// >>> nd.topk(x, k=1, ret_typ='value')
/// [[3.]
///  [5.]]
/// <NDArray 2x1 @cpu(0)>
#[pyfunction]
#[pyo3(
    signature = (data, axis = Some(-1), k = 1, ret_typ = "indices", is_ascend = false, dtype = None, name = None),
    text_signature = "(data, axis=-1, k=1, ret_typ=\"indices\", is_ascend=False, dtype=None, name=None)"
)]
#[allow(clippy::too_many_arguments, unused_variables)]
fn topk(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    axis: Option<isize>,
    k: i64,
    ret_typ: &str,
    #[pyo3(from_py_with = flags::is_ascend)] is_ascend: bool,
    dtype: Option<&Bound<'_, PyAny>>,
    name: Option<&str>,
) -> PyResult<Py<PyAny>> {
    let dt = parse_dtype(dtype, DType::F32)?;
    Ok(
        match ops::sort::topk(&arg_tensor("topk", data)?, axis, k, ret_typ, is_ascend, dt)? {
            ops::sort::TopK::Value(v) | ops::sort::TopK::Indices(v) | ops::sort::TopK::Mask(v) => {
                wrap(py, v)?
            }
            ops::sort::TopK::Both(v, i) => PyList::new(py, [wrap(py, v)?, wrap(py, i)?])?
                .into_any()
                .unbind(),
        },
    )
}
nd_entry!(topk);

#[pymethods]
impl PyNDArray {
    /// `nd.topk(self, ...)`.
    ///
    /// Parameters
    /// ----------
    /// axis : int | Sequence[int], default -1
    ///     The axis to search along; None searches the flattened array.
    /// k : int, default 1
    ///     How many elements to return.
    /// ret_typ : str, default 'indices'
    ///     What to return: 'indices', 'value', 'both' (values and indices) or 'mask' (1 at the chosen
    ///     positions).
    /// is_ascend : bool, default False
    ///     Return the smallest elements instead of the largest.
    /// dtype : DTypeLike, default None
    ///     The element type of the result: a NumPy dtype or its name ('float32', 'float64', 'int32',
    ///     'int64', 'uint8'); None means the default.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray or list of NDArray
    ///     The indices, the values, the mask, or [values, indices] for ret_typ='both'.
    ///
    /// Examples
    /// --------
    /// >>> nd.array([[3, 1, 2], [0, 5, 4]]).topk(k=2, ret_typ='value')
    /// [[3. 2.]
    ///  [5. 4.]]
    /// <NDArray 2x2 @cpu(0)>
    #[pyo3(
        name = "topk",
        signature = (axis = Some(-1), k = 1, ret_typ = "indices", is_ascend = false, dtype = None, name = None),
        text_signature = "($self, axis=-1, k=1, ret_typ=\"indices\", is_ascend=False, dtype=None, name=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn topk_method(
        slf: &Bound<'_, Self>,
        axis: Option<isize>,
        k: i64,
        ret_typ: &str,
        #[pyo3(from_py_with = flags::is_ascend)] is_ascend: bool,
        dtype: Option<&Bound<'_, PyAny>>,
        name: Option<&str>,
    ) -> PyResult<Py<PyAny>> {
        topk(
            slf.py(),
            slf.as_any(),
            axis,
            k,
            ret_typ,
            is_ascend,
            dtype,
            name,
        )
    }
}

/// alpha * op(a) . op(b) over the last two axes (op: transpose or not).
///
/// Parameters
/// ----------
/// a : NDArray
///     The left matrix (a batch of them when it has more than two axes).
/// b : NDArray
///     The right matrix (a batch of them when it has more than two axes).
/// transpose_a : bool, default False
///     Use the first operand transposed (its last two axes swapped).
/// transpose_b : bool, default False
///     Use the second operand transposed (its last two axes swapped).
/// alpha : float, default 1.0
///     The factor the product is multiplied by.
/// axis : int | Sequence[int], default -3
///     Ignored: MXNet's axis that ends the batch dimensions; here the last two axes are always the
///     matrices.
/// out : NDArray, default None
///     The output array: when given, the result is written into it (it must have the result's
///     shape) and it is returned.
/// name : str, default None
///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
///
/// Returns
/// -------
/// NDArray
///     The result (``out`` itself when it is given).
///
/// Examples
/// --------
/// >>> a = nd.array([[1, 2], [3, 4]])
/// >>> nd.linalg.gemm2(a, a, transpose_b=True, alpha=2)
/// [[10. 22.]
///  [22. 50.]]
/// <NDArray 2x2 @cpu(0)>
#[pyfunction]
#[pyo3(
    signature = (a, b, transpose_a = false, transpose_b = false, alpha = 1.0, axis = -3, out = None, name = None),
    text_signature = "(a, b, transpose_a=False, transpose_b=False, alpha=1.0, axis=-3, out=None, name=None)"
)]
#[allow(clippy::too_many_arguments, unused_variables)]
fn gemm2(
    py: Python<'_>,
    a: &Bound<'_, PyAny>,
    b: &Bound<'_, PyAny>,
    #[pyo3(from_py_with = flags::transpose_a)] transpose_a: bool,
    #[pyo3(from_py_with = flags::transpose_b)] transpose_b: bool,
    alpha: f64,
    axis: isize,
    out: Out<'_, '_>,
    name: Option<&str>,
) -> PyResult<Py<PyAny>> {
    let (a, b) = (
        arg_tensor("linalg.gemm2", a)?,
        arg_tensor("linalg.gemm2", b)?,
    );
    deliver(
        py,
        ops::linalg::gemm2(&a, &b, transpose_a, transpose_b, alpha)?,
        out,
    )
}
nd_entry!(gemm2, namespace = "linalg");

nd_fn! {
    /// The lower Cholesky factor L of a symmetric positive-definite `a` (a = L L^T).
    ///
    /// Parameters
    /// ----------
    /// a : NDArray
    ///     A symmetric positive definite matrix (a batch of them with more than two axes).
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> nd.linalg.potrf(nd.array([[4, 2], [2, 5]]))
    /// [[2. 0.]
    ///  [1. 2.]]
    /// <NDArray 2x2 @cpu(0)>
    #[nd(namespace = "linalg", fluent = false)]
    #[pyo3(signature = (a, out = None, name = None))]
    fn potrf(py, a: &Bound<'_, PyAny>) {
        ops::linalg::potrf(&arg_tensor("linalg.potrf", a)?)?
    }
}

nd_fn! {
    /// Solves a triangular system: alpha * op(a)^-1 b, or b op(a)^-1 with `rightside`.
    ///
    /// Parameters
    /// ----------
    /// a : NDArray
    ///     The triangular matrix (a batch of them with more than two axes).
    /// b : NDArray
    ///     The right-hand side(s).
    /// transpose : bool, default False
    ///     Use the transpose of ``a``.
    /// rightside : bool, default False
    ///     Solve X a = alpha b instead of a X = alpha b.
    /// lower : bool, default True
    ///     ``a`` is lower triangular (else upper).
    /// alpha : float, default 1.0
    ///     The factor the product is multiplied by.
    /// out : NDArray, default None
    ///     The output array: when given, the result is written into it (it must have the result's
    ///     shape) and it is returned.
    /// name : str, default None
    ///     Ignored: MXNet's name for the symbol (kept so MXNet code runs).
    ///
    /// Returns
    /// -------
    /// NDArray
    ///     The result (``out`` itself when it is given).
    ///
    /// Examples
    /// --------
    /// >>> l = nd.array([[2, 0], [1, 2]])
    /// >>> nd.linalg.trsm(l, nd.array([[2, 4], [3, 6]]))
    /// [[1. 2.]
    ///  [1. 2.]]
    /// <NDArray 2x2 @cpu(0)>
    #[nd(namespace = "linalg", fluent = false)]
    #[pyo3(signature = (a, b, transpose = false, rightside = false, lower = true, alpha = 1.0, out = None, name = None))]
    fn trsm(py, a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>, #[pyo3(from_py_with = flags::transpose)] transpose: bool, #[pyo3(from_py_with = flags::rightside)] rightside: bool, #[pyo3(from_py_with = flags::lower)] lower: bool, alpha: f64) {
        let (a, b) = (arg_tensor("linalg.trsm", a)?, arg_tensor("linalg.trsm", b)?);
        ops::linalg::trsm(&a, &b, transpose, rightside, lower, alpha)?
    }
}
