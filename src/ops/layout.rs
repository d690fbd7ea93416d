//! Joining, cutting and rearranging arrays along axes. Most are composites of the primitive
//! region reads/writes, reshape and broadcast, so they need no backward of their own.

use super::broadcast::broadcast_to;
use super::elementwise as binary;
use super::index::{get_region, put_region, take_rows, Region};
use super::shape::{reshape, transpose};
use crate::dtype::{DType, Element};
use crate::error::{index_err, invalid, shape_err, Result};
use crate::graph::{record, Ctx, Grads, Op, Save, Tensor};
use crate::shape::{check_alloc, fmt_tuple, normalize_axis, numel, strides_of, Shape};
use crate::value::same_dtype;
use smallvec::{smallvec, SmallVec};

/// The region `begin..end` (stepping `step`) along `axis` of an array of `shape`.
pub fn axis_region(shape: &[usize], axis: usize, begin: isize, len: usize, step: isize) -> Region {
    let own = strides_of(shape);
    let mut rshape = Shape::from_slice(shape);
    rshape[axis] = len;
    let mut strides: Vec<isize> = own.iter().map(|&s| s as isize).collect();
    strides[axis] *= step;
    Region {
        base: begin * own[axis] as isize,
        shape: rshape,
        strides,
    }
}

/// Python-style slice bounds resolved against a length (None: the default for the step).
pub fn resolve_slice(
    len: usize,
    begin: Option<isize>,
    end: Option<isize>,
    step: isize,
) -> Result<(isize, usize)> {
    if step == 0 {
        return Err(invalid("slice", "slice step cannot be zero"));
    }
    let n = len as isize;
    let clamp = |v: isize, lo: isize, hi: isize| v.max(lo).min(hi);
    let fix = |v: isize| if v < 0 { v + n } else { v };
    let (b, e) = if step > 0 {
        (
            clamp(begin.map_or(0, fix), 0, n),
            clamp(end.map_or(n, fix), 0, n),
        )
    } else {
        (
            clamp(begin.map_or(n - 1, fix), -1, n - 1),
            clamp(end.map_or(-1, |v| if v < 0 { v + n } else { v }), -1, n - 1),
        )
    };
    let count = if step > 0 {
        (e - b + step - 1).max(0) / step
    } else {
        (b - e - step - 1).max(0) / (-step)
    };
    Ok((b, count as usize))
}

/// MXNet's `slice_axis(data, axis, begin, end)`.
pub fn slice_axis(x: &Tensor, axis: isize, begin: isize, end: Option<isize>) -> Result<Tensor> {
    let ax = normalize_axis("slice_axis", axis, x.ndim())?;
    let (b, count) = resolve_slice(x.shape()[ax], Some(begin), end, 1)?;
    let r = axis_region(x.shape(), ax, b, count, 1);
    let shape = r.shape.clone();
    get_region(x, &r, shape)
}

/// MXNet's `slice(data, begin, end, step)`: per-axis bounds; None keeps the default.
pub fn slice(
    x: &Tensor,
    begin: &[Option<isize>],
    end: &[Option<isize>],
    step: &[Option<isize>],
) -> Result<Tensor> {
    if begin.len() > x.ndim()
        || end.len() != begin.len()
        || (!step.is_empty() && step.len() != begin.len())
    {
        return Err(invalid(
            "slice",
            format!(
                "begin, end (and step) must have one entry per leading axis of {}",
                fmt_tuple(x.shape())
            ),
        ));
    }
    let own = strides_of(x.shape());
    let mut region = Region {
        base: 0,
        shape: x.shape_vec(),
        strides: own.iter().map(|&s| s as isize).collect(),
    };
    for ax in 0..begin.len() {
        let st = step.get(ax).copied().flatten().unwrap_or(1);
        let (b, count) = resolve_slice(x.shape()[ax], begin[ax], end[ax], st)?;
        region.base += b * own[ax] as isize;
        region.shape[ax] = count;
        region.strides[ax] = st * own[ax] as isize;
    }
    let shape = region.shape.clone();
    get_region(x, &region, shape)
}

/// Reverses the order of elements along `axis` (MXNet's flip / reverse).
pub fn flip(x: &Tensor, axis: isize) -> Result<Tensor> {
    let ax = normalize_axis("flip", axis, x.ndim())?;
    let n = x.shape()[ax];
    let r = axis_region(x.shape(), ax, n as isize - 1, n, -1);
    let shape = r.shape.clone();
    get_region(x, &r, shape)
}

pub struct Concat {
    axis: usize,
}
impl Op for Concat {
    fn name(&self) -> &'static str {
        "concat"
    }
    /// Each input gets its slab of the gradient back.
    fn backward(&self, ctx: &Ctx, grads: &[Tensor]) -> Result<Grads> {
        let g = &grads[0];
        let mut start = 0isize;
        let mut out: Grads = SmallVec::new();
        for i in 0..ctx.n_inputs() {
            let len = ctx.input_shape(i)[self.axis];
            out.push(if ctx.needs(i) {
                let r = axis_region(g.shape(), self.axis, start, len, 1);
                Some(get_region(g, &r, Shape::from_slice(ctx.input_shape(i)))?)
            } else {
                None
            });
            start += len as isize;
        }
        Ok(out)
    }
}

