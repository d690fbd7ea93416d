//! Broadcasting and its adjoint, summing: each is the other's backward (the gradient of
//! `broadcast_to` is `sum_to`, the gradient of `sum` is a broadcast), so they live together.

use super::shape::reshape;
use crate::dtype::{f16, f16_to_f32, f32_to_f16, DType};
use crate::error::{shape_err, Result};
use crate::graph::{record1, Ctx, Grads, Op, Save, Tensor};
use crate::kernels::reduce::{reduce, Sum as SumR};
use crate::kernels::strided::gather;
use crate::shape::{
    broadcast_shapes, broadcast_strides, fmt_tuple, reduced_shape, reduction_mask, Shape,
};
use smallvec::{smallvec, SmallVec};

pub(crate) type Mask = SmallVec<[bool; 4]>;

/// The shape of `input` with reduced axes kept as 1 (for broadcasting a gradient back).
pub(crate) fn kept_shape(input: &[usize], mask: &[bool]) -> Shape {
    input
        .iter()
        .zip(mask)
        .map(|(&d, &m)| if m { 1 } else { d })
        .collect()
}

/// The reduced gradient (or output) brought back to the input's shape.
pub(crate) fn expand_back(t: &Tensor, input: &[usize], mask: &[bool]) -> Result<Tensor> {
    let kept = reshape(t, kept_shape(input, mask))?;
    broadcast_to(&kept, input)
}

pub struct Sum {
    mask: Mask,
}
impl Op for Sum {
    fn name(&self) -> &'static str {
        "sum"
    }
    /// d/dx sum(x) = 1: the gradient, broadcast back over the reduced axes.
    fn backward(&self, ctx: &Ctx, grads: &[Tensor]) -> Result<Grads> {
        Ok(smallvec![Some(expand_back(
            &grads[0],
            ctx.input_shape(0),
            &self.mask
        )?)])
    }
}

/// Sum over `axis` (None: all axes).
pub fn sum(x: &Tensor, axis: Option<&[isize]>, keepdims: bool, exclude: bool) -> Result<Tensor> {
    let mask = reduction_mask("sum", axis, x.ndim(), exclude)?;
    if !x.dtype().is_float() {
        return super::integer::reduce("sum", x, &mask, keepdims, false);
    }
    let shape = reduced_shape(x.shape(), &mask, keepdims);
    let y = if x.dtype() == DType::F16 {
        // Accumulated in f32 and rounded once, as MXNet does (Note: float16).
        let xf = f16_to_f32(x.data::<f16>()?);
        Tensor::from_vec(f32_to_f16(&reduce(&xf, x.shape(), &mask, &SumR)), shape)
    } else {
        crate::with_real!("sum", x.dtype(), T => {
            Tensor::from_vec(reduce(x.data::<T>()?, x.shape(), &mask, &SumR), shape)
        })
    };
    Ok(record1(Sum { mask }, &[x], Save::NOTHING, y))
}

pub struct BroadcastTo;
impl Op for BroadcastTo {
    fn name(&self) -> &'static str {
        "broadcast_to"
    }
    fn backward(&self, ctx: &Ctx, grads: &[Tensor]) -> Result<Grads> {
        Ok(smallvec![Some(sum_to(
            grads[0].clone(),
            ctx.input_shape(0)
        )?)])
    }
}

/// Repeats `x` along its unit (or missing leading) axes up to `shape`.
pub fn broadcast_to(x: &Tensor, shape: &[usize]) -> Result<Tensor> {
    if x.shape() == shape {
        return Ok(x.clone());
    }
    let full = broadcast_shapes("broadcast_to", x.shape(), shape)?;
    if full.as_slice() != shape {
        return Err(shape_err(
            "broadcast_to",
            format!(
                "cannot broadcast an array of shape {} to shape {}",
                fmt_tuple(x.shape()),
                fmt_tuple(shape)
            ),
        ));
    }
    crate::shape::check_alloc("broadcast_to", shape, x.dtype())?;
    let strides: Vec<isize> = broadcast_strides(x.shape(), shape)
        .iter()
        .map(|&s| s as isize)
        .collect();
    let y = crate::with_dtype!(x.dtype(), T => {
        let xs = x.data::<T>()?;
        // One value (a sum's gradient, a scalar) spreads as a fill, known to be uniform.
        match x.uniform_value::<T>().or_else(|| (xs.len() == 1).then(|| xs[0])) {
            Some(v) => Tensor::full(Shape::from_slice(shape), v),
            None => Tensor::from_vec(gather(xs, 0, shape, &strides), Shape::from_slice(shape)),
        }
    });
    Ok(record1(BroadcastTo, &[x], Save::NOTHING, y))
}

/// Sum of `g` down to `shape` (the adjoint of broadcasting `shape` up to `g.shape()`); `g`
/// itself when it already has that shape (the common case: no broadcast happened).
pub fn sum_to(g: Tensor, shape: &[usize]) -> Result<Tensor> {
    if g.shape() == shape {
        return Ok(g);
    }
    let lead = g.ndim() - shape.len();
    let axes: Vec<isize> = (0..g.ndim())
        .filter(|&i| i < lead || (shape[i - lead] == 1 && g.shape()[i] != 1))
        .map(|i| i as isize)
        .collect();
    let s = sum(&g, Some(&axes), true, false)?;
    reshape(&s, Shape::from_slice(shape))
}
