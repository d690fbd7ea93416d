//! Indexing: reading and writing strided regions (basic indexing: ints, slices with steps),
//! and rows picked by an index array (`take` on axis 0). Each read has an adjoint write and
//! vice versa, so both directions are differentiable to any order.

use crate::error::{index_err, Result};
use crate::graph::{record1, Ctx, Grads, Op, Save, Tensor};
use crate::kernels::strided::{gather, scatter};
use crate::shape::{checked_numel, fmt_tuple, numel, strides_of, Shape};
use smallvec::{smallvec, SmallVec};
use std::sync::Arc;

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

// ---------------------------------------------------------------------------------------------
// NumPy indexing: a key (ints, slices, new axes, an ellipsis, integer arrays, boolean masks)
// is planned against the source's shape into either a strided region (basic indexing: a view
// where MXNet makes one) or a list of element offsets (advanced indexing: a gather, whose
// adjoint is a scatter-add that sums repeated positions).

/// One item of an index key, as the bindings read it from Python.
#[derive(Clone, Debug)]
pub enum Item {
    /// A position on the next axis; negative counts from the end.
    Int(i64),
    /// Python slice bounds on the next axis (`None` where the slice leaves them out).
    Slice {
        start: Option<i64>,
        stop: Option<i64>,
        step: Option<i64>,
    },
    /// `None` / `np.newaxis`: a new axis of length 1, taking no axis of the source.
    NewAxis,
    /// `...`: as many full slices as the other items leave axes.
    Ellipsis,
    /// Integer positions on the next axis, arranged in an array of shape `shape`.
    Array { positions: Vec<i64>, shape: Shape },
    /// A boolean mask over the next `shape.len()` axes (a 0-d mask is a Python or NumPy bool).
    Mask { mask: Vec<bool>, shape: Shape },
}

impl Item {
    /// How many axes of the source the item takes.
    fn axes(&self) -> usize {
        match self {
            Item::Int(_) | Item::Slice { .. } | Item::Array { .. } => 1,
            Item::NewAxis | Item::Ellipsis => 0,
            Item::Mask { shape, .. } => shape.len(),
        }
    }
}

/// What a key selects.
#[derive(Clone, Debug)]
pub enum Plan {
    /// Basic indexing: a strided region, read as an array of `shape`. `view`: the region is
    /// one contiguous run of the source, so the result can share its memory (MXNet's rule).
    Region {
        region: Region,
        shape: Shape,
        view: bool,
    },
    /// Advanced indexing: `offsets.len()` runs of `block` consecutive source elements, read
    /// as an array of `shape`.
    Gather {
        offsets: Arc<Vec<usize>>,
        block: usize,
        shape: Shape,
    },
}

impl Plan {
    /// The shape of what the key selects (a value assigned to it is broadcast to this).
    pub fn shape(&self) -> &[usize] {
        match self {
            Plan::Region { shape, .. } | Plan::Gather { shape, .. } => shape,
        }
    }
}

/// Marks an offset with no source element: a gather reads zero there, a scatter-add skips it.
pub const NO_SOURCE: usize = usize::MAX;

/// Python's `slice.indices(len)`: (start, step, number of positions).
pub fn resolve_slice_bounds(
    op: &'static str,
    start: Option<i64>,
    stop: Option<i64>,
    step: Option<i64>,
    len: usize,
) -> Result<(i64, i64, usize)> {
    let step = step.unwrap_or(1);
    if step == 0 {
        return Err(crate::error::invalid(op, "slice step cannot be zero"));
    }
    let n = len as i64;
    let clamp = |v: Option<i64>, default: i64| -> i64 {
        match v {
            None => default,
            Some(v) if v < 0 => {
                let v = v.saturating_add(n);
                if v < 0 {
                    if step < 0 {
                        -1
                    } else {
                        0
                    }
                } else {
                    v
                }
            }
            Some(v) if v >= n => {
                if step < 0 {
                    n - 1
                } else {
                    n
                }
            }
            Some(v) => v,
        }
    };
    let (start, stop) = if step < 0 {
        (clamp(start, n - 1), clamp(stop, -1))
    } else {
        (clamp(start, 0), clamp(stop, n))
    };
    let count = if step < 0 {
        if stop < start {
            (start - stop - 1) / (-step) + 1
        } else {
            0
        }
    } else if start < stop {
        (stop - start - 1) / step + 1
    } else {
        0
    };
    Ok((start, step, count as usize))
}

