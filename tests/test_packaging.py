"""The package as shipped: one abi3 wheel for every CPython >= 3.10, stripped, that installs
and runs on another CPython version than the one that built it."""

import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import ferrograd._core

ROOT = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI") == "true"


def test_the_extension_uses_the_stable_abi():
    assert ".abi3." in Path(ferrograd._core.__file__).name


def _other_cpython():
    """A CPython of another minor version than this one, if the machine has one."""
    for minor in (13, 12, 10, 14):
        if minor == sys.version_info.minor:
            continue
        # on PATH, or installed by pyenv without being its global version
        candidates = [shutil.which("python3.%d" % minor)] + sorted(
            glob.glob(os.path.expanduser("~/.pyenv/versions/3.%d.*/bin/python3.%d" % (minor, minor))))
        for exe in filter(None, candidates):
            if subprocess.run([exe, "-c", "import venv"], capture_output=True).returncode == 0:
                return exe
    return None


def test_the_wheel_installs_and_runs_on_another_cpython(tmp_path):
    wheels = glob.glob(str(ROOT / "dist" / "ferrograd-*-abi3-*.whl"))
    if not wheels:
        if IN_CI:
            pytest.fail(".ci/run builds the wheel into dist/ before the tests")
        pytest.skip("no wheel in dist/ (python -m pip wheel --no-deps -w dist .)")
    other = _other_cpython()
    if other is None:
        pytest.skip("no second CPython version on this machine")
    venv = tmp_path / "venv"
    subprocess.run([other, "-m", "venv", str(venv)], check=True)
    py = str(venv / "bin" / "python")
    install = subprocess.run([py, "-m", "pip", "install", "-q", max(wheels, key=os.path.getmtime)],
                             capture_output=True, text=True)
    assert install.returncode == 0, install.stdout + install.stderr
    run = subprocess.run([py, "-c", (
        "import sys\n"
        "from ferrograd import autograd, nd\n"
        "x = nd.arange(4).reshape((4, 1))\n"
        "x.attach_grad()\n"
        "with autograd.record():\n"
        "    y = 2 * nd.dot(x.T, x)\n"
        "y.backward()\n"
        "print(sys.version_info[:2], x.grad.asnumpy().ravel().tolist())\n")],
        capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "[0.0, 4.0, 8.0, 12.0]" in run.stdout
    assert str(tuple(sys.version_info[:2])) not in run.stdout
