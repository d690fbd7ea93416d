//! The Python classes: `NDArray` (a thin shell over `array::NDArray`) and `Context`. Their
//! Python methods live with what they do: operators, indexing and conversions in
//! `ndarray.rs`, the fluent `nd` methods beside each `nd` function.

use crate::array::NDArray;
use crate::error::invalid;
use crate::graph::Tensor;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

#[pyclass(name = "Context", module = "ferrograd.context", frozen, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Context {
    #[pyo3(get)]
    device_type: String,
    #[pyo3(get)]
    device_id: i32,
}

#[pymethods]
impl Context {
    #[new]
    #[pyo3(signature = (device_type = "cpu", device_id = 0))]
    fn new(device_type: &str, device_id: i32) -> PyResult<Context> {
        if device_type != "cpu" && device_type != "cpu_pinned" {
            return Err(invalid(
                "Context",
                format!(
                    "ferrograd runs on the CPU only; device '{}' is not available",
                    device_type
                ),
            )
            .into());
        }
        Ok(Context {
            device_type: "cpu".into(),
            device_id,
        })
    }
    fn __repr__(&self) -> String {
        format!("{}({})", self.device_type, self.device_id)
    }
    fn __str__(&self) -> String {
        self.__repr__()
    }
    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }
    #[pyo3(signature = (*_args))]
    fn __exit__(&self, _args: &Bound<'_, PyTuple>) -> bool {
        false
    }
}

pub fn cpu() -> Context {
    Context {
        device_type: "cpu".into(),
        device_id: 0,
    }
}

#[pyclass(name = "NDArray", module = "ferrograd.ndarray", weakref)]
pub struct PyNDArray {
    pub(super) a: NDArray,
}

impl PyNDArray {
    pub fn new(a: NDArray) -> PyNDArray {
        PyNDArray { a }
    }
    pub fn from_tensor(t: Tensor) -> PyNDArray {
        PyNDArray {
            a: NDArray::from_tensor(t),
        }
    }
    pub fn inner(&self) -> &NDArray {
        &self.a
    }
    pub fn inner_mut(&mut self) -> &mut NDArray {
        &mut self.a
    }
}
