"""Second derivatives with autograd, and why they cost more than first derivatives.

D2L (MXNet edition), "Automatic Differentiation", exercise 4.

Recipe (MXNet 1.x higher-order gradients)::

    x.attach_grad()
    with autograd.record():
        y = f(x)
        dy_dx = autograd.grad(y, [x], create_graph=True)[0]   # recorded, differentiable
    dy_dx.backward()                                         # x.grad = d2y/dx2

``autograd.grad(..., create_graph=True)`` returns the first derivative *as a recorded
computation of x* instead of plain numbers; calling ``backward`` on it differentiates that
computation once more. The script does this for sin, x**3, tanh and exp on a grid of points
and compares the result with the analytic second derivatives

    sin''(x) = -sin(x),  (x^3)'' = 6x,  tanh''(x) = -2 tanh(x) (1 - tanh(x)^2),  exp''(x) = exp(x)

printing the maximum absolute error for each (all are at float32 rounding level, < 1e-5).

Why is the second derivative more expensive than the first? A first derivative costs one
forward pass plus one backward pass, and the backward pass is not recorded: its intermediate
results are thrown away as soon as they are used. For a second derivative the backward pass
must itself be *recorded*: every op of the backward pass (each multiplication by a local
derivative, each cos(x) computed for sin's backward, ...) becomes a new node of the graph,
with its inputs kept alive, so the graph is roughly twice as large and holds roughly twice the
memory. Then the second backward pass differentiates through all of it, the original forward
ops *and* the ops of the first backward pass, and the backward rules of those ops (e.g. the
product rule for each multiplication) generate more work than the ops themselves. So one
second derivative costs a multiple of a first derivative (about 2x for the cheap elementwise
chain timed here, more for ops with costly backward rules), and a full Hessian of n variables
needs n such passes (one per Hessian-vector product) where a gradient needs one. The script
times both on a chain of ops to show the ratio (the numbers depend on the machine).

Run:  python examples/second_derivatives.py
"""

import time

import numpy as np

from ferrograd import autograd, nd

# name, f, analytic f', analytic f''  (the analytic forms are only used for checking)
FUNCTIONS = [
    ("sin(x)", nd.sin, np.cos, lambda x: -np.sin(x)),
    ("x**3", lambda x: x ** 3, lambda x: 3 * x ** 2, lambda x: 6 * x),
    ("tanh(x)", nd.tanh, lambda x: 1 - np.tanh(x) ** 2,
     lambda x: -2 * np.tanh(x) * (1 - np.tanh(x) ** 2)),
    ("exp(x)", nd.exp, np.exp, np.exp),
]


def second_derivative(f, x):
    """Returns (f'(x), f''(x)) computed by autograd, as NumPy arrays."""
    x = x.copy()
    x.attach_grad()
    with autograd.record():
        y = f(x)
        # First derivative, recorded so that it can be differentiated again.
        dy_dx = autograd.grad(y, [x], create_graph=True)[0]
    # y was an array, so this differentiates sum(dy_dx); each element of dy_dx depends only
    # on the same element of x, so x.grad[i] = d2y/dx2 at x[i].
    dy_dx.backward()
    return dy_dx.asnumpy(), x.grad.asnumpy()


def chain(x, depth=20):
    """A chain of elementwise ops, used for timing."""
    y = x
    for _ in range(depth):
        y = nd.tanh(y) * 1.5 + nd.sin(y)
    return y


def time_first_and_second(n=10000, repeats=20):
    x = nd.random.normal(shape=(n,))
    x.attach_grad()

    def first():
        with autograd.record():
            y = chain(x)
        y.backward()
        return x.grad.asnumpy()

    def second():
        with autograd.record():
            y = chain(x)
            g = autograd.grad(y, [x], create_graph=True)[0]
        g.backward()
        return x.grad.asnumpy()

    def best(fn):
        fn()  # warm up
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        return min(times)

    return best(first), best(second)


def main():
    x = nd.arange(-3, 3.01, 0.25)
    xs = x.asnumpy().astype(np.float64)
    errors = {}
    print("Second derivatives by autograd.grad(create_graph=True) + backward, on %d points in "
          "[%g, %g]" % (x.size, xs[0], xs[-1]))
    print("%-8s %22s %22s" % ("f", "max |f' - analytic|", "max |f'' - analytic|"))
    for name, f, d1, d2 in FUNCTIONS:
        first, second = second_derivative(f, x)
        e1 = float(np.max(np.abs(first - d1(xs))))
        # compare relative to the size of the values (exp grows to e^3 ~ 20)
        e2 = float(np.max(np.abs(second - d2(xs)) / np.maximum(1.0, np.abs(d2(xs)))))
        errors[name] = (e1, e2)
        print("%-8s %22.3e %22.3e" % (name, e1, e2))
    print("(second column: absolute error, relative where |f''| > 1)")

    print("\nAt x = 1:")
    one = nd.array([1.0])
    for name, f, d1, d2 in FUNCTIONS:
        _, second = second_derivative(f, one)
        print("  %-8s f''(1) = %+.6f   analytic %+.6f" % (name, second[0], d2(1.0)))

    t1, t2 = time_first_and_second()
    print("\nCost on a chain of 80 elementwise ops (10000 elements, best of 20 runs):")
    print("  first derivative  (forward + backward):                     %8.2f ms" % (t1 * 1e3))
    print("  second derivative (forward + recorded backward + backward): %8.2f ms" % (t2 * 1e3))
    print("  ratio: %.1fx" % (t2 / t1))
    print("""
Why the second derivative costs more: for a first derivative the backward pass runs once and
is not recorded. For a second derivative, autograd.grad(create_graph=True) records the
backward pass itself -- every multiplication by a local derivative becomes a node of the
graph, roughly doubling it (and the memory it holds) -- and the second backward pass then
differentiates through both the forward ops and the first backward pass's ops, whose own
backward rules (product rule, chain rule) add still more ops.""")
    return {"errors": errors, "time_first": t1, "time_second": t2}


if __name__ == "__main__":
    main()
