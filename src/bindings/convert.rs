//! Conversions between Python objects and engine values: dtypes, shapes, axes, NumPy arrays,
//! and the operands of arithmetic (arrays or Python scalars).

use super::pyarray::PyNDArray;
use crate::dtype::{DType, Element};
use crate::error::{dtype_err, invalid, type_err};
use crate::graph::Tensor;
use crate::kernels::PAR_MIN_ELEMS;
use crate::shape::Shape;
use numpy::{PyArray1, PyArrayDyn, PyArrayMethods, PyUntypedArrayMethods};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyFloat, PyInt, PyList, PyTuple};
use std::sync::OnceLock;

/// Runs an op: without the GIL when the work is large enough to be worth the release, and
/// interruptible by Ctrl-C on Python's main thread when it may take long (`process`). `f` may
/// run more than once (a user's SIGINT handler that does not raise): it must only compute.
pub fn run<T: Send>(
    py: Python<'_>,
    elems: usize,
    f: impl Fn() -> crate::error::Result<T> + Sync + Send,
) -> PyResult<T> {
    if elems < PAR_MIN_ELEMS {
        Ok(f()?)
    } else if elems < super::process::INTERRUPTIBLE_ELEMS {
        Ok(py.detach(f)?)
    } else {
        super::process::interruptible(py, f)
    }
}

/// The dtype named by a string, a NumPy type or dtype, or None (the default).
pub fn parse_dtype(obj: Option<&Bound<'_, PyAny>>, default: DType) -> PyResult<DType> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(default);
    };
    let name: String = match obj.extract::<String>() {
        Ok(s) => s,
        Err(_) => {
            let np = obj.py().import("numpy")?;
            np.call_method1("dtype", (obj,))
                .and_then(|d| d.getattr("name"))
                .and_then(|n| n.extract::<String>())
                .map_err(|_| PyErr::from(dtype_err("dtype", format!("{} is not a dtype", obj))))?
        }
    };
    DType::from_name(&name).ok_or_else(|| {
        dtype_err(
            "dtype",
            format!(
                "unsupported dtype '{}': use float32, float64, float16, int32, int64, uint8 or int8",
                name
            ),
        )
        .into()
    })
}

/// The NumPy scalar type for a dtype (what MXNet's `.dtype` returns, e.g. `numpy.float32`).
pub fn dtype_object(py: Python<'_>, dtype: DType) -> PyResult<Bound<'_, PyAny>> {
    // In `DType`'s order.
    static TYPES: OnceLock<[Py<PyAny>; 7]> = OnceLock::new();
    let idx = dtype as usize;
    if let Some(t) = TYPES.get() {
        return Ok(t[idx].bind(py).clone());
    }
    let np = py.import("numpy")?;
    let types = [
        np.getattr("float32")?.unbind(),
        np.getattr("float64")?.unbind(),
        np.getattr("float16")?.unbind(),
        np.getattr("int32")?.unbind(),
        np.getattr("int64")?.unbind(),
        np.getattr("uint8")?.unbind(),
        np.getattr("int8")?.unbind(),
    ];
    // Another thread may have filled the table meanwhile: either table holds the same types.
    Ok(TYPES.get_or_init(|| types)[idx].bind(py).clone())
}

/// A copy of the tensor as a NumPy array of the same dtype and shape.
pub fn to_numpy<'py>(py: Python<'py>, t: &crate::value::Value) -> PyResult<Bound<'py, PyAny>> {
    let dims: Vec<usize> = t.shape().to_vec();
    crate::with_dtype!(t.dtype(), T => {
        let v = t.data::<T>()?.to_vec();
        Ok(PyArray1::from_vec(py, v).reshape(dims)?.into_any())
    })
}

