//! `ferrograd._core` functions behind `ferrograd.nd`: each unpacks its arguments, calls one
//! engine op and wraps the result. Elementwise math is declared once here, as both an `nd`
//! function and an NDArray method.

use super::convert::{axes_arg, operand, parse_dtype, run, shape_arg, Operand};
use super::ndarray::PyNDArray;
use crate::dtype::DType;
use crate::error::{invalid, type_err, Result as EResult};
use crate::graph::Tensor;
use crate::ops;
use crate::shape::{check_alloc, Shape};
use pyo3::prelude::*;

/// Writes `result` into `out` when given (MXNet's `out=`), else wraps it.
pub(super) fn deliver(
    py: Python<'_>,
    result: Tensor,
    out: Option<&Bound<'_, PyNDArray>>,
) -> PyResult<Py<PyAny>> {
    match out {
        None => Ok(Py::new(py, PyNDArray::from_tensor(result))?.into_any()),
        Some(o) => {
            let mut dst = o.borrow_mut();
            if dst.inner().shape() != result.shape() || dst.inner().dtype() != result.dtype() {
                return Err(invalid(
                    "out",
                    format!(
                        "out= has shape {} ({}) but the result has shape {} ({})",
                        crate::shape::fmt_tuple(dst.inner().shape()),
                        dst.inner().dtype(),
                        crate::shape::fmt_tuple(result.shape()),
                        result.dtype()
                    ),
                )
                .into());
            }
            dst.inner_mut().assign(&result)?;
            Ok(o.clone().into_any().unbind())
        }
    }
}

pub(super) fn arg_tensor(op: &'static str, obj: &Bound<'_, PyAny>) -> PyResult<Tensor> {
    match operand(obj) {
        Some(Operand::Array(t)) => Ok(t),
        _ => Err(type_err(
            op,
            format!("expected an NDArray, got {}", obj.get_type().name()?),
        )
        .into()),
    }
}

macro_rules! unary_bindings {
    ($($name:ident),* $(,)?) => {
        mod unary_fns {
            use super::*;
            $(
                #[pyfunction]
                #[pyo3(signature = (data, out = None, name = None))]
                pub fn $name(py: Python<'_>, data: &Bound<'_, PyAny>, out: Option<&Bound<'_, PyNDArray>>, name: Option<&str>) -> PyResult<Py<PyAny>> {
                    let _ = name;
                    let x = arg_tensor(stringify!($name), data)?;
                    let y = run(py, x.numel(), || ops::elementwise::$name(&x))?;
                    deliver(py, y, out)
                }
            )*
            pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
                $( m.add_function(wrap_pyfunction!($name, m)?)?; )*
                Ok(())
            }
        }

        #[pymethods]
        impl PyNDArray {
            $(
                fn $name(&self, py: Python<'_>) -> PyResult<PyNDArray> {
                    let x = self.inner().tensor();
                    Ok(PyNDArray::from_tensor(run(py, x.numel(), || ops::elementwise::$name(&x))?))
                }
            )*
        }
    };
}

unary_bindings!(
    negative,
    abs,
    sign,
    reciprocal,
    square,
    sqrt,
    rsqrt,
    cbrt,
    exp,
    expm1,
    log,
    log1p,
    log2,
    log10,
    sin,
    cos,
    tan,
    arcsin,
    arccos,
    arctan,
    sinh,
    cosh,
    tanh,
    arcsinh,
    arccosh,
    arctanh,
    sigmoid,
    relu,
    softsign,
    erf,
    gammaln,
    floor,
    ceil,
    round,
    rint,
    fix,
    trunc,
    degrees,
    radians,
    logical_not,
);

type ArrayFn = fn(&Tensor, &Tensor) -> EResult<Tensor>;
type ScalarFn = fn(&Tensor, f64) -> EResult<Tensor>;

/// An elementwise binary function where either side may be a scalar (`nd.add(2, x)`).
fn binary(
    py: Python<'_>,
    lhs: &Bound<'_, PyAny>,
    rhs: &Bound<'_, PyAny>,
    f: ArrayFn,
    s: ScalarFn,
    rs: ScalarFn,
    name: &'static str,
) -> PyResult<Py<PyAny>> {
    let y = match (operand(lhs), operand(rhs)) {
        (Some(Operand::Array(a)), Some(Operand::Array(b))) => {
            run(py, a.numel().max(b.numel()), || f(&a, &b))?
        }
        (Some(Operand::Array(a)), Some(Operand::Scalar(v))) => run(py, a.numel(), || s(&a, v))?,
        (Some(Operand::Scalar(v)), Some(Operand::Array(b))) => run(py, b.numel(), || rs(&b, v))?,
        _ => {
            return Err(type_err(
                name,
                format!(
                    "expected NDArrays or numbers, got {} and {}",
                    lhs.get_type().name()?,
                    rhs.get_type().name()?
                ),
            )
            .into())
        }
    };
    deliver(py, y, None)
}

