//! Seeded random arrays. One generator for the process (MXNet has one per device), advanced
//! sequentially, so a seed gives the same numbers whatever the thread count.

use crate::dtype::DType;
use crate::error::{invalid, Result};
use crate::shape::{checked_numel, Shape};
use crate::value::Value;
use parking_lot::Mutex;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal, Uniform};

static RNG: Mutex<Option<ChaCha8Rng>> = Mutex::new(None);

/// Like MXNet, an unseeded process starts from a fixed state, so scripts are reproducible by
/// default. (The stream differs from MXNet's; the first normal draw is positive, as MXNet's.)
const DEFAULT_SEED: u64 = 0;

/// Resets the generator: the same seed gives the same sequence.
pub fn seed(seed: u64) {
    *RNG.lock() = Some(ChaCha8Rng::seed_from_u64(seed));
}

fn with_rng<R>(f: impl FnOnce(&mut ChaCha8Rng) -> R) -> R {
    let mut guard = RNG.lock();
    let rng = guard.get_or_insert_with(|| ChaCha8Rng::seed_from_u64(DEFAULT_SEED));
    f(rng)
}

fn sample(
    op: &'static str,
    shape: Shape,
    dtype: DType,
    dist: impl Distribution<f64>,
) -> Result<Value> {
    let n = checked_numel(op, &shape)?;
    crate::with_real!(op, dtype, T => {
        let v: Vec<T> = with_rng(|rng| (0..n).map(|_| <T as crate::dtype::Element>::from_f64(dist.sample(rng))).collect());
        Ok(Value::from_vec(v, shape))
    })
}

#[allow(clippy::neg_cmp_op_on_partial_ord)] // written so that a NaN scale is refused
pub fn normal(loc: f64, scale: f64, shape: Shape, dtype: DType) -> Result<Value> {
    // rand_distr takes a negative standard deviation (it mirrors the samples); MXNet does not.
    if !(scale >= 0.0) || !loc.is_finite() {
        return Err(invalid(
            "random.normal",
            format!(
                "need a finite loc and a scale >= 0, got loc={} scale={}",
                loc, scale
            ),
        ));
    }
    let dist = Normal::new(loc, scale).map_err(|_| {
        invalid(
            "random.normal",
            format!("scale must be finite and >= 0, got {}", scale),
        )
    })?;
    sample("random.normal", shape, dtype, dist)
}

#[allow(clippy::neg_cmp_op_on_partial_ord)] // written so that NaN bounds are refused
pub fn uniform(low: f64, high: f64, shape: Shape, dtype: DType) -> Result<Value> {
    if !(low <= high) || !low.is_finite() || !high.is_finite() {
        return Err(invalid(
            "random.uniform",
            format!("need finite low <= high, got low={} high={}", low, high),
        ));
    }
    if low == high {
        return Ok(Value::filled(shape, dtype, low));
    }
    let dist = Uniform::new(low, high).map_err(|e| invalid("random.uniform", e.to_string()))?;
    sample("random.uniform", shape, dtype, dist)
}

/// Integers uniformly from [low, high).
pub fn randint(low: i64, high: i64, shape: Shape, dtype: DType) -> Result<Value> {
    if low >= high {
        return Err(invalid(
            "random.randint",
            format!("need low < high, got low={} high={}", low, high),
        ));
    }
    let (lo, hi) = match dtype {
        DType::I32 => (i32::MIN as i64, i32::MAX as i64 + 1),
        DType::U8 => (0, 256),
        DType::F32 => (-(1i64 << 24), 1i64 << 24), // exactly representable integers
        DType::F64 | DType::I64 => (-(1i64 << 53), 1i64 << 53),
    };
    if low < lo || high > hi {
        return Err(invalid(
            "random.randint",
            format!(
                "[{}, {}) does not fit in {} (which holds [{}, {}))",
                low, high, dtype, lo, hi
            ),
        ));
    }
    let n = checked_numel("random.randint", &shape)?;
    let dist = Uniform::new(low, high).map_err(|e| invalid("random.randint", e.to_string()))?;
    crate::with_dtype!(dtype, T => {
        let v: Vec<T> = with_rng(|rng| (0..n).map(|_| <T as crate::dtype::Element>::from_f64(dist.sample(rng) as f64)).collect());
        Ok(Value::from_vec(v, shape))
    })
}