/// One position checked against an axis: negative counts from the end. The error names the
/// index, the axis and its size, as NumPy's does.
fn position(op: &'static str, i: i64, axis: usize, len: usize) -> Result<usize> {
    let n = len as i64;
    let j = if i < 0 { i.saturating_add(n) } else { i };
    if j < 0 || j >= n {
        return Err(index_err(
            op,
            format!(
                "index {} is out of bounds for axis {} with size {}",
                i, axis, len
            ),
        ));
    }
    Ok(j as usize)
}

/// One output axis of an advanced index before the offsets are laid out.
enum Part {
    /// A sliced (or new) axis: `len` positions `stride` apart.
    Basic { len: usize, stride: isize },
    /// An indexed axis: positions (already checked) in an array of `shape`, `stride` apart.
    Adv {
        positions: Vec<usize>,
        shape: Shape,
        stride: isize,
    },
}

type Parts = SmallVec<[Part; 6]>;

/// Plans `key` against an array of `shape` (row-major, contiguous). `op` names the caller in
/// errors (`__getitem__` or `__setitem__`).
pub fn plan(op: &'static str, shape: &[usize], key: &[Item]) -> Result<Plan> {
    let plan = plan_positions(op, shape, key)?;
    // New axes and zero-size index arrays can make a result shape whose size does not exist
    // (`zeros((3, 2**40, 0))[zeros((0, 2**40))]`): refused, as NumPy does.
    checked_numel(op, plan.shape())?;
    Ok(plan)
}

