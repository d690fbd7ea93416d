//! PyO3 bindings: argument unpacking and result wrapping only. No math lives here.

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
