"""Gradients through Python control flow, with vector and matrix inputs.

D2L (MXNet edition), "Automatic Differentiation", exercises 1 and 2.

Exercise 1. The chapter's function

    def f(a):
        b = a * 2
        while b.norm().asscalar() < 1000:
            b = b * 2
        if b.sum().asscalar() > 0:
            c = b
        else:
            c = 100 * b
        return c

is run with a random vector (shape (5,)) and a random matrix (shape (3, 4)) instead of a
scalar. The output ``d = f(a)`` then has the shape of ``a``: it is no longer a scalar.

What does ``d.backward()`` do with a non-scalar output? It differentiates the *sum* of its
elements: the default head gradient is ``nd.ones_like(d)``, so ``a.grad[i]`` is
``d(sum_j d_j) / d a_i``. Here ``f`` is, for the input it was given, multiplication by one
scalar ``k`` (``2**n``, times 100 if the sum was negative): the loop count and the branch
depend on ``a`` but, once taken, they are constants. So ``d = k * a`` elementwise,
``sum(d) = k * sum(a)`` and every element of ``a.grad`` is ``k``, which is ``d / a``
elementwise. The script checks this, and that ``d.backward()``, ``d.backward(nd.ones_like(d))``
and ``d.sum().backward()`` give the same gradient.

Exercise 2 (a redesign of our own). ``newton_sqrt(x)`` computes ``sqrt(x)`` elementwise with
Newton's iteration ``y <- (y + x / y) / 2``, stopping when ``max |y*y - x|`` drops below a
(relative) tolerance: a ``while`` loop whose iteration count depends on the data. autograd
differentiates the iterations that actually ran (the unrolled loop), not the mathematical
function they approximate. The analysis prints, for 1..7 iterations, the error of the value
and the error of the gradient against ``1 / (2 sqrt(x))``: the gradient of the unrolled loop
converges to the true derivative as fast as the value does (Newton's iteration converges
quadratically, and so does its derivative), so stopping on a value tolerance also gives an
accurate gradient. The loop condition and the branch decision themselves contribute no gradient:
they are piecewise constant in ``x``.

Run:  python examples/control_flow_vector.py
"""

import numpy as np

import ferrograd
from ferrograd import autograd, nd


def f(a):
    """The chapter's control-flow function (piecewise linear in ``a``)."""
    b = a * 2
    while b.norm().asscalar() < 1000:
        b = b * 2
    if b.sum().asscalar() > 0:
        c = b
    else:
        c = 100 * b
    return c


def check_control_flow(shape, negative=False):
    """Runs f on a random input of ``shape`` (with a negative sum if ``negative``, so that
    f takes its ``else`` branch); returns (a, d, a.grad)."""
    a = nd.random.normal(shape=shape)
    if negative:
        a = -a.abs()
    a.attach_grad()
    with autograd.record():
        d = f(a)
    # d is not a scalar: backward() sums it first (head gradient = ones_like(d)).
    d.backward()
    return a, d, a.grad


def newton_sqrt(x, tol=1e-5, max_iter=50):
    """sqrt(x) by Newton's iteration, stopping on a data-dependent condition.

    Returns (y, number_of_iterations)."""
    y = x.ones_like()  # start at 1 (a constant, so all the gradient flows through the loop)
    n = 0
    while ((y * y - x) / x).abs().max().asscalar() > tol and n < max_iter:
        y = (y + x / y) / 2
        n += 1
    return y, n


def newton_sqrt_fixed(x, n):
    """The same iteration, run exactly ``n`` times."""
    y = x.ones_like()
    for _ in range(n):
        y = (y + x / y) / 2
    return y