/// Joins arrays along `axis` (MXNet's concat, `dim=`).
pub fn concat(xs: &[Tensor], axis: isize) -> Result<Tensor> {
    let first = xs
        .first()
        .ok_or_else(|| invalid("concat", "needs at least one array"))?;
    let ax = normalize_axis("concat", axis, first.ndim())?;
    let mut shape = first.shape_vec();
    shape[ax] = 0;
    for x in xs {
        same_dtype("concat", first, x)?;
        let ok = x.ndim() == first.ndim()
            && x.shape()
                .iter()
                .zip(first.shape())
                .enumerate()
                .all(|(d, (a, b))| d == ax || a == b);
        if !ok {
            return Err(shape_err(
                "concat",
                format!(
                    "shapes {} and {} differ outside axis {}",
                    fmt_tuple(first.shape()),
                    fmt_tuple(x.shape()),
                    ax
                ),
            ));
        }
        shape[ax] = crate::shape::dim_add("concat", shape[ax], x.shape()[ax])?;
    }
    check_alloc("concat", &shape, first.dtype())?;
    let outer: usize = shape[..ax].iter().product();
    let y = crate::with_dtype!(first.dtype(), T => {
        let mut out: Vec<T> = Vec::with_capacity(numel(&shape));
        let parts = xs.iter().map(|x| x.data::<T>()).collect::<Result<Vec<_>>>()?;
        let rows: Vec<usize> = xs.iter().map(|x| x.shape()[ax..].iter().product()).collect();
        for o in 0..outer {
            for (p, &r) in parts.iter().zip(&rows) {
                out.extend_from_slice(&p[o * r..(o + 1) * r]);
            }
        }
        Tensor::from_vec(out, shape)
    });
    let refs: Vec<&Tensor> = xs.iter().collect();
    let mut outs = [y];
    record(Concat { axis: ax }, &refs, Save::NOTHING, &mut outs);
    let [y] = outs;
    Ok(y)
}

/// Joins arrays along a new axis.
pub fn stack(xs: &[Tensor], axis: isize) -> Result<Tensor> {
    let first = xs
        .first()
        .ok_or_else(|| invalid("stack", "needs at least one array"))?;
    let ax = normalize_axis("stack", axis, first.ndim() + 1)?;
    let expanded = xs
        .iter()
        .map(|x| {
            if x.shape() != first.shape() {
                return Err(shape_err(
                    "stack",
                    format!(
                        "shapes {} and {} differ",
                        fmt_tuple(first.shape()),
                        fmt_tuple(x.shape())
                    ),
                ));
            }
            expand_dims(x, ax as isize)
        })
        .collect::<Result<Vec<_>>>()?;
    concat(&expanded, ax as isize)
}

/// Cuts `x` into `num_outputs` equal parts along `axis` (MXNet's split / SliceChannel).
pub fn split(
    x: &Tensor,
    num_outputs: usize,
    axis: isize,
    squeeze_axis: bool,
) -> Result<Vec<Tensor>> {
    let ax = normalize_axis("split", axis, x.ndim())?;
    let n = x.shape()[ax];
    if num_outputs == 0 || n % num_outputs != 0 {
        return Err(shape_err(
            "split",
            format!(
                "axis {} of size {} cannot be split into {} equal parts",
                ax, n, num_outputs
            ),
        ));
    }
    let part = n / num_outputs;
    if squeeze_axis && part != 1 {
        return Err(invalid(
            "split",
            format!(
                "squeeze_axis=True needs num_outputs equal to the axis size ({}), got {}",
                n, num_outputs
            ),
        ));
    }
    let bounds: Vec<usize> = (0..=num_outputs).map(|i| i * part).collect();
    split_at("split", x, &bounds, ax, squeeze_axis)
}

/// The parts `bounds[i]..bounds[i+1]` of `x` along axis `ax` (already normalised), each
/// without that axis when `squeeze_axis` (every part must then have length 1). `bounds` must
/// rise from 0 to the axis length; parts may be empty.
pub fn split_at(
    op: &'static str,
    x: &Tensor,
    bounds: &[usize],
    ax: usize,
    squeeze_axis: bool,
) -> Result<Vec<Tensor>> {
    let n = x.shape()[ax];
    if bounds.first() != Some(&0) || bounds.last() != Some(&n) {
        return Err(invalid(
            op,
            format!("split points {:?} must run from 0 to {}", bounds, n),
        ));
    }
    for (i, w) in bounds.windows(2).enumerate() {
        if w[0] > w[1] {
            return Err(invalid(
                op,
                format!(
                    "split points must not decrease: part {} would run from {} to {}",
                    i, w[0], w[1]
                ),
            ));
        }
        if squeeze_axis && w[1] - w[0] != 1 {
            return Err(invalid(
                op,
                format!(
                    "squeeze_axis=True needs parts of length 1 along axis {}, part {} has length {}",
                    ax,
                    i,
                    w[1] - w[0]
                ),
            ));
        }
    }
    bounds
        .windows(2)
        .map(|w| {
            let r = axis_region(x.shape(), ax, w[0] as isize, w[1] - w[0], 1);
            let shape = r.shape.clone();
            let piece = get_region(x, &r, shape)?;
            if squeeze_axis {
                squeeze(&piece, Some(&[ax as isize]))
            } else {
                Ok(piece)
            }
        })
        .collect()
}