fn plan_positions(op: &'static str, shape: &[usize], key: &[Item]) -> Result<Plan> {
    if let (
        [Item::Array {
            positions,
            shape: ishape,
        }],
        Some(&n),
    ) = (key, shape.first())
    {
        // x[idx], the common advanced index (batches, embeddings), without the general case's
        // bookkeeping: whole rows of the source, in the index's shape.
        let row = numel(&shape[1..]);
        let offsets = positions
            .iter()
            .map(|&i| position(op, i, 0, n).map(|p| p * row))
            .collect::<Result<Vec<_>>>()?;
        let mut out: Shape = ishape.iter().chain(&shape[1..]).copied().collect();
        if out.is_empty() {
            out.push(1); // MXNet's (1,) for one element picked by an int
        }
        return Ok(Plan::Gather {
            offsets: Arc::new(offsets),
            block: row,
            shape: out,
        });
    }
    let taken: usize = key.iter().map(Item::axes).sum();
    let ellipses = key.iter().filter(|k| matches!(k, Item::Ellipsis)).count();
    if ellipses > 1 {
        return Err(index_err(
            op,
            "an index can only have a single ellipsis ('...')",
        ));
    }
    if taken > shape.len() {
        return Err(index_err(
            op,
            format!(
                "too many indices for an array of shape {}: {} axes are indexed, it has {}",
                fmt_tuple(shape),
                taken,
                shape.len()
            ),
        ));
    }
    // Small vectors: `x[i]` and `x[:, j]` sit in users' inner loops, so no heap here.
    let strides: SmallVec<[isize; 6]> = strides_of(shape).iter().map(|&s| s as isize).collect();
    let advanced = key
        .iter()
        .any(|k| matches!(k, Item::Array { .. } | Item::Mask { .. }));
    let mut base: isize = 0;
    let mut parts: Parts = SmallVec::new();
    let mut axis = 0usize;
    let mut any_int = false;
    for item in key {
        match item {
            Item::Ellipsis => {
                for _ in 0..shape.len() - taken {
                    parts.push(Part::Basic {
                        len: shape[axis],
                        stride: strides[axis],
                    });
                    axis += 1;
                }
            }
            Item::NewAxis => parts.push(Part::Basic { len: 1, stride: 0 }),
            Item::Slice { start, stop, step } => {
                let (s, st, len) = resolve_slice_bounds(op, *start, *stop, *step, shape[axis])?;
                if len > 0 {
                    base += s as isize * strides[axis];
                }
                parts.push(Part::Basic {
                    len,
                    stride: st as isize * strides[axis],
                });
                axis += 1;
            }
            Item::Int(i) => {
                let p = position(op, *i, axis, shape[axis])?;
                any_int = true;
                if advanced {
                    // Next to an index array an int is one more (0-d) index array, as in NumPy:
                    // it takes part in broadcasting and in where the result's axes go.
                    parts.push(Part::Adv {
                        positions: vec![p],
                        shape: Shape::new(),
                        stride: strides[axis],
                    });
                } else {
                    base += p as isize * strides[axis];
                }
                axis += 1;
            }
            Item::Array {
                positions,
                shape: ishape,
            } => {
                let positions = positions
                    .iter()
                    .map(|&i| position(op, i, axis, shape[axis]))
                    .collect::<Result<Vec<_>>>()?;
                if ishape.is_empty() {
                    any_int = true;
                }
                parts.push(Part::Adv {
                    positions,
                    shape: ishape.clone(),
                    stride: strides[axis],
                });
                axis += 1;
            }
            Item::Mask {
                mask,
                shape: mshape,
            } => {
                if mshape.is_empty() {
                    // A bool scalar: a new axis of length 1 (True) or 0 (False), as in NumPy.
                    let hits: Vec<usize> = if mask.first().copied().unwrap_or(false) {
                        vec![0]
                    } else {
                        vec![]
                    };
                    let n = hits.len();
                    parts.push(Part::Adv {
                        positions: hits,
                        shape: smallvec![n],
                        stride: 0,
                    });
                    continue;
                }
                for (k, &m) in mshape.iter().enumerate() {
                    if shape[axis + k] != m {
                        return Err(index_err(
                            op,
                            format!(
                                "boolean index did not match the array along axis {}: the \
                                 axis has size {} but the boolean index has size {}",
                                axis + k,
                                shape[axis + k],
                                m
                            ),
                        ));
                    }
                }
                // The mask is the index arrays of its True elements' coordinates, one per axis.
                let mstrides = strides_of(mshape);
                let hits: Vec<usize> = (0..mask.len()).filter(|&f| mask[f]).collect();
                for (k, &ms) in mstrides.iter().enumerate() {
                    parts.push(Part::Adv {
                        positions: hits.iter().map(|&f| (f / ms) % mshape[k]).collect(),
                        shape: smallvec![hits.len()],
                        stride: strides[axis + k],
                    });
                }
                axis += mshape.len();
            }
        }
    }
    for d in axis..shape.len() {
        parts.push(Part::Basic {
            len: shape[d],
            stride: strides[d],
        });
    }
    if !advanced {
        let mut rshape = Shape::new();
        let mut rstrides = Vec::with_capacity(parts.len());
        for p in &parts {
            if let Part::Basic { len, stride } = p {
                rshape.push(*len);
                rstrides.push(*stride);
            }
        }
        let mut out = rshape.clone();
        if out.is_empty() && any_int {
            // MXNet: an element picked by ints is an array of shape (1,), not 0-d.
            out.push(1);
        }
        let region = Region {
            base,
            shape: rshape,
            strides: rstrides,
        };
        let view = region.contiguous_start().is_some();
        return Ok(Plan::Region {
            region,
            shape: out,
            view,
        });
    }
    gather_plan(op, base, parts, any_int)
}

