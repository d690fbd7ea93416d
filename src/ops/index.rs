//! Indexing: reading and writing strided regions (basic indexing: ints, slices with steps),
//! and rows picked by an index array (`take` on axis 0). Each read has an adjoint write and
//! vice versa, so both directions are differentiable to any order.

use crate::error::{index_err, Result};
use crate::graph::{record1, Ctx, Grads, Op, Save, Tensor};
use crate::kernels::strided::{gather, scatter};
use crate::shape::{fmt_tuple, numel, strides_of, Shape};
use smallvec::smallvec;

/// A strided region of a contiguous array: element (i, j, ...) of the region sits at
/// `base + i*strides[0] + j*strides[1] + ...` in the source.
#[derive(Clone, Debug)]
pub struct Region {
    pub base: isize,
    pub shape: Shape,
    pub strides: Vec<isize>,
}

impl Region {
    /// Whether the region is one contiguous run of the source (then reading it needs no copy).
    pub fn contiguous_start(&self) -> Option<usize> {
        let own = strides_of(&self.shape);
        let same = self
            .shape
            .iter()
            .zip(&self.strides)
            .zip(&own)
            .all(|((&d, &s), &o)| d == 1 || s == o as isize);
        (same && self.base >= 0).then_some(self.base as usize)
    }
}

pub struct GetRegion {
    region: Region,
}
impl Op for GetRegion {
    fn name(&self) -> &'static str {
        "slice"
    }
    fn backward(&self, ctx: &Ctx, grads: &[Tensor]) -> Result<Grads> {
        Ok(smallvec![Some(put_region(
            &grads[0],
            &self.region,
            Shape::from_slice(ctx.input_shape(0))
        )?)])
    }
}

/// Reads `region` of `x` as an array of shape `out_shape` (same size as the region). A
/// contiguous region is read without copying.
pub fn get_region(x: &Tensor, region: &Region, out_shape: Shape) -> Result<Tensor> {
    let y = match region.contiguous_start() {
        Some(start) => x.window_value(start, out_shape),
        None => crate::with_dtype!(x.dtype(), T => {
            Tensor::from_vec(gather(x.data::<T>()?, region.base, &region.shape, &region.strides), out_shape)
        }),
    };
    Ok(record1(
        GetRegion {
            region: region.clone(),
        },
        &[x],
        Save::NOTHING,
        y,
    ))
}

pub struct PutRegion {
    region: Region,
}
impl Op for PutRegion {
    fn name(&self) -> &'static str {
        "_slice_put"
    }
    fn backward(&self, ctx: &Ctx, grads: &[Tensor]) -> Result<Grads> {
        let shape = Shape::from_slice(ctx.input_shape(0));
        Ok(smallvec![Some(get_region(&grads[0], &self.region, shape)?)])
    }
}

/// A zero array of `shape` with `g` (the region's size) written into `region`: the adjoint
/// of `get_region`.
pub fn put_region(g: &Tensor, region: &Region, shape: Shape) -> Result<Tensor> {
    let y = crate::with_dtype!(g.dtype(), T => {
        let mut out = vec![T::default(); numel(&shape)];
        scatter_values(&mut out, region, g.data::<T>()?);
        Tensor::from_vec(out, shape)
    });
    Ok(record1(
        PutRegion {
            region: region.clone(),
        },
        &[g],
        Save::NOTHING,
        y,
    ))
}

/// Writes `values` (the region's size, row-major) into `region` of `dst`.
pub fn scatter_values<T: Copy + std::ops::Add<Output = T>>(
    dst: &mut [T],
    region: &Region,
    values: &[T],
) {
    scatter(
        dst,
        region.base,
        &region.shape,
        &region.strides,
        values,
        false,
    );
}

pub struct Take {
    rows: Vec<usize>,
}
impl Op for Take {
    fn name(&self) -> &'static str {
        "take"
    }
    fn backward(&self, ctx: &Ctx, grads: &[Tensor]) -> Result<Grads> {
        Ok(smallvec![Some(index_add(
            &grads[0],
            &self.rows,
            Shape::from_slice(ctx.input_shape(0))
        )?)])
    }
}