pub fn expand_dims(x: &Tensor, axis: isize) -> Result<Tensor> {
    let at = normalize_axis("expand_dims", axis, x.ndim() + 1)?;
    let mut s = x.shape_vec();
    s.insert(at, 1);
    reshape(x, s)
}

pub fn squeeze(x: &Tensor, axes: Option<&[isize]>) -> Result<Tensor> {
    let s = x.shape();
    let drop: Vec<usize> = match axes {
        None => (0..s.len()).filter(|&i| s[i] == 1).collect(),
        Some(ax) => ax
            .iter()
            .map(|&a| {
                let i = normalize_axis("squeeze", a, s.len())?;
                if s[i] != 1 {
                    return Err(invalid(
                        "squeeze",
                        format!("axis {} has size {}, not 1", i, s[i]),
                    ));
                }
                Ok(i)
            })
            .collect::<Result<_>>()?,
    };
    let mut out: Shape = (0..s.len())
        .filter(|i| !drop.contains(i))
        .map(|i| s[i])
        .collect();
    if out.is_empty() {
        out.push(1);
    }
    reshape(x, out)
}

/// Collapses all axes after the first (MXNet's flatten).
pub fn flatten(x: &Tensor) -> Result<Tensor> {
    let s = x.shape();
    let first = s.first().copied().unwrap_or(1);
    reshape(x, smallvec![first, s.iter().skip(1).product()])
}

pub fn swapaxes(x: &Tensor, a: isize, b: isize) -> Result<Tensor> {
    let (a, b) = (
        normalize_axis("swapaxes", a, x.ndim())?,
        normalize_axis("swapaxes", b, x.ndim())?,
    );
    let mut axes: Vec<isize> = (0..x.ndim() as isize).collect();
    axes.swap(a, b);
    transpose(x, Some(&axes))
}

/// Moves axes `source` to positions `destination`, the others keeping their order (NumPy's
/// moveaxis; a transpose, so its gradient is the inverse transpose).
pub fn moveaxis(x: &Tensor, source: &[isize], destination: &[isize]) -> Result<Tensor> {
    let nd = x.ndim();
    if source.len() != destination.len() {
        return Err(invalid(
            "moveaxis",
            format!(
                "source {:?} and destination {:?} must name as many axes",
                source, destination
            ),
        ));
    }
    let norm = |axes: &[isize]| -> Result<Vec<usize>> {
        let mut seen = vec![false; nd];
        axes.iter()
            .map(|&a| {
                let a = normalize_axis("moveaxis", a, nd)?;
                if std::mem::replace(&mut seen[a], true) {
                    return Err(invalid(
                        "moveaxis",
                        format!("repeated axis {} in {:?}", a, axes),
                    ));
                }
                Ok(a)
            })
            .collect()
    };
    let (src, dst) = (norm(source)?, norm(destination)?);
    let mut rest = (0..nd)
        .filter(|a| !src.contains(a))
        .collect::<Vec<_>>()
        .into_iter();
    let mut moved: Vec<(usize, usize)> = dst.into_iter().zip(src).collect();
    moved.sort_unstable();
    let mut order: Vec<isize> = Vec::with_capacity(nd);
    let mut next_moved = moved.into_iter().peekable();
    for pos in 0..nd {
        let axis = match next_moved.peek() {
            Some(&(d, s)) if d == pos => {
                next_moved.next();
                s
            }
            _ => rest.next().unwrap_or(pos),
        };
        order.push(axis as isize);
    }
    transpose(x, Some(&order))
}

/// Repeats the whole array `reps` times along each axis (NumPy's tile).
pub fn tile(x: &Tensor, reps: &[usize]) -> Result<Tensor> {
    let nd = x.ndim().max(reps.len());
    let mut xs: Shape = Shape::from_elem(1, nd - x.ndim());
    xs.extend_from_slice(x.shape());
    let mut rs: Vec<usize> = vec![1; nd - reps.len()];
    rs.extend_from_slice(reps);
    // (a, b) -> (1, a, 1, b) -> (r0, a, r1, b) -> (r0*a, r1*b)
    let inter: Shape = xs.iter().flat_map(|&d| [1, d]).collect();
    let big: Shape = xs.iter().zip(&rs).flat_map(|(&d, &r)| [r, d]).collect();
    let out: Shape = xs
        .iter()
        .zip(&rs)
        .map(|(&d, &r)| crate::shape::dim_mul("tile", d, r))
        .collect::<Result<_>>()?;
    check_alloc("tile", &out, x.dtype())?;
    reshape(&broadcast_to(&reshape(x, inter)?, &big)?, out)
}