/// Lays out the offsets of an advanced index (see `plan`).
fn gather_plan(op: &'static str, base: isize, parts: Parts, any_int: bool) -> Result<Plan> {
    let adv_at: SmallVec<[usize; 4]> = parts
        .iter()
        .enumerate()
        .filter(|(_, p)| matches!(p, Part::Adv { .. }))
        .map(|(i, _)| i)
        .collect();
    // Each element of the broadcast index picks one source offset.
    let (bshape, adv) = match adv_at.as_slice() {
        // One index array (x[idx], x[:, idx]): its own shape, no broadcasting.
        [one] => match &parts[*one] {
            Part::Adv {
                positions,
                shape,
                stride,
            } => (
                shape.clone(),
                positions.iter().map(|&p| p as isize * stride).collect(),
            ),
            Part::Basic { .. } => (Shape::new(), vec![0]),
        },
        _ => broadcast_index(op, &parts)?,
    };
    // Where the broadcast index's axes go: in place of the index arrays when these are
    // adjacent in the key, else first (NumPy's rule; ints next to arrays count as arrays).
    let adjacent = adv_at.windows(2).all(|w| w[1] == w[0] + 1);
    let basics: SmallVec<[(usize, isize); 6]> = parts
        .iter()
        .filter_map(|p| match p {
            Part::Basic { len, stride } => Some((*len, *stride)),
            Part::Adv { .. } => None,
        })
        .collect();
    let n_before = match adv_at.first() {
        Some(&first) if adjacent => parts[..first]
            .iter()
            .filter(|p| matches!(p, Part::Basic { .. }))
            .count(),
        _ => 0,
    };
    let (before, after) = basics.split_at(n_before);
    let mut shape: Shape = before.iter().map(|b| b.0).collect();
    shape.extend_from_slice(&bshape);
    shape.extend(after.iter().map(|b| b.0));
    // Trailing sliced axes that run contiguously in the source become one copied block.
    let mut block = 1usize;
    let mut tail = after.len();
    while tail > 0 {
        let (len, stride) = after[tail - 1];
        if len != 1 && stride != block as isize {
            break;
        }
        block *= len;
        tail -= 1;
    }
    if shape.is_empty() && any_int {
        shape.push(1); // MXNet's (1,) for one element picked by ints
    }
    if before.is_empty() && tail == 0 && block > 0 {
        // The index picks whole blocks (x[idx] of rows): its offsets are the blocks' offsets.
        let offsets = adv.iter().map(|&a| (base + a) as usize).collect();
        return Ok(Plan::Gather {
            offsets: Arc::new(offsets),
            block,
            shape,
        });
    }
    // The offset of each block: the output's other axes, outermost first.
    let expand = |offsets: Vec<isize>, &(len, stride): &(usize, isize)| -> Vec<isize> {
        let mut out = Vec::with_capacity(offsets.len() * len);
        for o in offsets {
            out.extend((0..len as isize).map(|i| o + i * stride));
        }
        out
    };
    let mut offsets = before.iter().fold(vec![base], expand);
    offsets = offsets
        .iter()
        .flat_map(|&o| adv.iter().map(move |&a| o + a))
        .collect();
    offsets = after[..tail].iter().fold(offsets, expand);
    if block == 0 {
        offsets.clear();
    }
    Ok(Plan::Gather {
        offsets: Arc::new(offsets.into_iter().map(|o| o as usize).collect()),
        block,
        shape,
    })
}

