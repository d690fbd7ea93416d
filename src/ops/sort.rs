//! Sorting along an axis: sort, argsort, topk. Values are read through `gather_flat`, whose
//! adjoint `scatter_add_flat` is its backward (and vice versa), so gradients flow to the
//! elements that were picked, to any order (MXNet 1.9.1 fails on backward of sort/topk with
//! the default axis).

use crate::dtype::{DType, Element};
use crate::error::{invalid, Result};
use crate::graph::{record1, Ctx, Grads, Op, Save, Tensor};
use crate::shape::{normalize_axis, numel, Shape};
use smallvec::smallvec;
use std::sync::Arc;

pub struct GatherFlat {
    pos: Arc<Vec<usize>>,
}
impl Op for GatherFlat {
    fn name(&self) -> &'static str {
        "_gather_flat"
    }
    fn backward(&self, ctx: &Ctx, grads: &[Tensor]) -> Result<Grads> {
        Ok(smallvec![Some(scatter_add_flat(
            &grads[0],
            &self.pos,
            Shape::from_slice(ctx.input_shape(0))
        )?)])
    }
}

/// out[e] = x.flat[pos[e]], shaped `shape`.
pub fn gather_flat(x: &Tensor, pos: &Arc<Vec<usize>>, shape: Shape) -> Result<Tensor> {
    let y = crate::with_dtype!(x.dtype(), T => {
        let src = x.data::<T>()?;
        Tensor::from_vec(pos.iter().map(|&p| src[p]).collect::<Vec<T>>(), shape)
    });
    Ok(record1(
        GatherFlat { pos: pos.clone() },
        &[x],
        Save::NOTHING,
        y,
    ))
}

pub struct ScatterAddFlat {
    pos: Arc<Vec<usize>>,
}
impl Op for ScatterAddFlat {
    fn name(&self) -> &'static str {
        "_scatter_add_flat"
    }
    fn backward(&self, ctx: &Ctx, grads: &[Tensor]) -> Result<Grads> {
        Ok(smallvec![Some(gather_flat(
            &grads[0],
            &self.pos,
            Shape::from_slice(ctx.input_shape(0))
        )?)])
    }
}

/// Zeros of `shape` with g[e] added at flat position pos[e].
pub fn scatter_add_flat(g: &Tensor, pos: &Arc<Vec<usize>>, shape: Shape) -> Result<Tensor> {
    let y = crate::with_real!("_scatter_add_flat", g.dtype(), T => {
        let src = g.data::<T>()?;
        let mut out = vec![T::default(); numel(&shape)];
        for (&p, &v) in pos.iter().zip(src) {
            out[p] += v;
        }
        Tensor::from_vec(out, shape)
    });
    Ok(record1(
        ScatterAddFlat { pos: pos.clone() },
        &[g],
        Save::NOTHING,
        y,
    ))
}

/// For each lane along `axis`, the positions of its first `k` elements in sorted order
/// (stable; NaN sorts last ascending, first descending, as NumPy's reverse would).
/// Returns (flat source positions, lane-relative indices), both in output order.
fn sorted_positions(
    x: &Tensor,
    axis: usize,
    k: usize,
    ascending: bool,
) -> Result<(Vec<usize>, Vec<usize>)> {
    let s = x.shape();
    let n = s[axis];
    let inner: usize = s[axis + 1..].iter().product();
    let outer: usize = s[..axis].iter().product();
    let vals = x.to_f64_vec();
    let mut flat = vec![0usize; outer * k * inner];
    let mut rel = vec![0usize; outer * k * inner];
    let mut lane: Vec<usize> = Vec::with_capacity(n);
    for o in 0..outer {
        for i in 0..inner {
            lane.clear();
            lane.extend(0..n);
            let at = |j: usize| vals[(o * n + j) * inner + i];
            lane.sort_by(|&a, &b| {
                let (va, vb) = (at(a), at(b));
                let ord = va
                    .partial_cmp(&vb)
                    .unwrap_or_else(|| va.is_nan().cmp(&vb.is_nan()));
                if ascending {
                    ord
                } else {
                    ord.reverse()
                }
            });
            for (j, &src) in lane.iter().take(k).enumerate() {
                let e = (o * k + j) * inner + i;
                flat[e] = (o * n + src) * inner + i;
                rel[e] = src;
            }
        }
    }
    Ok((flat, rel))
}

