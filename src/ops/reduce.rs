//! Reductions. `axis` is None (all), or a list of axes; `exclude` inverts it (MXNet);
//! reductions to no axes give shape (1,), as in MXNet.

use super::broadcast::{expand_back, sum, Mask};
use super::elementwise::{abs, div_scalar, equal, equal_scalar, mul};
use crate::dtype::{f16, f16_to_f32, f32_to_f16, DType, Element};
use crate::error::{invalid, Result};
use crate::graph::{record1, Ctx, Grads, Op, Save, Tensor};
use crate::kernels::reduce::{arg_extreme, reduce, Extreme, Prod as ProdR, SumSquares};
use crate::shape::{normalize_axis, reduced_shape, reduction_mask, Shape};
use smallvec::{smallvec, SmallVec};

/// Mean over `axis`: a sum scaled by the count (no rule of its own).
pub fn mean(x: &Tensor, axis: Option<&[isize]>, keepdims: bool, exclude: bool) -> Result<Tensor> {
    if x.dtype() == DType::F16 {
        // Sum and division in f32, rounded once (Note: float16): a float16 sum of 100000
        // values of 70 is already inf before the division. (MXNet gives NaN there: its count
        // is converted to float16 too, and 100000 is inf.)
        let wide = super::shape::cast(x, DType::F32)?;
        return super::shape::cast(&mean(&wide, axis, keepdims, exclude)?, DType::F16);
    }
    let mask = reduction_mask("mean", axis, x.ndim(), exclude)?;
    let count: usize = x
        .shape()
        .iter()
        .zip(&mask)
        .filter(|(_, &m)| m)
        .map(|(&d, _)| d)
        .product();
    let s = sum(x, axis, keepdims, exclude)?;
    div_scalar(&s, count as f64)
}

pub struct Extremum {
    mask: Mask,
}
impl Op for Extremum {
    fn name(&self) -> &'static str {
        "max/min"
    }
    /// The gradient goes to every element equal to the extremum (ties all receive it, MXNet).
    fn backward(&self, ctx: &Ctx, grads: &[Tensor]) -> Result<Grads> {
        let (x, y) = (ctx.input(0)?, ctx.output(0)?);
        let shape = ctx.input_shape(0);
        let hit = equal(x, &expand_back(&y.detach(), shape, &self.mask)?)?;
        Ok(smallvec![Some(mul(
            &expand_back(&grads[0], shape, &self.mask)?,
            &hit
        )?)])
    }
}

fn extremum(
    op: &'static str,
    x: &Tensor,
    axis: Option<&[isize]>,
    keepdims: bool,
    exclude: bool,
    smallest: bool,
) -> Result<Tensor> {
    let mask = reduction_mask(op, axis, x.ndim(), exclude)?;
    let reduces_empty = x.shape().iter().zip(&mask).any(|(&d, &m)| m && d == 0);
    if reduces_empty {
        return Err(invalid(
            op,
            "zero-size array to reduction operation, which has no identity",
        ));
    }
    let y = crate::with_dtype!(x.dtype(), T => {
        let r = reduce(x.data::<T>()?, x.shape(), &mask, &Extreme { smallest });
        let vals: Vec<T> = r.into_iter().map(|v| v.unwrap_or_default()).collect();
        Tensor::from_vec(vals, reduced_shape(x.shape(), &mask, keepdims))
    });
    Ok(record1(
        Extremum { mask },
        &[x],
        Save {
            inputs: 1,
            outputs: true,
        },
        y,
    ))
}

pub fn max(x: &Tensor, axis: Option<&[isize]>, keepdims: bool, exclude: bool) -> Result<Tensor> {
    extremum("max", x, axis, keepdims, exclude, false)
}

pub fn min(x: &Tensor, axis: Option<&[isize]>, keepdims: bool, exclude: bool) -> Result<Tensor> {
    extremum("min", x, axis, keepdims, exclude, true)
}

pub struct Prod {
    mask: Mask,
}
impl Op for Prod {
    fn name(&self) -> &'static str {
        "prod"
    }
    /// d/dx_i prod(x) = prod(x) / x_i (the formula MXNet uses too; undefined at exact zeros).
    fn backward(&self, ctx: &Ctx, grads: &[Tensor]) -> Result<Grads> {
        let shape = ctx.input_shape(0);
        let gy = mul(&grads[0], ctx.output(0)?)?;
        let d = super::elementwise::div(&expand_back(&gy, shape, &self.mask)?, ctx.input(0)?)?;
        Ok(smallvec![Some(d)])
    }
}

pub fn prod(x: &Tensor, axis: Option<&[isize]>, keepdims: bool, exclude: bool) -> Result<Tensor> {
    let mask = reduction_mask("prod", axis, x.ndim(), exclude)?;
    if !x.dtype().is_float() {
        return super::integer::reduce("prod", x, &mask, keepdims, true);
    }
    let y = crate::with_real!("prod", x.dtype(), T => {
        Tensor::from_vec(reduce(x.data::<T>()?, x.shape(), &mask, &ProdR), reduced_shape(x.shape(), &mask, keepdims))
    });
    Ok(record1(
        Prod { mask },
        &[x],
        Save {
            inputs: 1,
            outputs: true,
        },
        y,
    ))
}