/// Exponential samples with rate `lam` (MXNet's parameter name).
#[allow(clippy::neg_cmp_op_on_partial_ord)] // written so that a NaN rate is refused
pub fn exponential(lam: f64, shape: Shape, dtype: DType) -> Result<Value> {
    // rand_distr takes a rate of 0 (every sample infinite); MXNet requires lam > 0.
    if !(lam > 0.0) || !lam.is_finite() {
        return Err(invalid(
            "random.exponential",
            format!("lam must be a finite number > 0, got {}", lam),
        ));
    }
    let dist = rand_distr::Exp::new(lam).map_err(|_| {
        invalid(
            "random.exponential",
            format!("lam must be > 0, got {}", lam),
        )
    })?;
    sample("random.exponential", shape, dtype, dist)
}

/// Gamma samples with shape `alpha` and scale `beta`.
pub fn gamma(alpha: f64, beta: f64, shape: Shape, dtype: DType) -> Result<Value> {
    let dist = rand_distr::Gamma::new(alpha, beta).map_err(|_| {
        invalid(
            "random.gamma",
            format!("alpha and beta must be > 0, got {} and {}", alpha, beta),
        )
    })?;
    sample("random.gamma", shape, dtype, dist)
}

/// Poisson samples with rate `lam`.
pub fn poisson(lam: f64, shape: Shape, dtype: DType) -> Result<Value> {
    if lam == 0.0 {
        return Ok(Value::filled(shape, dtype, 0.0));
    }
    let dist = rand_distr::Poisson::new(lam)
        .map_err(|_| invalid("random.poisson", format!("lam must be >= 0, got {}", lam)))?;
    sample("random.poisson", shape, dtype, dist)
}

/// A Poisson count whose rate is itself drawn from a Gamma distribution (the negative
/// binomial's mixture form).
struct GammaPoisson(rand_distr::Gamma<f64>);

impl Distribution<f64> for GammaPoisson {
    fn sample<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let lam = self.0.sample(rng);
        match rand_distr::Poisson::new(lam) {
            Ok(d) => d.sample(rng),
            // A rate of 0 (a Gamma draw can underflow) gives 0; one past Poisson::MAX_LAMBDA
            // (1.8e19) is its own mean to within a relative 1e-9, below f64's resolution there.
            Err(_) if lam > 0.0 => lam.round(),
            Err(_) => 0.0,
        }
    }
}

/// Negative binomial samples in MXNet's parameterisation: the number of failures before the
/// `k`-th success when each trial succeeds with probability `p` (mean k(1-p)/p, variance
/// k(1-p)/p^2), drawn as Poisson(Gamma(k, (1-p)/p)). `k` is a whole number >= 0 and
/// 0 < p <= 1; MXNet lets p = 0 and p > 1 through and returns garbage, ferrograd refuses them.
#[allow(clippy::neg_cmp_op_on_partial_ord)] // written so that NaN parameters are refused
pub fn negative_binomial(k: f64, p: f64, shape: Shape, dtype: DType) -> Result<Value> {
    const OP: &str = "random.negative_binomial";
    if !(k >= 0.0) || !k.is_finite() || k.fract() != 0.0 {
        return Err(invalid(
            OP,
            format!("k must be a whole number >= 0, got {}", k),
        ));
    }
    if !(p > 0.0 && p <= 1.0) {
        return Err(invalid(OP, format!("p must be in (0, 1], got {}", p)));
    }
    if k == 0.0 || p == 1.0 {
        checked_numel(OP, &shape)?;
        return Ok(Value::filled(shape, dtype, 0.0));
    }
    let gamma = rand_distr::Gamma::new(k, (1.0 - p) / p)
        .map_err(|e| invalid(OP, format!("k={} p={}: {}", k, p, e)))?;
    sample(OP, shape, dtype, GammaPoisson(gamma))
}