def main():
    ferrograd.random.seed(42)
    results = {}

    print("=== Exercise 1: the chapter's f(a) with a vector and a matrix ===")
    cases = (("vector", (5,), False), ("matrix", (3, 4), False),
             ("negative vector", (5,), True))
    for name, shape, negative in cases:
        a, d, grad = check_control_flow(shape, negative)
        k = (d / a).asnumpy()
        print("\n%s input a, shape %s:" % (name, shape))
        print("a =", a)
        print("d = f(a) has shape %s (not a scalar)" % (d.shape,))
        print("a.grad =", grad)
        print("d / a  =", d / a)
        equal = grad == (d / a)
        print("a.grad == d / a elementwise:", equal)
        max_rel = float(np.max(np.abs(grad.asnumpy() - k) / np.abs(k)))
        print("max relative difference between a.grad and d / a: %.3g" % max_rel)
        if not equal.asnumpy().all():
            print("(exact == fails where 100 * b was rounded to float32 before dividing by a:"
                  " a.grad is exact, d / a is off by an ulp, so compare with a tolerance)")
        branch = "c = b" if d.sum().asscalar() > 0 else "c = 100 * b"
        print("f multiplied every element by the same k = %g (branch taken: %s)"
              % (grad.asnumpy().flat[0], branch))

        # The three ways of asking for the same thing.
        grads = []
        for how in ("d.backward()", "d.backward(nd.ones_like(d))", "d.sum().backward()"):
            with autograd.record():
                d2 = f(a)
                head = d2.sum() if how.startswith("d.sum") else d2
            if "ones_like" in how:
                head.backward(nd.ones_like(head))
            else:
                head.backward()
            grads.append(a.grad.asnumpy().copy())
        same = all(np.array_equal(grads[0], g) for g in grads[1:])
        print("d.backward(), d.backward(nd.ones_like(d)) and d.sum().backward() agree:", same)
        results[name] = {"max_rel_diff": max_rel, "all_equal": bool(equal.asnumpy().all()),
                         "heads_agree": same}

    print("\nWhat happened: backward() on a non-scalar output differentiates sum(d), i.e. it")
    print("uses the head gradient ones_like(d). f(a) = k * a for one scalar k fixed by the")
    print("loop count and the branch taken, so d(sum d)/da_i = k = d_i / a_i for every i.")

    print("\n=== Exercise 2: Newton's square root, a data-dependent while loop ===")
    x = nd.array([0.25, 2.0, 9.0, 50.0, 1000.0])
    x.attach_grad()
    with autograd.record():
        y, n_iter = newton_sqrt(x)
    y.backward()
    true_y = np.sqrt(x.asnumpy())
    true_grad = 0.5 / true_y
    print("x           =", x.asnumpy())
    print("newton_sqrt =", y.asnumpy(), "after %d iterations (chosen by the data)" % n_iter)
    print("autograd dy/dx    =", x.grad.asnumpy())
    print("1 / (2 sqrt(x))   =", true_grad)
    grad_err = float(np.max(np.abs(x.grad.asnumpy() - true_grad) / true_grad))
    value_err = float(np.max(np.abs(y.asnumpy() - true_y) / true_y))
    print("max relative error: value %.2e, gradient %.2e" % (value_err, grad_err))

    print("\nAnalysis: the gradient of the unrolled loop, by number of iterations (x = 2):")
    print("%5s %16s %16s" % ("iters", "value rel.err", "grad rel.err"))
    x2 = nd.array([2.0])
    x2.attach_grad()
    table = []
    for n in range(1, 8):
        with autograd.record():
            y2 = newton_sqrt_fixed(x2, n)
        y2.backward()
        ve = abs(y2.asscalar() - np.sqrt(2.0)) / np.sqrt(2.0)
        ge = abs(x2.grad.asscalar() - 0.5 / np.sqrt(2.0)) / (0.5 / np.sqrt(2.0))
        table.append((n, ve, ge))
        print("%5d %16.3e %16.3e" % (n, ve, ge))
    print("autograd differentiates the computation that ran, not sqrt itself: after 1 iteration")
    print("y = (1 + x) / 2 and dy/dx = 0.5 exactly; each Newton step roughly squares both")
    print("errors, so once the value has converged (to float32 precision) so has the gradient.")
    print("The while condition and the iteration count are piecewise constant in x: they")
    print("decide which graph is recorded but add nothing to the gradient.")
    results["newton"] = {"iterations": n_iter, "value_rel_err": value_err,
                         "grad_rel_err": grad_err, "table": table}
    return results


if __name__ == "__main__":
    main()