/// The `ord`-norm over `axis` (2: sqrt of the sum of squares; 1: sum of absolute values).
pub fn norm(x: &Tensor, ord: i32, axis: Option<&[isize]>, keepdims: bool) -> Result<Tensor> {
    match ord {
        2 => norm2(x, axis, keepdims),
        1 => sum(&abs(x)?, axis, keepdims, false),
        other => Err(invalid(
            "norm",
            format!("ord must be 1 or 2, got {}", other),
        )),
    }
}

/// sqrt(sum(x^2)) in one pass and one node (the chapter's control flow calls it in a loop).
pub struct Norm2 {
    mask: Mask,
}
impl Op for Norm2 {
    fn name(&self) -> &'static str {
        "norm"
    }
    /// d/dx ||x|| = x / ||x||, taken as 0 where the norm is 0 (the subgradient MXNet uses).
    fn backward(&self, ctx: &Ctx, grads: &[Tensor]) -> Result<Grads> {
        let (x, y) = (ctx.input(0)?, ctx.output(0)?);
        let shape = ctx.input_shape(0);
        let zero = equal_scalar(&y.detach(), 0.0)?;
        let safe_y = super::elementwise::add(y, &zero)?; // 1 where the norm is 0, so no 0/0
        let scale = super::elementwise::div(&grads[0], &safe_y)?;
        let scale = mul(&scale, &super::elementwise::rsub_scalar(&zero, 1.0)?)?;
        Ok(smallvec![Some(mul(
            &expand_back(&scale, shape, &self.mask)?,
            x
        )?)])
    }
}

fn norm2(x: &Tensor, axis: Option<&[isize]>, keepdims: bool) -> Result<Tensor> {
    let mask = reduction_mask("norm", axis, x.ndim(), false)?;
    let shape = reduced_shape(x.shape(), &mask, keepdims);
    let y = if x.dtype() == DType::F16 {
        // Accumulated in f32 and rounded once (Note: float16).
        let xf = f16_to_f32(x.data::<f16>()?);
        let sq = reduce(&xf, x.shape(), &mask, &SumSquares);
        Tensor::from_vec(
            f32_to_f16(&sq.into_iter().map(f32::sqrt).collect::<Vec<f32>>()),
            shape,
        )
    } else {
        crate::with_real!("norm", x.dtype(), T => {
            let sq = reduce(x.data::<T>()?, x.shape(), &mask, &SumSquares);
            Tensor::from_vec(sq.into_iter().map(num_traits::Float::sqrt).collect::<Vec<T>>(), shape)
        })
    };
    Ok(record1(
        Norm2 { mask },
        &[x],
        Save {
            inputs: 1,
            outputs: true,
        },
        y,
    ))
}

/// Index of the maximum (or minimum) along `axis` (None: of the flattened array), returned as
/// floats of the input dtype, as MXNet does. No gradient.
pub fn arg_extremum(
    x: &Tensor,
    axis: Option<isize>,
    keepdims: bool,
    smallest: bool,
) -> Result<Tensor> {
    let op = if smallest { "argmin" } else { "argmax" };
    if x.numel() == 0 {
        return Err(invalid(
            op,
            "attempt to get the index of an extremum of an empty sequence",
        ));
    }
    let (shape, ax): (Shape, usize) = match axis {
        None => (smallvec![x.numel()], 0),
        Some(a) => (x.shape_vec(), normalize_axis(op, a, x.ndim())?),
    };
    let idx = crate::with_dtype!(x.dtype(), T => arg_extreme(x.data::<T>()?, &shape, ax, smallest));
    let mut mask: Mask = SmallVec::from_elem(false, shape.len());
    mask[ax] = true;
    let out_shape = reduced_shape(&shape, &mask, keepdims && axis.is_some());
    let dtype = if x.dtype().is_float() {
        x.dtype()
    } else {
        crate::dtype::DType::F32
    };
    crate::with_dtype!(dtype, T => {
        let vals: Vec<T> = idx.into_iter().map(|i| T::from_f64(i as f64)).collect();
        Ok(Tensor::from_vec(vals, out_shape))
    })
}

/// Sum treating NaN as zero.
pub fn nansum(x: &Tensor, axis: Option<&[isize]>, keepdims: bool, exclude: bool) -> Result<Tensor> {
    sum(&without_nan(x, 0.0)?, axis, keepdims, exclude)
}

/// Product treating NaN as one.
pub fn nanprod(
    x: &Tensor,
    axis: Option<&[isize]>,
    keepdims: bool,
    exclude: bool,
) -> Result<Tensor> {
    prod(&without_nan(x, 1.0)?, axis, keepdims, exclude)
}

fn without_nan(x: &Tensor, fill: f64) -> Result<Tensor> {
    let finite = equal(&x.detach(), &x.detach())?; // NaN != NaN
    super::elementwise::where_(&finite, x, &Tensor::filled(smallvec![], x.dtype(), fill))
}
