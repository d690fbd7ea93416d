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
    /// Work cut short by a Ctrl-C (Note: interruption); the bindings raise KeyboardInterrupt.
    #[error("interrupted")]
    Interrupted,
    /// An error raised by user code the engine called (a custom Function's backward), carried
    /// through unchanged so that the caller gets it as it was raised.
    #[error("{0}")]
    External(Foreign),
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

/// An error value from outside the engine (for the bindings, a Python exception), kept opaque
/// so the engine needs no Python; its text is for Rust-side messages.
#[derive(Clone)]
pub struct Foreign {
    pub payload: std::sync::Arc<dyn std::any::Any + Send + Sync>,
    pub text: String,
}

impl Foreign {
    pub fn new(payload: impl std::any::Any + Send + Sync, text: impl Into<String>) -> Foreign {
        Foreign {
            payload: std::sync::Arc::new(payload),
            text: text.into(),
        }
    }
}

impl PartialEq for Foreign {
    fn eq(&self, other: &Foreign) -> bool {
        std::sync::Arc::ptr_eq(&self.payload, &other.payload)
    }
}

impl std::fmt::Debug for Foreign {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Foreign({:?})", self.text)
    }
}

impl std::fmt::Display for Foreign {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

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
