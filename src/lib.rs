//! ferrograd: MXNet's imperative `nd` + `autograd` API on a Rust engine.
//!
//! Layers point one way: `bindings` (PyO3, behind the `python` feature) -> `ops` (forward and
//! backward of each op, in one place) -> `kernels` (loops, rayon). `tape` and `autograd` own the
//! graph; `tensor` and `array` own the data.

pub mod array;
pub mod autograd;
pub mod dtype;
pub mod error;
pub mod kernels;
pub mod ops;
pub mod random;
pub mod shape;
pub mod tape;
pub mod tensor;

#[cfg(feature = "python")]
mod bindings;

pub use array::NDArray;
pub use dtype::DType;
pub use error::{Error, Result};
pub use tensor::Tensor;
