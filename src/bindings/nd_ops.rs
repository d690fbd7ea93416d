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
use crate::shape::Shape;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};

type Out<'a, 'py> = Option<&'a Bound<'py, PyNDArray>>;

/// Joins arrays along axis `dim` (given as arguments or as one list).
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
/// >>> nd.add_n(nd.ones((2,)), nd.ones((2,)), nd.ones((2,)))
/// [3. 3.]
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
/// Parameters: `arrays` (a list of NDArrays of one dtype, equal in shape except along `axis`);
/// `axis` (int, default 0; negative counts from the end); `always_copy` (bool, default True;
/// False returns a single input itself rather than a copy).
/// Returns the joined NDArray; the gradient is cut back to each input.
///
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
/// Parameters: `ary` (NDArray); `indices_or_sections` (int: that many equal parts, the axis
/// length must divide; a tuple of ints: the parts run between these points, which must not
/// decrease nor pass the axis length); `axis` (int, default 0); `squeeze_axis` (bool, default
/// False: drop `axis` from each part, which must then have length 1).
/// Returns a list of NDArrays, or the one NDArray when there is a single part.
///
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
    /// Parameters: `data` (NDArray).
    /// Returns `data`'s values (a new NDArray).
    ///
    /// >>> with autograd.record():
    /// ...     y = nd.stop_gradient(x) * x      # dy/dx = x, not 2x
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
    /// Parameters: `lhs` (2-D NDArray); `mhs` (1-D NDArray of `lhs`'s dtype, one value per
    /// row); `rhs` (1-D NDArray of column indices, truncated toward zero; a row whose index is
    /// outside it is left unchanged, as MXNet).
    /// Returns the filled copy. No gradient (as MXNet).
    ///
    /// >>> nd.fill_element_0index(nd.zeros((2, 3)), nd.array([7, 8]), nd.array([2, 0]))
    /// [[0. 0. 7.]
    ///  [8. 0. 0.]]
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
    #[nd(fluent = true)]
    #[pyo3(signature = (data, axis, begin, end, out = None, name = None))]
    fn slice_axis(py, data: &Bound<'_, PyAny>, axis: isize, begin: isize, end: Option<isize>) {
        layout::slice_axis(&arg_tensor("slice_axis", data)?, axis, begin, end)?
    }
}

nd_fn! {
    /// Slices `data` to the shape of `shape_like` along `axes` (all axes when empty).
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
    #[nd(fluent = true)]
    #[pyo3(signature = (data, reps, out = None, name = None))]
    fn tile(py, data: &Bound<'_, PyAny>, reps: &Bound<'_, PyAny>) {
        let reps = shape_arg("tile", reps)?;
        layout::tile(&arg_tensor("tile", data)?, &reps)?
    }
}

nd_fn! {
    /// Repeats each element `repeats` times along `axis` (the flattened array when None).
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
    /// Parameters: `lhs`, `rhs` (NDArrays); `lhs_axes`, `rhs_axes` (int or tuple of ints,
    /// default None). With both given, only axis `lhs_axes[i]` of `lhs` (of size 1) is
    /// broadcast, to the size of axis `rhs_axes[i]` of `rhs`; otherwise `lhs` is broadcast to
    /// the whole shape of `rhs` (NumPy's rules).
    /// Returns the broadcast array; its gradient is summed back to `lhs`'s shape.
    ///
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
    #[nd(aliases = ["SwapAxis"], fluent = true)]
    #[pyo3(signature = (data, dim1 = 0, dim2 = 0, out = None, name = None))]
    fn swapaxes(py, data: &Bound<'_, PyAny>, dim1: isize, dim2: isize) {
        layout::swapaxes(&arg_tensor("swapaxes", data)?, dim1, dim2)?
    }
}

nd_fn! {
    /// Inserts a unit axis at `axis`.
    ///
    /// Parameters: `data` (NDArray); `axis` (int, in [-ndim-1, ndim]).
    /// Returns `data` with shape `data.shape[:axis] + (1,) + data.shape[axis:]`.
    /// The method `x.expand_dims(axis, inplace=True)` returns a view sharing `x`'s memory.
    ///
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
    /// Parameters: `data` (NDArray); `axis` (int or tuple of ints, default None: every axis of
    /// size 1; naming an axis whose size is not 1 is an error).
    /// Returns `data` without those axes (shape (1,) if none would be left, as MXNet).
    /// The method `x.squeeze(axis, inplace=True)` returns a view sharing `x`'s memory.
    ///
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
    /// Parameters: `data` (NDArray).
    /// Returns `data` with shape `(data.shape[0], prod(data.shape[1:]))`.
    /// The method `x.flatten(inplace=True)` returns a view sharing `x`'s memory.
    ///
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
    #[nd(fluent = true)]
    #[pyo3(signature = (data, a_min, a_max, out = None, name = None))]
    fn clip(py, data: &Bound<'_, PyAny>, a_min: f64, a_max: f64) {
        let x = arg_tensor("clip", data)?;
        run(py, x.numel(), || ops::clip(&x, a_min, a_max))?
    }
}