/// Several index arrays (ints among them) broadcast together: the broadcast shape, and the
/// source offset each of its elements picks.
fn broadcast_index(op: &'static str, parts: &[Part]) -> Result<(Shape, Vec<isize>)> {
    let shapes: Vec<&Shape> = parts
        .iter()
        .filter_map(|p| match p {
            Part::Adv { shape, .. } => Some(shape),
            Part::Basic { .. } => None,
        })
        .collect();
    let mut bshape = Shape::new();
    for s in &shapes {
        bshape = crate::shape::broadcast_shapes(op, &bshape, s).map_err(|_| {
            index_err(
                op,
                format!(
                    "shape mismatch: indexing arrays could not be broadcast together with \
                     shapes {}",
                    shapes
                        .iter()
                        .map(|s| fmt_tuple(s))
                        .collect::<Vec<_>>()
                        .join(" ")
                ),
            )
        })?;
    }
    let mut adv = vec![0isize; numel(&bshape)];
    let bstrides = strides_of(&bshape);
    for p in parts {
        if let Part::Adv {
            positions,
            shape,
            stride,
        } = p
        {
            // The index array's own strides within the broadcast shape (0 on broadcast axes).
            let lead = bshape.len() - shape.len();
            let own = strides_of(shape);
            for (b, a) in adv.iter_mut().enumerate() {
                let mut f = 0usize;
                for (k, &d) in shape.iter().enumerate() {
                    if d != 1 {
                        f += (b / bstrides[lead + k]) % bshape[lead + k] * own[k];
                    }
                }
                *a += positions[f] as isize * stride;
            }
        }
    }
    Ok((bshape, adv))
}

pub struct Gather {
    offsets: Arc<Vec<usize>>,
    block: usize,
}
impl Op for Gather {
    fn name(&self) -> &'static str {
        "_gather_index"
    }
    fn backward(&self, ctx: &Ctx, grads: &[Tensor]) -> Result<Grads> {
        Ok(smallvec![Some(scatter_add_at(
            &grads[0],
            &self.offsets,
            self.block,
            Shape::from_slice(ctx.input_shape(0)),
        )?)])
    }
}

fn out_of_range(op: &'static str) -> crate::error::Error {
    crate::error::Error::Graph(format!(
        "internal error: {} offsets fall outside the array",
        op
    ))
}

/// `offsets.len()` blocks of `block` elements of `x` (zeros at `NO_SOURCE`), as an array of
/// `shape`: the read of an advanced index. Its gradient is `scatter_add_at`.
pub fn gather_at(
    x: &Tensor,
    offsets: &Arc<Vec<usize>>,
    block: usize,
    shape: Shape,
) -> Result<Tensor> {
    if offsets.len() * block != numel(&shape) {
        return Err(out_of_range("_gather_index"));
    }
    let y = crate::with_dtype!(x.dtype(), T => {
        let src = x.data::<T>()?;
        let mut out: Vec<T> = Vec::with_capacity(offsets.len() * block);
        for &o in offsets.iter() {
            if o == NO_SOURCE {
                out.resize(out.len() + block, T::default());
            } else {
                let run = src.get(o..o + block).ok_or_else(|| out_of_range("_gather_index"))?;
                out.extend_from_slice(run);
            }
        }
        Tensor::from_vec(out, shape)
    });
    Ok(record1(
        Gather {
            offsets: offsets.clone(),
            block,
        },
        &[x],
        Save::NOTHING,
        y,
    ))
}

pub struct ScatterAdd {
    offsets: Arc<Vec<usize>>,
    block: usize,
}
impl Op for ScatterAdd {
    fn name(&self) -> &'static str {
        "_scatter_add_index"
    }
    fn backward(&self, ctx: &Ctx, grads: &[Tensor]) -> Result<Grads> {
        Ok(smallvec![Some(gather_at(
            &grads[0],
            &self.offsets,
            self.block,
            Shape::from_slice(ctx.input_shape(0)),
        )?)])
    }
}