fn sub_scalar(x: &Tensor, s: f64) -> EResult<Tensor> {
    ops::add_scalar(x, -s)
}
fn rdiv(x: &Tensor, s: f64) -> EResult<Tensor> {
    ops::rdiv_scalar(x, s)
}
fn flip<const OP: u8>(x: &Tensor, s: f64) -> EResult<Tensor> {
    // s OP x for comparisons: s < x is x > s, and so on.
    match OP {
        b'<' => ops::greater_scalar(x, s),
        b'>' => ops::lesser_scalar(x, s),
        b'l' => ops::greater_equal_scalar(x, s),
        b'g' => ops::lesser_equal_scalar(x, s),
        _ => ops::equal_scalar(x, s),
    }
}

macro_rules! binary_bindings {
    ($($name:ident => ($f:expr, $s:expr, $rs:expr)),* $(,)?) => {
        mod binary_fns {
            use super::*;
            $(
                #[pyfunction]
                #[pyo3(signature = (lhs, rhs, out = None, name = None))]
                pub fn $name(py: Python<'_>, lhs: &Bound<'_, PyAny>, rhs: &Bound<'_, PyAny>, out: Option<&Bound<'_, PyNDArray>>, name: Option<&str>) -> PyResult<Py<PyAny>> {
                    let _ = name;
                    let r = binary(py, lhs, rhs, $f, $s, $rs, stringify!($name))?;
                    match out {
                        None => Ok(r),
                        Some(o) => {
                            let t = r.bind(py).cast::<PyNDArray>()?.borrow().inner().tensor();
                            deliver(py, t, Some(o))
                        }
                    }
                }
            )*
            pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
                $( m.add_function(wrap_pyfunction!($name, m)?)?; )*
                Ok(())
            }
        }
    };
}

binary_bindings!(
    add => (ops::add, ops::add_scalar, ops::add_scalar),
    subtract => (ops::sub, sub_scalar, ops::rsub_scalar),
    multiply => (ops::mul, ops::mul_scalar, ops::mul_scalar),
    divide => (ops::div, ops::div_scalar, rdiv),
    power => (ops::power, ops::pow_scalar, ops::rpow_scalar),
    equal => (ops::equal, ops::equal_scalar, ops::equal_scalar),
    not_equal => (ops::not_equal, ops::not_equal_scalar, ops::not_equal_scalar),
    greater => (ops::greater, ops::greater_scalar, flip::<b'>'>),
    greater_equal => (ops::greater_equal, ops::greater_equal_scalar, flip::<b'g'>),
    lesser => (ops::lesser, ops::lesser_scalar, flip::<b'<'>),
    lesser_equal => (ops::lesser_equal, ops::lesser_equal_scalar, flip::<b'l'>),
    maximum => (ops::maximum, ops::maximum_scalar, ops::maximum_scalar),
    minimum => (ops::minimum, ops::minimum_scalar, ops::minimum_scalar),
    hypot => (ops::hypot, ops::hypot_scalar, ops::hypot_scalar),
    arctan2 => (ops::arctan2, arctan2_scalar, rarctan2_scalar),
    modulo => (ops::modulo, ops::mod_scalar, ops::rmod_scalar),
    logical_and => (ops::logical_and, ops::logical_and_scalar, ops::logical_and_scalar),
    logical_or => (ops::logical_or, ops::logical_or_scalar, ops::logical_or_scalar),
    logical_xor => (ops::logical_xor, ops::logical_xor_scalar, ops::logical_xor_scalar),
);

fn arctan2_scalar(x: &Tensor, s: f64) -> EResult<Tensor> {
    ops::arctan2(x, &Tensor::filled(smallvec::smallvec![1], x.dtype(), s))
}
fn rarctan2_scalar(x: &Tensor, s: f64) -> EResult<Tensor> {
    ops::arctan2(&Tensor::filled(smallvec::smallvec![1], x.dtype(), s), x)
}

nd_fn! {
    #[pyo3(signature = (lhs, rhs, transpose_a = false, transpose_b = false, out = None, name = None))]
    fn dot(py, lhs: &Bound<'_, PyAny>, rhs: &Bound<'_, PyAny>, transpose_a: bool, transpose_b: bool) {
        let (a, b) = (arg_tensor("dot", lhs)?, arg_tensor("dot", rhs)?);
        run(py, a.numel().max(b.numel()), || {
            ops::linalg::dot(&a, &b, transpose_a, transpose_b)
        })?
    }
}

