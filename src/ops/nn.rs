//! Neural-network ops of the from-scratch chapters. softmax and log_softmax are fused for
//! numerical stability and have their own rules; the rest are composites.

use super::broadcast::{broadcast_to, sum};
use super::elementwise as unary;
use super::elementwise::{self as binary, add, exp, log, mul, mul_scalar, sub};
use super::reduce::max;
use super::shape::reshape;
use crate::error::{invalid, shape_err, Result};
use crate::graph::mode::is_training;
use crate::graph::{record1, Ctx, Grads, Op, Save, Tensor};
use crate::shape::{fmt_tuple, normalize_axis};
use smallvec::smallvec;

fn stable_exp(x: &Tensor, axis: isize, temperature: f64) -> Result<(Tensor, Tensor)> {
    // z = x/T - max(x/T): exp(z) cannot overflow.
    let xs = if temperature == 1.0 {
        x.detach()
    } else {
        binary::div_scalar(&x.detach(), temperature)?
    };
    let m = max(&xs, Some(&[axis]), true, false)?;
    let z = sub(&xs, &broadcast_to(&m, xs.shape())?)?;
    let e = exp(&z)?;
    Ok((z, e))
}

pub struct Softmax {
    axis: isize,
    temperature: f64,
}
impl Op for Softmax {
    fn name(&self) -> &'static str {
        "softmax"
    }
    /// dx = y * (g - sum(g * y)) / T
    fn backward(&self, ctx: &Ctx, grads: &[Tensor]) -> Result<Grads> {
        let (g, y) = (&grads[0], ctx.output(0)?);
        let gy = sum(&mul(g, y)?, Some(&[self.axis]), true, false)?;
        let dx = mul(y, &sub(g, &broadcast_to(&gy, g.shape())?)?)?;
        Ok(smallvec![Some(scale(dx, self.temperature)?)])
    }
}

fn scale(t: Tensor, temperature: f64) -> Result<Tensor> {
    if temperature == 1.0 {
        Ok(t)
    } else {
        binary::div_scalar(&t, temperature)
    }
}

#[allow(clippy::neg_cmp_op_on_partial_ord)] // NaN must fail the check
fn check_temperature(op: &'static str, t: f64) -> Result<()> {
    if !(t > 0.0) || !t.is_finite() {
        return Err(invalid(
            op,
            format!("temperature must be a positive number, got {}", t),
        ));
    }
    Ok(())
}

pub fn softmax(x: &Tensor, axis: isize, temperature: f64) -> Result<Tensor> {
    check_temperature("softmax", temperature)?;
    normalize_axis("softmax", axis, x.ndim())?;
    let (_, e) = stable_exp(x, axis, temperature)?;
    let s = sum(&e, Some(&[axis]), true, false)?;
    let y = binary::div(&e, &broadcast_to(&s, e.shape())?)?.detach();
    Ok(record1(
        Softmax { axis, temperature },
        &[x],
        Save::OUTPUTS,
        y,
    ))
}

/// softmax(-x / T) along `axis` (MXNet's softmin): large inputs get small weights.
pub fn softmin(x: &Tensor, axis: isize, temperature: f64) -> Result<Tensor> {
    check_temperature("softmin", temperature)?;
    normalize_axis("softmin", axis, x.ndim())?;
    softmax(&binary::neg(x)?, axis, temperature)
}

pub struct LogSoftmax {
    axis: isize,
    temperature: f64,
}
impl Op for LogSoftmax {
    fn name(&self) -> &'static str {
        "log_softmax"
    }
    /// dx = (g - exp(y) * sum(g)) / T
    fn backward(&self, ctx: &Ctx, grads: &[Tensor]) -> Result<Grads> {
        let (g, y) = (&grads[0], ctx.output(0)?);
        let gs = sum(g, Some(&[self.axis]), true, false)?;
        let dx = sub(g, &mul(&exp(y)?, &broadcast_to(&gs, g.shape())?)?)?;
        Ok(smallvec![Some(scale(dx, self.temperature)?)])
    }
}

pub fn log_softmax(x: &Tensor, axis: isize, temperature: f64) -> Result<Tensor> {
    check_temperature("log_softmax", temperature)?;
    normalize_axis("log_softmax", axis, x.ndim())?;
    let (z, e) = stable_exp(x, axis, temperature)?;
    let lse = log(&sum(&e, Some(&[axis]), true, false)?)?;
    let y = sub(&z, &broadcast_to(&lse, z.shape())?)?.detach();
    Ok(record1(
        LogSoftmax { axis, temperature },
        &[x],
        Save::OUTPUTS,
        y,
    ))
}

/// log(1 + e^x), computed as max(x, 0) + log1p(e^-|x|) so that it never overflows.
pub fn softrelu(x: &Tensor) -> Result<Tensor> {
    add(
        &unary::relu(x)?,
        &unary::log1p(&exp(&binary::neg(&unary::abs(x)?)?)?)?,
    )
}

/// MXNet's Activation(act_type = relu | sigmoid | tanh | softrelu | softsign).
pub fn activation(x: &Tensor, act_type: &str) -> Result<Tensor> {
    match act_type {
        "relu" => unary::relu(x),
        "sigmoid" => unary::sigmoid(x),
        "tanh" => unary::tanh(x),
        "softrelu" => softrelu(x),
        "softsign" => unary::softsign(x),
        other => Err(invalid(
            "Activation",
            format!(
                "act_type must be relu, sigmoid, tanh, softrelu or softsign, got '{}'",
                other
            ),
        )),
    }
}

