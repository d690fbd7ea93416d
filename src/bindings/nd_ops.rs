//! `nd` functions of the op library beyond elementwise math: layout, selection, NN ops,
//! sorting, linear algebra, random sampling. Argument unpacking only.

use super::convert::{axes_arg, parse_dtype, run, shape_arg};
use super::nd::{arg_tensor, deliver};
use super::ndarray::PyNDArray;
use crate::dtype::DType;
use crate::error::invalid;
use crate::graph::Tensor;
use crate::ops::{self, layout, nn, sort};
use crate::shape::Shape;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};

type Out<'a, 'py> = Option<&'a Bound<'py, PyNDArray>>;

/// A size argument: a negative one is an InvalidArgumentError naming it (a bare usize
/// parameter would raise OverflowError).
fn count(op: &'static str, what: &str, v: i64) -> PyResult<usize> {
    usize::try_from(v).map_err(|_| invalid(op, format!("{} must be >= 0, got {}", what, v)).into())
}

fn wrap(py: Python<'_>, t: Tensor) -> PyResult<Py<PyAny>> {
    Ok(Py::new(py, PyNDArray::from_tensor(t))?.into_any())
}

fn tensors(op: &'static str, items: &Bound<'_, PyTuple>) -> PyResult<Vec<Tensor>> {
    // concat(a, b) and concat([a, b]) both work.
    let list: Vec<Bound<'_, PyAny>> = if items.len() == 1
        && (items.get_item(0)?.is_instance_of::<PyList>()
            || items.get_item(0)?.is_instance_of::<PyTuple>())
    {
        items.get_item(0)?.try_iter()?.collect::<PyResult<_>>()?
    } else {
        items.iter().collect()
    };
    list.iter().map(|o| arg_tensor(op, o)).collect()
}

fn opt_isize_list(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<Option<isize>>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(Vec::new());
    };
    if let Ok(v) = obj.extract::<isize>() {
        return Ok(vec![Some(v)]);
    }
    obj.try_iter()?
        .map(|i| {
            let i = i?;
            if i.is_none() {
                Ok(None)
            } else {
                Ok(Some(i.extract::<isize>()?))
            }
        })
        .collect()
}

#[pyfunction]
#[pyo3(signature = (*data, dim = 1, num_args = None, out = None, name = None))]
fn concat(
    py: Python<'_>,
    data: &Bound<'_, PyTuple>,
    dim: isize,
    num_args: Option<usize>,
    out: Out<'_, '_>,
    name: Option<&str>,
) -> PyResult<Py<PyAny>> {
    let _ = (num_args, name);
    let xs = tensors("concat", data)?;
    deliver(py, layout::concat(&xs, dim)?, out)
}

#[pyfunction]
#[pyo3(signature = (*data, axis = 0, num_args = None, out = None, name = None))]
fn stack(
    py: Python<'_>,
    data: &Bound<'_, PyTuple>,
    axis: isize,
    num_args: Option<usize>,
    out: Out<'_, '_>,
    name: Option<&str>,
) -> PyResult<Py<PyAny>> {
    let _ = (num_args, name);
    let xs = tensors("stack", data)?;
    deliver(py, layout::stack(&xs, axis)?, out)
}

