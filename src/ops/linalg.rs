//! Matrix products: `dot` (MXNet's rules for 1-D and N-D operands, transpose flags) and
//! `batch_dot`. Both reduce to `MatMul` on 2-D or batched 3-D operands, whose backward is two
//! more `MatMul`s, so every order of derivative is available (MXNet 1.9.1 has no second
//! derivative of dot).

use super::shape::{reshape, transpose};
use crate::dtype::Element;
use crate::dtype::{f16, f16_to_f32, f32_to_f16, DType};
use crate::error::{shape_err, Result};
use crate::graph::{record1, Ctx, Grads, Op, Save, Tensor};
use crate::kernels::matmul::batched_matmul;
use crate::shape::{fmt_tuple, Shape};
use crate::value::same_dtype;
#[allow(unused_imports)]
use num_traits::{Float, ToPrimitive, Zero};
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
    let y = if a.dtype() == DType::F16 {
        // Multiply-adds in f32, one rounding at the end (Note: float16).
        let (af, bf) = (f16_to_f32(a.data::<f16>()?), f16_to_f32(b.data::<f16>()?));
        let out = batched_matmul(&af, &bf, batch, m, ka, n, ta, tb);
        Tensor::from_vec(f32_to_f16(&out), shape)
    } else {
        crate::with_real!(op, a.dtype(), T => {
            let out = batched_matmul(a.data::<T>()?, b.data::<T>()?, batch, m, ka, n, ta, tb);
            Tensor::from_vec(out, shape)
        })
    };
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
/// should read it transposed. As in MXNet, an N-D operand is the matrix (shape[0], rest) or
/// (rest, shape[-1]), whichever puts the contracted axis where the product needs it.
fn as_matrix(x: &Tensor, trans: bool, left: bool) -> Result<(Tensor, Shape, bool)> {
    let s = x.shape();
    match s.len() {
        0 => Err(shape_err(
            "dot",
            "operands must have at least one dimension",
        )),
        1 if trans => Err(crate::error::invalid(
            "dot",
            "cannot transpose a vector (a 1-D operand with a transpose flag)",
        )),
        1 => {
            let m: Shape = if left {
                smallvec![1, s[0]]
            } else {
                smallvec![s[0], 1]
            };
            Ok((reshape(x, m)?, Shape::new(), false))
        }
        _ => {
            let last = s.len() - 1;
            // Contract over the last axis (left, plain / right, transposed) or the first.
            let contract_last = left != trans;
            let (rows, cols, out): (usize, usize, Shape) = if contract_last {
                (
                    s[..last].iter().product(),
                    s[last],
                    Shape::from_slice(&s[..last]),
                )
            } else {
                (s[0], s[1..].iter().product(), Shape::from_slice(&s[1..]))
            };
            Ok((reshape(x, smallvec![rows, cols])?, out, trans))
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

// ---------------------------------------------------------------------------------------------
// nd.linalg: gemm2, potrf (Cholesky), trsm (triangular solve). Enough for a Cholesky solve,
// each differentiable to any order (their rules are written with mm, trsm and masks).

fn last_two_t(x: &Tensor) -> Result<Tensor> {
    match x.ndim() {
        2 => transpose(x, None),
        _ => transpose(x, Some(&[0, 2, 1])),
    }
}

/// Matrices as (batch, rows, cols) for any leading batch axes; returns the batch shape.
fn as_batch(op: &'static str, x: &Tensor) -> Result<(Tensor, Shape)> {
    if x.ndim() < 2 {
        return Err(shape_err(
            op,
            format!(
                "needs matrices (at least 2-D), got shape {}",
                fmt_tuple(x.shape())
            ),
        ));
    }
    if x.ndim() == 2 {
        return Ok((x.clone(), Shape::new()));
    }
    let lead: Shape = Shape::from_slice(&x.shape()[..x.ndim() - 2]);
    let b: usize = lead.iter().product();
    let (r, c) = (x.shape()[x.ndim() - 2], x.shape()[x.ndim() - 1]);
    Ok((reshape(x, smallvec![b, r, c])?, lead))
}

fn from_batch(x: &Tensor, lead: &Shape) -> Result<Tensor> {
    if lead.is_empty() || x.ndim() == 2 {
        return Ok(x.clone());
    }
    let mut s = lead.clone();
    s.extend_from_slice(&x.shape()[1..]);
    reshape(x, s)
}

/// alpha * op(A) @ op(B) over the last two axes (leading axes are a batch).
pub fn gemm2(
    a: &Tensor,
    b: &Tensor,
    transpose_a: bool,
    transpose_b: bool,
    alpha: f64,
) -> Result<Tensor> {
    let (a3, lead) = as_batch("linalg.gemm2", a)?;
    let (b3, lead_b) = as_batch("linalg.gemm2", b)?;
    if lead != lead_b {
        return Err(shape_err(
            "linalg.gemm2",
            format!(
                "batch shapes differ: {} and {}",
                fmt_tuple(a.shape()),
                fmt_tuple(b.shape())
            ),
        ));
    }
    let c = mm(&a3, &b3, transpose_a, transpose_b)?;
    let c = if alpha == 1.0 {
        c
    } else {
        super::elementwise::mul_scalar(&c, alpha)?
    };
    from_batch(&c, &lead)
}

/// 1 on and below (or above) the diagonal, 0 elsewhere, broadcastable over a batch.
fn triangle_mask(n: usize, lower: bool, strict: bool, dtype: crate::dtype::DType) -> Tensor {
    let mut v = vec![0.0f64; n * n];
    for i in 0..n {
        for j in 0..n {
            let keep = if lower {
                j < i || (!strict && j == i)
            } else {
                j > i || (!strict && j == i)
            };
            if keep {
                v[i * n + j] = 1.0;
            }
        }
    }
    let t = Tensor::from_vec(v, smallvec![n, n]);
    super::shape::cast(&t, dtype).unwrap_or(t)
}

fn masked(x: &Tensor, n: usize, lower: bool, strict: bool) -> Result<Tensor> {
    super::elementwise::mul(x, &triangle_mask(n, lower, strict, x.dtype()))
}

fn square_n(op: &'static str, x: &Tensor) -> Result<usize> {
    let s = x.shape();
    if s.len() < 2 || s[s.len() - 1] != s[s.len() - 2] {
        return Err(shape_err(
            op,
            format!("needs square matrices, got shape {}", fmt_tuple(s)),
        ));
    }
    Ok(s[s.len() - 1])
}

pub struct Potrf;
impl Op for Potrf {
    fn name(&self) -> &'static str {
        "linalg.potrf"
    }
    /// With T = tril(L^T gL) and S = (T + tril(T, -1)^T) / 2: gA = L^-T S L^-1, symmetrised
    /// (the forward reads the symmetric part of A).
    fn backward(&self, ctx: &Ctx, grads: &[Tensor]) -> Result<Grads> {
        let l = ctx.output(0)?;
        let n = square_n("linalg.potrf", l)?;
        let t = masked(&mm_any(l, &grads[0], true, false)?, n, true, false)?;
        let t_strict_t = last_two_t(&masked(&t, n, true, true)?)?;
        let s = super::elementwise::mul_scalar(&super::elementwise::add(&t, &t_strict_t)?, 0.5)?;
        let x = trsm(l, &s, true, false, true, 1.0)?;
        let ga = trsm(l, &x, false, true, true, 1.0)?;
        let sym =
            super::elementwise::mul_scalar(&super::elementwise::add(&ga, &last_two_t(&ga)?)?, 0.5)?;
        Ok(smallvec![Some(sym)])
    }
}

/// mm on 2-D or batched 3-D operands, after flattening any batch axes.
fn mm_any(a: &Tensor, b: &Tensor, ta: bool, tb: bool) -> Result<Tensor> {
    gemm2(a, b, ta, tb, 1.0)
}

/// The lower Cholesky factor L of each symmetric positive-definite matrix (A = L L^T).
#[allow(clippy::neg_cmp_op_on_partial_ord)] // a NaN pivot is not positive definite either
pub fn potrf(a: &Tensor) -> Result<Tensor> {
    let n = square_n("linalg.potrf", a)?;
    let batch = a.numel() / (n * n).max(1);
    let y = crate::with_real!("linalg.potrf", a.dtype(), T => {
        let src = a.data::<T>()?;
        let mut out = vec![T::zero(); src.len()];
        for b in 0..batch {
            let m = &src[b * n * n..(b + 1) * n * n];
            let l = &mut out[b * n * n..(b + 1) * n * n];
            for j in 0..n {
                for i in j..n {
                    // the symmetric part of A, so both triangles count equally
                    let aij = (m[i * n + j] + m[j * n + i]) * T::from_f64(0.5);
                    let mut s = aij;
                    for k in 0..j {
                        s -= l[i * n + k] * l[j * n + k];
                    }
                    if i == j {
                        if !(s > T::zero()) {
                            return Err(crate::error::invalid(
                                "linalg.potrf",
                                format!("matrix {} is not positive definite (pivot {} is {})", b, j, Element::to_f64(s)),
                            ));
                        }
                        l[i * n + j] = s.sqrt();
                    } else {
                        l[i * n + j] = s / l[j * n + j];
                    }
                }
            }
        }
        Tensor::from_vec(out, a.shape_vec())
    });
    Ok(record1(Potrf, &[a], Save::OUTPUTS, y))
}

pub struct Trsm {
    transpose: bool,
    rightside: bool,
    lower: bool,
    alpha: f64,
}
impl Op for Trsm {
    fn name(&self) -> &'static str {
        "linalg.trsm"
    }
    /// Left: X = alpha op(A)^-1 B, so with H = op(A)^-T G: dB = alpha H, d op(A) = -H X^T.
    /// Right: X = alpha B op(A)^-1, so with H = G op(A)^-T: dB = alpha H, d op(A) = -X^T H.
    /// dA keeps only the triangle the forward read.
    fn backward(&self, ctx: &Ctx, grads: &[Tensor]) -> Result<Grads> {
        let (a, x) = (ctx.input(0)?, ctx.output(0)?);
        let n = square_n("linalg.trsm", a)?;
        let h = trsm(
            a,
            &grads[0],
            !self.transpose,
            self.rightside,
            self.lower,
            1.0,
        )?;
        let db = if ctx.needs(1) {
            Some(super::elementwise::mul_scalar(&h, self.alpha)?)
        } else {
            None
        };
        let da = if ctx.needs(0) {
            let d_op = if self.rightside {
                mm_any(x, &h, true, false)?
            } else {
                mm_any(&h, x, false, true)?
            };
            let d_op = super::elementwise::neg(&d_op)?;
            let d = if self.transpose {
                last_two_t(&d_op)?
            } else {
                d_op
            };
            Some(masked(&d, n, self.lower, false)?)
        } else {
            None
        };
        Ok(smallvec![da, db])
    }
}

/// Solves op(A) X = alpha B (or X op(A) = alpha B with `rightside`) for triangular A.
pub fn trsm(
    a: &Tensor,
    b: &Tensor,
    transpose: bool,
    rightside: bool,
    lower: bool,
    alpha: f64,
) -> Result<Tensor> {
    same_dtype("linalg.trsm", a, b)?;
    let n = square_n("linalg.trsm", a)?;
    let bs = b.shape();
    let (rows, cols) = if bs.len() >= 2 {
        (bs[bs.len() - 2], bs[bs.len() - 1])
    } else {
        (0, 0)
    };
    let batch_a = a.numel() / (n * n).max(1);
    let batch_b = b.numel().checked_div(rows * cols).unwrap_or(0);
    if bs.len() != a.ndim() || (if rightside { cols } else { rows }) != n || batch_a != batch_b {
        return Err(shape_err(
            "linalg.trsm",
            format!(
                "A {} and B {} do not fit (rightside={})",
                fmt_tuple(a.shape()),
                fmt_tuple(bs),
                rightside
            ),
        ));
    }
    let y = crate::with_real!("linalg.trsm", a.dtype(), T => {
        let (ad, bd) = (a.data::<T>()?, b.data::<T>()?);
        let mut out: Vec<T> = bd.iter().map(|&v| v * T::from_f64(alpha)).collect();
        for k in 0..batch_a {
            let m = &ad[k * n * n..(k + 1) * n * n];
            // op(A)[i][j], reading only the stored triangle
            let at = |i: usize, j: usize| -> T {
                let (r, c) = if transpose { (j, i) } else { (i, j) };
                let inside = if lower { c <= r } else { c >= r };
                if inside { m[r * n + c] } else { T::zero() }
            };
            let op_lower = lower != transpose;
            let x = &mut out[k * rows * cols..(k + 1) * rows * cols];
            if !rightside {
                // op(A) X = B, column by column of X (rows = n)
                for c in 0..cols {
                    let order: Vec<usize> = if op_lower { (0..n).collect() } else { (0..n).rev().collect() };
                    for &i in &order {
                        let mut s = x[i * cols + c];
                        for j in 0..n {
                            if j != i && (if op_lower { j < i } else { j > i }) {
                                s -= at(i, j) * x[j * cols + c];
                            }
                        }
                        x[i * cols + c] = s / at(i, i);
                    }
                }
            } else {
                // X op(A) = B, row by row of X (cols = n): x_j = (b_j - sum_i x_i op(A)[i][j]) / op(A)[j][j]
                for r in 0..rows {
                    let order: Vec<usize> = if op_lower { (0..n).rev().collect() } else { (0..n).collect() };
                    for &j in &order {
                        let mut s = x[r * cols + j];
                        for i in 0..n {
                            if i != j && (if op_lower { i > j } else { i < j }) {
                                s -= x[r * cols + i] * at(i, j);
                            }
                        }
                        x[r * cols + j] = s / at(j, j);
                    }
                }
            }
        }
        Tensor::from_vec(out, b.shape_vec())
    });
    Ok(record1(
        Trsm {
            transpose,
            rightside,
            lower,
            alpha,
        },
        &[a, b],
        Save {
            inputs: 1,
            outputs: true,
        },
        y,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cholesky_solve_recovers_x() {
        // A = [[4, 2], [2, 3]]; solve A x = b via L L^T x = b.
        let a = Tensor::from_vec(vec![4.0, 2.0, 2.0, 3.0], smallvec![2, 2]);
        let b = Tensor::from_vec(vec![2.0, 1.0], smallvec![2, 1]);
        let l = potrf(&a).unwrap();
        let y = trsm(&l, &b, false, false, true, 1.0).unwrap();
        let x = trsm(&l, &y, true, false, true, 1.0).unwrap().to_f64_vec();
        // A^-1 b = [0.5, 0]
        assert!((x[0] - 0.5).abs() < 1e-12 && x[1].abs() < 1e-12, "{:?}", x);
        // right side: X A^T... check X L = B for B (1,2)
        let bb = Tensor::from_vec(vec![1.0, 2.0], smallvec![1, 2]);
        let xr = trsm(&l, &bb, false, true, true, 1.0).unwrap();
        let back = dot(&xr, &l, false, false).unwrap().to_f64_vec();
        assert!((back[0] - 1.0).abs() < 1e-12 && (back[1] - 2.0).abs() < 1e-12);
    }
}
