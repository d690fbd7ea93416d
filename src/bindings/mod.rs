//! PyO3 bindings: argument unpacking and result wrapping only. No math lives here.
//!
//! Every `nd` function is declared once, with `nd_fn!` (or `nd_entry!` for the few written by
//! hand): its Python name, signature and docstring, its aliases, whether NDArray has it as a
//! fluent method, and its body (unpack, call one engine op). The declaration registers itself;
//! `ferrograd.nd` (and `nd.linalg`, ...) export what `_core.registry()` lists, the type stub
//! and the README's op list are generated from the same list (tools/gen_stub.py,
//! tools/gen_op_docs.py).

/// One `nd` function, declared once. Generates the `#[pyfunction]` (MXNet's `out=` and
/// `name=` added to its arguments; the body computes a tensor that is delivered into `out` or
/// wrapped), its registry entry, and, with `fluent = true`, the NDArray method of the same
/// name (`x.softmax(axis=1)` is `nd.softmax(x, axis=1)`).
///
/// ```ignore
/// nd_fn! {
///     /// Softmax along `axis`.
///     #[nd(aliases = ["other_name"], fluent = true)]
///     #[pyo3(signature = (data, axis = -1, out = None, name = None))]
///     fn softmax(py, data: &Bound<'_, PyAny>, axis: isize) { ... }
/// }
/// ```
///
/// A parameter may carry `#[pyo3(...)]` attributes: flags take
/// `#[pyo3(from_py_with = flags::keepdims)] keepdims: bool` so that `keepdims=1` works as in
/// MXNet (`convert::flag`).
///
/// `fluent = by_hand`: NDArray has the method, written by hand because it takes more than the
/// function (`x.flatten(inplace=True)`).
///
/// `namespace = "linalg"` puts it in `nd.linalg`. PyO3 shows a negative default as `...`:
/// such declarations spell their signature out (`text_signature`, and `method_signature` for
/// the fluent method).
macro_rules! nd_fn {
    (
        $(#[doc = $doc:literal])*
        #[nd($(aliases = [$($alias:literal),* $(,)?],)? $(namespace = $ns:literal,)? fluent = $fluent:tt)]
        #[pyo3(signature = ($first:ident $(, $($rest:tt)*)?)
            $(, text_signature = $ts:literal, method_signature = $mts:literal)?)]
        fn $name:ident($py:ident, $data:ident: $dty:ty $(, $(#[$aattr:meta])* $arg:ident: $ty:ty)* $(,)?) $body:block
    ) => {
        // An anonymous const block: the function, its registration and its method see the
        // enclosing module's names, and add none to it.
        const _: () = {
            $(#[doc = $doc])*
            #[pyfunction]
            #[pyo3(signature = ($first $(, $($rest)*)?) $(, text_signature = $ts)?)]
            #[allow(clippy::too_many_arguments, non_snake_case, unused_variables)]
            fn $name(
                $py: Python<'_>,
                $data: $dty,
                $($(#[$aattr])* $arg: $ty,)*
                out: Option<&Bound<'_, $crate::bindings::pyarray::PyNDArray>>,
                name: Option<&str>,
            ) -> PyResult<Py<PyAny>> {
                let result: $crate::graph::Tensor = $body;
                $crate::bindings::convert::deliver($py, result, out)
            }

            inventory::submit! {
                $crate::bindings::NdFunction {
                    namespace: nd_fn!(@namespace $($ns)?),
                    name: stringify!($name),
                    aliases: &[$($($alias),*)?],
                    fluent: nd_fn!(@fluent $fluent),
                    make: |m| wrap_pyfunction!($name, m),
                }
            }

            nd_fn!(@method $fluent, $name, ($($($rest)*)?), ($($mts)?), ($(#[doc = $doc])*), ($($(#[$aattr])* $arg: $ty),*));
        };
    };
    (@namespace) => { "nd" };
    (@namespace $ns:literal) => { $ns };
    (@fluent by_hand) => { true };
    (@fluent $fluent:tt) => { $fluent };
    (@method false, $($ignored:tt)*) => {};
    (@method by_hand, $($ignored:tt)*) => {};
    (@method true, $name:ident, ($($sig:tt)*), ($($mts:literal)?), ($(#[doc = $doc:literal])*), ($($(#[$aattr:meta])* $arg:ident: $ty:ty),*)) => {
        #[pymethods]
        impl $crate::bindings::pyarray::PyNDArray {
            $(#[doc = $doc])*
            #[pyo3(signature = ($($sig)*) $(, text_signature = $mts)?)]
            #[allow(clippy::too_many_arguments, non_snake_case)]
            fn $name(
                slf: &Bound<'_, Self>,
                $($(#[$aattr])* $arg: $ty,)*
                out: Option<&Bound<'_, $crate::bindings::pyarray::PyNDArray>>,
                name: Option<&str>,
            ) -> PyResult<Py<PyAny>> {
                $name(slf.py(), slf.as_any(), $($arg,)* out, name)
            }
        }
    };
}

/// Registers an `nd` function written by hand (a variadic signature, a result that is a
/// list): `nd_entry!(concat)` or `nd_entry!(gemm2, namespace = "linalg")`.
macro_rules! nd_entry {
    ($name:ident $(, aliases = [$($alias:literal),* $(,)?])? $(, namespace = $ns:literal)?) => {
        inventory::submit! {
            $crate::bindings::NdFunction {
                namespace: nd_fn!(@namespace $($ns)?),
                name: stringify!($name),
                aliases: &[$($($alias),*)?],
                fluent: false,
                make: |m| wrap_pyfunction!($name, m),
            }
        }
    };
}

mod autograd;
mod convert;
mod dlpack;
mod errors;
mod nd;
// MXNet's operator names are Python names: `Activation`, `FullyConnected`, `LeakyReLU`.
#[allow(non_snake_case)]
mod nd_ops;
mod ndarray;
mod process;
mod pyarray;
mod random;

use pyo3::prelude::*;
use pyo3::types::{PyCFunction, PyTuple};

/// One registered `nd` function.
pub struct NdFunction {
    /// Where Python exports it: "nd", "linalg" (`nd.linalg`) or "internal" (called by a
    /// Python wrapper that normalises MXNet's arguments, e.g. `nd.random.normal`).
    pub namespace: &'static str,
    pub name: &'static str,
    /// Other names `nd` exports for the same function (MXNet's `broadcast_add` for `add`).
    pub aliases: &'static [&'static str],
    /// NDArray has it as a method too.
    pub fluent: bool,
    pub make: for<'py> fn(&Bound<'py, PyModule>) -> PyResult<Bound<'py, PyCFunction>>,
}

inventory::collect!(NdFunction);

impl NdFunction {
    /// The attribute name on `_core`: `<namespace>_<name>` for `nd.linalg` and `nd.random`,
    /// else the name itself.
    fn attribute(&self) -> String {
        match self.namespace {
            "nd" | "internal" => self.name.to_string(),
            ns => format!("{}_{}", ns, self.name),
        }
    }
}

#[pymodule(gil_used = true)]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let threads = match crate::kernels::pool::threads_from_env() {
        Ok(n) => n,
        Err(value) => {
            let msg = format!(
                "FERROGRAD_NUM_THREADS={} is not a positive integer; using {} thread(s), one \
                 per CPU (ferrograd.set_num_threads(n) changes it)",
                value,
                crate::kernels::pool::default_threads()
            );
            let msg = std::ffi::CString::new(msg).unwrap_or_default();
            PyErr::warn(
                m.py(),
                &m.py().get_type::<pyo3::exceptions::PyRuntimeWarning>(),
                &msg,
                1,
            )?;
            None
        }
    };
    process::init(m.py(), threads)?;
    m.add_function(wrap_pyfunction!(process::get_num_threads, m)?)?;
    m.add_function(wrap_pyfunction!(process::set_num_threads, m)?)?;
    m.add_class::<pyarray::PyNDArray>()?;
    m.add_class::<pyarray::Context>()?;
    let mut registry = Vec::new();
    for entry in inventory::iter::<NdFunction> {
        let f = (entry.make)(m)?;
        m.add(entry.attribute(), &f)?;
        let aliases = PyTuple::new(m.py(), entry.aliases)?;
        registry.push((entry.namespace, entry.name, f, aliases, entry.fluent));
    }
    registry.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    // (namespace, name, function, aliases, fluent) for every nd function, sorted by name.
    m.add("_registry", registry)?;
    autograd::register(m)?;
    Ok(())
}