/// A tensor holding a copy of a NumPy array (any layout; converted to `dtype`).
pub fn from_numpy(obj: &Bound<'_, PyAny>, dtype: DType) -> PyResult<Tensor> {
    let py = obj.py();
    let np = py.import("numpy")?;
    let arr = np.call_method1("asarray", (obj,)).map_err(|e| {
        PyErr::from(invalid(
            "array",
            format!("cannot make an array from this {}: {}", type_name(obj), e),
        ))
    })?;
    // Numbers only: NumPy would turn None into NaN, and strings, objects or complex numbers
    // into errors of its own (or silently drop the imaginary part).
    let kind: String = arr.getattr("dtype")?.getattr("kind")?.extract()?;
    if !matches!(kind.as_str(), "b" | "i" | "u" | "f") {
        return Err(type_err(
            "array",
            format!(
                "expected numbers (an NDArray, a NumPy array, a list or a number), got {} \
                 (NumPy dtype {})",
                type_name(obj),
                arr.getattr("dtype")?
            ),
        )
        .into());
    }
    // C order and aligned: `ascontiguousarray` keeps a misaligned buffer (np.frombuffer with an
    // odd offset) as it is, and a misaligned slice cannot be read.
    let arr = np.call_method1("require", (arr, dtype.name(), ("C", "A")))?;
    fn copy<T: Element + numpy::Element>(arr: &Bound<'_, PyAny>) -> PyResult<Tensor> {
        let a = arr.cast::<PyArrayDyn<T>>()?;
        let ro = a.readonly();
        // A scalar stays 0-d (shape ()), as `mx.nd.array(3.5)` is in MXNet 1.9.1.
        let shape: Shape = Shape::from_slice(ro.shape());
        let data = ro
            .as_slice()
            .map_err(|e| PyTypeError::new_err(e.to_string()))?
            .to_vec();
        Ok(Tensor::from_vec(data, shape))
    }
    match dtype {
        DType::F32 => copy::<f32>(&arr),
        DType::F64 => copy::<f64>(&arr),
        DType::I32 => copy::<i32>(&arr),
        DType::I64 => copy::<i64>(&arr),
        DType::U8 => copy::<u8>(&arr),
        DType::F16 => copy::<crate::dtype::f16>(&arr),
        DType::I8 => copy::<i8>(&arr),
    }
}

/// The right-hand side of arithmetic: an array or a Python (or NumPy) scalar.
pub enum Operand {
    Array(Tensor),
    Scalar(f64),
}

/// Reads an operand; `None` for types arithmetic does not accept (Python then tries the other
/// side, and finally raises TypeError).
pub fn operand(obj: &Bound<'_, PyAny>) -> Option<Operand> {
    if let Ok(a) = obj.cast::<PyNDArray>() {
        return Some(Operand::Array(a.borrow().inner().tensor()));
    }
    if obj.is_instance_of::<PyFloat>()
        || obj.is_instance_of::<PyInt>()
        || obj.is_instance_of::<PyBool>()
    {
        return obj.extract::<f64>().ok().map(Operand::Scalar);
    }
    // NumPy scalars (np.float32(2), np.int64(3)) behave like Python numbers.
    let is_np_scalar = obj
        .get_type()
        .getattr("__module__")
        .ok()
        .and_then(|m| m.extract::<String>().ok())
        .is_some_and(|m| m == "numpy")
        && obj.hasattr("dtype").unwrap_or(false)
        && obj
            .getattr("ndim")
            .ok()
            .and_then(|n| n.extract::<usize>().ok())
            == Some(0);
    if is_np_scalar {
        return obj.extract::<f64>().ok().map(Operand::Scalar);
    }
    None
}

/// An array-like for places that accept any data (head gradients, assigned values): an
/// NDArray as it is, anything else through NumPy in `dtype`.
pub fn tensor_from_any(obj: &Bound<'_, PyAny>, dtype: DType) -> PyResult<Tensor> {
    if let Ok(a) = obj.cast::<PyNDArray>() {
        return Ok(a.borrow().inner().tensor());
    }
    from_numpy(obj, dtype)
}

/// An `axis` argument: None, an int, or a tuple/list of ints.
pub fn axes_arg(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Vec<isize>>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(None);
    };
    if let Ok(a) = obj.extract::<isize>() {
        return Ok(Some(vec![a]));
    }
    if obj.is_instance_of::<PyTuple>() || obj.is_instance_of::<PyList>() {
        return Ok(Some(obj.extract::<Vec<isize>>().map_err(|_| {
            PyErr::from(invalid(
                "axis",
                format!("axis must be an int or a tuple of ints, got {}", obj),
            ))
        })?));
    }
    Err(invalid(
        "axis",
        format!("axis must be an int or a tuple of ints, got {}", obj),
    )
    .into())
}

/// A shape argument: an int or a tuple/list of non-negative ints.
pub fn shape_arg(op: &'static str, obj: &Bound<'_, PyAny>) -> PyResult<Shape> {
    let dims: Vec<i64> = if let Ok(d) = obj.extract::<i64>() {
        vec![d]
    } else {
        obj.extract::<Vec<i64>>().map_err(|_| {
            PyErr::from(invalid(
                op,
                format!(
                    "shape must be an int or a tuple of ints, got {}",
                    obj.repr().map(|r| r.to_string()).unwrap_or_default()
                ),
            ))
        })?
    };
    if let Some(d) = dims.iter().find(|&&d| d < 0) {
        return Err(invalid(op, format!("negative dimension {} in shape {:?}", d, dims)).into());
    }
    Ok(dims.into_iter().map(|d| d as usize).collect())
}