#[pyfunction]
#[pyo3(signature = (data, num_outputs, axis = 1, squeeze_axis = false, name = None))]
fn split(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    num_outputs: i64,
    axis: isize,
    squeeze_axis: bool,
    name: Option<&str>,
) -> PyResult<Py<PyAny>> {
    let _ = name;
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

nd_fn! {
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
    #[pyo3(signature = (data, axis, begin, end, out = None, name = None))]
    fn slice_axis(py, data: &Bound<'_, PyAny>, axis: isize, begin: isize, end: Option<isize>) {
        layout::slice_axis(&arg_tensor("slice_axis", data)?, axis, begin, end)?
    }
}

nd_fn! {
    #[pyo3(signature = (data, shape_like, axes = None, out = None, name = None))]
    fn slice_like(py, data: &Bound<'_, PyAny>, shape_like: &Bound<'_, PyAny>, axes: Option<&Bound<'_, PyAny>>) {
        let like = arg_tensor("slice_like", shape_like)?;
        let axes = axes_arg(axes)?.unwrap_or_default();
        layout::slice_like(&arg_tensor("slice_like", data)?, like.shape(), &axes)?
    }
}

nd_fn! {
    #[pyo3(signature = (data, reps, out = None, name = None))]
    fn tile(py, data: &Bound<'_, PyAny>, reps: &Bound<'_, PyAny>) {
        let reps = shape_arg("tile", reps)?;
        layout::tile(&arg_tensor("tile", data)?, &reps)?
    }
}

nd_fn! {
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
        run(py, target.iter().product(), || {
            ops::broadcast_to(&x, &target)
        })?
    }
}

nd_fn! {
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
    #[pyo3(signature = (data, axis, size, out = None, name = None))]
    fn broadcast_axis(py, data: &Bound<'_, PyAny>, axis: &Bound<'_, PyAny>, size: &Bound<'_, PyAny>) {
        let axes = axes_arg(Some(axis))?.unwrap_or_default();
        let sizes = shape_arg("broadcast_axis", size)?;
        layout::broadcast_axis(&arg_tensor("broadcast_axis", data)?, &axes, &sizes)?
    }
}

nd_fn! {
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
    #[pyo3(signature = (data, dim1 = 0, dim2 = 0, out = None, name = None))]
    fn swapaxes(py, data: &Bound<'_, PyAny>, dim1: isize, dim2: isize) {
        layout::swapaxes(&arg_tensor("swapaxes", data)?, dim1, dim2)?
    }
}

nd_fn! {
    #[pyo3(signature = (data, axis, out = None, name = None))]
    fn expand_dims(py, data: &Bound<'_, PyAny>, axis: isize) {
        layout::expand_dims(&arg_tensor("expand_dims", data)?, axis)?
    }
}

nd_fn! {
    #[pyo3(signature = (data, axis = None, out = None, name = None))]
    fn squeeze(py, data: &Bound<'_, PyAny>, axis: Option<&Bound<'_, PyAny>>) {
        let axes = axes_arg(axis)?;
        layout::squeeze(&arg_tensor("squeeze", data)?, axes.as_deref())?
    }
}

nd_fn! {
    #[pyo3(signature = (data, out = None, name = None))]
    fn flatten(py, data: &Bound<'_, PyAny>) {
        layout::flatten(&arg_tensor("flatten", data)?)?
    }
}

nd_fn! {
    #[pyo3(signature = (data, a_min, a_max, out = None, name = None))]
    fn clip(py, data: &Bound<'_, PyAny>, a_min: f64, a_max: f64) {
        let x = arg_tensor("clip", data)?;
        run(py, x.numel(), || ops::clip(&x, a_min, a_max))?
    }
}

nd_fn! {
    #[pyo3(name = "where", signature = (condition, x, y, out = None, name = None))]
    fn where_(py, condition: &Bound<'_, PyAny>, x: &Bound<'_, PyAny>, y: &Bound<'_, PyAny>) {
        let (c, a, b) = (
            arg_tensor("where", condition)?,
            arg_tensor("where", x)?,
            arg_tensor("where", y)?,
        );
        run(py, a.numel(), || ops::where_(&c, &a, &b))?
    }
}

nd_fn! {
    #[pyo3(signature = (a, indices, axis = 0, mode = "clip", out = None, name = None))]
    fn take(py, a: &Bound<'_, PyAny>, indices: &Bound<'_, PyAny>, axis: isize, mode: &str) {
        let idx = super::convert::tensor_from_any(indices, DType::F64)?;
        layout::take(&arg_tensor("take", a)?, &idx, axis, mode)?
    }
}

