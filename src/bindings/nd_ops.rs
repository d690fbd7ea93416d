//! `nd` functions of the op library beyond elementwise math: layout, selection, NN ops,
//! sorting, linear algebra, random sampling. Argument unpacking only; each function is
//! declared once (`nd_fn!`, or by hand and registered with `nd_entry!`).

use super::convert::{
    arg_tensor, axes_arg, count, deliver, opt_isize_list, parse_dtype, run, shape_arg,
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
nd_entry!(concat);

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
    squeeze_axis: bool,
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
        squeeze_axis: bool,
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

nd_fn! {
    /// Slices along every axis: `begin[i]:end[i]:step[i]` (None: the whole axis).
    #[nd(fluent = true)]
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
    #[nd(fluent = true)]
    #[pyo3(signature = (lhs, rhs, out = None, name = None))]
    fn broadcast_like(py, lhs: &Bound<'_, PyAny>, rhs: &Bound<'_, PyAny>) {
        let (x, like) = (
            arg_tensor("broadcast_like", lhs)?,
            arg_tensor("broadcast_like", rhs)?,
        );
        ops::broadcast_to(&x, like.shape())?
    }
}

nd_fn! {
    /// Broadcasts the unit axes `axis` to `size`.
    #[nd(fluent = true)]
    #[pyo3(signature = (data, axis, size, out = None, name = None))]
    fn broadcast_axis(py, data: &Bound<'_, PyAny>, axis: &Bound<'_, PyAny>, size: &Bound<'_, PyAny>) {
        let axes = axes_arg(Some(axis))?.unwrap_or_default();
        let sizes = shape_arg("broadcast_axis", size)?;
        layout::broadcast_axis(&arg_tensor("broadcast_axis", data)?, &axes, &sizes)?
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
    /// Swaps two axes.
    #[nd(fluent = true)]
    #[pyo3(signature = (data, dim1 = 0, dim2 = 0, out = None, name = None))]
    fn swapaxes(py, data: &Bound<'_, PyAny>, dim1: isize, dim2: isize) {
        layout::swapaxes(&arg_tensor("swapaxes", data)?, dim1, dim2)?
    }
}

nd_fn! {
    /// Inserts a unit axis at `axis`.
    #[nd(fluent = true)]
    #[pyo3(signature = (data, axis, out = None, name = None))]
    fn expand_dims(py, data: &Bound<'_, PyAny>, axis: isize) {
        layout::expand_dims(&arg_tensor("expand_dims", data)?, axis)?
    }
}

nd_fn! {
    /// Removes unit axes (those in `axis`, or all of them).
    #[nd(fluent = true)]
    #[pyo3(signature = (data, axis = None, out = None, name = None))]
    fn squeeze(py, data: &Bound<'_, PyAny>, axis: Option<&Bound<'_, PyAny>>) {
        let axes = axes_arg(axis)?;
        layout::squeeze(&arg_tensor("squeeze", data)?, axes.as_deref())?
    }
}

nd_fn! {
    /// Flattens to 2-D: (first axis, product of the others).
    #[nd(fluent = true)]
    #[pyo3(signature = (data, out = None, name = None))]
    fn flatten(py, data: &Bound<'_, PyAny>) {
        layout::flatten(&arg_tensor("flatten", data)?)?
    }
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
    /// Picks one element along `axis` for each position, at `index`.
    #[nd(fluent = true)]
    #[pyo3(signature = (data, index, axis = -1, keepdims = false, mode = "clip", out = None, name = None),
        text_signature = "(data, index, axis=-1, keepdims=False, mode=\"clip\", out=None, name=None)",
        method_signature = "($self, index, axis=-1, keepdims=False, mode=\"clip\", out=None, name=None)")]
    fn pick(py, data: &Bound<'_, PyAny>, index: &Bound<'_, PyAny>, axis: isize, keepdims: bool, mode: &str) {
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
    endpoint: bool,
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
    /// Pads with `constant_value`; `pad_width` gives (before, after) for every axis.
    #[nd(fluent = true)]
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
    fn FullyConnected(py, data: &Bound<'_, PyAny>, weight: &Bound<'_, PyAny>, bias: Option<&Bound<'_, PyAny>>, num_hidden: usize, no_bias: bool, flatten: bool) {
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
    fn sort(py, data: &Bound<'_, PyAny>, axis: Option<isize>, is_ascend: bool) {
        ops::sort::sort(&arg_tensor("sort", data)?, axis, is_ascend)?
    }
}

nd_fn! {
    /// Indices that sort along `axis`, as floats unless `dtype` says otherwise.
    #[nd(fluent = true)]
    #[pyo3(signature = (data, axis = Some(-1), is_ascend = true, dtype = None, out = None, name = None),
        text_signature = "(data, axis=-1, is_ascend=True, dtype=None, out=None, name=None)",
        method_signature = "($self, axis=-1, is_ascend=True, dtype=None, out=None, name=None)")]
    fn argsort(py, data: &Bound<'_, PyAny>, axis: Option<isize>, is_ascend: bool, dtype: Option<&Bound<'_, PyAny>>) {
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
    is_ascend: bool,
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
        is_ascend: bool,
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
    transpose_a: bool,
    transpose_b: bool,
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
    fn trsm(py, a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>, transpose: bool, rightside: bool, lower: bool, alpha: f64) {
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