/// Repeats each element `repeats` times along `axis` (None: of the flattened array).
pub fn repeat(x: &Tensor, repeats: usize, axis: Option<isize>) -> Result<Tensor> {
    let (x, ax) = match axis {
        None => (reshape(x, smallvec![x.numel()])?, 0),
        Some(a) => (x.clone(), normalize_axis("repeat", a, x.ndim())?),
    };
    let s = x.shape();
    let mut inter: Shape = Shape::from_slice(&s[..=ax]);
    inter.push(1);
    inter.extend_from_slice(&s[ax + 1..]);
    let mut big = inter.clone();
    big[ax + 1] = repeats;
    let mut out = Shape::from_slice(s);
    out[ax] = crate::shape::dim_mul("repeat", out[ax], repeats)?;
    check_alloc("repeat", &out, x.dtype())?;
    reshape(&broadcast_to(&reshape(&x, inter)?, &big)?, out)
}

pub fn broadcast_axis(x: &Tensor, axes: &[isize], sizes: &[usize]) -> Result<Tensor> {
    if axes.len() != sizes.len() {
        return Err(invalid(
            "broadcast_axis",
            "axis and size must have the same length",
        ));
    }
    let mut shape = x.shape_vec();
    for (&a, &n) in axes.iter().zip(sizes) {
        let i = normalize_axis("broadcast_axis", a, x.ndim())?;
        if shape[i] != 1 {
            return Err(shape_err(
                "broadcast_axis",
                format!(
                    "axis {} has size {}, only size-1 axes broadcast",
                    i, shape[i]
                ),
            ));
        }
        shape[i] = n;
    }
    broadcast_to(x, &shape)
}

/// The shape `lhs` takes in `broadcast_like(lhs, rhs, lhs_axes, rhs_axes)`: axis
/// `lhs_axes[i]` of `lhs` (of size 1) takes the size of axis `rhs_axes[i]` of `rhs`; the other
/// axes keep their sizes. Negative axes count from the end, as in MXNet.
pub fn broadcast_like_shape(
    lhs: &[usize],
    rhs: &[usize],
    lhs_axes: &[isize],
    rhs_axes: &[isize],
) -> Result<Shape> {
    const OP: &str = "broadcast_like";
    if lhs_axes.len() != rhs_axes.len() {
        return Err(invalid(
            OP,
            format!(
                "lhs_axes {:?} and rhs_axes {:?} must have the same length",
                lhs_axes, rhs_axes
            ),
        ));
    }
    if lhs_axes.is_empty() {
        return Err(invalid(OP, "lhs_axes and rhs_axes must not be empty"));
    }
    let mut out = Shape::from_slice(lhs);
    for (&from, &to) in lhs_axes.iter().zip(rhs_axes) {
        let i = normalize_axis(OP, from, lhs.len())?;
        let j = normalize_axis(OP, to, rhs.len())?;
        if lhs[i] != 1 {
            return Err(shape_err(
                OP,
                format!(
                    "axis {} of lhs {} has size {}: only size-1 axes broadcast (to {})",
                    from,
                    fmt_tuple(lhs),
                    lhs[i],
                    rhs[j]
                ),
            ));
        }
        out[i] = rhs[j];
    }
    Ok(out)
}

/// Cuts `x` to the shape of `like` along `axes` (all when empty), keeping the leading part.
/// As MXNet: without axes both have one rank; an axis (negative ones count from the end of
/// `x`'s axes) must exist in both, so `like` may have another rank when axes are given.
pub fn slice_like(x: &Tensor, like: &[usize], axes: &[isize]) -> Result<Tensor> {
    if axes.is_empty() && like.len() != x.ndim() {
        return Err(shape_err(
            "slice_like",
            format!(
                "{} and {} have different ranks (without axes every axis is sliced)",
                fmt_tuple(x.shape()),
                fmt_tuple(like)
            ),
        ));
    }
    let chosen: Vec<usize> = if axes.is_empty() {
        (0..x.ndim()).collect()
    } else {
        axes.iter()
            .map(|&a| {
                let i = normalize_axis("slice_like", a, x.ndim())?;
                if i >= like.len() {
                    return Err(shape_err(
                        "slice_like",
                        format!(
                            "axis {} does not exist in shape_like's shape {}",
                            a,
                            fmt_tuple(like)
                        ),
                    ));
                }
                Ok(i)
            })
            .collect::<Result<_>>()?
    };
    let mut region = Region {
        base: 0,
        shape: x.shape_vec(),
        strides: strides_of(x.shape()).iter().map(|&s| s as isize).collect(),
    };
    for a in chosen {
        if like[a] > x.shape()[a] {
            return Err(shape_err(
                "slice_like",
                format!(
                    "axis {} of {} is shorter than {}",
                    a,
                    fmt_tuple(x.shape()),
                    like[a]
                ),
            ));
        }
        region.shape[a] = like[a];
    }
    let shape = region.shape.clone();
    get_region(x, &region, shape)
}