nd_fn! {
    #[pyo3(signature = (data, index, axis = -1, keepdims = false, mode = "clip", out = None, name = None))]
    fn pick(py, data: &Bound<'_, PyAny>, index: &Bound<'_, PyAny>, axis: isize, keepdims: bool, mode: &str) {
        let x = arg_tensor("pick", data)?;
        let idx = super::convert::tensor_from_any(index, x.dtype())?;
        layout::pick(&x, &idx, axis, keepdims, mode)?
    }
}

nd_fn! {
    #[pyo3(signature = (indices, depth, on_value = 1.0, off_value = 0.0, dtype = None, out = None, name = None))]
    fn one_hot(py, indices: &Bound<'_, PyAny>, depth: i64, on_value: f64, off_value: f64, dtype: Option<&Bound<'_, PyAny>>) {
        let idx = super::convert::tensor_from_any(indices, DType::F64)?;
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
    #[pyo3(signature = (data, indices, out = None, name = None))]
    fn gather_nd(py, data: &Bound<'_, PyAny>, indices: &Bound<'_, PyAny>) {
        let idx = super::convert::tensor_from_any(indices, DType::F64)?;
        layout::gather_nd(&arg_tensor("gather_nd", data)?, &idx)?
    }
}

nd_fn! {
    #[pyo3(signature = (data, indices, shape, out = None, name = None))]
    fn scatter_nd(py, data: &Bound<'_, PyAny>, indices: &Bound<'_, PyAny>, shape: &Bound<'_, PyAny>) {
        let idx = super::convert::tensor_from_any(indices, DType::F64)?;
        let shape = shape_arg("scatter_nd", shape)?;
        layout::scatter_nd(&arg_tensor("scatter_nd", data)?, &idx, &shape)?
    }
}

nd_fn! {
    #[pyo3(signature = (data, k = 0, axis1 = 0, axis2 = 1, out = None, name = None))]
    fn diag(py, data: &Bound<'_, PyAny>, k: isize, axis1: isize, axis2: isize) {
        layout::diag(&arg_tensor("diag", data)?, k, axis1, axis2)?
    }
}

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

nd_fn! {
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
    #[pyo3(signature = (data, axis = -1, temperature = None, out = None, name = None))]
    fn softmax(py, data: &Bound<'_, PyAny>, axis: isize, temperature: Option<f64>) {
        let x = arg_tensor("softmax", data)?;
        run(py, x.numel(), || {
            nn::softmax(&x, axis, temperature.unwrap_or(1.0))
        })?
    }
}

nd_fn! {
    #[pyo3(signature = (data, axis = -1, temperature = None, out = None, name = None))]
    fn log_softmax(py, data: &Bound<'_, PyAny>, axis: isize, temperature: Option<f64>) {
        let x = arg_tensor("log_softmax", data)?;
        run(py, x.numel(), || {
            nn::log_softmax(&x, axis, temperature.unwrap_or(1.0))
        })?
    }
}

nd_fn! {
    #[pyo3(name = "Activation", signature = (data, act_type, out = None, name = None))]
    fn activation(py, data: &Bound<'_, PyAny>, act_type: &str) {
        nn::activation(&arg_tensor("Activation", data)?, act_type)?
    }
}

#[pyfunction]
#[pyo3(name = "LeakyReLU", signature = (data, act_type = "leaky", slope = 0.25, gamma = None, out = None, name = None))]
#[allow(clippy::too_many_arguments)]
fn leaky_relu(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    act_type: &str,
    slope: f64,
    gamma: Option<&Bound<'_, PyAny>>,
    out: Out<'_, '_>,
    name: Option<&str>,
) -> PyResult<Py<PyAny>> {
    let _ = (name, gamma);
    deliver(
        py,
        nn::leaky_relu(&arg_tensor("LeakyReLU", data)?, act_type, slope)?,
        out,
    )
}

nd_fn! {
    #[pyo3(name = "FullyConnected", signature = (data, weight, bias = None, num_hidden = 0, no_bias = false, flatten = true, out = None, name = None))]
    fn fully_connected(py, data: &Bound<'_, PyAny>, weight: &Bound<'_, PyAny>, bias: Option<&Bound<'_, PyAny>>, num_hidden: usize, no_bias: bool, flatten: bool) {
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
    #[pyo3(name = "Dropout", signature = (data, p = 0.5, mode = "training", axes = None, out = None, name = None))]
    fn dropout(py, data: &Bound<'_, PyAny>, p: f64, mode: &str, axes: Option<&Bound<'_, PyAny>>) {
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
    #[pyo3(signature = (data, label, out = None, name = None))]
    fn softmax_cross_entropy(py, data: &Bound<'_, PyAny>, label: &Bound<'_, PyAny>) {
        let x = arg_tensor("softmax_cross_entropy", data)?;
        let l = super::convert::tensor_from_any(label, x.dtype())?;
        nn::softmax_cross_entropy(&x, &l)?
    }
}

nd_fn! {
    #[pyo3(signature = (data, scalar = 1.0, out = None, name = None))]
    fn smooth_l1(py, data: &Bound<'_, PyAny>, scalar: f64) {
        nn::smooth_l1(&arg_tensor("smooth_l1", data)?, scalar)?
    }
}

macro_rules! nan_reductions {
    ($($name:ident),*) => {$(
        #[pyfunction]
        #[pyo3(signature = (data, axis = None, keepdims = false, exclude = false, out = None, name = None))]
        fn $name(py: Python<'_>, data: &Bound<'_, PyAny>, axis: Option<&Bound<'_, PyAny>>, keepdims: bool, exclude: bool, out: Out<'_, '_>, name: Option<&str>) -> PyResult<Py<PyAny>> {
            let _ = name;
            let axes = axes_arg(axis)?;
            deliver(py, ops::reduce::$name(&arg_tensor(stringify!($name), data)?, axes.as_deref(), keepdims, exclude)?, out)
        }
    )*};
}
nan_reductions!(nansum, nanprod);

nd_fn! {
    #[pyo3(name = "sort", signature = (data, axis = Some(-1), is_ascend = true, out = None, name = None))]
    fn sort_(py, data: &Bound<'_, PyAny>, axis: Option<isize>, is_ascend: bool) {
        sort::sort(&arg_tensor("sort", data)?, axis, is_ascend)?
    }
}

nd_fn! {
    #[pyo3(signature = (data, axis = Some(-1), is_ascend = true, dtype = None, out = None, name = None))]
    fn argsort(py, data: &Bound<'_, PyAny>, axis: Option<isize>, is_ascend: bool, dtype: Option<&Bound<'_, PyAny>>) {
        let dt = parse_dtype(dtype, DType::F32)?;
        sort::argsort(&arg_tensor("argsort", data)?, axis, is_ascend, dt)?
    }
}

#[pyfunction]
#[pyo3(signature = (data, axis = Some(-1), k = 1, ret_typ = "indices", is_ascend = false, dtype = None, name = None))]
#[allow(clippy::too_many_arguments)]
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
    let _ = name;
    let dt = parse_dtype(dtype, DType::F32)?;
    Ok(
        match sort::topk(&arg_tensor("topk", data)?, axis, k, ret_typ, is_ascend, dt)? {
            sort::TopK::Value(v) | sort::TopK::Indices(v) | sort::TopK::Mask(v) => wrap(py, v)?,
            sort::TopK::Both(v, i) => PyList::new(py, [wrap(py, v)?, wrap(py, i)?])?
                .into_any()
                .unbind(),
        },
    )
}

#[pyfunction]
#[pyo3(signature = (a, b, transpose_a = false, transpose_b = false, alpha = 1.0, axis = -3, out = None, name = None))]
#[allow(clippy::too_many_arguments)]
fn linalg_gemm2(
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
    let _ = (name, axis);
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

nd_fn! {
    #[pyo3(signature = (a, out = None, name = None))]
    fn linalg_potrf(py, a: &Bound<'_, PyAny>) {
        ops::linalg::potrf(&arg_tensor("linalg.potrf", a)?)?
    }
}

nd_fn! {
    #[pyo3(signature = (a, b, transpose = false, rightside = false, lower = true, alpha = 1.0, out = None, name = None))]
    fn linalg_trsm(py, a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>, transpose: bool, rightside: bool, lower: bool, alpha: f64) {
        let (a, b) = (arg_tensor("linalg.trsm", a)?, arg_tensor("linalg.trsm", b)?);
        ops::linalg::trsm(&a, &b, transpose, rightside, lower, alpha)?
    }
}

#[pyfunction]
#[pyo3(signature = (low, high, shape, dtype = None))]
fn random_randint(
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

#[pyfunction]
#[pyo3(signature = (lam, shape, dtype = None))]
fn random_exponential(
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

#[pyfunction]
#[pyo3(signature = (alpha, beta, shape, dtype = None))]
fn random_gamma(
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

#[pyfunction]
#[pyo3(signature = (lam, shape, dtype = None))]
fn random_poisson(
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

#[pyfunction]
#[pyo3(signature = (data, count = 1, dtype = None))]
fn random_multinomial(
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

#[pyfunction]
fn random_shuffle(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    wrap(
        py,
        crate::ops::index::shuffle(&arg_tensor("random.shuffle", data)?)?,
    )
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    for f in [
        wrap_pyfunction!(concat, m)?,
        wrap_pyfunction!(stack, m)?,
        wrap_pyfunction!(split, m)?,
        wrap_pyfunction!(slice, m)?,
        wrap_pyfunction!(slice_axis, m)?,
        wrap_pyfunction!(slice_like, m)?,
        wrap_pyfunction!(tile, m)?,
        wrap_pyfunction!(repeat, m)?,
        wrap_pyfunction!(flip, m)?,
        wrap_pyfunction!(broadcast_to, m)?,
        wrap_pyfunction!(broadcast_like, m)?,
        wrap_pyfunction!(broadcast_axis, m)?,
        wrap_pyfunction!(reshape_like, m)?,
        wrap_pyfunction!(swapaxes, m)?,
        wrap_pyfunction!(expand_dims, m)?,
        wrap_pyfunction!(squeeze, m)?,
        wrap_pyfunction!(flatten, m)?,
        wrap_pyfunction!(clip, m)?,
        wrap_pyfunction!(where_, m)?,
        wrap_pyfunction!(take, m)?,
        wrap_pyfunction!(pick, m)?,
        wrap_pyfunction!(one_hot, m)?,
        wrap_pyfunction!(gather_nd, m)?,
        wrap_pyfunction!(scatter_nd, m)?,
        wrap_pyfunction!(diag, m)?,
        wrap_pyfunction!(eye, m)?,
        wrap_pyfunction!(linspace, m)?,
        wrap_pyfunction!(pad, m)?,
        wrap_pyfunction!(softmax, m)?,
        wrap_pyfunction!(log_softmax, m)?,
        wrap_pyfunction!(activation, m)?,
        wrap_pyfunction!(leaky_relu, m)?,
        wrap_pyfunction!(fully_connected, m)?,
        wrap_pyfunction!(dropout, m)?,
        wrap_pyfunction!(softmax_cross_entropy, m)?,
        wrap_pyfunction!(smooth_l1, m)?,
        wrap_pyfunction!(nansum, m)?,
        wrap_pyfunction!(nanprod, m)?,
        wrap_pyfunction!(sort_, m)?,
        wrap_pyfunction!(argsort, m)?,
        wrap_pyfunction!(topk, m)?,
        wrap_pyfunction!(linalg_gemm2, m)?,
        wrap_pyfunction!(linalg_potrf, m)?,
        wrap_pyfunction!(linalg_trsm, m)?,
        wrap_pyfunction!(random_randint, m)?,
        wrap_pyfunction!(random_exponential, m)?,
        wrap_pyfunction!(random_gamma, m)?,
        wrap_pyfunction!(random_poisson, m)?,
        wrap_pyfunction!(random_multinomial, m)?,
        wrap_pyfunction!(random_shuffle, m)?,
    ] {
        m.add_function(f)?;
    }
    Ok(())
}