/// Writes `result` into `out` when given (MXNet's `out=`), else wraps it.
pub fn deliver(
    py: Python<'_>,
    result: Tensor,
    out: Option<&Bound<'_, PyNDArray>>,
) -> PyResult<Py<PyAny>> {
    let Some(o) = out else {
        return wrap(py, result);
    };
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

/// A new NDArray holding `t`.
pub fn wrap(py: Python<'_>, t: Tensor) -> PyResult<Py<PyAny>> {
    Ok(Py::new(py, PyNDArray::from_tensor(t))?.into_any())
}

/// An argument that must be an NDArray.
pub fn arg_tensor(op: &'static str, obj: &Bound<'_, PyAny>) -> PyResult<Tensor> {
    match operand(obj) {
        Some(Operand::Array(t)) => Ok(t),
        _ => Err(type_err(
            op,
            format!("expected an NDArray, got {}", obj.get_type().name()?),
        )
        .into()),
    }
}

/// NDArray arguments given either as several arguments or as one list: `concat(a, b)` and
/// `concat([a, b])` both work.
pub fn tensors(op: &'static str, items: &Bound<'_, PyTuple>) -> PyResult<Vec<Tensor>> {
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

/// A flag argument (`keepdims`, `exclude`, `transpose_a`, ...): what MXNet's parameter
/// parser accepts, i.e. a bool (Python's or NumPy's), the integers 0 and 1 (`keepdims=1` is
/// common in MXNet code) and the strings "True"/"False"/"1"/"0". Anything else (2, 1.0, None)
/// is an InvalidArgumentError naming the parameter, as in MXNet, rather than a truthiness
/// guess. Parameters use it through `flags`: `#[pyo3(from_py_with = flags::keepdims)]`.
pub fn flag(name: &'static str, obj: &Bound<'_, PyAny>) -> PyResult<bool> {
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(b.is_true());
    }
    // NumPy's bool_ is no PyBool, and NumPy 2 gave it no __index__.
    let ty = obj.get_type();
    if ty.name().is_ok_and(|n| n == "bool" || n == "bool_")
        && ty.module().is_ok_and(|m| m == "numpy")
    {
        return obj.is_truthy();
    }
    if !obj.is_instance_of::<PyFloat>() {
        // NumPy's integers are no PyInt; they convert through __index__.
        if let Ok(i) = obj
            .call_method0("__index__")
            .and_then(|i| i.extract::<i64>())
        {
            match i {
                0 => return Ok(false),
                1 => return Ok(true),
                _ => {}
            }
        }
    }
    if let Ok(s) = obj.extract::<String>() {
        match s.as_str() {
            "True" | "true" | "1" => return Ok(true),
            "False" | "false" | "0" => return Ok(false),
            _ => {}
        }
    }
    Err(invalid(
        name,
        format!(
            "must be a boolean (True/False or 1/0), got {}",
            obj.repr().map(|r| r.to_string()).unwrap_or_default()
        ),
    )
    .into())
}

/// One extractor per flag parameter name (`from_py_with` passes only the object), so that an
/// error names the parameter.
pub mod flags {
    use pyo3::prelude::*;
    macro_rules! flag_params {
        ($($name:ident),* $(,)?) => {$(
            pub fn $name(obj: &Bound<'_, PyAny>) -> PyResult<bool> {
                super::flag(stringify!($name), obj)
            }
        )*};
    }
    flag_params!(
        keepdims,
        exclude,
        transpose_a,
        transpose_b,
        squeeze_axis,
        endpoint,
        no_bias,
        flatten,
        is_ascend,
        transpose,
        rightside,
        lower,
        always_copy,
        copy,
        retain_graph,
        train_mode,
        create_graph,
        inplace,
        use_length,
        allow_unused
    );
}

/// A size argument: a negative one is an InvalidArgumentError naming it (a bare usize
/// parameter would raise OverflowError).
pub fn count(op: &'static str, what: &str, v: i64) -> PyResult<usize> {
    usize::try_from(v).map_err(|_| invalid(op, format!("{} must be >= 0, got {}", what, v)).into())
}

/// A list of optional ints (slice bounds, where None means "to the end").
pub fn opt_isize_list(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<Option<isize>>> {
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

/// The Python type name of `obj`, for messages.
fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".into())
}
