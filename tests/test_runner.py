"""ferrograd.runner and the ``python -m ferrograd`` command line.

Chapters written for MXNet (``from mxnet import autograd, nd``) must run unchanged, print
what MXNet printed, and leave ``sys.modules`` as they found it.
"""

import io
import json
import os
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest

import ferrograd
from ferrograd import runner

from conftest import require

# The shared fixtures: ../shared/seed next to the checkout, or FERROGRAD_SEED_DIR.
SEED_DIR = Path(os.environ.get("FERROGRAD_SEED_DIR")
                or Path(__file__).resolve().parents[2] / "shared" / "seed")

X_PRINTED = "\n[[0.]\n [1.]\n [2.]\n [3.]]\n<NDArray 4x1 @cpu(0)>\n"


# ----------------------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------------------

def cell(source, info="{.python .input}"):
    return f"```{info}\n{textwrap.dedent(source).strip()}\n```\n"


def write_md(path, *cells, prose="Some prose with `code` and $math$.\n"):
    parts = ["# A chapter\n\n", prose]
    for c in cells:
        parts += ["\n", c, "\n", prose]
    path.write_text("".join(parts), encoding="utf-8")
    return path


def write_ipynb(path, cells):
    nb = {"nbformat": 4, "nbformat_minor": 2, "metadata": {}, "cells": cells}
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def code(source, as_list=True):
    source = textwrap.dedent(source).strip() + "\n"
    if as_list:
        source = source.splitlines(keepends=True)
    return {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
            "source": source}


def markdown(source):
    return {"cell_type": "markdown", "metadata": {}, "source": source}


def run(path):
    """run_file with captured stdout: (status, stdout)."""
    out = io.StringIO()
    status = runner.run_file(path, stdout=out)
    return status, out.getvalue()


