//! The op library. Each op is declared once in its family file: its forward (a kernel call,
//! after every check) and its backward, written with these same ops so that any derivative can
//! itself be differentiated. Composites (mean, sub, norm) have no rule of their own.
//!
//! Families, lowest first; a file uses only files above it in this list, so the op families
//! form no loop:
//! - `integer`: the elementwise ops and sums on integer arrays (no gradients);
//! - `shape`: reshape, transpose, copy, cast (each one's backward is itself);
//! - `broadcast`: broadcast_to and sum (each the other's backward);
//! - `elementwise`: math of one or two arrays and scalars;
//! - `reduce`, `index`, `sort`, `linalg`: reductions, gathers and scatters, sorting, matmul;
//! - `layout`: concat, stack, split, slicing, tiling, padding...; `nn`: softmax, losses,
//!   activations, fully connected, dropout.
//!
//! Files inside `ops` import from each other's files, never through the re-exports below
//! (which are for the layers above).

pub mod broadcast;
pub mod elementwise;
pub mod index;
pub mod integer;
pub mod layout;
pub mod linalg;
pub mod nn;
pub mod reduce;
pub mod shape;
pub mod sort;

pub use broadcast::*;
pub use elementwise::*;
pub use reduce::*;
pub use shape::*;
