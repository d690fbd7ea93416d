//! Shapes: element counts with overflow checks, NumPy broadcasting, axis normalisation, and
//! MXNet's reshape codes. Arrays are always contiguous and row-major, so a shape is all the
//! layout there is.

use crate::error::{invalid, shape_err, Error, Result};
use smallvec::SmallVec;

pub type Shape = SmallVec<[usize; 4]>;

/// Number of elements, or an error when the shape is too large to exist: as NumPy, the
/// product of the non-zero dims must fit (so a zero-size shape is not a way around the check,
/// and the order of the dims does not matter).
pub fn checked_numel(op: &'static str, shape: &[usize]) -> Result<usize> {
    shape
        .iter()
        .filter(|&&d| d != 0)
        .try_fold(1usize, |acc, &d| acc.checked_mul(d))
        .filter(|&n| n <= isize::MAX as usize)
        .map(|n| if shape.contains(&0) { 0 } else { n })
        .ok_or_else(|| too_big(op, shape))
}

/// The error for a shape whose size does not fit in memory's address range.
pub fn too_big(op: &'static str, shape: &[usize]) -> Error {
    Error::OutOfMemory {
        op,
        elems: shape
            .iter()
            .fold(1u128, |a, &d| a.saturating_mul(d as u128)),
        what: String::new(),
        shape: fmt_tuple(shape),
    }
}

/// `a * b` for one dimension (tile, repeat), an error when it overflows.
pub fn dim_mul(op: &'static str, a: usize, b: usize) -> Result<usize> {
    a.checked_mul(b)
        .filter(|&n| n <= isize::MAX as usize)
        .ok_or_else(|| {
            invalid(
                op,
                format!("the dimension {} x {} is too large to exist", a, b),
            )
        })
}

/// `a + b` for one dimension (concat, pad), an error when it overflows.
pub fn dim_add(op: &'static str, a: usize, b: usize) -> Result<usize> {
    a.checked_add(b)
        .filter(|&n| n <= isize::MAX as usize)
        .ok_or_else(|| {
            invalid(
                op,
                format!("the dimension {} + {} is too large to exist", a, b),
            )
        })
}

/// Product of dims; callers only use it on shapes already validated.
#[inline]
pub fn numel(shape: &[usize]) -> usize {
    shape.iter().product()
}