/// Rows of `x` (along axis 0) picked by `idx`; the result has shape idx.shape + x.shape[1:].
/// Negative indices count from the end; any other out-of-range index is an IndexError.
pub fn take_rows(x: &Tensor, idx: &Tensor) -> Result<Tensor> {
    let n = x.shape().first().copied().unwrap_or(0) as i64;
    let rows = idx
        .to_f64_vec()
        .into_iter()
        .map(|v| {
            let i = v as i64;
            let j = if i < 0 { i + n } else { i };
            if v.fract() != 0.0 || j < 0 || j >= n {
                Err(index_err(
                    "take",
                    format!("index {} is out of bounds for axis 0 with size {}", v, n),
                ))
            } else {
                Ok(j as usize)
            }
        })
        .collect::<Result<Vec<_>>>()?;
    let row_len: usize = x.shape()[1..].iter().product();
    let mut shape: Shape = idx.shape_vec();
    shape.extend_from_slice(&x.shape()[1..]);
    // Zero-size operands can pair dims whose product does not fit.
    crate::shape::checked_numel("take", &shape)?;
    let y = crate::with_dtype!(x.dtype(), T => {
        let src = x.data::<T>()?;
        let mut out = Vec::with_capacity(rows.len() * row_len);
        for &r in &rows {
            out.extend_from_slice(&src[r * row_len..(r + 1) * row_len]);
        }
        Tensor::from_vec(out, shape)
    });
    Ok(record1(Take { rows }, &[x], Save::NOTHING, y))
}

pub struct IndexAdd {
    rows: Vec<usize>,
}
impl Op for IndexAdd {
    fn name(&self) -> &'static str {
        "_index_add"
    }
    fn backward(&self, _ctx: &Ctx, grads: &[Tensor]) -> Result<Grads> {
        let g = &grads[0];
        let idx = Tensor::from_vec(
            self.rows.iter().map(|&r| r as f64).collect(),
            smallvec![self.rows.len()],
        );
        let taken = take_rows(g, &idx)?;
        let row_len = taken.numel() / self.rows.len().max(1);
        Ok(smallvec![Some(super::shape::reshape(
            &taken,
            smallvec![self.rows.len(), row_len]
        )?)])
    }
}

/// Zeros of `shape` with the rows of `g` added at `rows` (repeats sum): the adjoint of take.
pub fn index_add(g: &Tensor, rows: &[usize], shape: Shape) -> Result<Tensor> {
    let row_len: usize = shape[1..].iter().product();
    if g.numel() != rows.len() * row_len {
        return Err(crate::error::shape_err(
            "_index_add",
            format!(
                "gradient of shape {} does not match {} rows of {}",
                fmt_tuple(g.shape()),
                rows.len(),
                row_len
            ),
        ));
    }
    let y = crate::with_real!("_index_add", g.dtype(), T => {
        let src = g.data::<T>()?;
        let mut out = vec![T::default(); numel(&shape)];
        for (k, &r) in rows.iter().enumerate() {
            for (o, &v) in out[r * row_len..(r + 1) * row_len].iter_mut().zip(&src[k * row_len..(k + 1) * row_len]) {
                *o += v;
            }
        }
        Tensor::from_vec(out, shape)
    });
    let g_flat = super::shape::reshape(g, smallvec![rows.len(), row_len])?;
    Ok(record1(
        IndexAdd {
            rows: rows.to_vec(),
        },
        &[&g_flat],
        Save::NOTHING,
        y,
    ))
}

pub struct AssignRegion {
    region: Region,
}
impl Op for AssignRegion {
    fn name(&self) -> &'static str {
        "_slice_assign"
    }
    /// The target keeps the gradient outside the region; the value gets the region's part.
    fn backward(&self, ctx: &Ctx, grads: &[Tensor]) -> Result<Grads> {
        let g = &grads[0];
        let inside = get_region(g, &self.region, Shape::from_slice(ctx.input_shape(1)))?;
        let dt = if ctx.needs(0) {
            let shape = Shape::from_slice(ctx.input_shape(0));
            Some(super::elementwise::sub(
                g,
                &put_region(&inside, &self.region, shape)?,
            )?)
        } else {
            None
        };
        Ok(smallvec![dt, ctx.needs(1).then_some(inside)])
    }
}

/// `target` with `region` replaced by `value` (already of the region's shape): slice
/// assignment as a recorded op, so `out[i] = f(x)` inside record() is differentiable.
pub fn assign_region(target: &Tensor, value: &Tensor, region: &Region) -> Result<Tensor> {
    crate::value::same_dtype("_slice_assign", target, value)?;
    let y = crate::with_dtype!(target.dtype(), T => {
        let mut out = target.data::<T>()?.to_vec();
        scatter_values(&mut out, region, value.data::<T>()?);
        Tensor::from_vec(out, target.shape_vec())
    });
    Ok(record1(
        AssignRegion {
            region: region.clone(),
        },
        &[target, value],
        Save::NOTHING,
        y,
    ))
}

/// A random permutation of the rows (axis 0), as a fresh array (MXNet's shuffle is not
/// differentiable: the result is cut from the graph).
pub fn shuffle(x: &Tensor) -> Result<Tensor> {
    let n = x.shape().first().copied().unwrap_or(0);
    let order = crate::random::permutation(n);
    let idx = Tensor::from_vec(
        order.into_iter().map(|i| i as f64).collect::<Vec<f64>>(),
        smallvec::smallvec![n],
    );
    take_rows(&x.detach(), &idx)
}
