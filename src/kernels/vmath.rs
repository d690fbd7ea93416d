//! Branch-free float32 exp, ln, sin, cos, tanh and sigmoid that LLVM vectorises inside the
//! AVX2 loops of `elementwise` (the standard library's versions are opaque libm calls that
//! process one element at a time). Accuracy is within a few ulp of the correctly rounded
//! result over the whole range; the tests below sweep each against f64.
//!
//! Polynomials: Taylor for exp on [-ln2/2, ln2/2]; the atanh series for ln on
//! [sqrt(1/2), sqrt(2)); Cephes' minimax coefficients for sin, cos and small-|x| tanh.
//! float64 uses the standard library (`Real` dispatches).

const LOG2E: f32 = std::f32::consts::LOG2_E;
const LN2_HI: f32 = 0.693_145_75;
const LN2_LO: f32 = 1.428_606_8e-6;

/// Round to nearest (ties to even) with plain arithmetic, valid for |v| < 2^22: adding and
/// subtracting 1.5 * 2^23 leaves no fraction bits. `f32::round` is a libm call and would
/// stop the loop from vectorising.
#[inline(always)]
fn round_near(v: f32) -> f32 {
    const MAGIC: f32 = 12_582_912.0;
    (v + MAGIC) - MAGIC
}

/// The integer value of an integral `v` with |v| < 2^22, read from the bits of v + 1.5*2^23
/// (`as i32` saturates, which LLVM does not vectorise; NaN gives garbage, never UB).
#[inline(always)]
fn int_bits(v: f32) -> i32 {
    const MAGIC: f32 = 12_582_912.0;
    ((v + MAGIC).to_bits() as i32) - (MAGIC.to_bits() as i32)
}

/// e^x.
#[inline(always)]
pub fn exp(x: f32) -> f32 {
    let xc = x.clamp(-104.0, 88.8);
    let n = round_near(xc * LOG2E);
    let r = xc - n * LN2_HI - n * LN2_LO;
    let p = 1.0
        + r * (1.0
            + r * (0.5
                + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0 + r * (1.0 / 720.0))))));
    // 2^n as two factors so that n down to -150 (subnormal results) stays representable.
    let n = int_bits(n);
    let h = n >> 1;
    let s1 = f32::from_bits(((h + 127) as u32) << 23);
    let s2 = f32::from_bits(((n - h + 127) as u32) << 23);
    let y = p * s1 * s2;
    if x > 88.72 {
        f32::INFINITY
    } else if x.is_nan() {
        x
    } else {
        y
    }
}

/// Natural logarithm.
#[inline(always)]
#[allow(clippy::neg_cmp_op_on_partial_ord)] // negative and NaN inputs both give NaN
pub fn ln(x: f32) -> f32 {
    // Subnormals are scaled into the normal range first.
    let tiny = x < f32::MIN_POSITIVE;
    let xs = if tiny { x * 8_388_608.0 } else { x }; // 2^23
    let bits = xs.to_bits();
    let mut e = ((bits >> 23) & 0xff) as i32 - 127;
    let mut m = f32::from_bits((bits & 0x007f_ffff) | 0x3f80_0000); // [1, 2)
    let big = m > std::f32::consts::SQRT_2;
    m = if big { m * 0.5 } else { m };
    e += big as i32;
    let f = m - 1.0;
    let s = f / (2.0 + f);
    let z = s * s;
    let atanh = s * (1.0 + z * (1.0 / 3.0 + z * (1.0 / 5.0 + z * (1.0 / 7.0 + z * (1.0 / 9.0)))));
    let ef = (e - if tiny { 23 } else { 0 }) as f32;
    let y = ef * LN2_HI + (2.0 * atanh + ef * LN2_LO);
    if x == 0.0 {
        f32::NEG_INFINITY
    } else if !(x >= 0.0) {
        f32::NAN
    } else if x == f32::INFINITY {
        x
    } else {
        y
    }
}

#[inline(always)]
fn sin_poly(r: f32, z: f32) -> f32 {
    ((-1.951_529_6e-4 * z + 8.332_161e-3) * z - 1.666_665_5e-1) * z * r + r
}

#[inline(always)]
fn cos_poly(z: f32) -> f32 {
    ((2.443_315_7e-5 * z - 1.388_731_6e-3) * z + 4.166_664_6e-2) * z * z - 0.5 * z + 1.0
}

/// Reduction by multiples of pi/2 (three-part Cody-Waite): x = k pi/2 + r, |r| <= pi/4.
/// Exact enough for |x| < 2^13; callers send larger arguments to the standard library.
#[inline(always)]
fn reduce(x: f32) -> (f32, i32) {
    let k = round_near(x * std::f32::consts::FRAC_2_PI);
    let r = ((x - k * 1.570_312_5) - k * 4.837_513e-4) - k * 7.549_79e-8;
    (r, int_bits(k))
}

