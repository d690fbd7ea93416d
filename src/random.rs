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
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU64, Ordering};

/// The generator's cell. Reached through a pointer so that a forked child can start a fresh
/// cell instead of waiting on the parent's lock, which a parent thread that does not exist in
/// the child may have held at the fork. Cells are never freed (one per process plus one per
/// fork), so a reference to one stays valid.
static RNG: AtomicPtr<Mutex<Option<ChaCha8Rng>>> = AtomicPtr::new(std::ptr::null_mut());
/// The seed the current stream started from (the default, `seed(n)`, or a fork's).
static SEED: AtomicU64 = AtomicU64::new(DEFAULT_SEED);
/// Forks this process has made (counted before each fork: the child reads its own number).
static FORKS: AtomicU64 = AtomicU64::new(0);
/// Set in a forked child: the next draw starts the child's own stream.
static RESEED: AtomicBool = AtomicBool::new(false);

/// Like MXNet, an unseeded process starts from a fixed state, so scripts are reproducible by
/// default. (The stream differs from MXNet's; the first normal draw is positive, as MXNet's.)
const DEFAULT_SEED: u64 = 0;

/// Resets the generator: the same seed gives the same sequence.
pub fn seed(seed: u64) {
    SEED.store(seed, Ordering::Relaxed);
    *cell().lock() = Some(ChaCha8Rng::seed_from_u64(seed));
}

/// Counts a fork (a `pthread_atfork` prepare handler: one atomic add).
pub fn before_fork() {
    FORKS.fetch_add(1, Ordering::Relaxed);
}

/// In a forked child (a `pthread_atfork` child handler: atomics only): the next draw starts a
/// stream of the child's own, seeded from the parent's seed and the fork's number, as NumPy's
/// and PyTorch's guidance for worker processes asks. Children of one parent draw different
/// numbers, and a seeded parent gives its children the same streams on every run.
pub fn after_fork_child() {
    let number = FORKS.swap(0, Ordering::Relaxed);
    SEED.store(
        fork_seed(SEED.load(Ordering::Relaxed), number),
        Ordering::Relaxed,
    );
    RESEED.store(true, Ordering::Relaxed);
}

/// SplitMix64 of the parent's seed and the fork number: well-spread seeds for neighbours.
fn fork_seed(parent: u64, number: u64) -> u64 {
    let mut z = parent ^ number.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The seed of the current stream (what a forked child's seed derives from).
pub fn current_seed() -> u64 {
    SEED.load(Ordering::Relaxed)
}

fn cell() -> &'static Mutex<Option<ChaCha8Rng>> {
    if RESEED.swap(false, Ordering::Relaxed) {
        let seeded = ChaCha8Rng::seed_from_u64(SEED.load(Ordering::Relaxed));
        // The parent's cell (and its lock) are left behind, unused.
        RNG.store(
            Box::into_raw(Box::new(Mutex::new(Some(seeded)))),
            Ordering::Release,
        );
    }
    let p = RNG.load(Ordering::Acquire);
    if !p.is_null() {
        // SAFETY: non-null pointers in RNG come from Box::into_raw and are never freed.
        return unsafe { &*p };
    }
    let fresh = Box::into_raw(Box::new(Mutex::new(None)));
    match RNG.compare_exchange(
        std::ptr::null_mut(),
        fresh,
        Ordering::AcqRel,
        Ordering::Acquire,
    ) {
        // SAFETY: `fresh` came from Box::into_raw and is now stored for good.
        Ok(_) => unsafe { &*fresh },
        Err(existing) => {
            // SAFETY: `fresh` was never shared (the exchange failed), so it is freed once.
            drop(unsafe { Box::from_raw(fresh) });
            // SAFETY: as above: a stored pointer is never freed.
            unsafe { &*existing }
        }
    }
}

fn with_rng<R>(f: impl FnOnce(&mut ChaCha8Rng) -> R) -> R {
    let mut guard = cell().lock();
    let rng = guard.get_or_insert_with(|| ChaCha8Rng::seed_from_u64(SEED.load(Ordering::Relaxed)));
    f(rng)
}

fn sample(
    op: &'static str,
    shape: Shape,
    dtype: DType,
    dist: impl Distribution<f64>,
) -> Result<Value> {
    sample_below(op, shape, dtype, dist, f64::INFINITY)
}

/// Draws of `dist` rounded to `dtype`, each strictly below `bound` after the rounding: a draw
/// just under the bound can round up onto it (for float16 below 1.0, one draw in ~4000; for
/// float32, one in ~3e7), and such a draw is drawn again.
fn sample_below(
    op: &'static str,
    shape: Shape,
    dtype: DType,
    dist: impl Distribution<f64>,
    bound: f64,
) -> Result<Value> {
    use crate::dtype::Element;
    let n = checked_numel(op, &shape)?;
    crate::with_real!(op, dtype, T => {
        let v: Vec<T> = with_rng(|rng| {
            (0..n)
                .map(|_| {
                    // Bounded: in an interval too narrow for the dtype every draw could round
                    // onto the bound; after that many tries the last one is kept.
                    let mut x = T::from_f64(dist.sample(rng));
                    for _ in 0..64 {
                        if x.to_f64() < bound {
                            break;
                        }
                        x = T::from_f64(dist.sample(rng));
                    }
                    x
                })
                .collect()
        });
        Ok(Value::from_vec(v, shape))
    })
}

#[allow(clippy::neg_cmp_op_on_partial_ord)] // written so that NaN parameters are refused
pub fn normal(loc: f64, scale: f64, shape: Shape, dtype: DType) -> Result<Value> {
    // rand_distr accepts a negative scale (and draws -scale * z): refuse it, as NumPy does.
    if !loc.is_finite() || !(scale >= 0.0) {
        return Err(invalid(
            "random.normal",
            format!(
                "need a finite loc and a finite scale >= 0, got loc={} scale={}",
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
    sample_below("random.uniform", shape, dtype, dist, high)
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
        DType::I8 => (-128, 128),
        DType::F16 => (-(1i64 << 11), 1i64 << 11), // exactly representable integers
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
    fn uniform_draws_never_round_onto_high() {
        // Before, about one float16 draw in 4000 from [0, 1) came out as 1.0.
        seed(11);
        for dtype in [DType::F16, DType::F32] {
            let u = uniform(0.0, 1.0, smallvec::smallvec![200_000], dtype)
                .unwrap()
                .to_f64_vec();
            assert!(u.iter().all(|&v| (0.0..1.0).contains(&v)), "{dtype}");
            let mean = u.iter().sum::<f64>() / u.len() as f64;
            assert!((mean - 0.5).abs() < 0.01, "{dtype}: mean {mean}");
        }
        // An interval where every draw rounds onto `high` (no float16 lies in [0.9999, 1.0);
        // the nearest below 1.0 is 0.99951) still answers after its bounded retries.
        let narrow = uniform(0.9999, 1.0, smallvec::smallvec![4], DType::F16).unwrap();
        assert_eq!(narrow.to_f64_vec().len(), 4);
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

    #[test]
    fn fork_seeds_differ_by_fork_and_by_parent() {
        let seeds: Vec<u64> = (1..5).map(|k| fork_seed(7, k)).collect();
        let mut unique = seeds.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), seeds.len());
        assert_ne!(fork_seed(7, 1), fork_seed(8, 1));
        assert_eq!(fork_seed(7, 1), fork_seed(7, 1));
    }
}