/// MXNet's fill_element_0index: a copy of the matrix `lhs` with `lhs[i, rhs[i]] = mhs[i]` in
/// each row `i` whose index (truncated toward zero) lies inside the row; rows whose index does
/// not are left as they are (as MXNet). No gradient (MXNet registers none).
pub fn fill_element_0index(lhs: &Tensor, mhs: &Tensor, rhs: &Tensor) -> Result<Tensor> {
    const OP: &str = "fill_element_0index";
    if lhs.ndim() != 2 || mhs.ndim() != 1 || rhs.ndim() != 1 {
        return Err(shape_err(
            OP,
            format!(
                "needs a matrix lhs, a vector mhs and a vector rhs, got shapes {}, {} and {}",
                fmt_tuple(lhs.shape()),
                fmt_tuple(mhs.shape()),
                fmt_tuple(rhs.shape())
            ),
        ));
    }
    let (rows, cols) = (lhs.shape()[0], lhs.shape()[1]);
    if mhs.numel() != rows || rhs.numel() != rows {
        return Err(shape_err(
            OP,
            format!(
                "lhs has {} rows but mhs has {} values and rhs {} indices",
                rows,
                mhs.numel(),
                rhs.numel()
            ),
        ));
    }
    same_dtype(OP, lhs, mhs)?;
    let idx = rhs.to_f64_vec();
    crate::with_dtype!(lhs.dtype(), T => {
        let mut out = lhs.data::<T>()?.to_vec();
        let values = mhs.data::<T>()?;
        for (i, &j) in idx.iter().enumerate() {
            let j = j.trunc();
            if j >= 0.0 && j < cols as f64 {
                out[i * cols + j as usize] = values[i];
            }
        }
        Ok(Tensor::from_vec(out, lhs.shape_vec()))
    })
}

/// Rows picked along `axis` by integer-valued `indices` (MXNet's take, modes clip/wrap/raise).
pub fn take(x: &Tensor, indices: &Tensor, axis: isize, mode: &str) -> Result<Tensor> {
    let ax = normalize_axis("take", axis, x.ndim())?;
    let n = x.shape()[ax] as f64;
    let idx: Vec<f64> = indices
        .to_f64_vec()
        .into_iter()
        .map(|v| match mode {
            "clip" => Ok(v.trunc().max(0.0).min(n - 1.0)),
            "wrap" => Ok(v.trunc().rem_euclid(n)),
            "raise" => Ok(v),
            other => Err(invalid(
                "take",
                format!("mode must be 'clip', 'wrap' or 'raise', got '{}'", other),
            )),
        })
        .collect::<Result<_>>()?;
    if n == 0.0 && !idx.is_empty() {
        return Err(index_err("take", "cannot take from an empty axis"));
    }
    let idx_t = Tensor::from_vec(idx, indices.shape_vec());
    if ax == 0 {
        return take_rows(x, &idx_t);
    }
    // Move the axis to the front, take rows, and move the new index axes back into place.
    let moved = swapaxes(x, 0, ax as isize)?;
    let taken = take_rows(&moved, &idx_t)?; // idx.shape + moved.shape[1:]
    let k = indices.ndim();
    let nd = taken.ndim();
    // taken axes: [idx (k)] [x.shape[ax+1..] ... wait, moved is x with 0 and ax swapped]
    // moved.shape[1:] = x.shape[1..ax] + [x.shape[0]] + x.shape[ax+1..]: restore x.shape[0] first.
    let mut order: Vec<isize> = Vec::with_capacity(nd);
    // position of x's axis 0 inside taken: k + (ax - 1)
    order.push((k + ax - 1) as isize);
    order.extend((k..k + ax - 1).map(|i| i as isize));
    order.extend((0..k).map(|i| i as isize));
    order.extend((k + ax..nd).map(|i| i as isize));
    transpose(&taken, Some(&order))
}

/// One element per lane along `axis`, picked by `index` (MXNet's pick). Written as a
/// masked sum, so it is differentiable to any order with no rule of its own.
pub fn pick(x: &Tensor, index: &Tensor, axis: isize, keepdims: bool, mode: &str) -> Result<Tensor> {
    let ax = normalize_axis("pick", axis, x.ndim())?;
    let n = x.shape()[ax];
    let mut lane_shape = x.shape_vec();
    lane_shape[ax] = 1;
    if index.numel() != numel(&lane_shape) {
        return Err(shape_err(
            "pick",
            format!(
                "index of shape {} does not match data {} with axis {} removed",
                fmt_tuple(index.shape()),
                fmt_tuple(x.shape()),
                ax
            ),
        ));
    }
    let idx = reshape(&index.detach(), lane_shape.clone())?;
    let idx = match mode {
        "clip" => super::elementwise::clip(
            &super::shape::cast(&idx, x.dtype())?,
            0.0,
            n.saturating_sub(1) as f64,
        )?,
        "wrap" => super::elementwise::mod_scalar(&super::shape::cast(&idx, x.dtype())?, n as f64)?,
        other => {
            return Err(invalid(
                "pick",
                format!("mode must be 'clip' or 'wrap', got '{}'", other),
            ))
        }
    };
    let positions = positions_along(x.shape(), ax, x.dtype())?;
    let mask = binary::equal(&positions, &idx)?;
    super::broadcast::sum(
        &binary::mul(x, &mask)?,
        Some(&[ax as isize]),
        keepdims,
        false,
    )
}

