//! Engine benchmarks (criterion, no Python): per-op overhead on one-element inputs, recorded and
//! not; elementwise throughput at 1e3, 1e6 and 1e7 elements; matmul; a 1000-op recorded chain with
//! its backward; one small MLP training step; the shared yardstick's large workloads (c, d, f, g,
//! h). Sample sizes are small so the whole run stays within a few minutes on a 2-core machine:
//! `cargo bench --bench engine` (add `-- --quick` for a faster, rougher pass, or a name filter
//! such as `-- chain`).

use _core::array::NDArray;
use _core::backward::{self, Options};
use _core::graph::mode::ModeGuard;
use _core::graph::variable::GradReq;
use _core::ops::{self, elementwise, linalg, reduce};
use _core::shape::Shape;
use _core::Tensor;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;
use std::time::Duration;

const FIRST_ORDER: Options = Options {
    retain_graph: false,
    create_graph: false,
    train_mode: true,
    allow_unused: false,
};
const HIGHER_ORDER: Options = Options {
    retain_graph: true,
    create_graph: true,
    train_mode: true,
    allow_unused: false,
};

/// A float32 tensor of `shape` with deterministic values in [-1, 1).
fn tensor(shape: &[usize], seed: u32) -> Tensor {
    let n: usize = shape.iter().product();
    let mut s = seed.wrapping_mul(2_654_435_761).wrapping_add(12345);
    let data: Vec<f32> = (0..n)
        .map(|_| {
            // xorshift32: cheap, deterministic, good enough for benchmark inputs
            s ^= s << 13;
            s ^= s >> 17;
            s ^= s << 5;
            (s >> 8) as f32 / (1u32 << 24) as f32 * 2.0 - 1.0
        })
        .collect();
    Tensor::from_vec(data, Shape::from_slice(shape))
}

/// A variable (attach_grad with grad_req='write') holding `t`.
fn variable(t: Tensor) -> NDArray {
    let mut a = NDArray::from_tensor(t);
    a.attach_grad(GradReq::Write).expect("attach_grad");
    a
}

/// Small sample counts and short windows: the numbers are for ratios, not publication.
fn configured() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args()
}

/// Per-op overhead: a one-element multiply, outside and inside a recording scope.
fn small_op(c: &mut Criterion) {
    let mut g = c.benchmark_group("small_op");
    let x = tensor(&[1], 1);
    g.bench_function("mul_1_unrecorded", |b| {
        b.iter(|| elementwise::mul(black_box(&x), black_box(&x)).unwrap())
    });
    let v = variable(tensor(&[1], 2));
    let vt = v.tensor();
    g.bench_function("mul_1_recorded", |b| {
        let _mode = ModeGuard::new(true, true);
        b.iter(|| elementwise::mul(black_box(&vt), black_box(&vt)).unwrap())
    });
    g.finish();
}

/// Elementwise throughput: sin over 1e3, 1e6 and 1e7 float32 elements (fresh output each call).
fn elementwise(c: &mut Criterion) {
    let mut g = c.benchmark_group("sin_f32");
    for &n in &[1_000usize, 1_000_000, 10_000_000] {
        let x = tensor(&[n], 3);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &x, |b, x| {
            b.iter(|| elementwise::sin(black_box(x)).unwrap())
        });
    }
    g.finish();
    // An array and a Python scalar (`x / 255.0`): as fast as two arrays, now that the kernel
    // keeps the scalar out of its loop.
    let mut g = c.benchmark_group("div_scalar_f32");
    for &n in &[20_000usize, 1_000_000] {
        let x = tensor(&[n], 3);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &x, |b, x| {
            b.iter(|| elementwise::div_scalar(black_box(x), 255.0).unwrap())
        });
    }
    g.finish();
}

