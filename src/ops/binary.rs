//! Elementwise functions of two arrays (NumPy broadcasting) and of an array and a Python
//! scalar (which takes the array's dtype, as in MXNet). Comparisons return 0/1 in the input's
//! dtype and carry no gradient.

use super::reduce::sum_to;
use super::same_dtype;
use super::unary::{log, map_real};
use crate::autograd::{record1, Ctx, Grads, Op, Save};
#[allow(unused_imports)]
use crate::dtype::{Element, Real};
use crate::error::Result;
use crate::kernels::elementwise::zip_broadcast;
use crate::shape::{broadcast_shapes, check_alloc, Shape};
use crate::tensor::Tensor;
#[allow(unused_imports)] // used by the forward bodies inside the op macros
use num_traits::{Float, One, Zero};
use smallvec::smallvec;

/// `f(a, b)` under broadcasting, for two float tensors of one dtype.
fn broadcast_real(op: &'static str, a: &Tensor, b: &Tensor, f: impl BinaryFn) -> Result<Tensor> {
    same_dtype(op, a, b)?;
    let shape = broadcast_shapes(op, a.shape(), b.shape())?;
    check_alloc(op, &shape, a.dtype())?;
    crate::with_real!(op, a.dtype(), T => {
        let out = zip_broadcast(a.data::<T>()?, a.shape(), b.data::<T>()?, b.shape(), &shape, |x: T, y: T| f.apply(x, y));
        Ok(Tensor::from_vec(out, shape))
    })
}

/// A scalar function generic over the float type (closures cannot be generic).
pub trait BinaryFn: Sync {
    fn apply<T: Real>(&self, a: T, b: T) -> T;
}

macro_rules! binary_fn {
    ($Name:ident, |$a:ident, $b:ident| $body:expr) => {
        struct $Name;
        impl BinaryFn for $Name {
            #[inline(always)]
            fn apply<T: Real>(&self, $a: T, $b: T) -> T {
                $body
            }
        }
    };
}

/// `x`'s value when `unit` is known to hold only `identity` and `x` already has the result's
/// shape and dtype.
fn identity_operand(unit: &Tensor, x: &Tensor, identity: f64) -> Option<Tensor> {
    let is_identity = crate::with_dtype!(unit.dtype(), T => unit.uniform_value::<T>().map(|v| v.to_f64() == identity));
    if is_identity != Some(true) || unit.dtype() != x.dtype() || !unit.dtype().is_float() {
        return None;
    }
    let out = broadcast_shapes("multiply", unit.shape(), x.shape()).ok()?;
    (out.as_slice() == x.shape()).then(|| x.detach())
}

/// Gradient of a broadcast input: the incoming gradient summed back to the input's shape.
fn reduce_to(g: Tensor, ctx: &Ctx, i: usize) -> Result<Option<Tensor>> {
    Ok(Some(sum_to(g, ctx.input_shape(i))?))
}