/// An array of `shape` whose value is the element's index along `axis`.
fn positions_along(shape: &[usize], axis: usize, dtype: DType) -> Result<Tensor> {
    let n = shape[axis];
    let mut s: Shape = Shape::from_elem(1, shape.len());
    s[axis] = n;
    let line = crate::with_dtype!(dtype, T => Tensor::from_vec((0..n).map(|i| T::from_f64(i as f64)).collect::<Vec<T>>(), s));
    broadcast_to(&line, shape)
}

/// One-hot rows: `indices.shape + (depth,)`, on_value at the index, off_value elsewhere.
pub fn one_hot(
    indices: &Tensor,
    depth: usize,
    on_value: f64,
    off_value: f64,
    dtype: DType,
) -> Result<Tensor> {
    let mut shape = indices.shape_vec();
    shape.push(depth);
    check_alloc("one_hot", &shape, dtype)?;
    let idx = indices.to_f64_vec();
    crate::with_dtype!(dtype, T => {
        let (on, off) = (T::from_f64(on_value), T::from_f64(off_value));
        let mut out = vec![off; idx.len() * depth];
        for (r, &i) in idx.iter().enumerate() {
            if i >= 0.0 && (i as usize) < depth {
                out[r * depth + i as usize] = on;
            }
        }
        Ok(Tensor::from_vec(out, shape))
    })
}

/// Flat positions (into the first M axes of `shape`) named by an index array of shape (M, ...).
fn flat_positions(
    op: &'static str,
    indices: &Tensor,
    shape: &[usize],
) -> Result<(Vec<f64>, Shape)> {
    let m = *indices
        .shape()
        .first()
        .ok_or_else(|| shape_err(op, "indices must have at least one dimension"))?;
    if m > shape.len() {
        return Err(shape_err(
            op,
            format!(
                "indices address {} axes but the data has {}",
                m,
                shape.len()
            ),
        ));
    }
    let rest: Shape = Shape::from_slice(&indices.shape()[1..]);
    let count = numel(&rest);
    let idx = indices.to_f64_vec();
    let mut flat = vec![0.0; count];
    for (j, f) in flat.iter_mut().enumerate() {
        let mut pos = 0usize;
        for a in 0..m {
            let i = idx[a * count + j];
            let d = shape[a];
            let k = if i < 0.0 { i + d as f64 } else { i };
            if k.fract() != 0.0 || k < 0.0 || k >= d as f64 {
                return Err(index_err(
                    op,
                    format!(
                        "index {} is out of bounds for axis {} with size {}",
                        i, a, d
                    ),
                ));
            }
            pos = pos * d + k as usize;
        }
        *f = pos as f64;
    }
    Ok((flat, rest))
}

/// MXNet's gather_nd: out[j...] = data[indices[0, j...], ..., indices[M-1, j...], ...].
pub fn gather_nd(data: &Tensor, indices: &Tensor) -> Result<Tensor> {
    let (flat, rest) = flat_positions("gather_nd", indices, data.shape())?;
    let m = indices.shape()[0];
    let lead: usize = data.shape()[..m].iter().product();
    let mut rows_shape: Shape = smallvec![lead];
    rows_shape.extend_from_slice(&data.shape()[m..]);
    let rows = take_rows(
        &reshape(data, rows_shape)?,
        &Tensor::from_vec(flat, rest.clone()),
    )?;
    Ok(rows)
}

/// MXNet's scatter_nd: zeros of `shape` with `data` written at `indices` (repeats add,
/// matching the adjoint of gather_nd).
pub fn scatter_nd(data: &Tensor, indices: &Tensor, shape: &[usize]) -> Result<Tensor> {
    check_alloc("scatter_nd", shape, data.dtype())?;
    let (flat, rest) = flat_positions("scatter_nd", indices, shape)?;
    let m = indices.shape()[0];
    let lead: usize = shape[..m].iter().product();
    let mut rows_shape: Shape = smallvec![lead];
    rows_shape.extend_from_slice(&shape[m..]);
    let mut want = rest.clone();
    want.extend_from_slice(&shape[m..]);
    if data.shape() != want.as_slice() {
        return Err(shape_err(
            "scatter_nd",
            format!(
                "data has shape {}, expected {}",
                fmt_tuple(data.shape()),
                fmt_tuple(&want)
            ),
        ));
    }
    let rows: Vec<usize> = flat.iter().map(|&f| f as usize).collect();
    let out = super::index::index_add(data, &rows, rows_shape)?;
    reshape(&out, Shape::from_slice(shape))
}

