//! Ops that move elements without arithmetic: reshape, transpose, copy, cast. Each one's
//! backward is itself (or its inverse), so this file needs no other op.

use crate::dtype::{DType, Element};
use crate::error::{invalid, shape_err, Result};
use crate::graph::{record1, Ctx, Grads, Op, Save, Tensor};
use crate::kernels::elementwise::map;
use crate::kernels::strided::permute;
use crate::shape::{fmt_tuple, normalize_axis, Shape};
use smallvec::smallvec;

pub struct Reshape;
impl Op for Reshape {
    fn name(&self) -> &'static str {
        "reshape"
    }
    fn backward(&self, ctx: &Ctx, grads: &[Tensor]) -> Result<Grads> {
        Ok(smallvec![Some(reshape(
            &grads[0],
            Shape::from_slice(ctx.input_shape(0))
        )?)])
    }
}

/// The same elements read with another shape of the same size; shares the buffer.
pub fn reshape(x: &Tensor, shape: Shape) -> Result<Tensor> {
    // Checked: a product that wraps around could equal the size.
    if crate::shape::checked_numel("reshape", &shape).ok() != Some(x.numel()) {
        return Err(shape_err(
            "reshape",
            format!(
                "cannot reshape array of shape {} into shape {}",
                fmt_tuple(x.shape()),
                fmt_tuple(&shape)
            ),
        ));
    }
    if shape.as_slice() == x.shape() {
        return Ok(x.clone());
    }
    Ok(record1(
        Reshape,
        &[x],
        Save::NOTHING,
        x.reshaped_value(shape),
    ))
}

pub struct Transpose {
    axes: Vec<usize>,
}
impl Op for Transpose {
    fn name(&self) -> &'static str {
        "transpose"
    }
    fn backward(&self, _ctx: &Ctx, grads: &[Tensor]) -> Result<Grads> {
        let mut inverse = vec![0isize; self.axes.len()];
        for (i, &a) in self.axes.iter().enumerate() {
            inverse[a] = i as isize;
        }
        Ok(smallvec![Some(transpose(&grads[0], Some(&inverse))?)])
    }
}

/// Permutes the axes (None: reverses them, as `.T`). Copies, as MXNet does.
pub fn transpose(x: &Tensor, axes: Option<&[isize]>) -> Result<Tensor> {
    let nd = x.ndim();
    let axes: Vec<usize> = match axes {
        None => (0..nd).rev().collect(),
        Some(a) => {
            if a.len() != nd {
                return Err(invalid(
                    "transpose",
                    format!("axes {:?} do not match an array of {} dimensions", a, nd),
                ));
            }
            let axes = a
                .iter()
                .map(|&i| normalize_axis("transpose", i, nd))
                .collect::<Result<Vec<_>>>()?;
            let mut seen = vec![false; nd];
            for &i in &axes {
                if std::mem::replace(&mut seen[i], true) {
                    return Err(invalid(
                        "transpose",
                        format!("repeated axis {} in {:?}", i, a),
                    ));
                }
            }
            axes
        }
    };
    let shape: Shape = axes.iter().map(|&a| x.shape()[a]).collect();
    let y = crate::with_dtype!(x.dtype(), T => Tensor::from_vec(permute(x.data::<T>()?, x.shape(), &axes), shape));
    Ok(record1(Transpose { axes }, &[x], Save::NOTHING, y))
}

pub struct Identity;
impl Op for Identity {
    fn name(&self) -> &'static str {
        "copy"
    }
    fn backward(&self, _ctx: &Ctx, grads: &[Tensor]) -> Result<Grads> {
        Ok(smallvec![Some(grads[0].clone())])
    }
}

/// A fresh copy with its own buffer (recorded, so gradients flow through it).
pub fn copy(x: &Tensor) -> Result<Tensor> {
    let y = crate::with_dtype!(x.dtype(), T => Tensor::from_vec(x.data::<T>()?.to_vec(), x.shape_vec()));
    Ok(record1(Identity, &[x], Save::NOTHING, y))
}

/// The identity whose gradient is zero (MXNet's stop_gradient / BlockGrad): recorded, so a
/// backward through it runs and gives the inputs no gradient, as MXNet does.
pub struct StopGradient;
impl Op for StopGradient {
    fn name(&self) -> &'static str {
        "stop_gradient"
    }
    fn backward(&self, _ctx: &Ctx, _grads: &[Tensor]) -> Result<Grads> {
        Ok(smallvec![None])
    }
}

/// `x`'s value (the same buffer: values are immutable), with no gradient flowing back to `x`.
pub fn stop_gradient(x: &Tensor) -> Result<Tensor> {
    Ok(record1(StopGradient, &[x], Save::NOTHING, x.detach()))
}

/// Remembers the source dtype, which the gradient is converted back to.
pub struct Cast(DType);
impl Op for Cast {
    fn name(&self) -> &'static str {
        "cast"
    }
    fn backward(&self, _ctx: &Ctx, grads: &[Tensor]) -> Result<Grads> {
        Ok(smallvec![Some(cast(&grads[0], self.0)?)])
    }
}

/// Converts the elements to `dtype` (truncating toward zero for integer targets, as NumPy).
/// Between float types the gradient flows back converted; integer results carry none.
pub fn cast(x: &Tensor, dtype: DType) -> Result<Tensor> {
    if x.dtype() == dtype {
        return copy(x);
    }
    let y = crate::with_dtype!(x.dtype(), S => {
        let src = x.data::<S>()?;
        crate::with_dtype!(dtype, T => Tensor::from_vec(map(src, |v: S| T::from_f64(v.to_f64())), x.shape_vec()))
    });
    if !dtype.is_float() {
        return Ok(y);
    }
    Ok(record1(Cast(x.dtype()), &[x], Save::NOTHING, y))
}
