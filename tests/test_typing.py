"""The shipped type stubs let a type checker accept typical user code, and still catch typos.

mypy --strict runs on the chapter's code and a from-scratch training loop (tests/typing/);
then on a script with a misspelt method, which it must reject.
"""

import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent / "typing"

pytest.importorskip("mypy", reason="mypy is installed by the README's test command")


def mypy(*paths):
    return subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental",
                           *map(str, paths)], capture_output=True, text=True)


def test_user_scripts_type_check_under_strict_mypy():
    result = mypy(HERE / "chapter.py", HERE / "training_loop.py")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_misspelt_method_or_wrong_argument_is_caught(tmp_path):
    script = tmp_path / "typo.py"
    script.write_text("from ferrograd import nd\n"
                      "x = nd.ones((2, 3))\n"
                      "x.attach_gradd()\n"
                      "nd.softmax(x, axis='last')\n")
    result = mypy(script)
    assert result.returncode == 1
    assert '"attach_gradd"' in result.stdout, result.stdout
    assert 'Argument "axis" to "softmax"' in result.stdout, result.stdout