/// The k-th diagonal: of a 2-D array (1-D result), a 2-D array with a 1-D array on its k-th
/// diagonal, or for N-D arrays the diagonals of the planes (axis1, axis2), as a last axis.
pub fn diag(x: &Tensor, k: isize, axis1: isize, axis2: isize) -> Result<Tensor> {
    if x.ndim() == 1 {
        let n = x.shape()[0] + k.unsigned_abs();
        let base = if k >= 0 { k } else { -k * n as isize };
        let r = Region {
            base,
            shape: smallvec![x.shape()[0]],
            strides: vec![n as isize + 1],
        };
        return put_region(x, &r, smallvec![n, n]);
    }
    if x.ndim() == 0 {
        return Err(invalid("diag", "needs an array of at least one dimension"));
    }
    let (a1, a2) = (
        normalize_axis("diag", axis1, x.ndim())?,
        normalize_axis("diag", axis2, x.ndim())?,
    );
    if a1 == a2 {
        return Err(invalid(
            "diag",
            format!("axis1 and axis2 must differ, both are {}", a1),
        ));
    }
    let own = strides_of(x.shape());
    let (rows, cols) = (x.shape()[a1] as isize, x.shape()[a2] as isize);
    let (r0, c0) = if k >= 0 { (0, k) } else { (-k, 0) };
    let len = (rows - r0).min(cols - c0).max(0) as usize;
    let mut shape = Shape::new();
    let mut strides = Vec::new();
    for d in (0..x.ndim()).filter(|&d| d != a1 && d != a2) {
        shape.push(x.shape()[d]);
        strides.push(own[d] as isize);
    }
    shape.push(len);
    strides.push(own[a1] as isize + own[a2] as isize);
    let base = if len == 0 {
        0
    } else {
        r0 * own[a1] as isize + c0 * own[a2] as isize
    };
    let r = Region {
        base,
        shape: shape.clone(),
        strides,
    };
    get_region(x, &r, shape)
}

/// MXNet's pad: `pad_width` holds (before, after) for every axis, MXNet's flat layout; `mode`
/// is 'constant' (filled with `value`), 'edge' (the border element repeated) or 'reflect'
/// (mirrored about the border element, which is not repeated), as NumPy's modes of those names.
/// MXNet takes only 4-D and 5-D inputs with the first two axes unpadded; any rank works here.
pub fn pad(x: &Tensor, mode: &str, pad_width: &[usize], value: f64) -> Result<Tensor> {
    if pad_width.len() != 2 * x.ndim() {
        return Err(invalid(
            "pad",
            format!(
                "pad_width needs 2 entries per axis ({}), got {}",
                2 * x.ndim(),
                pad_width.len()
            ),
        ));
    }
    match mode {
        "constant" => pad_constant(x, pad_width, value),
        "edge" | "reflect" => pad_from_inside(x, pad_width, mode),
        other => Err(invalid(
            "pad",
            format!(
                "mode must be 'constant', 'edge' or 'reflect', got '{}'",
                other
            ),
        )),
    }
}

/// Edge and reflect padding, one `take` along each padded axis: its gradient (a scatter-add
/// of the padding back onto the elements it copies) and every higher one come from `take`.
fn pad_from_inside(x: &Tensor, pad_width: &[usize], mode: &str) -> Result<Tensor> {
    let reflect = mode == "reflect";
    let mut y = x.clone();
    for (axis, &len) in x.shape().iter().enumerate() {
        let (before, after) = (pad_width[2 * axis], pad_width[2 * axis + 1]);
        if before == 0 && after == 0 {
            continue;
        }
        // Reflection mirrors about the border element, so it reaches len - 1 elements deep.
        let reach = if reflect {
            len.saturating_sub(1)
        } else {
            usize::MAX
        };
        if len == 0 || before > reach || after > reach {
            return Err(invalid(
                "pad",
                format!(
                    "mode='{}' cannot pad axis {} of length {} by ({}, {}){}",
                    mode,
                    axis,
                    len,
                    before,
                    after,
                    if len == 0 {
                        ": the axis is empty"
                    } else {
                        ": reflect needs each width smaller than the axis"
                    }
                ),
            ));
        }
        let total = crate::shape::dim_add("pad", before + len, after)?;
        let last = len as isize - 1;
        let source: Vec<f64> = (0..total)
            .map(|j| {
                let p = j as isize - before as isize;
                let p = match (reflect, p < 0, p > last) {
                    (true, true, _) => -p,
                    (true, _, true) => 2 * last - p,
                    _ => p.clamp(0, last),
                };
                p as f64
            })
            .collect();
        let shape: Shape = y
            .shape()
            .iter()
            .enumerate()
            .map(|(i, &d)| if i == axis { total } else { d })
            .collect();
        check_alloc("pad", &shape, x.dtype())?;
        y = take(
            &y,
            &Tensor::from_vec(source, smallvec![total]),
            axis as isize,
            "clip",
        )?;
    }
    Ok(y)
}