/// Past this |x| the f32 reduction loses accuracy; `elementwise` recomputes those elements.
pub const TRIG_FAST_LIMIT: f32 = 8192.0;

/// sin x (accurate for |x| < TRIG_FAST_LIMIT).
#[inline(always)]
pub fn sin(x: f32) -> f32 {
    let (r, k) = reduce(x);
    let z = r * r;
    let (s, c) = (sin_poly(r, z), cos_poly(z));
    let v = if k & 1 == 0 { s } else { c };
    if k & 2 == 0 {
        v
    } else {
        -v
    }
}

/// cos x (accurate for |x| < TRIG_FAST_LIMIT).
#[inline(always)]
pub fn cos(x: f32) -> f32 {
    let (r, k) = reduce(x);
    let z = r * r;
    let (s, c) = (sin_poly(r, z), cos_poly(z));
    let v = if k & 1 == 0 { c } else { s };
    if (k + 1) & 2 == 0 {
        v
    } else {
        -v
    }
}

/// tanh x.
#[inline(always)]
pub fn tanh(x: f32) -> f32 {
    let a = x.abs();
    let z = x * x;
    let small =
        ((((-5.704_988_7e-3 * z + 2.063_909e-2) * z - 5.373_971_6e-2) * z + 1.333_144_2e-1) * z
            - 3.333_328e-1)
            * z
            * x
            + x;
    let e = exp(2.0 * a.min(20.0));
    let large = (1.0 - 2.0 / (e + 1.0)).copysign(x);
    if a < 0.625 {
        small.copysign(x) // keeps tanh(-0) = -0
    } else if x.is_nan() {
        x
    } else {
        large
    }
}

/// 1 / (1 + e^-x).
#[inline(always)]
pub fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + exp(-x))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn max_rel_err(f: impl Fn(f32) -> f32, g: impl Fn(f64) -> f64, lo: f32, hi: f32) -> f64 {
        let n = 200_001;
        (0..n)
            .map(|i| lo + (hi - lo) * i as f32 / (n - 1) as f32)
            .map(|x| {
                let want = g(x as f64);
                let got = f(x) as f64;
                if want == 0.0 {
                    got.abs()
                } else {
                    ((got - want) / want).abs()
                }
            })
            .fold(0.0, f64::max)
    }

    #[test]
    fn within_a_few_ulp_of_f64() {
        let ulp = f32::EPSILON as f64;
        assert!(max_rel_err(exp, f64::exp, -87.0, 88.0) < 3.0 * ulp);
        assert!(max_rel_err(ln, f64::ln, 1e-30, 1e30) < 3.0 * ulp);
        assert!(max_rel_err(ln, f64::ln, 0.5, 2.0) < 4.0 * ulp);
        assert!(max_rel_err(tanh, f64::tanh, -10.0, 10.0) < 4.0 * ulp);
        assert!(max_rel_err(sigmoid, |x| 1.0 / (1.0 + (-x).exp()), -80.0, 80.0) < 4.0 * ulp);
        // sin/cos: absolute error near their zeros, relative elsewhere
        for (f, g) in [
            (sin as fn(f32) -> f32, f64::sin as fn(f64) -> f64),
            (cos, f64::cos),
        ] {
            let worst = (0..200_001)
                .map(|i| -100.0 + 200.0 * i as f32 / 200_000.0)
                .map(|x| (f(x) as f64 - g(x as f64)).abs())
                .fold(0.0, f64::max);
            assert!(worst < 2e-7, "{}", worst);
        }
    }

    #[test]
    fn special_values() {
        assert_eq!(exp(f32::NEG_INFINITY), 0.0);
        assert_eq!(exp(f32::INFINITY), f32::INFINITY);
        assert_eq!(exp(100.0), f32::INFINITY);
        assert!(exp(f32::NAN).is_nan());
        assert!(exp(-100.0) > 0.0 && exp(-100.0) < 1e-43);
        assert_eq!(ln(0.0), f32::NEG_INFINITY);
        assert!(ln(-1.0).is_nan() && ln(f32::NAN).is_nan());
        assert_eq!(ln(f32::INFINITY), f32::INFINITY);
        assert!((ln(1e-40) as f64 - (1e-40f32 as f64).ln()).abs() < 1e-5);
        assert_eq!(tanh(f32::INFINITY), 1.0);
        assert_eq!(tanh(-50.0), -1.0);
        assert!(tanh(f32::NAN).is_nan());
        assert_eq!(sigmoid(-200.0), 0.0);
        assert_eq!(tanh(-0.0).to_bits(), (-0.0f32).to_bits());
    }
}
