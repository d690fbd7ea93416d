"""Plot f(x) = sin(x) and its derivative computed by autograd.

D2L (MXNet edition), "Automatic Differentiation", exercise 6: plot f(x) = sin(x) and df/dx,
computing the latter without exploiting f'(x) = cos(x). The derivative comes from
``y.backward()``: y = sin(x) on a grid of 201 points is not a scalar, so backward
differentiates sum(y), and since y[i] depends only on x[i], x.grad[i] = sin'(x[i]). cos is
used only afterwards, to check the result (the maximum absolute error is printed; it is at
float32 rounding level, ~1e-7).

The plot is saved as a PNG: to the path given as the first argument, or
``sin_and_derivative.png`` in the current directory. Plotting needs matplotlib, an optional
dependency (``pip install matplotlib`` or ``pip install ferrograd[plot]``); without it the
script prints how to install it, still prints the numeric comparison, and exits with status 0.

Run:  python examples/plot_sin.py [OUTPUT.png]
"""

import math
import sys

import numpy as np

try:
    import matplotlib
    matplotlib.use("Agg")  # no display needed: render straight to a file
    import matplotlib.pyplot as plt
except ImportError:
    plt = None

from ferrograd import autograd, nd


def sin_and_derivative(num_points=201):
    """Returns (x, sin(x), d sin(x)/dx by autograd) as NumPy arrays on [-2 pi, 2 pi]."""
    x = nd.array(np.linspace(-2 * math.pi, 2 * math.pi, num_points))
    x.attach_grad()
    with autograd.record():
        y = nd.sin(x)
    y.backward()  # head gradient ones_like(y): x.grad[i] = dy[i]/dx[i]
    return x.asnumpy(), y.asnumpy(), x.grad.asnumpy()


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    out = argv[0] if argv else "sin_and_derivative.png"

    x, y, dy = sin_and_derivative()
    err = float(np.max(np.abs(dy - np.cos(x))))
    print("f(x) = sin(x) on %d points in [%.4f, %.4f]" % (len(x), x[0], x[-1]))
    print("f'(x) by autograd at x = 0, pi/2, pi: %s"
          % (np.round(np.interp([0, math.pi / 2, math.pi], x, dy), 4) + 0.0))
    print("max |autograd f'(x) - cos(x)| = %.3e" % err)

    if plt is None:
        print("matplotlib is not installed, so no plot was drawn. Install it with")
        print("    pip install matplotlib        (or: pip install ferrograd[plot])")
        return {"max_abs_error": err, "path": None}

    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(x, y, label="f(x) = sin(x)")
    ax.plot(x, dy, label="df/dx by autograd")
    ax.plot(x[::10], np.cos(x[::10]), "k.", label="cos(x) (check)")
    ax.set_xlabel("x")
    ax.set_ylim(-1.2, 1.5)
    ax.legend(loc="upper center", ncol=3, frameon=False)
    ax.grid(True, alpha=0.3)
    fig.tight_layout()
    fig.savefig(out, dpi=100)
    plt.close(fig)
    print("saved the plot to %s" % out)
    return {"max_abs_error": err, "path": out}


if __name__ == "__main__":
    main()