/// Zeros of `shape` with the blocks of `g` added at `offsets` (repeats sum; `NO_SOURCE` blocks
/// are dropped): the gradient of `gather_at`.
pub fn scatter_add_at(
    g: &Tensor,
    offsets: &Arc<Vec<usize>>,
    block: usize,
    shape: Shape,
) -> Result<Tensor> {
    if offsets.len() * block != g.numel() {
        return Err(out_of_range("_scatter_add_index"));
    }
    let n = numel(&shape);
    let y = crate::with_real!("_scatter_add_index", g.dtype(), T => {
        let src = g.data::<T>()?;
        let mut out = vec![T::default(); n];
        for (k, &o) in offsets.iter().enumerate() {
            if o == NO_SOURCE {
                continue;
            }
            let dst = out.get_mut(o..o + block).ok_or_else(|| out_of_range("_scatter_add_index"))?;
            for (d, &v) in dst.iter_mut().zip(&src[k * block..(k + 1) * block]) {
                *d += v;
            }
        }
        Tensor::from_vec(out, shape)
    });
    Ok(record1(
        ScatterAdd {
            offsets: offsets.clone(),
            block,
        },
        &[g],
        Save::NOTHING,
        y,
    ))
}

/// Writes the blocks of `values` (row-major, `offsets.len() * block` elements) at `offsets` of
/// `dst`, in order, so a repeated position keeps the last value (as NumPy does).
pub fn write_at<T: Copy>(
    dst: &mut [T],
    offsets: &[usize],
    block: usize,
    values: &[T],
) -> Result<()> {
    if values.len() != offsets.len() * block {
        return Err(out_of_range("__setitem__"));
    }
    for (k, &o) in offsets.iter().enumerate() {
        let run = dst
            .get_mut(o..o + block)
            .ok_or_else(|| out_of_range("__setitem__"))?;
        run.copy_from_slice(&values[k * block..(k + 1) * block]);
    }
    Ok(())
}

/// `offsets` with every position that a later block overwrites replaced by `NO_SOURCE`: the
/// blocks whose values survive a write.
fn last_writers(offsets: &[usize]) -> Vec<usize> {
    let mut seen = std::collections::HashSet::with_capacity(offsets.len());
    let mut out = vec![NO_SOURCE; offsets.len()];
    for (k, &o) in offsets.iter().enumerate().rev() {
        if seen.insert(o) {
            out[k] = o;
        }
    }
    out
}

pub struct AssignAt {
    offsets: Arc<Vec<usize>>,
    winners: Arc<Vec<usize>>,
    block: usize,
}
impl Op for AssignAt {
    fn name(&self) -> &'static str {
        "_index_assign"
    }
    /// The target keeps its gradient where nothing was written; each written position's
    /// gradient goes to the value block that was written there last.
    fn backward(&self, ctx: &Ctx, grads: &[Tensor]) -> Result<Grads> {
        let g = &grads[0];
        let dt = if ctx.needs(0) {
            let keep = crate::with_dtype!(g.dtype(), T => {
                let mut m = vec![<T as crate::dtype::Element>::from_f64(1.0); g.numel()];
                write_at(&mut m, &self.offsets, self.block, &vec![T::default(); self.offsets.len() * self.block])?;
                Tensor::from_vec(m, g.shape_vec())
            });
            Some(super::elementwise::mul(g, &keep)?)
        } else {
            None
        };
        let dv = if ctx.needs(1) {
            Some(gather_at(
                g,
                &self.winners,
                self.block,
                Shape::from_slice(ctx.input_shape(1)),
            )?)
        } else {
            None
        };
        Ok(smallvec![dt, dv])
    }
}