/// Constant padding (`pad` has checked `pad_width`).
fn pad_constant(x: &Tensor, pad_width: &[usize], value: f64) -> Result<Tensor> {
    let shape: Shape = x
        .shape()
        .iter()
        .enumerate()
        .map(|(i, &d)| {
            let before = crate::shape::dim_add("pad", d, pad_width[2 * i])?;
            crate::shape::dim_add("pad", before, pad_width[2 * i + 1])
        })
        .collect::<Result<_>>()?;
    check_alloc("pad", &shape, x.dtype())?;
    let own = strides_of(&shape);
    let base: isize = (0..x.ndim())
        .map(|i| (pad_width[2 * i] * own[i]) as isize)
        .sum();
    let r = Region {
        base,
        shape: x.shape_vec(),
        strides: own.iter().map(|&s| s as isize).collect(),
    };
    let inner = put_region(x, &r, shape.clone())?;
    if value == 0.0 {
        return Ok(inner);
    }
    let ones = Tensor::filled(x.shape_vec(), x.dtype(), 1.0);
    let outside = binary::rsub_scalar(&put_region(&ones, &r, shape)?, 1.0)?;
    binary::add(&inner, &binary::mul_scalar(&outside, value)?)
}

/// An N x M array with ones on the k-th diagonal.
pub fn eye(n: usize, m: Option<usize>, k: isize, dtype: DType) -> Result<Tensor> {
    let m = m.unwrap_or(n);
    check_alloc("eye", &[n, m], dtype)?;
    crate::with_dtype!(dtype, T => {
        let mut v = vec![T::default(); n * m];
        for i in 0..n {
            let j = i as isize + k;
            if j >= 0 && (j as usize) < m {
                v[i * m + j as usize] = T::from_f64(1.0);
            }
        }
        Ok(Tensor::from_vec(v, smallvec![n, m]))
    })
}

/// `num` evenly spaced values from start to stop (stop included when `endpoint`).
pub fn linspace(start: f64, stop: f64, num: usize, endpoint: bool, dtype: DType) -> Result<Tensor> {
    check_alloc("linspace", &[num], dtype)?;
    let div = if endpoint { num.saturating_sub(1) } else { num } as f64;
    let step = if div > 0.0 { (stop - start) / div } else { 0.0 };
    crate::with_dtype!(dtype, T => {
        let v: Vec<T> = (0..num).map(|i| if endpoint && i + 1 == num && num > 1 { T::from_f64(stop) } else { T::from_f64(start + i as f64 * step) }).collect();
        Ok(Tensor::from_vec(v, smallvec![num]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(v: Vec<f64>, s: &[usize]) -> Tensor {
        Tensor::from_vec(v, Shape::from_slice(s))
    }

    #[test]
    fn slices_follow_python_rules() {
        assert_eq!(resolve_slice(5, None, None, -1).unwrap(), (4, 5));
        assert_eq!(resolve_slice(5, Some(1), Some(-1), 2).unwrap(), (1, 2));
        assert_eq!(resolve_slice(5, Some(10), None, 1).unwrap().1, 0);
    }

    #[test]
    fn take_along_a_middle_axis() {
        let x = t((0..24).map(|i| i as f64).collect(), &[2, 3, 4]);
        let idx = t(vec![2.0, 0.0], &[2]);
        let y = take(&x, &idx, 1, "clip").unwrap();
        assert_eq!(y.shape(), &[2, 2, 4]);
        assert_eq!(&y.to_f64_vec()[..8], &[8., 9., 10., 11., 0., 1., 2., 3.]);
        let z = take(&x, &idx, 2, "clip").unwrap();
        assert_eq!(z.shape(), &[2, 3, 2]);
        assert_eq!(&z.to_f64_vec()[..4], &[2., 0., 6., 4.]);
    }

    #[test]
    fn concat_tile_repeat_diag() {
        let a = t(vec![1., 2.], &[1, 2]);
        let b = t(vec![3., 4., 5., 6.], &[2, 2]);
        assert_eq!(
            concat(&[a.clone(), b], 0).unwrap().to_f64_vec(),
            vec![1., 2., 3., 4., 5., 6.]
        );
        assert_eq!(
            tile(&a, &[2, 2]).unwrap().to_f64_vec(),
            vec![1., 2., 1., 2., 1., 2., 1., 2.]
        );
        assert_eq!(
            repeat(&a, 2, Some(1)).unwrap().to_f64_vec(),
            vec![1., 1., 2., 2.]
        );
        let m = t(vec![1., 2., 3., 4.], &[2, 2]);
        assert_eq!(diag(&m, 0, 0, 1).unwrap().to_f64_vec(), vec![1., 4.]);
        assert_eq!(
            diag(&t(vec![1., 2.], &[2]), 1, 0, 1).unwrap().to_f64_vec(),
            vec![0., 1., 0., 0., 0., 2., 0., 0., 0.]
        );
        assert_eq!(flip(&a, 1).unwrap().to_f64_vec(), vec![2., 1.]);
    }
}