/// `x` where `condition` is non-zero, else `y`.
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
    #[nd(fluent = true)]
    #[pyo3(signature = (data, indices, out = None, name = None))]
    fn gather_nd(py, data: &Bound<'_, PyAny>, indices: &Bound<'_, PyAny>) {
        let idx = tensor_from_any(indices, DType::F64)?;
        layout::gather_nd(&arg_tensor("gather_nd", data)?, &idx)?
    }
}

nd_fn! {
    /// Scatters `data` into a zero array of `shape` at the coordinates in `indices`.
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
    #[nd(fluent = true)]
    #[pyo3(signature = (data, k = 0, axis1 = 0, axis2 = 1, out = None, name = None))]
    fn diag(py, data: &Bound<'_, PyAny>, k: isize, axis1: isize, axis2: isize) {
        layout::diag(&arg_tensor("diag", data)?, k, axis1, axis2)?
    }
}

/// A 2-D array with ones on the `k`-th diagonal (behind `nd.eye`).
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
    /// Pads with `constant_value`; `pad_width` gives (before, after) for every axis (also
    /// MXNet's Pad).
    #[nd(aliases = ["Pad"], fluent = true)]
    #[pyo3(signature = (data, mode = "constant", pad_width = None, constant_value = 0.0, out = None, name = None))]
    fn pad(py, data: &Bound<'_, PyAny>, mode: &str, pad_width: Option<&Bound<'_, PyAny>>, constant_value: f64) {
        if mode != "constant" {
            return Err(invalid(
                "pad",
                format!("only mode='constant' is supported, got '{}'", mode),
            )
            .into());
        }
        let widths = match pad_width {
            Some(w) => shape_arg("pad", w)?,
            None => return Err(invalid("pad", "pad_width is required").into()),
        };
        layout::pad_constant(&arg_tensor("pad", data)?, &widths, constant_value)?
    }
}

nd_fn! {
    /// exp(x / temperature), normalised along `axis`.
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
    /// Parameters: `data` (NDArray); `axis` (int, default -1); `temperature` (float, default
    /// None: 1); `dtype` (default None: `data`'s dtype; the result is cast to it);
    /// `use_length` (default False; True, which needs a length input, is refused).
    /// Returns an NDArray of `data`'s shape whose slices along `axis` sum to 1.
    ///
    /// >>> nd.softmin(nd.array([1, 2, 3]))
    /// [0.66524094 0.24472848 0.09003057]
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
    #[nd(fluent = false)]
    #[pyo3(signature = (data, act_type, out = None, name = None))]
    fn Activation(py, data: &Bound<'_, PyAny>, act_type: &str) {
        nn::activation(&arg_tensor("Activation", data)?, act_type)?
    }
}

/// Leaky ReLU: x where x > 0, slope * x elsewhere ('elu': slope (e^x - 1); 'selu', 'gelu'
/// as MXNet).
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
    /// Zeroes each element with probability `p` and scales the rest by 1/(1-p), in training mode under autograd.record() (always with mode='always'); the identity otherwise.
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
    #[nd(fluent = false)]
    #[pyo3(signature = (data, label, out = None, name = None))]
    fn softmax_cross_entropy(py, data: &Bound<'_, PyAny>, label: &Bound<'_, PyAny>) {
        let x = arg_tensor("softmax_cross_entropy", data)?;
        let l = tensor_from_any(label, x.dtype())?;
        nn::softmax_cross_entropy(&x, &l)?
    }
}

nd_fn! {
    /// Huber-like loss: 0.5 (scalar x)^2 / scalar where |x| < 1/scalar^2, |x| - 0.5/scalar^2 elsewhere.
    #[nd(fluent = false)]
    #[pyo3(signature = (data, scalar = 1.0, out = None, name = None))]
    fn smooth_l1(py, data: &Bound<'_, PyAny>, scalar: f64) {
        nn::smooth_l1(&arg_tensor("smooth_l1", data)?, scalar)?
    }
}

nd_fn! {
    /// Sorts along `axis` (the flattened array when None).
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
    #[nd(namespace = "linalg", fluent = false)]
    #[pyo3(signature = (a, out = None, name = None))]
    fn potrf(py, a: &Bound<'_, PyAny>) {
        ops::linalg::potrf(&arg_tensor("linalg.potrf", a)?)?
    }
}

