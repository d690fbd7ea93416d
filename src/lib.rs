//! ferrograd: MXNet's imperative `nd` + `autograd` API on a Rust engine.
//!
//! Layers, top to bottom; a module uses only those below it:
//! - `bindings` (PyO3, behind the `python` feature): argument unpacking, result wrapping;
//! - `array` (the mutable user-facing `NDArray`) and `backward` (reverse mode over the tape;
//!   it sums gradients with ops);
//! - `ops`: each op's forward and backward, in one place;
//! - `graph`: the tape, `Tensor` (a value and its place on the tape), the op contract,
//!   `record`, recording flags, gradient destinations;
//! - `random` (samplers), `storage` (the mutable cell arrays write through), `value` (an
//!   immutable array value);
//! - `kernels` (loops, rayon), `buffer_cache`, `dtype`, `shape`, `error`.

pub mod array;
pub mod backward;
pub mod buffer_cache;
pub mod dtype;
pub mod error;
pub mod graph;
pub mod kernels;
pub mod ops;
pub mod random;
pub mod shape;
pub mod storage;
pub mod value;

#[cfg(feature = "python")]
mod bindings;

pub use array::NDArray;
pub use dtype::DType;
pub use error::{Error, Result};
pub use graph::Tensor;
pub use value::Value;