fn indices_tensor(rel: Vec<usize>, shape: Shape, dtype: DType) -> Result<Tensor> {
    crate::with_dtype!(dtype, T => Ok(Tensor::from_vec(rel.into_iter().map(|i| T::from_f64(i as f64)).collect::<Vec<T>>(), shape)))
}

fn out_shape(x: &Tensor, axis: usize, k: usize) -> Shape {
    let mut s = x.shape_vec();
    s[axis] = k;
    s
}

/// The array flattened when `axis` is None (MXNet's sort/argsort/topk), with the axis to use.
fn lanes_of(op: &'static str, x: &Tensor, axis: Option<isize>) -> Result<(Tensor, usize)> {
    match axis {
        None => Ok((super::shape::reshape(x, smallvec![x.numel()])?, 0)),
        Some(a) => Ok((x.clone(), normalize_axis(op, a, x.ndim())?)),
    }
}

pub fn sort(x: &Tensor, axis: Option<isize>, is_ascend: bool) -> Result<Tensor> {
    let (x, ax) = lanes_of("sort", x, axis)?;
    let n = x.shape()[ax];
    let (flat, _) = sorted_positions(&x, ax, n, is_ascend)?;
    gather_flat(&x, &Arc::new(flat), x.shape_vec())
}

pub fn argsort(x: &Tensor, axis: Option<isize>, is_ascend: bool, dtype: DType) -> Result<Tensor> {
    let (x, ax) = lanes_of("argsort", x, axis)?;
    let n = x.shape()[ax];
    let (_, rel) = sorted_positions(&x, ax, n, is_ascend)?;
    indices_tensor(rel, x.shape_vec(), dtype)
}

/// What topk returns (MXNet's ret_typ).
pub enum TopK {
    Value(Tensor),
    Indices(Tensor),
    Both(Tensor, Tensor),
    Mask(Tensor),
}

/// The k extreme elements along `axis` (None: of the flattened array). k < 1 means all of
/// them, as in MXNet.
pub fn topk(
    x: &Tensor,
    axis: Option<isize>,
    k: i64,
    ret_typ: &str,
    is_ascend: bool,
    dtype: DType,
) -> Result<TopK> {
    let original_shape = x.shape_vec();
    let (x, ax) = lanes_of("topk", x, axis)?;
    let n = x.shape()[ax];
    let k = if k < 1 { n } else { k as usize };
    if k > n {
        return Err(invalid(
            "topk",
            format!(
                "k must be at most {} for an axis of size {}, got {}",
                n, n, k
            ),
        ));
    }
    let (flat, rel) = sorted_positions(&x, ax, k, is_ascend)?;
    let shape = out_shape(&x, ax, k);
    Ok(match ret_typ {
        "value" => TopK::Value(gather_flat(&x, &Arc::new(flat), shape)?),
        "indices" => TopK::Indices(indices_tensor(rel, shape, dtype)?),
        "both" => {
            let idx = indices_tensor(rel, shape.clone(), dtype)?;
            TopK::Both(gather_flat(&x, &Arc::new(flat), shape)?, idx)
        }
        "mask" => {
            let mut m = vec![0.0f64; x.numel()];
            for &p in &flat {
                m[p] = 1.0;
            }
            let mask = Tensor::from_vec(m, original_shape);
            TopK::Mask(super::shape::cast(&mask, x.dtype())?)
        }
        other => {
            return Err(invalid(
                "topk",
                format!(
                    "ret_typ must be value, indices, both or mask, got '{}'",
                    other
                ),
            ))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topk_of_rows() {
        let x = Tensor::from_vec(vec![3.0, 1.0, 2.0, 0.0, 5.0, 4.0], smallvec![2, 3]);
        let TopK::Both(v, i) = topk(&x, Some(-1), 2, "both", false, DType::F32).unwrap() else {
            panic!()
        };
        assert_eq!(v.to_f64_vec(), vec![3.0, 2.0, 5.0, 4.0]);
        assert_eq!(i.to_f64_vec(), vec![0.0, 2.0, 1.0, 2.0]);
        let s = sort(&x, Some(0), true).unwrap();
        assert_eq!(s.to_f64_vec(), vec![0.0, 1.0, 2.0, 3.0, 5.0, 4.0]);
    }
}
