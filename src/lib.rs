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

// Safety rules, enforced: no panicking shortcuts on a path users can reach (a panic arrives
// in Python as PanicException, which `except Exception` does not catch), and every unsafe
// operation in a block of its own with a `// SAFETY:` comment.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::todo,
        clippy::unimplemented
    )
)]
#![deny(unsafe_op_in_unsafe_fn, clippy::undocumented_unsafe_blocks)]

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
