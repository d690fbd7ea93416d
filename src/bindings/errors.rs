//! Engine errors become Python exceptions defined in `ferrograd.base`, each a subclass of both
//! `MXNetError` and the builtin a Python user would expect (ValueError, TypeError, ...).

use crate::error::Error;
use pyo3::exceptions::{PyKeyboardInterrupt, PyRuntimeError};
use pyo3::prelude::*;
use pyo3::types::PyType;

fn class_name(e: &Error) -> &'static str {
    match e {
        Error::Shape { .. } => "ShapeError",
        Error::Axis { .. } => "AxisError",
        Error::DType { .. } => "DTypeError",
        Error::Index { .. } => "MXIndexError",
        Error::Type { .. } => "ArgumentTypeError",
        Error::Invalid { .. } => "InvalidArgumentError",
        Error::Graph(_) => "GraphError",
        Error::OutOfMemory { .. } => "OutOfMemoryError",
        // Converted before a class is looked up (see below).
        Error::Interrupted | Error::External(_) => "MXNetError",
    }
}

impl From<Error> for PyErr {
    fn from(e: Error) -> PyErr {
        match &e {
            // Normally turned into Python's own KeyboardInterrupt by `process::interruptible`;
            // this is the fallback for work that was cut short anywhere else.
            Error::Interrupted => return PyKeyboardInterrupt::new_err("interrupted"),
            Error::External(f) => {
                if let Some(err) = f.payload.downcast_ref::<PyErr>() {
                    return Python::attach(|py| err.clone_ref(py));
                }
            }
            _ => {}
        }
        let msg = e.to_string();
        Python::attach(|py| {
            let cls = py
                .import("ferrograd.base")
                .and_then(|m| m.getattr(class_name(&e)))
                .and_then(|c| c.cast_into::<PyType>().map_err(PyErr::from));
            match cls {
                Ok(cls) => PyErr::from_type(cls, msg),
                Err(_) => PyRuntimeError::new_err(msg),
            }
        })
    }
}
