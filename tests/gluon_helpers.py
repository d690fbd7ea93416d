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


def split_numbers(text):
    """(the text with every number replaced by '#', the numbers as floats)."""
    numbers = [float(m) for m in _NUMBER.findall(text)]
    return _NUMBER.sub("#", text), numbers


def assert_same_output(expected, got, rtol=1e-4, atol=1e-5, label="output"):
    """The two printed outputs are the same text, numbers within rtol/atol of each other.

    Compared line by line so a failure names the first line that differs.
    """
    exp_lines, got_lines = expected.splitlines(), got.splitlines()
    for i, (e, g) in enumerate(zip(exp_lines, got_lines), 1):
        e_text, e_nums = split_numbers(e)
        g_text, g_nums = split_numbers(g)
        # Whitespace inside printed arrays depends on the widest number; compare tokens.
        if e_text.split() != g_text.split() or len(e_nums) != len(g_nums):
            raise AssertionError("%s line %d differs:\n  MXNet:     %r\n  ferrograd: %r" % (label, i, e, g))
        for a, b in zip(e_nums, g_nums):
            if not (abs(a - b) <= atol + rtol * abs(a) or (a != a and b != b)):
                raise AssertionError("%s line %d: %r vs %r differ beyond rtol=%g atol=%g:\n"
                                     "  MXNet:     %r\n  ferrograd: %r" % (label, i, a, b, rtol, atol, e, g))
    if len(exp_lines) != len(got_lines):
        longer = got_lines if len(got_lines) > len(exp_lines) else exp_lines
        raise AssertionError("%s has %d lines, MXNet printed %d; first extra line: %r"
                             % (label, len(got_lines), len(exp_lines),
                                longer[min(len(exp_lines), len(got_lines))]))
