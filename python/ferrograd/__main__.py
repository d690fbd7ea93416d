"""Command line: ``python -m ferrograd [run FILE | tour]``.

* ``python -m ferrograd`` (or ``python -m ferrograd tour``) walks through the computations of
  D2L's automatic differentiation chapter, printing each statement as a REPL transcript
  (``>>> `` / ``... ``) followed by what it printed. The code shown is exactly the code run.
* ``python -m ferrograd run FILE`` runs a D2L Markdown chapter or a Jupyter notebook cell by
  cell, with ``mxnet`` resolving to ferrograd (see :mod:`ferrograd.runner`).

Exit status: 0 on success, 1 when a cell (or a tour step) raised, 2 on a usage error or a
file that cannot be read.
"""

import argparse
import ast
import os
import sys

from ferrograd import runner

PROG = "python -m ferrograd"

SETUP = "from ferrograd import autograd, nd\n"

# (title, one-line explanation, source). Each source runs as written, one top-level
# statement at a time, in one namespace shared by all steps.
TOUR = [
    (
        "A simple example",
        "Differentiate y = 2 x^T x with respect to the column vector x; dy/dx = 4x.",
        """\
x = nd.arange(4).reshape((4, 1))
print(x)
x.attach_grad()
with autograd.record():
    y = 2 * nd.dot(x.T, x)
print(y)
y.backward()
print((x.grad - 4 * x).norm().asscalar() == 0)
print(x.grad)
""",
    ),
    (
        "Training mode and prediction mode",
        "autograd.record() also switches from prediction mode to training mode.",
        """\
print(autograd.is_training())
with autograd.record():
    print(autograd.is_training())
""",
    ),
    (
        "Computing the gradient of Python control flow",
        "f is piecewise linear in a, so f(a) = g * a and the gradient g equals d / a.",
        """\
def f(a):
    b = a * 2
    while b.norm().asscalar() < 1000:
        b = b * 2
    if b.sum().asscalar() > 0:
        c = b
    else:
        c = 100 * b
    return c
a = nd.random.normal(shape=1)
a.attach_grad()
with autograd.record():
    d = f(a)
d.backward()
print(a.grad == (d / a))
""",
    ),
    (
        "Head gradients and the chain rule",
        "z.backward(dz/dy) stores dz/dx = dz/dy * dy/dx in x.grad.",
        """\
with autograd.record():
    y = x * 2
    z = y * x
head_gradient = nd.array([10, 1., .1, .01])
z.backward(head_gradient)
print(x.grad)
""",
    ),
]


def _statements(source):
    """Split ``source`` into the text of its top-level statements (comments ride along)."""
    lines = source.splitlines()
    tree = ast.parse(source)
    pieces, start = [], 0
    for stmt in tree.body:
        chunk = lines[start:stmt.end_lineno]
        start = stmt.end_lineno
        while chunk and not chunk[0].strip():
            chunk.pop(0)
        # A compound statement (def, with, while...) has a body and needs a closing blank line.
        pieces.append(("\n".join(chunk) + "\n", hasattr(stmt, "body")))
    return pieces


def _echo(text, compound):
    """Show a statement the way the interactive interpreter does."""
    lines = text.rstrip("\n").split("\n")
    print(">>> " + lines[0])
    for line in lines[1:]:
        print(("... " + line).rstrip())
    if compound:
        print("...")  # the empty line that closes a block at the prompt


def tour():
    """Walk through the autograd chapter's computations; return an exit status."""
    namespace = {"__name__": "__main__"}
    print("ferrograd tour: the computations of D2L's automatic differentiation chapter")
    print("(MXNet 1.x API: `from mxnet import autograd, nd` becomes the line below)")
    steps = [("Setup", "The MXNet 1.x nd and autograd API.", SETUP)] + TOUR
    for number, (title, note, source) in enumerate(steps):
        print()
        print(f"# {number}. {title}" if number else f"# {title}")
        print(f"# {note}")
        for text, compound in _statements(source):
            _echo(text, compound)
            try:
                runner.exec_cell(text, f"<tour step {number}>", namespace)
            except Exception as exc:
                sys.stdout.flush()
                runner._print_cell_traceback(exc, skip_files=(__file__,))
                print(f"ferrograd: tour step {number} ({title}) failed", file=sys.stderr)
                return 1
    sys.stdout.flush()
    return 0


def _version():
    import ferrograd
    version = getattr(ferrograd, "__version__", None)
    if version is None:
        version = runner._dist_version()
    return f"ferrograd {version}"


def _parser():
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="MXNet 1.x nd + autograd on a Rust engine. With no command, run a tour "
                    "of the D2L autograd chapter.",
        epilog="Exit status: 0 ok, 1 a cell raised, 2 usage error or unreadable file.",
    )
    parser.add_argument("--version", action="version", version=_version())
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = commands.add_parser(
        "run",
        help="run a D2L chapter (.md) or Jupyter notebook (.ipynb) cell by cell, "
             "with `mxnet` resolving to ferrograd",
        description="Run the code cells of a D2L Markdown chapter or a Jupyter notebook in "
                    "order, printing their output; `import mxnet` resolves to ferrograd.",
    )
    run.add_argument("file", metavar="FILE", help="a .md (D2L) or .ipynb file")
    commands.add_parser("tour", help="walk through the autograd chapter (the default)",
                        description="Walk through the autograd chapter's computations.")
    return parser, run


def main(argv=None):
    parser, run_parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "run":
        path = args.file
        if not os.path.exists(path):
            run_parser.error(f"file not found: {path}")
        if os.path.isdir(path):
            run_parser.error(f"not a file: {path}")
        try:
            return runner.run_file(path)
        except (OSError, ValueError) as exc:
            run_parser.error(f"cannot read {path}: {exc}")
    return tour()


if __name__ == "__main__":
    sys.exit(main())
