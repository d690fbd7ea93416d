//! Matrix products: `dot` (MXNet's rules for 1-D and N-D operands, transpose flags) and
//! `batch_dot`. Both reduce to `MatMul` on 2-D or batched 3-D operands, whose backward is two
//! more `MatMul`s, so every order of derivative is available (MXNet 1.9.1 has no second
//! derivative of dot).

use super::same_dtype;
use super::shape::{reshape, transpose};
use crate::autograd::{record1, Ctx, Grads, Op, Save};
use crate::error::{shape_err, Result};
use crate::kernels::matmul::matmul;
use crate::shape::{fmt_tuple, Shape};
use crate::tensor::Tensor;
use smallvec::smallvec;

/// `op(a) @ op(b)` for 2-D operands, or batched over the first axis for 3-D ones.
pub struct MatMul {
    ta: bool,
    tb: bool,
}

impl Op for MatMul {
    fn name(&self) -> &'static str {
        "dot"
    }
    /// C = op(A) op(B): dop(A) = G op(B)^T, dop(B) = op(A)^T G, each transposed back when
    /// the operand was read transposed. Written as products with flags: nothing is copied.
    fn backward(&self, ctx: &Ctx, grads: &[Tensor]) -> Result<Grads> {
        let g = &grads[0];
        let (a, b) = (ctx.input(0)?, ctx.input(1)?);
        let da = if ctx.needs(0) {
            Some(match (self.ta, self.tb) {
                (false, false) => mm(g, b, false, true)?,
                (false, true) => mm(g, b, false, false)?,
                (true, false) => mm(b, g, false, true)?,
                (true, true) => mm(b, g, true, true)?,
            })
        } else {
            None
        };
        let db = if ctx.needs(1) {
            Some(match (self.ta, self.tb) {
                (false, false) => mm(a, g, true, false)?,
                (true, false) => mm(a, g, false, false)?,
                (false, true) => mm(g, a, true, false)?,
                (true, true) => mm(g, a, true, true)?,
            })
        } else {
            None
        };
        Ok(smallvec![da, db])
    }
}

/// The recorded product of two 2-D, or two 3-D (batched), operands.
fn mm(a: &Tensor, b: &Tensor, ta: bool, tb: bool) -> Result<Tensor> {
    let op = if a.ndim() == 3 { "batch_dot" } else { "dot" };
    same_dtype(op, a, b)?;
    let batched = a.ndim() == 3;
    let (batch, sa, sb) = if batched {
        if b.ndim() != 3 || a.shape()[0] != b.shape()[0] {
            return Err(shape_err(
                op,
                format!(
                    "batch sizes differ: {} and {}",
                    fmt_tuple(a.shape()),
                    fmt_tuple(b.shape())
                ),
            ));
        }
        (a.shape()[0], &a.shape()[1..], &b.shape()[1..])
    } else {
        (1, a.shape(), b.shape())
    };
    let (m, ka) = if ta { (sa[1], sa[0]) } else { (sa[0], sa[1]) };
    let (kb, n) = if tb { (sb[1], sb[0]) } else { (sb[0], sb[1]) };
    if ka != kb {
        return Err(shape_err(
            op,
            format!(
                "shapes {} and {} are not aligned (transpose_a={}, transpose_b={}): inner dimensions {} and {} differ",
                fmt_tuple(a.shape()),
                fmt_tuple(b.shape()),
                ta,
                tb,
                ka,
                kb
            ),
        ));
    }
    let shape: Shape = if batched {
        smallvec![batch, m, n]
    } else {
        smallvec![m, n]
    };
    crate::shape::check_alloc(op, &shape, a.dtype())?;
    let y = crate::with_real!(op, a.dtype(), T => {
        let (ad, bd) = (a.data::<T>()?, b.data::<T>()?);
        let mut out = vec![T::default(); batch * m * n];
        let (sa_len, sb_len) = (m * ka, ka * n);
        for i in 0..batch {
            matmul(&ad[i * sa_len..][..sa_len], &bd[i * sb_len..][..sb_len], m, ka, n, ta, tb, &mut out[i * m * n..][..m * n]);
        }
        Tensor::from_vec(out, shape)
    });
    Ok(record1(MatMul { ta, tb }, &[a, b], Save::INPUTS, y))
}

/// MXNet's `dot`. 1-D operands are vectors (1-D . 1-D gives shape (1,)); N-D operands contract
/// the last axis of `a` with the first of `b`; a transpose flag reverses all axes of its operand.
pub fn dot(a: &Tensor, b: &Tensor, transpose_a: bool, transpose_b: bool) -> Result<Tensor> {
    let (a2, a_out, ta) = as_matrix(a, transpose_a, true)?;
    let (b2, b_out, tb) = as_matrix(b, transpose_b, false)?;
    let c = mm(&a2, &b2, ta, tb)?;
    let mut shape: Shape = a_out;
    shape.extend_from_slice(&b_out);
    if shape.is_empty() {
        shape.push(1);
    }
    reshape(&c, shape)
}

/// A 2-D view of a `dot` operand, the output dims it contributes, and whether the matmul
/// should read it transposed.
fn as_matrix(x: &Tensor, trans: bool, left: bool) -> Result<(Tensor, Shape, bool)> {
    let s = x.shape();
    match s.len() {
        0 => Err(shape_err(
            "dot",
            "operands must have at least one dimension",
        )),
        1 => {
            let m: Shape = if left {
                smallvec![1, s[0]]
            } else {
                smallvec![s[0], 1]
            };
            Ok((reshape(x, m)?, Shape::new(), false))
        }
        2 => {
            let kept = if left == trans { s[1] } else { s[0] };
            Ok((x.clone(), smallvec![kept], trans))
        }
        _ => {
            let x = if trans {
                transpose(x, None)?
            } else {
                x.clone()
            };
            let s = x.shape();
            let (rows, cols, out): (usize, usize, Shape) = if left {
                (
                    s[..s.len() - 1].iter().product(),
                    s[s.len() - 1],
                    Shape::from_slice(&s[..s.len() - 1]),
                )
            } else {
                (s[0], s[1..].iter().product(), Shape::from_slice(&s[1..]))
            };
            Ok((reshape(&x, smallvec![rows, cols])?, out, false))
        }
    }
}

/// MXNet's `batch_dot`: (B, M, K) x (B, K, N) -> (B, M, N), with transpose flags on the last
/// two axes.
pub fn batch_dot(a: &Tensor, b: &Tensor, transpose_a: bool, transpose_b: bool) -> Result<Tensor> {
    if a.ndim() != 3 || b.ndim() != 3 {
        return Err(shape_err(
            "batch_dot",
            format!(
                "both operands must be 3-D, got shapes {} and {}",
                fmt_tuple(a.shape()),
                fmt_tuple(b.shape())
            ),
        ));
    }
    mm(a, b, transpose_a, transpose_b)
}