def cli(*args, cwd=None):
    """``python -m ferrograd ARGS`` importing the same ferrograd as this test process."""
    env = dict(os.environ)
    package_root = str(Path(ferrograd.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run([sys.executable, "-m", "ferrograd", *args], capture_output=True,
                          text=True, encoding="utf-8", env=env, cwd=cwd, timeout=300)


def mxnet_keys():
    return sorted(k for k in sys.modules if k == "mxnet" or k.startswith("mxnet."))


@pytest.fixture
def no_mxnet(monkeypatch):
    """Start with no ``mxnet`` entries in sys.modules (a real MXNet may be installed)."""
    for k in mxnet_keys():
        monkeypatch.delitem(sys.modules, k)


SIMPLE_CELLS = [
    cell("from mxnet import autograd, nd", "{.python .input  n=1}"),
    cell("""
        x = nd.arange(4).reshape((4, 1))
        print(x)
    """, "{.python .input  n=2}"),
    cell("1 + 1"),                     # displayed: 2
    cell("y = 3"),                     # an assignment displays nothing
    cell("'a' + 'b'"),                 # displayed: 'ab' (the repr)
    cell("None"),                      # None displays nothing
    cell("print('shown'); 7;"),        # a trailing ';' suppresses the display
    cell("""
        z = y * 2
        z + 1
    """),                              # only the last expression is displayed: 7
]
SIMPLE_OUTPUT = X_PRINTED + "2\n'ab'\nshown\n7\n"


# ----------------------------------------------------------------------------------------
# reading cells
# ----------------------------------------------------------------------------------------

def test_iter_cells_markdown_picks_python_input_fences(tmp_path):
    text = textwrap.dedent("""\
        # Title

        ```{.python .input  n=1}
        a = 1
        ```

        ```{.python .output  n=1}
        not code: an output
        ```

        ```python
        not code: no .input
        ```

        ````md
        ```{.python .input}
        not code: inside another fence
        ```
        ````

        ```{.python .input}
        def f():

            return 2
        ```

        ~~~{.python .input n=3}
        b = 3
        ~~~

        ```{.python .input}
        #@tab pytorch
        import torch
        ```

        ```{.python .input}
        #@tab all
        c = 4
        ```

        ```bash
        ls
        ```
        """)
    path = tmp_path / "cells.md"
    path.write_text(text, encoding="utf-8")
    assert runner.iter_cells(path) == [
        "a = 1\n",
        "def f():\n\n    return 2\n",
        "b = 3\n",
        "#@tab all\nc = 4\n",
    ]
    assert runner.iter_cells(str(path)) == runner.iter_cells(path)


def test_iter_cells_notebook_list_and_string_sources(tmp_path):
    path = write_ipynb(tmp_path / "nb.ipynb", [
        markdown("# Title\n```{.python .input}\nnot code\n```\n"),
        code("a = 1\nb = 2", as_list=True),
        {"cell_type": "raw", "metadata": {}, "source": ["raw = 0\n"]},
        code("print(a + b)", as_list=False),
    ])
    assert runner.iter_cells(path) == ["a = 1\nb = 2\n", "print(a + b)\n"]


def test_iter_cells_rejects_a_broken_notebook(tmp_path):
    path = tmp_path / "broken.ipynb"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="broken.ipynb"):
        runner.iter_cells(path)


# ----------------------------------------------------------------------------------------
# running in process
# ----------------------------------------------------------------------------------------

def test_run_markdown_prints_like_jupyter(tmp_path, no_mxnet):
    path = write_md(tmp_path / "simple.md", *SIMPLE_CELLS)
    assert run(path) == (0, SIMPLE_OUTPUT)
    assert mxnet_keys() == []


def test_run_notebook(tmp_path, no_mxnet):
    path = write_ipynb(tmp_path / "simple.ipynb", [
        markdown("# A notebook"),
        code("from mxnet import nd"),
        code("x = nd.arange(4).reshape((4, 1))\nprint(x)", as_list=False),
        code("'done'"),
    ])
    assert run(path) == (0, X_PRINTED + "'done'\n")
    assert mxnet_keys() == []


def test_stdout_defaults_to_sys_stdout(tmp_path, capsys, no_mxnet):
    path = write_md(tmp_path / "simple.md", *SIMPLE_CELLS)
    assert runner.run_file(path) == 0
    assert capsys.readouterr().out == SIMPLE_OUTPUT


def test_cells_share_a_main_namespace(tmp_path, no_mxnet):
    path = write_md(tmp_path / "ns.md",
                    cell("def double(v):\n    return 2 * v"),
                    cell("print(__name__, double(21))"),
                    cell("if __name__ == '__main__':\n    print('main')"))
    assert run(path) == (0, "__main__ 42\nmain\n")


def test_every_mxnet_import_form_resolves_to_ferrograd(tmp_path, no_mxnet):
    path = write_md(tmp_path / "imports.md", cell("""
        import sys, ferrograd
        import mxnet as mx
        from mxnet import autograd, nd
        from mxnet import nd as F
        import mxnet.ndarray as nd2
        import mxnet.autograd
        from mxnet.ndarray import arange
        print(mx.nd is nd is F is nd2 is ferrograd.nd, arange is ferrograd.nd.arange)
        print(mx.ndarray is ferrograd.nd, mx.autograd is autograd is ferrograd.autograd)
        print(mx.random is ferrograd.random, callable(mx.random.seed))
        print(mx.cpu is ferrograd.cpu, mx.MXNetError is ferrograd.MXNetError)
        print(hasattr(mx, 'context'), hasattr(mx, 'base'), isinstance(mx.__version__, str))
        import mxnet.random, mxnet.base, mxnet.nd
        print(sys.modules['mxnet.base'] is mx.base, sys.modules['mxnet.nd'] is nd)
    """))
    assert run(path) == (0, "True True\nTrue True\nTrue True\nTrue True\nTrue True True\n"
                            "True True\n")
    assert mxnet_keys() == []


def test_mxnet_random_seed_and_cpu(tmp_path, no_mxnet):
    path = write_md(tmp_path / "mx.md", cell("""
        import mxnet as mx
        from mxnet import nd
        mx.random.seed(7)
        a = nd.random.normal(shape=3).asnumpy()
        mx.random.seed(7)
        b = nd.random.normal(shape=3).asnumpy()
        print((a == b).all(), mx.cpu())
    """))
    assert run(path) == (0, "True cpu(0)\n")


def test_unsupported_mxnet_submodule_fails_cleanly(tmp_path, no_mxnet, capsys):
    # mxnet.X resolves to ferrograd.X; ferrograd has no symbolic API (mxnet.symbol).
    path = write_md(tmp_path / "symbol.md", cell("from mxnet import symbol"))
    status, out = run(path)
    assert status == 1
    assert "ImportError" in capsys.readouterr().err
    assert mxnet_keys() == []


def test_sys_modules_restored_including_a_previous_mxnet(tmp_path, monkeypatch, no_mxnet):
    sentinel = types.ModuleType("mxnet")
    sentinel_gluon = types.ModuleType("mxnet.gluon")
    monkeypatch.setitem(sys.modules, "mxnet", sentinel)
    monkeypatch.setitem(sys.modules, "mxnet.gluon", sentinel_gluon)
    before = dict(sys.modules)
    path = write_md(tmp_path / "sentinel.md", cell("""
        import sys, ferrograd
        import mxnet
        print(mxnet.nd is ferrograd.nd, 'mxnet.gluon' in sys.modules)
    """))
    assert run(path) == (0, "True False\n")
    assert sys.modules["mxnet"] is sentinel
    assert sys.modules["mxnet.gluon"] is sentinel_gluon
    assert mxnet_keys() == ["mxnet", "mxnet.gluon"]
    assert {k: v for k, v in sys.modules.items() if k.startswith("mxnet")} == \
        {k: v for k, v in before.items() if k.startswith("mxnet")}


def test_failing_cell_stops_with_status_1_and_a_traceback(tmp_path, capsys, no_mxnet):
    path = write_md(tmp_path / "fail.md",
                    cell("from mxnet import nd\nprint('before')"),
                    cell("def boom():\n    return 1 / 0"),
                    cell("x = 1\nboom()"),
                    cell("print('after')"))
    sentinel = types.ModuleType("mxnet")
    sys.modules["mxnet"] = sentinel
    try:
        assert run(path) == (1, "before\n")
        assert sys.modules["mxnet"] is sentinel
    finally:
        del sys.modules["mxnet"]
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err
    assert "ZeroDivisionError" in err
    assert f"<{path} cell 3>" in err and f"<{path} cell 2>" in err
    assert "return 1 / 0" in err          # the cell's source line is shown
    assert "runner.py" not in err         # the runner's own frames are left out
    assert mxnet_keys() == []


def test_syntax_error_cell(tmp_path, capsys, no_mxnet):
    path = write_md(tmp_path / "syntax.md", cell("print('ok')"), cell("def (:"))
    assert run(path) == (1, "ok\n")
    err = capsys.readouterr().err
    assert "SyntaxError" in err and "cell 2" in err
    assert mxnet_keys() == []


def test_ipython_line_magics_are_ignored(tmp_path, no_mxnet):
    path = write_md(tmp_path / "magic.md", cell("%matplotlib inline\nprint(1 % 1)"))
    assert run(path) == (0, "0\n")


# ----------------------------------------------------------------------------------------
# the command line
# ----------------------------------------------------------------------------------------

def test_cli_run_markdown(tmp_path):
    path = write_md(tmp_path / "simple.md", *SIMPLE_CELLS)
    result = cli("run", str(path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == SIMPLE_OUTPUT


def test_cli_run_notebook(tmp_path):
    path = write_ipynb(tmp_path / "nb.ipynb", [
        code("import mxnet as mx\nfrom mxnet import nd"),
        code("print(nd.arange(4).reshape((4, 1)))"),
    ])
    result = cli("run", str(path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == X_PRINTED


def test_cli_failing_cell_exits_1(tmp_path):
    path = write_md(tmp_path / "fail.md", cell("print('before')"),
                    cell("raise ValueError('bad value')"), cell("print('after')"))
    result = cli("run", str(path), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == "before\n"
    assert "ValueError: bad value" in result.stderr
    assert "cell 2" in result.stderr


def test_cli_missing_file_exits_2(tmp_path):
    missing = tmp_path / "no_such_chapter.md"
    result = cli("run", str(missing))
    assert result.returncode == 2
    assert str(missing) in result.stderr and "not found" in result.stderr


def test_cli_unreadable_notebook_exits_2(tmp_path):
    path = tmp_path / "broken.ipynb"
    path.write_text("{not json", encoding="utf-8")
    result = cli("run", str(path))
    assert result.returncode == 2
    assert str(path) in result.stderr


def test_cli_usage_errors_exit_2():
    assert cli("run").returncode == 2
    assert cli("no-such-command").returncode == 2


def test_cli_help():
    result = cli("--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage:")
    assert "run" in result.stdout


def test_cli_tour():
    result = cli()
    assert result.returncode == 0, result.stderr
    out = result.stdout
    # the code shown is the code run, REPL style
    assert ">>> from ferrograd import autograd, nd\n" in out
    assert ">>> x = nd.arange(4).reshape((4, 1))\n>>> print(x)\n" + X_PRINTED in out
    assert ">>> with autograd.record():\n...     y = 2 * nd.dot(x.T, x)\n" in out
    # MXNet's values and formatting
    assert "[[28.]]\n<NDArray 1x1 @cpu(0)>" in out
    assert "== 0)\nTrue\n" in out
    assert "[[ 0.]\n [ 4.]\n [ 8.]\n [12.]]\n<NDArray 4x1 @cpu(0)>" in out
    assert ">>> print(autograd.is_training())\nFalse\n" in out
    assert "...     print(autograd.is_training())\n...\nTrue\n" in out
    assert ">>> print(a.grad == (d / a))\n\n[1.]\n<NDArray 1 @cpu(0)>\n" in out
    assert "[[0.  ]\n [4.  ]\n [0.8 ]\n [0.12]]\n<NDArray 4x1 @cpu(0)>" in out
    assert cli("tour").stdout == out  # the same walkthrough, asked for by name


# ----------------------------------------------------------------------------------------
# the real chapter against MXNet's recorded output
# ----------------------------------------------------------------------------------------

CHAPTER = SEED_DIR / "autograd_chapter.md"
EXPECTED = SEED_DIR / "mxnet_output.txt"


def require_chapter():
    require(CHAPTER.exists() and EXPECTED.exists(),
            "the chapter fixture %s (and mxnet_output.txt)" % CHAPTER)


def test_autograd_chapter_matches_mxnet(no_mxnet):
    require_chapter()
    status, out = run(CHAPTER)
    assert status == 0
    assert out == EXPECTED.read_text(encoding="utf-8")
    assert mxnet_keys() == []


def test_autograd_chapter_matches_mxnet_from_the_cli(tmp_path):
    require_chapter()
    result = cli("run", str(CHAPTER), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == EXPECTED.read_text(encoding="utf-8")
