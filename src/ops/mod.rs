//! The op library. Each op is declared once in its family file: its forward (a kernel call,
//! after every check) and its backward, written with these same ops so that any derivative can
//! itself be differentiated. Composites (mean, sub, norm) have no rule of their own.

pub mod binary;
pub mod index;
pub mod layout;
pub mod linalg;
pub mod nn;
pub mod reduce;
pub mod shape;
pub mod sort;
pub mod unary;

pub use binary::*;
pub use reduce::*;
pub use shape::*;
pub use unary::*;

use crate::error::{dtype_err, Result};
use crate::tensor::Tensor;

/// Both operands must have one dtype: MXNet never mixes dtypes implicitly.
pub(crate) fn same_dtype(op: &'static str, a: &Tensor, b: &Tensor) -> Result<()> {
    if a.dtype() != b.dtype() {
        return Err(dtype_err(
            op,
            format!(
                "operands have different dtypes, {} and {}; convert one with .astype('{}')",
                a.dtype(),
                b.dtype(),
                a.dtype()
            ),
        ));
    }
    Ok(())
}