/// MXNet's LeakyReLU(act_type = leaky | elu | selu | gelu, slope).
pub fn leaky_relu(x: &Tensor, act_type: &str, slope: f64) -> Result<Tensor> {
    let positive = binary::greater_scalar(&x.detach(), 0.0)?;
    let expm1 = || unary::expm1(x);
    match act_type {
        "leaky" => binary::where_(&positive, x, &mul_scalar(x, slope)?),
        "elu" => binary::where_(&positive, x, &mul_scalar(&expm1()?, slope)?),
        "selu" => {
            const ALPHA: f64 = 1.6732632423543772;
            const LAMBDA: f64 = 1.0507009873554805;
            mul_scalar(
                &binary::where_(&positive, x, &mul_scalar(&expm1()?, ALPHA)?)?,
                LAMBDA,
            )
        }
        "gelu" => {
            // x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2))
            let phi = binary::add_scalar(
                &unary::erf(&mul_scalar(x, std::f64::consts::FRAC_1_SQRT_2)?)?,
                1.0,
            )?;
            mul_scalar(&mul(x, &phi)?, 0.5)
        }
        other => Err(invalid(
            "LeakyReLU",
            format!("act_type must be leaky, elu, selu or gelu, got '{}'", other),
        )),
    }
}

/// MXNet's FullyConnected: data (flattened to 2-D when `flatten`) times weight^T plus bias.
pub fn fully_connected(
    data: &Tensor,
    weight: &Tensor,
    bias: Option<&Tensor>,
    num_hidden: usize,
    flatten: bool,
) -> Result<Tensor> {
    if weight.ndim() != 2 || weight.shape()[0] != num_hidden {
        return Err(shape_err(
            "FullyConnected",
            format!(
                "weight must have shape ({}, in_units), got {}",
                num_hidden,
                fmt_tuple(weight.shape())
            ),
        ));
    }
    let x = if flatten {
        super::layout::flatten(data)?
    } else {
        data.clone()
    };
    let y = super::linalg::dot(&x, weight, false, true)?;
    match bias {
        None => Ok(y),
        Some(b) => {
            if b.numel() != num_hidden {
                return Err(shape_err(
                    "FullyConnected",
                    format!(
                        "bias must have {} elements, got shape {}",
                        num_hidden,
                        fmt_tuple(b.shape())
                    ),
                ));
            }
            add(&y, &reshape(b, smallvec![num_hidden])?)
        }
    }
}

/// Dropout: in training mode zeroes each element with probability `p` and scales the rest by
/// 1/(1-p); in prediction mode (unless `always`) it is the identity.
pub fn dropout(x: &Tensor, p: f64, always: bool, axes: &[isize]) -> Result<Tensor> {
    if !(0.0..=1.0).contains(&p) {
        return Err(invalid(
            "Dropout",
            format!("p must be in [0, 1], got {}", p),
        ));
    }
    if !(always || is_training()) || p == 0.0 {
        return Ok(x.clone());
    }
    if p == 1.0 {
        return mul_scalar(x, 0.0);
    }
    // `axes`: one mask value shared along each of these axes (MXNet's variational dropout).
    let mut mask_shape = x.shape_vec();
    for &a in axes {
        mask_shape[normalize_axis("Dropout", a, x.ndim())?] = 1;
    }
    let u = Tensor::from(crate::random::uniform(0.0, 1.0, mask_shape, x.dtype())?);
    let keep = binary::div_scalar(&binary::greater_equal_scalar(&u, p)?, 1.0 - p)?;
    mul(x, &broadcast_to(&keep, x.shape())?)
}

/// MXNet's softmax_cross_entropy: the summed cross-entropy of softmax(data) against integer
/// labels, shape (1,).
pub fn softmax_cross_entropy(data: &Tensor, label: &Tensor) -> Result<Tensor> {
    if data.ndim() != 2 || label.numel() != data.shape()[0] {
        return Err(shape_err(
            "softmax_cross_entropy",
            format!(
                "data must be (batch, classes) and label (batch,), got {} and {}",
                fmt_tuple(data.shape()),
                fmt_tuple(label.shape())
            ),
        ));
    }
    let lp = log_softmax(data, -1, 1.0)?;
    let picked = super::layout::pick(&lp, label, -1, false, "clip")?;
    binary::neg(&sum(&picked, None, false, false)?)
}

/// MXNet's smooth_l1 with scalar sigma: 0.5 (sigma x)^2 where |x| < 1/sigma^2, else |x| - 0.5/sigma^2.
pub fn smooth_l1(x: &Tensor, sigma: f64) -> Result<Tensor> {
    let s2 = sigma * sigma;
    let small = binary::lesser_scalar(&unary::abs(&x.detach())?, 1.0 / s2)?;
    let quad = mul_scalar(&unary::square(x)?, 0.5 * s2)?;
    let lin = binary::add_scalar(&unary::abs(x)?, -0.5 / s2)?;
    binary::where_(&small, &quad, &lin)
}
