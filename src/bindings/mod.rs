//! PyO3 bindings: argument unpacking and result wrapping only. No math lives here.

/// Declares an `nd` function: the listed arguments plus MXNet's `out=` and `name=`, a body
/// that computes the result tensor, and the shared delivery into `out` (or a new NDArray).
macro_rules! nd_fn {
    ($(#[$attr:meta])* fn $name:ident($py:ident $(, $arg:ident: $ty:ty)* $(,)?) $body:block) => {
        #[pyfunction]
        $(#[$attr])*
        #[allow(clippy::too_many_arguments)]
        fn $name($py: Python<'_>, $($arg: $ty,)* out: Option<&Bound<'_, $crate::bindings::ndarray::PyNDArray>>, name: Option<&str>) -> PyResult<Py<PyAny>> {
            let _ = name;
            let result: $crate::graph::Tensor = $body;
            $crate::bindings::nd::deliver($py, result, out)
        }
    };
}

mod autograd;
mod convert;
mod errors;
mod nd;
mod nd_ops;
mod ndarray;

use pyo3::prelude::*;

#[pymodule(gil_used = true)]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    crate::kernels::init_pool();
    m.add_class::<ndarray::PyNDArray>()?;
    m.add_class::<ndarray::Context>()?;
    nd::register(m)?;
    autograd::register(m)?;
    Ok(())
}