/// Matmul forward (float32, square): throughput in multiply-adds is 2 n^3 flops per call.
fn matmul(c: &mut Criterion) {
    let mut g = c.benchmark_group("matmul_f32");
    for &n in &[256usize, 1024] {
        let a = tensor(&[n, n], 4);
        let bm = tensor(&[n, n], 5);
        g.throughput(Throughput::Elements((2 * n * n * n) as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &(a, bm), |b, (a, bm)| {
            b.iter(|| linalg::dot(black_box(a), black_box(bm), false, false).unwrap())
        });
    }
    g.finish();
}

/// y = y*x; y = y+x; y = sin(y); y = exp(y), 250 times (1000 recorded ops), then backward.
fn chain(c: &mut Criterion) {
    let mut g = c.benchmark_group("chain_1000");
    let x = variable(Tensor::from_vec(
        (0..16).map(|i| 0.3 + 0.04 * i as f32).collect::<Vec<f32>>(),
        Shape::from_slice(&[16]),
    ));
    let run = |backward: bool| {
        let xt = x.tensor();
        let y = {
            let _mode = ModeGuard::new(true, true);
            let mut y = xt.clone();
            for _ in 0..250 {
                y = elementwise::mul(&y, &xt).unwrap();
                y = elementwise::add(&y, &xt).unwrap();
                y = elementwise::sin(&y).unwrap();
                y = elementwise::exp(&y).unwrap();
            }
            y
        };
        if backward {
            backward::backward(std::slice::from_ref(&y), &[None], FIRST_ORDER).unwrap();
        }
        y
    };
    g.throughput(Throughput::Elements(1000));
    g.bench_function("fwd", |b| b.iter(|| run(false)));
    g.bench_function("fwd_bwd", |b| b.iter(|| run(true)));
    g.finish();
}

/// One SGD step of a 32 -> 32 (relu) -> 10 MLP on a batch of 64, softmax cross-entropy built
/// from primitives (max, exp, sum, log), backward, and the parameter update.
fn mlp(c: &mut Criterion) {
    let mut g = c.benchmark_group("mlp_64x32_32_10");
    let (batch, fin, hidden, fout) = (64usize, 32usize, 32usize, 10usize);
    let xb = tensor(&[batch, fin], 6);
    let onehot = Tensor::from_vec(
        (0..batch * fout)
            .map(|i| {
                if i % fout == (i / fout) % fout {
                    1.0f32
                } else {
                    0.0
                }
            })
            .collect::<Vec<f32>>(),
        Shape::from_slice(&[batch, fout]),
    );
    let mut params = [
        variable(scaled(
            &tensor(&[fin, hidden], 7),
            (2.0 / fin as f64).sqrt(),
        )),
        variable(Tensor::from_vec(
            vec![0.0f32; hidden],
            Shape::from_slice(&[1, hidden]),
        )),
        variable(scaled(
            &tensor(&[hidden, fout], 8),
            (2.0 / hidden as f64).sqrt(),
        )),
        variable(Tensor::from_vec(
            vec![0.0f32; fout],
            Shape::from_slice(&[1, fout]),
        )),
    ];
    let lr = 0.05;
    g.bench_function("step", |b| {
        b.iter(|| {
            let loss = {
                let _mode = ModeGuard::new(true, true);
                let (w1, b1, w2, b2) = (
                    params[0].tensor(),
                    params[1].tensor(),
                    params[2].tensor(),
                    params[3].tensor(),
                );
                let h = elementwise::relu(
                    &elementwise::add(&linalg::dot(&xb, &w1, false, false).unwrap(), &b1).unwrap(),
                )
                .unwrap();
                let z =
                    elementwise::add(&linalg::dot(&h, &w2, false, false).unwrap(), &b2).unwrap();
                let s = elementwise::sub(&z, &reduce::max(&z, Some(&[1]), true, false).unwrap())
                    .unwrap();
                let lse = elementwise::log(
                    &ops::sum(&elementwise::exp(&s).unwrap(), Some(&[1]), true, false).unwrap(),
                )
                .unwrap();
                let picked = ops::sum(
                    &elementwise::mul(&s, &onehot).unwrap(),
                    Some(&[1]),
                    true,
                    false,
                )
                .unwrap();
                reduce::mean(
                    &elementwise::sub(&lse, &picked).unwrap(),
                    None,
                    false,
                    false,
                )
                .unwrap()
            };
            backward::backward(std::slice::from_ref(&loss), &[None], FIRST_ORDER).unwrap();
            for p in params.iter_mut() {
                let grad = p.grad().expect("variable has a gradient").constant();
                let new =
                    elementwise::sub(&p.constant(), &elementwise::mul_scalar(&grad, lr).unwrap())
                        .unwrap();
                p.assign(&new).unwrap();
            }
            loss
        })
    });
    g.finish();
}

/// `t * s` (initial weights scaled for the layer's fan-in).
fn scaled(t: &Tensor, s: f64) -> Tensor {
    elementwise::mul_scalar(t, s).unwrap()
}

/// The large workloads of the shared yardstick, engine only: (c) sum(sin(x)*x + exp(-x)) on
/// 1e7 float32, (d) sum(A @ B) 1024^2, (f) mean(A + b, axis 0) on 4096^2 with a head gradient,
/// (g) the autograd chapter's control-flow function, (h) grad of grad of sum(tanh(x)) on 1e6;
/// each forward and backward.
fn yardstick(c: &mut Criterion) {
    let mut g = c.benchmark_group("yardstick");
    let backward = |y: &Tensor, head: Option<Tensor>| {
        backward::backward(std::slice::from_ref(y), &[head], FIRST_ORDER).unwrap()
    };
    let x = variable(tensor(&[10_000_000], 6));
    g.bench_function("c_elementwise_1e7", |b| {
        b.iter(|| {
            let xt = x.tensor();
            let y = {
                let _mode = ModeGuard::new(true, true);
                let e = elementwise::exp(&elementwise::neg(&xt).unwrap()).unwrap();
                let sx = elementwise::mul(&elementwise::sin(&xt).unwrap(), &xt).unwrap();
                ops::sum(&elementwise::add(&sx, &e).unwrap(), None, false, false).unwrap()
            };
            backward(&y, None);
            y
        })
    });
    let (a, bm) = (
        variable(tensor(&[1024, 1024], 7)),
        variable(tensor(&[1024, 1024], 8)),
    );
    g.bench_function("d_matmul_1024", |b| {
        b.iter(|| {
            let y = {
                let _mode = ModeGuard::new(true, true);
                let p = linalg::dot(&a.tensor(), &bm.tensor(), false, false).unwrap();
                ops::sum(&p, None, false, false).unwrap()
            };
            backward(&y, None);
            y
        })
    });
    let (big, row) = (
        variable(tensor(&[4096, 4096], 9)),
        variable(tensor(&[1, 4096], 10)),
    );
    let head = tensor(&[4096], 11);
    g.bench_function("f_broadcast_mean_4096", |b| {
        b.iter(|| {
            let y = {
                let _mode = ModeGuard::new(true, true);
                let s = elementwise::add(&big.tensor(), &row.tensor()).unwrap();
                reduce::mean(&s, Some(&[0]), false, false).unwrap()
            };
            backward(&y, Some(head.clone()));
            y
        })
    });
    let a1 = variable(Tensor::from_vec(vec![0.7f32], Shape::from_slice(&[1])));
    g.bench_function("g_control_flow", |b| {
        b.iter(|| {
            let y = {
                let _mode = ModeGuard::new(true, true);
                let mut v = elementwise::mul_scalar(&a1.tensor(), 2.0).unwrap();
                while reduce::norm(&v, 2, None, false).unwrap().to_f64_vec()[0] < 1000.0 {
                    v = elementwise::mul_scalar(&v, 2.0).unwrap();
                }
                let total = ops::sum(&v, None, false, false).unwrap().to_f64_vec()[0];
                if total > 0.0 {
                    v
                } else {
                    elementwise::mul_scalar(&v, 100.0).unwrap()
                }
            };
            backward(&y, None);
            y
        })
    });
    let xh = variable(tensor(&[1_000_000], 12));
    g.bench_function("h_grad_of_grad_1e6", |b| {
        b.iter(|| {
            let xt = xh.tensor();
            let dx = {
                let _mode = ModeGuard::new(true, true);
                let y = ops::sum(&elementwise::tanh(&xt).unwrap(), None, false, false).unwrap();
                let vars = std::slice::from_ref(&xt);
                backward::grad(std::slice::from_ref(&y), vars, &[None], HIGHER_ORDER).unwrap()
            };
            backward(&dx[0], None);
            dx
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = configured();
    targets = small_op, elementwise, matmul, chain, mlp, yardstick
}
criterion_main!(benches);