nd_fn! {
    #[pyo3(signature = (lhs, rhs, transpose_a = false, transpose_b = false, out = None, name = None))]
    fn batch_dot(py, lhs: &Bound<'_, PyAny>, rhs: &Bound<'_, PyAny>, transpose_a: bool, transpose_b: bool) {
        let (a, b) = (arg_tensor("batch_dot", lhs)?, arg_tensor("batch_dot", rhs)?);
        run(py, a.numel().max(b.numel()), || {
            ops::linalg::batch_dot(&a, &b, transpose_a, transpose_b)
        })?
    }
}

macro_rules! reduce_bindings {
    ($($name:ident),*) => {
        mod reduce_fns {
            use super::*;
            $(
                #[pyfunction]
                #[pyo3(signature = (data, axis = None, keepdims = false, exclude = false, out = None, name = None))]
                pub fn $name(py: Python<'_>, data: &Bound<'_, PyAny>, axis: Option<&Bound<'_, PyAny>>, keepdims: bool, exclude: bool, out: Option<&Bound<'_, PyNDArray>>, name: Option<&str>) -> PyResult<Py<PyAny>> {
                    let _ = name;
                    let x = arg_tensor(stringify!($name), data)?;
                    let axes = axes_arg(axis)?;
                    let y = run(py, x.numel(), || ops::$name(&x, axes.as_deref(), keepdims, exclude))?;
                    deliver(py, y, out)
                }
            )*
            pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
                $( m.add_function(wrap_pyfunction!($name, m)?)?; )*
                Ok(())
            }
        }

        #[pymethods]
        impl PyNDArray {
            $(
                #[pyo3(signature = (axis = None, keepdims = false, exclude = false))]
                fn $name(&self, py: Python<'_>, axis: Option<&Bound<'_, PyAny>>, keepdims: bool, exclude: bool) -> PyResult<PyNDArray> {
                    let axes = axes_arg(axis)?;
                    let x = self.inner().tensor();
                    Ok(PyNDArray::from_tensor(run(py, x.numel(), || ops::$name(&x, axes.as_deref(), keepdims, exclude))?))
                }
            )*
        }
    };
}
reduce_bindings!(sum, mean, max, min, prod);

nd_fn! {
    #[pyo3(signature = (data, ord = 2, axis = None, keepdims = false, out = None, name = None))]
    fn norm(py, data: &Bound<'_, PyAny>, ord: i32, axis: Option<&Bound<'_, PyAny>>, keepdims: bool) {
        let x = arg_tensor("norm", data)?;
        let axes = axes_arg(axis)?;
        let y = run(py, x.numel(), || {
            ops::norm(&x, ord, axes.as_deref(), keepdims)
        })?;
        y
    }
}

macro_rules! arg_extremum_bindings {
    ($($name:ident => $smallest:expr),*) => {$(
        #[pyfunction]
        #[pyo3(signature = (data, axis = None, keepdims = false, out = None, name = None))]
        fn $name(py: Python<'_>, data: &Bound<'_, PyAny>, axis: Option<isize>, keepdims: bool, out: Option<&Bound<'_, PyNDArray>>, name: Option<&str>) -> PyResult<Py<PyAny>> {
            let _ = name;
            let x = arg_tensor(stringify!($name), data)?;
            deliver(py, ops::arg_extremum(&x.detach(), axis, keepdims, $smallest)?, out)
        }
    )*};
}
arg_extremum_bindings!(argmax => false, argmin => true);

nd_fn! {
    #[pyo3(signature = (data, axes = None, out = None, name = None))]
    fn transpose(py, data: &Bound<'_, PyAny>, axes: Option<&Bound<'_, PyAny>>) {
        let x = arg_tensor("transpose", data)?;
        let axes = axes_arg(axes)?.filter(|a| !a.is_empty());
        let y = run(py, x.numel(), || ops::transpose(&x, axes.as_deref()))?;
        y
    }
}

