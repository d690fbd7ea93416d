//! The engine's one error type. Every fallible engine call returns `Result<T>`; the bindings map
//! each variant to its own Python exception class (see `bindings/errors.rs`), so a variant is
//! chosen by what the user did wrong, not by where the failure was noticed.

use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq)]
pub enum Error {
    /// Shapes that cannot work together (broadcasting, matmul, reshape, head gradients).
    #[error("{op}: {msg}")]
    Shape { op: &'static str, msg: String },
    /// An axis outside the array's dimensions.
    #[error("{op}: axis {axis} is out of range for an array of {ndim} dimension(s)")]
    Axis {
        op: &'static str,
        axis: isize,
        ndim: usize,
    },
    /// A dtype the op does not accept, or two dtypes that do not mix.
    #[error("{op}: {msg}")]
    DType { op: &'static str, msg: String },
    /// An argument of the wrong Python type (a string where an array is expected).
    #[error("{op}: {msg}")]
    Type { op: &'static str, msg: String },
    /// An index outside the array.
    #[error("{op}: {msg}")]
    Index { op: &'static str, msg: String },
    /// Any other argument value the op does not accept.
    #[error("{op}: {msg}")]
    Invalid { op: &'static str, msg: String },
    /// The graph cannot give what was asked of it (freed graph, unrecorded head, ...).
    #[error("{0}")]
    Graph(String),
    /// A shape too large to allocate.
    #[error("{op}: cannot allocate an array of shape {shape}: {elems} elements{what} exceed the machine's memory")]
    OutOfMemory {
        op: &'static str,
        elems: u128,
        what: String,
        shape: String,
    },
}

pub type Result<T> = std::result::Result<T, Error>;

/// Shorthand constructors: `shape_err("dot", format!(...))`.
pub fn shape_err(op: &'static str, msg: impl Into<String>) -> Error {
    Error::Shape {
        op,
        msg: msg.into(),
    }
}
pub fn invalid(op: &'static str, msg: impl Into<String>) -> Error {
    Error::Invalid {
        op,
        msg: msg.into(),
    }
}
pub fn dtype_err(op: &'static str, msg: impl Into<String>) -> Error {
    Error::DType {
        op,
        msg: msg.into(),
    }
}
pub fn type_err(op: &'static str, msg: impl Into<String>) -> Error {
    Error::Type {
        op,
        msg: msg.into(),
    }
}
pub fn index_err(op: &'static str, msg: impl Into<String>) -> Error {
    Error::Index {
        op,
        msg: msg.into(),
    }
}
