//! The random samplers behind `nd.random`'s Python functions (which add MXNet's defaults, `out=`
//! and the `*_like` forms).

use super::convert::{arg_tensor, parse_dtype, run, shape_arg, wrap};
use crate::dtype::DType;
use crate::shape::{check_alloc, Shape};
use pyo3::prelude::*;

/// One sampler: `name(params..., shape, dtype=None)`. The shape is checked against memory before
/// anything is drawn, and a large draw runs without the GIL.
macro_rules! samplers {
    ($($name:ident($($param:ident: $ty:ty),*) -> $default:ident;)*) => {$(
        #[pyfunction]
        #[pyo3(signature = ($($param,)* shape, dtype = None))]
        fn $name(
            py: Python<'_>,
            $($param: $ty,)*
            shape: &Bound<'_, PyAny>,
            dtype: Option<&Bound<'_, PyAny>>,
        ) -> PyResult<Py<PyAny>> {
            const OP: &str = concat!("random.", stringify!($name));
            let shape: Shape = shape_arg(OP, shape)?;
            let dtype = parse_dtype(dtype, DType::$default)?;
            let n = check_alloc(OP, &shape, dtype)?;
            let v = run(py, n, || crate::random::$name($($param,)* shape.clone(), dtype))?;
            wrap(py, v.into())
        }
        nd_entry!($name, namespace = "random");
    )*};
}

samplers! {
    normal(loc: f64, scale: f64) -> F32;
    uniform(low: f64, high: f64) -> F32;
    randint(low: i64, high: i64) -> I32;
    exponential(lam: f64) -> F32;
    gamma(alpha: f64, beta: f64) -> F32;
    poisson(lam: f64) -> F32;
    negative_binomial(k: f64, p: f64) -> F32;
    generalized_negative_binomial(mu: f64, alpha: f64) -> F32;
}

#[pyfunction]
#[pyo3(signature = (data, count = 1, dtype = None))]
fn multinomial(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    count: usize,
    dtype: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let probs = arg_tensor("random.multinomial", data)?;
    let dtype = parse_dtype(dtype, DType::I32)?;
    wrap(
        py,
        crate::random::multinomial(probs.value(), count, dtype)?.into(),
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

#[pyfunction]
fn seed(seed: u64) {
    crate::random::seed(seed);
}
nd_entry!(seed, namespace = "random");
