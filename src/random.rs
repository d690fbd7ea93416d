//! Seeded random arrays. One generator for the process (MXNet has one per device), advanced
//! sequentially, so a seed gives the same numbers whatever the thread count.

use crate::dtype::DType;
use crate::error::{invalid, Result};
use crate::shape::{checked_numel, Shape};
use crate::tensor::Tensor;
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
) -> Result<Tensor> {
    let n = checked_numel(op, &shape)?;
    crate::with_real!(op, dtype, T => {
        let v: Vec<T> = with_rng(|rng| (0..n).map(|_| <T as crate::dtype::Element>::from_f64(dist.sample(rng))).collect());
        Ok(Tensor::from_vec(v, shape))
    })
}

pub fn normal(loc: f64, scale: f64, shape: Shape, dtype: DType) -> Result<Tensor> {
    let dist = Normal::new(loc, scale).map_err(|_| {
        invalid(
            "random.normal",
            format!("scale must be finite and >= 0, got {}", scale),
        )
    })?;
    sample("random.normal", shape, dtype, dist)
}

pub fn uniform(low: f64, high: f64, shape: Shape, dtype: DType) -> Result<Tensor> {
    if !(low <= high) || !low.is_finite() || !high.is_finite() {
        return Err(invalid(
            "random.uniform",
            format!("need finite low <= high, got low={} high={}", low, high),
        ));
    }
    if low == high {
        return Ok(Tensor::filled(shape, dtype, low));
    }
    let dist = Uniform::new(low, high).map_err(|e| invalid("random.uniform", e.to_string()))?;
    sample("random.uniform", shape, dtype, dist)
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
}