/// An array of `shape` filled with `value` (zeros, ones, full, empty).
#[pyfunction]
#[pyo3(signature = (shape, value, dtype = None))]
fn full(
    py: Python<'_>,
    shape: &Bound<'_, PyAny>,
    value: f64,
    dtype: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyNDArray> {
    let shape = shape_arg("full", shape)?;
    let dtype = parse_dtype(dtype, DType::F32)?;
    let n = check_alloc("full", &shape, dtype)?;
    Ok(PyNDArray::from_tensor(run(py, n, || {
        Tensor::filled(shape, dtype, value)
    })))
}

/// MXNet's arange: values start, start+step, ... below stop, each repeated `repeat` times.
#[pyfunction]
#[pyo3(signature = (start, stop = None, step = 1.0, repeat = 1, dtype = None))]
fn arange(
    start: f64,
    stop: Option<f64>,
    step: f64,
    repeat: i64,
    dtype: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyNDArray> {
    let (start, stop) = match stop {
        Some(stop) => (start, stop),
        None => (0.0, start),
    };
    if step == 0.0 || !step.is_finite() {
        return Err(invalid(
            "arange",
            format!("step must be a non-zero finite number, got {}", step),
        )
        .into());
    }
    if repeat < 1 {
        return Err(invalid("arange", format!("repeat must be >= 1, got {}", repeat)).into());
    }
    let dtype = parse_dtype(dtype, DType::F32)?;
    let count = ((stop - start) / step).ceil().max(0.0);
    if !count.is_finite() {
        return Err(invalid("arange", "start, stop and step must be finite").into());
    }
    let n = (count as usize).saturating_mul(repeat as usize);
    check_alloc("arange", &[n], dtype)?;
    let values: Vec<f64> = (0..count as usize)
        .flat_map(|i| std::iter::repeat_n(start + i as f64 * step, repeat as usize))
        .collect();
    let t = crate::with_dtype!(dtype, T => Tensor::from_vec(values.into_iter().map(<T as crate::dtype::Element>::from_f64).collect::<Vec<T>>(), smallvec::smallvec![n]));
    Ok(PyNDArray::from_tensor(t))
}

/// An NDArray holding a copy of a NumPy array (or anything `numpy.asarray` accepts).
#[pyfunction]
#[pyo3(signature = (data, dtype = None))]
fn from_numpy(data: &Bound<'_, PyAny>, dtype: Option<&Bound<'_, PyAny>>) -> PyResult<PyNDArray> {
    let dtype = parse_dtype(dtype, DType::F32)?;
    Ok(PyNDArray::from_tensor(super::convert::from_numpy(
        data, dtype,
    )?))
}

#[pyfunction]
#[pyo3(signature = (loc, scale, shape, dtype = None))]
fn random_normal(
    py: Python<'_>,
    loc: f64,
    scale: f64,
    shape: &Bound<'_, PyAny>,
    dtype: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyNDArray> {
    let shape: Shape = shape_arg("random.normal", shape)?;
    let dtype = parse_dtype(dtype, DType::F32)?;
    let n = check_alloc("random.normal", &shape, dtype)?;
    Ok(PyNDArray::from_tensor(run(py, n, || {
        crate::random::normal(loc, scale, shape, dtype).map(Tensor::from)
    })?))
}

#[pyfunction]
#[pyo3(signature = (low, high, shape, dtype = None))]
fn random_uniform(
    py: Python<'_>,
    low: f64,
    high: f64,
    shape: &Bound<'_, PyAny>,
    dtype: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyNDArray> {
    let shape: Shape = shape_arg("random.uniform", shape)?;
    let dtype = parse_dtype(dtype, DType::F32)?;
    let n = check_alloc("random.uniform", &shape, dtype)?;
    Ok(PyNDArray::from_tensor(run(py, n, || {
        crate::random::uniform(low, high, shape, dtype).map(Tensor::from)
    })?))
}

#[pyfunction]
fn random_seed(seed: u64) {
    crate::random::seed(seed);
}

#[pyfunction]
fn cpu() -> super::ndarray::Context {
    super::ndarray::cpu()
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    super::nd_ops::register(m)?;
    unary_fns::register(m)?;
    binary_fns::register(m)?;
    reduce_fns::register(m)?;
    for f in [
        wrap_pyfunction!(dot, m)?,
        wrap_pyfunction!(batch_dot, m)?,
        wrap_pyfunction!(norm, m)?,
        wrap_pyfunction!(argmax, m)?,
        wrap_pyfunction!(argmin, m)?,
        wrap_pyfunction!(transpose, m)?,
        wrap_pyfunction!(full, m)?,
        wrap_pyfunction!(arange, m)?,
        wrap_pyfunction!(from_numpy, m)?,
        wrap_pyfunction!(random_normal, m)?,
        wrap_pyfunction!(random_uniform, m)?,
        wrap_pyfunction!(random_seed, m)?,
        wrap_pyfunction!(cpu, m)?,
    ] {
        m.add_function(f)?;
    }
    Ok(())
}