macro_rules! binary_ops {
    ($(
        $(#[$doc:meta])*
        $Op:ident, $func:ident, $name:literal, $save:expr, fwd = |$a:ident, $b:ident| $fwd:expr,
        bwd = |$g:ident, $ctx:ident| ($da:expr, $db:expr) $(, identity = $one:expr)?;
    )*) => {$(
        pub struct $Op;
        impl Op for $Op {
            fn name(&self) -> &'static str {
                $name
            }
            fn backward(&self, $ctx: &Ctx, grads: &[Tensor]) -> Result<Grads> {
                let $g = &grads[0];
                let da = if $ctx.needs(0) { reduce_to($da, $ctx, 0)? } else { None };
                let db = if $ctx.needs(1) { reduce_to($db, $ctx, 1)? } else { None };
                Ok(smallvec![da, db])
            }
        }
        $(#[$doc])*
        pub fn $func(a: &Tensor, b: &Tensor) -> Result<Tensor> {
            binary_fn!(F, |$a, $b| $fwd);
            $(
                // x op identity = x exactly (a gradient of ones, say): share x's buffer.
                if let Some(y) = identity_operand(a, b, $one).or_else(|| identity_operand(b, a, $one)) {
                    return Ok(record1($Op, &[a, b], $save, y));
                }
            )?
            let y = broadcast_real($name, a, b, F)?;
            Ok(record1($Op, &[a, b], $save, y))
        }
    )*};
}

binary_ops! {
    /// a + b
    Add, add, "add", Save::NOTHING, fwd = |x, y| x + y, bwd = |g, ctx| (g.clone(), g.clone());
    /// a - b
    Sub, sub, "subtract", Save::NOTHING, fwd = |x, y| x - y, bwd = |g, ctx| (g.clone(), neg(g)?);
    /// a * b
    Mul, mul, "multiply", Save::INPUTS, fwd = |x, y| x * y,
        bwd = |g, ctx| (mul(g, ctx.input(1)?)?, mul(g, ctx.input(0)?)?), identity = 1.0;
    /// a / b; d/da = 1/b, d/db = -a/b^2
    Div, div, "divide", Save::INPUTS, fwd = |x, y| x / y,
        bwd = |g, ctx| (div(g, ctx.input(1)?)?, neg(&div(&mul(g, ctx.input(0)?)?, &square_of(ctx.input(1)?)?)?)?);
    /// a ** b; d/da = b a^(b-1), d/db = a^b ln a
    Power, power, "power", Save { inputs: 0b11, outputs: true }, fwd = |x, y| x.powf(y),
        bwd = |g, ctx| (
            mul(g, &mul(ctx.input(1)?, &power(ctx.input(0)?, &add_scalar(ctx.input(1)?, -1.0)?)?)?)?,
            mul(g, &mul(ctx.output(0)?, &log(ctx.input(0)?)?)?)?
        );
    /// max(a, b); a tie sends the gradient to a (MXNet)
    Maximum, maximum, "maximum", Save::INPUTS, fwd = |x, y| if x >= y || x.is_nan() { x } else { y },
        bwd = |g, ctx| (
            mul(g, &greater_equal(ctx.input(0)?, ctx.input(1)?)?)?,
            mul(g, &lesser(ctx.input(0)?, ctx.input(1)?)?)?
        );
    /// min(a, b); a tie sends the gradient to a (MXNet)
    Minimum, minimum, "minimum", Save::INPUTS, fwd = |x, y| if x <= y || x.is_nan() { x } else { y },
        bwd = |g, ctx| (
            mul(g, &lesser_equal(ctx.input(0)?, ctx.input(1)?)?)?,
            mul(g, &greater(ctx.input(0)?, ctx.input(1)?)?)?
        );
    /// sqrt(a^2 + b^2); d/da = a/y, d/db = b/y
    Hypot, hypot, "hypot", Save { inputs: 0b11, outputs: true }, fwd = |x, y| x.hypot(y),
        bwd = |g, ctx| (
            mul(g, &div(ctx.input(0)?, ctx.output(0)?)?)?,
            mul(g, &div(ctx.input(1)?, ctx.output(0)?)?)?
        );
    /// atan2(a, b); d/da = b/(a^2+b^2), d/db = -a/(a^2+b^2)
    Arctan2, arctan2, "arctan2", Save::INPUTS, fwd = |x, y| x.atan2(y),
        bwd = |g, ctx| (
            div(&mul(g, ctx.input(1)?)?, &add(&square_of(ctx.input(0)?)?, &square_of(ctx.input(1)?)?)?)?,
            neg(&div(&mul(g, ctx.input(0)?)?, &add(&square_of(ctx.input(0)?)?, &square_of(ctx.input(1)?)?)?)?)?
        );
    /// a mod b with the sign of b (Python's %), 0 where b = 0 (MXNet);
    /// d/da = 1, d/db = -floor(a/b)
    Mod, modulo, "mod", Save::INPUTS, fwd = |x, y| mod_real(x, y),
        bwd = |g, ctx| (
            g.clone(),
            neg(&mul(g, &super::unary::floor(&div(ctx.input(0)?, ctx.input(1)?)?)?)?)?
        );
}

#[inline]
fn mod_real<T: Real>(a: T, b: T) -> T {
    if b == T::zero() {
        return T::zero();
    }
    let c = a % b;
    if c != T::zero() && (b < T::zero()) != (c < T::zero()) {
        c + b
    } else {
        c
    }
}

fn square_of(x: &Tensor) -> Result<Tensor> {
    super::unary::square(x)
}

/// -x (the negative op, re-exported here because rules use it everywhere).
pub fn neg(x: &Tensor) -> Result<Tensor> {
    super::unary::negative(x)
}

// ---------------------------------------------------------------------------------------------
// Array (op) Python scalar. The scalar is stored as f64 and converted to the array's dtype.

macro_rules! scalar_ops {
    ($(
        $(#[$doc:meta])*
        $Op:ident, $func:ident, $name:literal, $save:expr, fwd = |$x:ident, $s:ident| $fwd:expr,
        bwd = |$g:ident, $ctx:ident, $sv:ident| $bwd:expr;
    )*) => {$(
        pub struct $Op(pub f64);
        impl Op for $Op {
            fn name(&self) -> &'static str {
                $name
            }
            #[allow(unused_variables)]
            fn backward(&self, $ctx: &Ctx, grads: &[Tensor]) -> Result<Grads> {
                let $g = &grads[0];
                let $sv = self.0;
                Ok(smallvec![Some($bwd)])
            }
        }
        $(#[$doc])*
        pub fn $func(x: &Tensor, scalar: f64) -> Result<Tensor> {
            let y = map_real!($name, x, |v: T| {
                let ($x, $s): (T, T) = (v, T::from_f64(scalar));
                $fwd
            });
            Ok(record1($Op(scalar), &[x], $save, y))
        }
    )*};
}

scalar_ops! {
    /// x + s
    AddScalar, add_scalar, "_plus_scalar", Save::NOTHING, fwd = |x, s| x + s, bwd = |g, ctx, s| g.clone();
    /// x * s
    MulScalar, mul_scalar, "_mul_scalar", Save::NOTHING, fwd = |x, s| x * s, bwd = |g, ctx, s| mul_scalar(g, s)?;
    /// s - x
    RSubScalar, rsub_scalar, "_rminus_scalar", Save::NOTHING, fwd = |x, s| s - x, bwd = |g, ctx, s| neg(g)?;
    /// x / s
    DivScalar, div_scalar, "_div_scalar", Save::NOTHING, fwd = |x, s| x / s, bwd = |g, ctx, s| div_scalar(g, s)?;
    /// s / x; d/dx = -s/x^2
    RDivScalar, rdiv_scalar, "_rdiv_scalar", Save::INPUTS, fwd = |x, s| s / x,
        bwd = |g, ctx, s| mul_scalar(&div(g, &square_of(ctx.input(0)?)?)?, -s)?;
    /// x ** s; d/dx = s x^(s-1)
    PowScalar, pow_scalar, "_power_scalar", Save::INPUTS, fwd = |x, s| pow_real(x, s),
        bwd = |g, ctx, s| mul(g, &mul_scalar(&pow_scalar(ctx.input(0)?, s - 1.0)?, s)?)?;
    /// max(x, s); a tie sends the gradient to x
    MaximumScalar, maximum_scalar, "_maximum_scalar", Save::INPUTS, fwd = |x, s| if x >= s || x.is_nan() { x } else { s },
        bwd = |g, ctx, s| mul(g, &greater_equal_scalar(ctx.input(0)?, s)?)?;
    /// min(x, s); a tie sends the gradient to x
    MinimumScalar, minimum_scalar, "_minimum_scalar", Save::INPUTS, fwd = |x, s| if x <= s || x.is_nan() { x } else { s },
        bwd = |g, ctx, s| mul(g, &lesser_equal_scalar(ctx.input(0)?, s)?)?;
    /// x mod s (Python's %)
    ModScalar, mod_scalar, "_mod_scalar", Save::NOTHING, fwd = |x, s| mod_real(x, s), bwd = |g, ctx, s| g.clone();
    /// s mod x; d/dx = -floor(s/x)
    RModScalar, rmod_scalar, "_rmod_scalar", Save::INPUTS, fwd = |x, s| mod_real(s, x),
        bwd = |g, ctx, s| neg(&mul(g, &super::unary::floor(&rdiv_scalar(ctx.input(0)?, s)?)?)?)?;
    /// sqrt(x^2 + s^2); d/dx = x/y
    HypotScalar, hypot_scalar, "_hypot_scalar", Save { inputs: 1, outputs: true }, fwd = |x, s| x.hypot(s),
        bwd = |g, ctx, s| mul(g, &div(ctx.input(0)?, ctx.output(0)?)?)?;
    /// s ** x; d/dx = y ln s
    RPowScalar, rpow_scalar, "_rpower_scalar", Save::OUTPUTS, fwd = |x, s| s.powf(x),
        bwd = |g, ctx, s| mul_scalar(&mul(g, ctx.output(0)?)?, s.ln())?;
}

/// x^s with exact small integer powers (x**2 of a negative number must not be NaN).
#[inline]
fn pow_real<T: Real>(x: T, s: T) -> T {
    match s.to_f64() {
        2.0 => x * x,
        1.0 => x,
        0.0 => T::one(),
        e if e.fract() == 0.0 && e.abs() <= 64.0 => x.powi(e as i32),
        _ => x.powf(s),
    }
}

// ---------------------------------------------------------------------------------------------
// Comparisons: 0/1 in the input dtype, never recorded (their gradient is zero everywhere).

macro_rules! comparisons {
    ($($func:ident, $sfunc:ident, $name:literal, |$a:ident, $b:ident| $cmp:expr;)*) => {$(
        pub fn $func(a: &Tensor, b: &Tensor) -> Result<Tensor> {
            binary_fn!(F, |$a, $b| if $cmp { T::one() } else { T::zero() });
            broadcast_real($name, a, b, F)
        }
        pub fn $sfunc(x: &Tensor, scalar: f64) -> Result<Tensor> {
            Ok(map_real!($name, x, |v: T| {
                let ($a, $b): (T, T) = (v, T::from_f64(scalar));
                if $cmp { T::one() } else { T::zero() }
            }))
        }
    )*};
}

comparisons! {
    equal, equal_scalar, "equal", |x, y| x == y;
    not_equal, not_equal_scalar, "not_equal", |x, y| x != y;
    greater, greater_scalar, "greater", |x, y| x > y;
    greater_equal, greater_equal_scalar, "greater_equal", |x, y| x >= y;
    lesser, lesser_scalar, "lesser", |x, y| x < y;
    lesser_equal, lesser_equal_scalar, "lesser_equal", |x, y| x <= y;
    logical_and, logical_and_scalar, "logical_and", |x, y| x != T::zero() && y != T::zero();
    logical_or, logical_or_scalar, "logical_or", |x, y| x != T::zero() || y != T::zero();
    logical_xor, logical_xor_scalar, "logical_xor", |x, y| (x != T::zero()) != (y != T::zero());
}

// ---------------------------------------------------------------------------------------------
// Selection.

/// `where(cond, x, y)`: x where cond is non-zero, else y; the gradient goes to the side taken.
pub struct Where;
impl Op for Where {
    fn name(&self) -> &'static str {
        "where"
    }
    fn backward(&self, ctx: &Ctx, grads: &[Tensor]) -> Result<Grads> {
        let g = &grads[0];
        let picked = not_equal_scalar(ctx.input(0)?, 0.0)?;
        let dx = if ctx.needs(1) {
            Some(sum_to(mul(g, &picked)?, ctx.input_shape(1))?)
        } else {
            None
        };
        let dy = if ctx.needs(2) {
            Some(sum_to(
                mul(g, &rsub_scalar(&picked, 1.0)?)?,
                ctx.input_shape(2),
            )?)
        } else {
            None
        };
        Ok(smallvec![None, dx, dy])
    }
}

pub fn where_(cond: &Tensor, x: &Tensor, y: &Tensor) -> Result<Tensor> {
    same_dtype("where", x, y)?;
    let cond = if cond.dtype() == x.dtype() {
        cond.detach()
    } else {
        super::shape::cast(&cond.detach(), x.dtype())?
    };
    // MXNet: a 1-D condition as long as the first axis picks whole rows.
    let cond = if cond.ndim() == 1
        && x.ndim() > 1
        && cond.numel() == x.shape()[0]
        && x.shape() == y.shape()
    {
        let mut rows = Shape::from_elem(1, x.ndim());
        rows[0] = cond.numel();
        super::shape::reshape(&cond, rows)?
    } else {
        cond
    };
    let shape = broadcast_shapes(
        "where",
        &broadcast_shapes("where", cond.shape(), x.shape())?,
        y.shape(),
    )?;
    check_alloc("where", &shape, x.dtype())?;
    let out = crate::with_real!("where", x.dtype(), T => {
        let c = super::shape::broadcast_to(&cond, &shape)?;
        let a = super::shape::broadcast_to(&x.detach(), &shape)?;
        let b = super::shape::broadcast_to(&y.detach(), &shape)?;
        let (c, a, b) = (c.data::<T>()?, a.data::<T>()?, b.data::<T>()?);
        let v: Vec<T> = (0..c.len()).map(|i| if c[i] != T::zero() { a[i] } else { b[i] }).collect();
        Tensor::from_vec(v, shape)
    });
    Ok(record1(Where, &[&cond, x, y], Save::input(0), out))
}
