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
        let device_type = match device_type {
            "cpu" | "cpu_pinned" | "cpu_shared" => "cpu",
            // As MXNet on a machine without GPUs: the context exists, arrays cannot go there.
            "gpu" => "gpu",
            other => {
                return Err(invalid(
                    "Context",
                    format!("unknown device type '{}': use 'cpu' or 'gpu'", other),
                )
                .into())
            }
        };
        Ok(Context {
            device_type: device_type.into(),
            device_id,
        })
    }

    /// MXNet's numbering of device types: 1 for the CPU, 2 for a GPU.
    #[getter]
    fn device_typeid(&self) -> i32 {
        if self.device_type == "gpu" {
            2
        } else {
            1
        }
    }
    fn __repr__(&self) -> String {
        format!("{}({})", self.device_type, self.device_id)
    }
    fn __str__(&self) -> String {
        self.__repr__()
    }
    fn __enter__(slf: Py<Self>, py: Python<'_>) -> PyResult<Py<Self>> {
        slf.borrow(py).check_usable("with")?;
        Ok(slf)
    }
    #[pyo3(signature = (*_args))]
    fn __exit__(&self, _args: &Bound<'_, PyTuple>) -> bool {
        false
    }
}

impl Context {
    /// The GPU context a string names ("gpu", "gpu(1)"), for messages.
    pub fn gpu_named(s: &str) -> Context {
        let id = s
            .trim_start_matches("gpu")
            .trim_matches(|c| c == '(' || c == ')')
            .parse()
            .unwrap_or(0);
        Context {
            device_type: "gpu".into(),
            device_id: id,
        }
    }

    /// Refuses a GPU context: ferrograd computes on the CPU only.
    pub fn check_usable(&self, op: &'static str) -> PyResult<()> {
        if self.device_type == "gpu" {
            return Err(invalid(
                op,
                format!(
                    "gpu({}) is not available: ferrograd computes on the CPU only \
                     (num_gpus() is 0); use mx.cpu()",
                    self.device_id
                ),
            )
            .into());
        }
        Ok(())
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