/// `target` with the blocks of `value` written at `offsets` (an advanced-index assignment as a
/// recorded op, so `out[idx] = f(x)` inside record() is differentiable). `value` has the shape
/// the index selects.
pub fn assign_at(
    target: &Tensor,
    value: &Tensor,
    offsets: &Arc<Vec<usize>>,
    block: usize,
) -> Result<Tensor> {
    crate::value::same_dtype("_index_assign", target, value)?;
    let y = crate::with_dtype!(target.dtype(), T => {
        let mut out = target.data::<T>()?.to_vec();
        write_at(&mut out, offsets, block, value.data::<T>()?)?;
        Tensor::from_vec(out, target.shape_vec())
    });
    Ok(record1(
        AssignAt {
            offsets: offsets.clone(),
            winners: Arc::new(last_writers(offsets)),
            block,
        },
        &[target, value],
        Save::NOTHING,
        y,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(start: Option<i64>, stop: Option<i64>, step: Option<i64>) -> Item {
        Item::Slice { start, stop, step }
    }
    fn arr(positions: &[i64]) -> Item {
        Item::Array {
            positions: positions.to_vec(),
            shape: smallvec![positions.len()],
        }
    }
    fn gather(p: Plan) -> (Vec<usize>, usize, Vec<usize>) {
        match p {
            Plan::Gather {
                offsets,
                block,
                shape,
            } => (offsets.to_vec(), block, shape.to_vec()),
            Plan::Region { .. } => panic!("expected a gather"),
        }
    }

    #[test]
    fn slice_bounds_follow_python() {
        let r = |a, b, c, n| resolve_slice_bounds("t", a, b, c, n).unwrap();
        assert_eq!(r(None, None, None, 5), (0, 1, 5));
        assert_eq!(r(None, None, Some(-1), 5), (4, -1, 5));
        assert_eq!(r(Some(3), Some(0), Some(-1), 5), (3, -1, 3));
        assert_eq!(r(Some(-1), Some(-4), Some(-1), 5), (4, -1, 3));
        assert_eq!(r(Some(2), Some(100), None, 5), (2, 1, 3));
        assert_eq!(r(Some(7), Some(9), None, 5).2, 0);
        assert_eq!(r(Some(1), None, Some(3), 5), (1, 3, 2));
        assert_eq!(r(Some(-100), None, None, 5), (0, 1, 5));
        assert!(resolve_slice_bounds("t", None, None, Some(0), 5).is_err());
    }

    #[test]
    fn basic_keys_plan_regions_and_views() {
        let p = plan("t", &[2, 3, 4], &[Item::Int(1), s(Some(1), Some(3), None)]).unwrap();
        let Plan::Region {
            region,
            shape,
            view,
        } = p
        else {
            panic!("expected a region")
        };
        assert_eq!((region.base, shape.to_vec(), view), (16, vec![2, 4], true));
        // A column is strided: no view. A new axis adds a unit axis and keeps the view.
        let p = plan("t", &[3, 4], &[s(None, None, None), Item::Int(1)]).unwrap();
        assert!(matches!(p, Plan::Region { view: false, .. }));
        let p = plan("t", &[3, 4], &[s(None, None, None), Item::NewAxis]).unwrap();
        assert!(
            matches!(p, Plan::Region { view: true, ref shape, .. } if shape.as_slice() == [3, 1, 4])
        );
        // All ints: MXNet's (1,); an empty key on a 0-d array stays 0-d.
        let p = plan("t", &[3, 4], &[Item::Int(-1), Item::Int(-1)]).unwrap();
        assert_eq!(p.shape(), &[1]);
        assert_eq!(plan("t", &[], &[]).unwrap().shape(), &[] as &[usize]);
    }

    #[test]
    fn index_arrays_go_in_place_when_adjacent_else_first() {
        // x[:, [0, 2]] on (2, 3, 4): in place, trailing axis copied as a block of 4.
        let (off, block, shape) =
            gather(plan("t", &[2, 3, 4], &[s(None, None, None), arr(&[0, 2])]).unwrap());
        assert_eq!((shape, block), (vec![2, 2, 4], 4));
        assert_eq!(off, vec![0, 8, 12, 20]);
        // x[0, :, [1, 2]]: the int and the array are split by a slice, so the index axes go
        // first: shape (2, 3).
        let (off, block, shape) = gather(
            plan(
                "t",
                &[2, 3, 4],
                &[Item::Int(0), s(None, None, None), arr(&[1, 2])],
            )
            .unwrap(),
        );
        assert_eq!((shape, block), (vec![2, 3], 1));
        assert_eq!(off, vec![1, 5, 9, 2, 6, 10]);
        // x[[0, 1], None]: the new axis follows the index axis.
        let p = plan("t", &[2, 3, 4], &[arr(&[0, 1]), Item::NewAxis]).unwrap();
        assert_eq!(p.shape(), &[2, 1, 3, 4]);
    }

    #[test]
    fn masks_and_broadcasting() {
        let mask = Item::Mask {
            mask: vec![true, false, false, true],
            shape: smallvec![2, 2],
        };
        let (off, block, shape) = gather(plan("t", &[2, 2, 3], &[mask]).unwrap());
        assert_eq!((off, block, shape), (vec![0, 9], 3, vec![2, 3]));
        let col = Item::Array {
            positions: vec![0, 1],
            shape: smallvec![2, 1],
        };
        let (off, _, shape) = gather(plan("t", &[2, 3], &[col, arr(&[0, 2])]).unwrap());
        assert_eq!((off, shape), (vec![0, 2, 3, 5], vec![2, 2]));
        let e = plan("t", &[2, 3], &[arr(&[0, 1]), arr(&[0, 1, 2])]).unwrap_err();
        assert!(e.to_string().contains("(2,) (3,)"), "{}", e);
        let true_ = Item::Mask {
            mask: vec![true],
            shape: Shape::new(),
        };
        assert_eq!(plan("t", &[3], &[true_]).unwrap().shape(), &[1, 3]);
    }

    #[test]
    fn errors_name_the_index_the_axis_and_the_size() {
        let e = plan("t", &[2, 3, 4], &[Item::Ellipsis, Item::Int(-5)]).unwrap_err();
        assert!(e
            .to_string()
            .contains("index -5 is out of bounds for axis 2 with size 4"));
        let e = plan("t", &[2, 3], &[s(None, None, None), arr(&[0, 3])]).unwrap_err();
        assert!(e
            .to_string()
            .contains("index 3 is out of bounds for axis 1 with size 3"));
        let e = plan("t", &[2], &[Item::Int(0), Item::Int(0)]).unwrap_err();
        assert!(e.to_string().contains("too many indices"));
        let e = plan("t", &[2], &[Item::Ellipsis, Item::Ellipsis]).unwrap_err();
        assert!(e.to_string().contains("single ellipsis"));
    }

    #[test]
    fn gather_and_scatter_add_are_adjoint_and_repeats_sum() {
        let x = Tensor::from_vec(vec![1.0f64, 2.0, 3.0, 4.0], smallvec![4]);
        let offsets = Arc::new(vec![3, 0, 3, NO_SOURCE]);
        let y = gather_at(&x, &offsets, 1, smallvec![4]).unwrap();
        assert_eq!(y.to_f64_vec(), vec![4.0, 1.0, 4.0, 0.0]);
        let g = Tensor::from_vec(vec![1.0f64, 10.0, 100.0, 1000.0], smallvec![4]);
        let back = scatter_add_at(&g, &offsets, 1, smallvec![4]).unwrap();
        assert_eq!(back.to_f64_vec(), vec![10.0, 0.0, 0.0, 101.0]);
        // <gather(x), g> == <x, scatter_add(g)>
        let lhs: f64 = y
            .to_f64_vec()
            .iter()
            .zip(g.to_f64_vec())
            .map(|(a, b)| a * b)
            .sum();
        let rhs: f64 = x
            .to_f64_vec()
            .iter()
            .zip(back.to_f64_vec())
            .map(|(a, b)| a * b)
            .sum();
        assert_eq!(lhs, rhs);
        assert_eq!(last_writers(&[3, 0, 3]), vec![NO_SOURCE, 0, 3]);
    }
}