nd_fn! {
    /// Solves a triangular system: alpha * op(a)^-1 b, or b op(a)^-1 with `rightside`.
    #[nd(namespace = "linalg", fluent = false)]
    #[pyo3(signature = (a, b, transpose = false, rightside = false, lower = true, alpha = 1.0, out = None, name = None))]
    fn trsm(py, a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>, #[pyo3(from_py_with = flags::transpose)] transpose: bool, #[pyo3(from_py_with = flags::rightside)] rightside: bool, #[pyo3(from_py_with = flags::lower)] lower: bool, alpha: f64) {
        let (a, b) = (arg_tensor("linalg.trsm", a)?, arg_tensor("linalg.trsm", b)?);
        ops::linalg::trsm(&a, &b, transpose, rightside, lower, alpha)?
    }
}

#[pyfunction]
#[pyo3(signature = (low, high, shape, dtype = None))]
fn randint(
    py: Python<'_>,
    low: i64,
    high: i64,
    shape: &Bound<'_, PyAny>,
    dtype: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let shape: Shape = shape_arg("random.randint", shape)?;
    wrap(
        py,
        crate::random::randint(low, high, shape, parse_dtype(dtype, DType::I32)?)?.into(),
    )
}
nd_entry!(randint, namespace = "random");

#[pyfunction]
#[pyo3(signature = (lam, shape, dtype = None))]
fn exponential(
    py: Python<'_>,
    lam: f64,
    shape: &Bound<'_, PyAny>,
    dtype: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let shape: Shape = shape_arg("random.exponential", shape)?;
    crate::shape::check_alloc("random.exponential", &shape, DType::F64)?;
    wrap(
        py,
        crate::random::exponential(lam, shape, parse_dtype(dtype, DType::F32)?)?.into(),
    )
}
nd_entry!(exponential, namespace = "random");

#[pyfunction]
#[pyo3(signature = (alpha, beta, shape, dtype = None))]
fn gamma(
    py: Python<'_>,
    alpha: f64,
    beta: f64,
    shape: &Bound<'_, PyAny>,
    dtype: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let shape: Shape = shape_arg("random.gamma", shape)?;
    crate::shape::check_alloc("random.gamma", &shape, DType::F64)?;
    wrap(
        py,
        crate::random::gamma(alpha, beta, shape, parse_dtype(dtype, DType::F32)?)?.into(),
    )
}
nd_entry!(gamma, namespace = "random");

#[pyfunction]
#[pyo3(signature = (lam, shape, dtype = None))]
fn poisson(
    py: Python<'_>,
    lam: f64,
    shape: &Bound<'_, PyAny>,
    dtype: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let shape: Shape = shape_arg("random.poisson", shape)?;
    crate::shape::check_alloc("random.poisson", &shape, DType::F64)?;
    wrap(
        py,
        crate::random::poisson(lam, shape, parse_dtype(dtype, DType::F32)?)?.into(),
    )
}
nd_entry!(poisson, namespace = "random");

#[pyfunction]
#[pyo3(signature = (k, p, shape, dtype = None))]
fn negative_binomial(
    py: Python<'_>,
    k: f64,
    p: f64,
    shape: &Bound<'_, PyAny>,
    dtype: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let shape: Shape = shape_arg("random.negative_binomial", shape)?;
    crate::shape::check_alloc("random.negative_binomial", &shape, DType::F64)?;
    let dt = parse_dtype(dtype, DType::F32)?;
    let n = shape.iter().product();
    let v = run(py, n, || {
        crate::random::negative_binomial(k, p, shape.clone(), dt)
    })?;
    wrap(py, v.into())
}
nd_entry!(negative_binomial, namespace = "random");

#[pyfunction]
#[pyo3(signature = (mu, alpha, shape, dtype = None))]
fn generalized_negative_binomial(
    py: Python<'_>,
    mu: f64,
    alpha: f64,
    shape: &Bound<'_, PyAny>,
    dtype: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let shape: Shape = shape_arg("random.generalized_negative_binomial", shape)?;
    crate::shape::check_alloc("random.generalized_negative_binomial", &shape, DType::F64)?;
    let dt = parse_dtype(dtype, DType::F32)?;
    let n = shape.iter().product();
    let v = run(py, n, || {
        crate::random::generalized_negative_binomial(mu, alpha, shape.clone(), dt)
    })?;
    wrap(py, v.into())
}
nd_entry!(generalized_negative_binomial, namespace = "random");

#[pyfunction]
#[pyo3(signature = (data, count = 1, dtype = None))]
fn multinomial(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    count: usize,
    dtype: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    wrap(
        py,
        crate::random::multinomial(
            arg_tensor("random.multinomial", data)?.value(),
            count,
            parse_dtype(dtype, DType::I32)?,
        )?
        .into(),
    )
}
nd_entry!(multinomial, namespace = "random");

#[pyfunction]
fn shuffle(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    wrap(
        py,
        crate::ops::index::shuffle(&arg_tensor("random.shuffle", data)?)?,
    )
}
nd_entry!(shuffle, namespace = "random");