/// `(4, 1)`, as NumPy prints shapes.
pub fn fmt_tuple(shape: &[usize]) -> String {
    match shape.len() {
        1 => format!("({},)", shape[0]),
        _ => format!(
            "({})",
            shape
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Row-major strides in elements.
pub fn strides_of(shape: &[usize]) -> SmallVec<[usize; 4]> {
    let mut strides: SmallVec<[usize; 4]> = SmallVec::from_elem(0, shape.len());
    let mut acc = 1;
    for i in (0..shape.len()).rev() {
        strides[i] = acc;
        acc *= shape[i];
    }
    strides
}

/// NumPy broadcasting of two shapes.
pub fn broadcast_shapes(op: &'static str, a: &[usize], b: &[usize]) -> Result<Shape> {
    if a == b {
        return Ok(Shape::from_slice(a));
    }
    let n = a.len().max(b.len());
    let mut out = Shape::from_elem(0, n);
    for i in 0..n {
        let da = if i + a.len() >= n {
            a[i + a.len() - n]
        } else {
            1
        };
        let db = if i + b.len() >= n {
            b[i + b.len() - n]
        } else {
            1
        };
        out[i] = if da == db || db == 1 {
            da
        } else if da == 1 {
            db
        } else {
            return Err(shape_err(
                op,
                format!(
                    "operands could not be broadcast together with shapes {} and {}",
                    fmt_tuple(a),
                    fmt_tuple(b)
                ),
            ));
        };
    }
    Ok(out)
}

/// Strides that read an array of shape `src` as if it had the broadcast shape `dst`
/// (0 on broadcast axes). `src` must broadcast to `dst`.
pub fn broadcast_strides(src: &[usize], dst: &[usize]) -> SmallVec<[usize; 4]> {
    let own = strides_of(src);
    let lead = dst.len() - src.len();
    (0..dst.len())
        .map(|i| {
            if i < lead || src[i - lead] == 1 && dst[i] != 1 {
                0
            } else {
                own[i - lead]
            }
        })
        .collect()
}

/// Maps a possibly negative axis onto `0..ndim`.
pub fn normalize_axis(op: &'static str, axis: isize, ndim: usize) -> Result<usize> {
    let n = ndim as isize;
    if axis < -n || axis >= n {
        return Err(Error::Axis { op, axis, ndim });
    }
    Ok(if axis < 0 { axis + n } else { axis } as usize)
}

/// Which axes a reduction folds: `None` means all; `exclude` inverts the selection (MXNet).
pub fn reduction_mask(
    op: &'static str,
    axes: Option<&[isize]>,
    ndim: usize,
    exclude: bool,
) -> Result<SmallVec<[bool; 4]>> {
    let mut mask: SmallVec<[bool; 4]> = SmallVec::from_elem(axes.is_none(), ndim);
    if let Some(axes) = axes {
        for &a in axes {
            let a = normalize_axis(op, a, ndim)?;
            if mask[a] {
                return Err(invalid(op, format!("axis {} appears twice", a)));
            }
            mask[a] = true;
        }
        if exclude {
            for m in mask.iter_mut() {
                *m = !*m;
            }
        }
    }
    Ok(mask)
}

/// The shape a reduction produces. A reduction to no axes gives (1,), as in MXNet.
pub fn reduced_shape(shape: &[usize], mask: &[bool], keepdims: bool) -> Shape {
    let mut out: Shape = shape
        .iter()
        .zip(mask)
        .filter_map(|(&d, &m)| match (m, keepdims) {
            (false, _) => Some(d),
            (true, true) => Some(1),
            (true, false) => None,
        })
        .collect();
    if out.is_empty() {
        out.push(1);
    }
    out
}

/// Resolves MXNet reshape codes against the input shape: 0 copies the input dim at that
/// position, -1 is inferred; -2, -3, -4 as MXNet defines them.
pub fn resolve_reshape(op: &'static str, input: &[usize], spec: &[isize]) -> Result<Shape> {
    let total = checked_numel(op, input)?;
    let mut out: Shape = Shape::new();
    let mut infer: Option<usize> = None;
    let mut src = 0usize; // position in `input` that codes 0/-2/-3/-4 read from
    let mut i = 0;
    let bad = |msg: String| shape_err(op, msg);
    while i < spec.len() {
        let code = spec[i];
        match code {
            d if d > 0 => {
                out.push(d as usize);
                src += 1;
            }
            0 => {
                let d = *input.get(src).ok_or_else(|| {
                    bad(format!(
                        "code 0 at position {} has no input dimension to copy",
                        i
                    ))
                })?;
                out.push(d);
                src += 1;
            }
            -1 => {
                if infer.is_some() {
                    return Err(bad("only one dimension can be -1".into()));
                }
                infer = Some(out.len());
                out.push(1);
                src += 1;
            }
            -2 => {
                out.extend_from_slice(input.get(src..).unwrap_or(&[]));
                src = input.len();
            }
            -3 => {
                let (a, b) = match (input.get(src), input.get(src + 1)) {
                    (Some(&a), Some(&b)) => (a, b),
                    _ => return Err(bad("code -3 needs two input dimensions".into())),
                };
                out.push(dim_mul(op, a, b)?);
                src += 2;
            }
            -4 => {
                let d = *input
                    .get(src)
                    .ok_or_else(|| bad("code -4 has no input dimension to split".into()))?;
                let (a, b) = match (spec.get(i + 1), spec.get(i + 2)) {
                    (Some(&a), Some(&b)) => (a, b),
                    _ => return Err(bad("code -4 must be followed by two sizes".into())),
                };
                let (a, b) = match (a, b) {
                    (-1, b) if b > 0 && d % b as usize == 0 => (d / b as usize, b as usize),
                    (a, -1) if a > 0 && d % a as usize == 0 => (a as usize, d / a as usize),
                    (a, b) if a > 0 && b > 0 && (a as usize).checked_mul(b as usize) == Some(d) => {
                        (a as usize, b as usize)
                    }
                    _ => {
                        return Err(bad(format!(
                            "code -4 cannot split {} into ({}, {})",
                            d, a, b
                        )))
                    }
                };
                out.push(a);
                out.push(b);
                src += 1;
                i += 2;
            }
            other => return Err(bad(format!("invalid reshape code {}", other))),
        }
        i += 1;
    }
    let cannot = || {
        bad(format!(
            "cannot reshape array of size {} (shape {}) into {:?}",
            total,
            fmt_tuple(input),
            spec
        ))
    };
    if let Some(pos) = infer {
        // The known dims' product, checked: a product that wraps around could equal the size.
        let known = out
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != pos)
            .try_fold(1usize, |acc, (_, &d)| acc.checked_mul(d))
            .ok_or_else(cannot)?;
        if known == 0 || total % known != 0 {
            return Err(cannot());
        }
        out[pos] = total / known;
    }
    // Checked as well: (2, 11, 838488366986797801) wraps around to 6 elements.
    match checked_numel(op, &out) {
        Ok(n) if n == total => Ok(out),
        _ => Err(cannot()),
    }
}

/// Checks that an array of `shape` and `dtype` can be allocated at all, so an absurd shape is
/// a MemoryError rather than an aborted process (Rust aborts on allocation failure). The bound
/// is the machine's physical memory.
pub fn check_alloc(op: &'static str, shape: &[usize], dtype: crate::dtype::DType) -> Result<usize> {
    // Most arrays are far below any machine's memory: settle those without the limit lookup.
    const SURELY_FITS: usize = 1 << 24;
    if let Ok(n) = checked_numel(op, shape) {
        if n <= SURELY_FITS {
            return Ok(n);
        }
    }
    let elems = shape
        .iter()
        .fold(1u128, |a, &d| a.saturating_mul(d as u128));
    let bytes = elems.saturating_mul(dtype.size_of() as u128);
    if bytes > memory_limit() as u128 {
        return Err(Error::OutOfMemory {
            op,
            elems,
            what: format!(" of {} ({} bytes)", dtype.name(), bytes),
            shape: fmt_tuple(shape),
        });
    }
    checked_numel(op, shape)
}

fn memory_limit() -> u64 {
    static LIMIT: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *LIMIT.get_or_init(|| {
        std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("MemTotal:"))
                    .and_then(|l| l.split_whitespace().nth(1))
                    .and_then(|kb| kb.parse::<u64>().ok())
            })
            .map_or(1 << 40, |kb| kb.saturating_mul(1024))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broadcasting_follows_numpy() {
        assert_eq!(
            broadcast_shapes("t", &[4, 1], &[3]).unwrap().as_slice(),
            &[4, 3]
        );
        assert_eq!(
            broadcast_shapes("t", &[], &[2, 2]).unwrap().as_slice(),
            &[2, 2]
        );
        assert_eq!(
            broadcast_shapes("t", &[0, 1], &[1, 5]).unwrap().as_slice(),
            &[0, 5]
        );
        assert!(broadcast_shapes("t", &[2, 3], &[3, 2]).is_err());
        assert_eq!(
            broadcast_strides(&[4, 1], &[2, 4, 3]).as_slice(),
            &[0, 1, 0]
        );
    }

    #[test]
    fn reshape_codes_match_mxnet() {
        let r = |i: &[usize], s: &[isize]| resolve_reshape("reshape", i, s).map(|v| v.to_vec());
        assert_eq!(r(&[2, 3, 4], &[4, 0, -1]).unwrap(), vec![4, 3, 2]);
        assert_eq!(r(&[2, 3, 4], &[-2]).unwrap(), vec![2, 3, 4]);
        assert_eq!(r(&[2, 3, 4], &[-3, 4]).unwrap(), vec![6, 4]);
        assert_eq!(r(&[2, 3, 4], &[-4, 1, 2, -2]).unwrap(), vec![1, 2, 3, 4]);
        assert_eq!(r(&[4], &[4, 1]).unwrap(), vec![4, 1]);
        assert!(r(&[2, 3], &[4, -1]).is_err());
        assert!(r(&[2, 3], &[-1, -1]).is_err());
    }

    #[test]
    fn overflowing_shapes_are_errors() {
        assert!(checked_numel("zeros", &[1 << 40, 1 << 40]).is_err());
        assert_eq!(checked_numel("zeros", &[0, 1 << 40]).unwrap(), 0);
        // As NumPy: a zero does not excuse the other dims, wherever it is.
        assert!(checked_numel("zeros", &[0, 1 << 40, 1 << 40]).is_err());
        assert!(checked_numel("zeros", &[1 << 40, 1 << 40, 0]).is_err());
    }

    #[test]
    fn reshapes_whose_size_wraps_around_are_errors() {
        let r = |i: &[usize], s: &[isize]| resolve_reshape("reshape", i, s);
        // 2 * 11 * 838488366986797801 == 6 modulo 2^64.
        assert!(r(&[6], &[2, 11, 838488366986797801]).is_err());
        assert!(r(&[6], &[-1, 1 << 62, 4]).is_err());
        assert!(r(&[0], &[0, 1 << 62, 1 << 62]).is_err());
        assert!(r(&[6], &[-4, 3074457345618258603, 6]).is_err());
        assert_eq!(r(&[0, 3], &[3, -1]).unwrap().as_slice(), &[3, 0]);
    }
}