/// Generalized negative binomial samples (MXNet's parameterisation): mean `mu`, variance
/// mu + alpha mu^2, drawn as Poisson(Gamma(1/alpha, alpha mu)); alpha = 0 is the Poisson
/// distribution of rate `mu`. Both parameters must be >= 0.
#[allow(clippy::neg_cmp_op_on_partial_ord)] // written so that NaN parameters are refused
pub fn generalized_negative_binomial(
    mu: f64,
    alpha: f64,
    shape: Shape,
    dtype: DType,
) -> Result<Value> {
    const OP: &str = "random.generalized_negative_binomial";
    if !(mu >= 0.0) || !mu.is_finite() {
        return Err(invalid(OP, format!("mu must be >= 0, got {}", mu)));
    }
    if !(alpha >= 0.0) || !alpha.is_finite() {
        return Err(invalid(OP, format!("alpha must be >= 0, got {}", alpha)));
    }
    if mu == 0.0 {
        checked_numel(OP, &shape)?;
        return Ok(Value::filled(shape, dtype, 0.0));
    }
    if alpha == 0.0 {
        let dist =
            rand_distr::Poisson::new(mu).map_err(|e| invalid(OP, format!("mu={}: {}", mu, e)))?;
        return sample(OP, shape, dtype, dist);
    }
    let gamma = rand_distr::Gamma::new(1.0 / alpha, alpha * mu)
        .map_err(|e| invalid(OP, format!("mu={} alpha={}: {}", mu, alpha, e)))?;
    sample(OP, shape, dtype, GammaPoisson(gamma))
}

/// Category indices drawn from each row of probabilities `probs` (last axis), `count` per row.
pub fn multinomial(probs: &Value, count: usize, dtype: DType) -> Result<Value> {
    let k = *probs.shape().last().ok_or_else(|| {
        invalid(
            "random.multinomial",
            "probabilities need at least one dimension",
        )
    })?;
    let p = probs.to_f64_vec();
    let rows = p.len().checked_div(k).unwrap_or(0);
    let mut out = Vec::with_capacity(rows * count);
    with_rng(|rng| -> Result<()> {
        for r in 0..rows {
            let row = &p[r * k..(r + 1) * k];
            let dist = rand_distr::weighted::WeightedIndex::new(row).map_err(|e| {
                invalid(
                    "random.multinomial",
                    format!("row {} is not a probability vector: {}", r, e),
                )
            })?;
            for _ in 0..count {
                out.push(dist.sample(rng) as f64);
            }
        }
        Ok(())
    })?;
    let mut shape: Shape = Shape::from_slice(&probs.shape()[..probs.ndim() - 1]);
    if count > 1 || shape.is_empty() {
        shape.push(count);
    }
    crate::with_dtype!(dtype, T => Ok(Value::from_vec(out.into_iter().map(<T as crate::dtype::Element>::from_f64).collect::<Vec<T>>(), shape)))
}

/// The numbers 0..n in a random order.
pub fn permutation(n: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    with_rng(|rng| rand::seq::SliceRandom::shuffle(order.as_mut_slice(), rng));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_gives_the_same_numbers() {
        seed(7);
        let a = normal(0.0, 1.0, smallvec::smallvec![5], DType::F64)
            .unwrap()
            .to_f64_vec();
        seed(7);
        let b = normal(0.0, 1.0, smallvec::smallvec![5], DType::F64)
            .unwrap()
            .to_f64_vec();
        assert_eq!(a, b);
        let u = uniform(2.0, 3.0, smallvec::smallvec![1000], DType::F32)
            .unwrap()
            .to_f64_vec();
        assert!(u.iter().all(|&v| (2.0..3.0).contains(&v)));
    }

    #[test]
    fn negative_binomials_check_their_parameters() {
        let shape = || -> Shape { smallvec::smallvec![4] };
        for (k, p) in [
            (1.0, 0.0),
            (1.0, 1.5),
            (2.5, 0.5),
            (-1.0, 0.5),
            (1.0, f64::NAN),
        ] {
            assert!(
                negative_binomial(k, p, shape(), DType::F32).is_err(),
                "k={k} p={p}"
            );
        }
        for (mu, alpha) in [(-1.0, 1.0), (1.0, -1.0), (f64::NAN, 1.0)] {
            assert!(generalized_negative_binomial(mu, alpha, shape(), DType::F32).is_err());
        }
        let zeros = negative_binomial(0.0, 0.5, shape(), DType::F64).unwrap();
        assert_eq!(zeros.to_f64_vec(), vec![0.0; 4]);
        seed(3);
        let v = negative_binomial(3.0, 0.4, smallvec::smallvec![20000], DType::F64)
            .unwrap()
            .to_f64_vec();
        let mean = v.iter().sum::<f64>() / v.len() as f64;
        assert!((mean - 4.5).abs() < 0.1, "{mean}"); // k(1-p)/p
        assert!(v.iter().all(|&x| x >= 0.0 && x.fract() == 0.0));
    }
}
