"""The shipped type stub and marker match the built extension."""

import subprocess
import sys
from pathlib import Path

import ferrograd

ROOT = Path(__file__).resolve().parents[1]


def test_stub_lists_every_function_and_method():
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "gen_stub.py"), "--check"])
    assert result.returncode == 0, "python/ferrograd/_core.pyi is stale: run python tools/gen_stub.py"


def test_package_is_marked_typed():
    assert (Path(ferrograd.__file__).parent / "py.typed").exists()
    assert (Path(ferrograd.__file__).parent / "_core.pyi").exists()
