"""Helpers shared by the gluon tests: running a file under ``python -m ferrograd run`` in a fresh
process, and comparing printed output with MXNet's recorded output, numbers within a tolerance."""

import os
import re
import subprocess
import sys
from pathlib import Path

import ferrograd

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "gluon"
CHAPTERS = ROOT / "tests" / "chapters"

# A number as NumPy and Python print them: 1, -0.5, 1.2e-05, 3., nan, inf.
_NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|[-+]?(?:nan|inf)\b")


def run_chapter(path, timeout=600):
    """``python -m ferrograd run PATH`` in a fresh process (MXNet's automatic names count per
    process, so each chapter starts from zero as it did under MXNet): (status, stdout, stderr)."""
    env = dict(os.environ)
    package_root = str(Path(ferrograd.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    env["PYTHONIOENCODING"] = "utf-8"
    proc = subprocess.run([sys.executable, "-m", "ferrograd", "run", str(path)], capture_output=True,
                          text=True, encoding="utf-8", env=env, timeout=timeout, cwd=str(path.parent))
    return proc.returncode, proc.stdout, proc.stderr


_TOKEN = re.compile(_NUMBER.pattern + r"|[^\s]")


def tokens(text):
    """The printed text as tokens: numbers (as floats) and single non-space characters.

    Comparing tokens instead of lines ignores where NumPy wraps a long array, which depends
    on the printed width of its numbers (0.1216001 vs 0.12159966).
    """
    out = []
    for m in _TOKEN.finditer(text):
        t = m.group(0)
        out.append(float(t) if _NUMBER.fullmatch(t) else t)
    return out


def _context(text, index):
    """The line of ``text`` holding its ``index``-th token, for error messages."""
    count = 0
    for line in text.splitlines():
        n = len(tokens(line))
        if count + n > index:
            return line
        count += n
    return "<end of output>"


def assert_same_output(expected, got, rtol=1e-4, atol=1e-6, numbers=True, label="output"):
    """The two printed outputs are the same, token by token; numbers agree within rtol/atol
    (or, with ``numbers=False``, are only required to be numbers in the same places).

    Module paths are compared with ferrograd's spelled as MXNet's (``<class
    'ferrograd.gluon.parameter.ParameterDict'>`` prints where MXNet printed ``mxnet.``).
    """
    got = got.replace("ferrograd.", "mxnet.")
    exp_t, got_t = tokens(expected), tokens(got)
    for i, (e, g) in enumerate(zip(exp_t, got_t)):
        same_kind = isinstance(e, float) == isinstance(g, float)
        if not same_kind or (not isinstance(e, float) and e != g):
            raise AssertionError("%s token %d differs (%r vs %r):\n  MXNet:     %r\n  ferrograd: %r"
                                 % (label, i, e, g, _context(expected, i), _context(got, i)))
        if numbers and isinstance(e, float) and not (abs(e - g) <= atol + rtol * abs(e) or (e != e and g != g)):
            raise AssertionError("%s: %r vs %r differ beyond rtol=%g atol=%g:\n  MXNet:     %r\n"
                                 "  ferrograd: %r" % (label, e, g, rtol, atol, _context(expected, i),
                                                      _context(got, i)))
    if len(exp_t) != len(got_t):
        raise AssertionError("%s: %d tokens, MXNet printed %d; first difference at: %r"
                             % (label, len(got_t), len(exp_t),
                                _context(got if len(got_t) > len(exp_t) else expected,
                                         min(len(exp_t), len(got_t)))))
