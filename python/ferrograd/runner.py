"""Run a D2L-style chapter (Markdown or Jupyter notebook) cell by cell on ferrograd.

A chapter written for MXNet 1.x (``from mxnet import autograd, gluon, nd``) runs unchanged:
for the duration of :func:`run_file` the name ``mxnet`` resolves to a small shim over ferrograd,
and ``mxnet.X.Y`` to the module ``ferrograd.X.Y`` (``mxnet.gluon.nn`` is
``ferrograd.gluon.nn``; ``ndarray`` and ``initializer`` are ferrograd's ``nd`` and ``init``).
Nothing else is hooked (but see NumPy 2 below), and ``sys.modules``, ``sys.meta_path`` and
``NDArray.asnumpy`` are put back exactly as they were afterwards, also when a cell raises.

NumPy 2: the book formats losses with ``'%f' % loss.mean().asnumpy()``, which NumPy 2.4 refuses
(a one-element array of shape (1,) is not a scalar to it). During a run, ``asnumpy()`` of a
one-element NDArray returns an ndarray that converts to a Python scalar as under NumPy 1.x;
in every other respect it is a plain ndarray. Outside the runner, ``asnumpy()`` is unchanged
(use ``.asscalar()`` or ``float(x)`` for a number).

Cells are executed as Jupyter would: all share one namespace, and when the last top-level
statement of a cell is an expression whose value is not ``None`` its ``repr`` is printed (a
trailing ``;`` suppresses it). A cell that raises prints its traceback to stderr and stops the
run with status 1.

Inputs:

* Markdown: fenced code blocks whose info string holds both ``.python`` and ``.input``, e.g.
  ````` ```{.python .input  n=2} `````. Other fences (``{.python .output}``, ``bash``...) are
  text. A cell whose first line is a d2l ``#@tab`` directive runs only when the directive
  names ``mxnet`` or ``all``.
* Jupyter ``.ipynb`` (nbformat 4, or 3): the code cells, whose ``source`` may be a string or a
  list of strings.

Example::

    >>> from ferrograd import runner
    >>> status = runner.run_file("chapter_preliminaries/autograd.md")   # doctest: +SKIP

or from a shell: ``python -m ferrograd run chapter_preliminaries/autograd.md``.
"""

import ast
import contextlib
import importlib
import importlib.abc
import importlib.machinery
import json
import linecache
import os
import re
import sys
import traceback
import types

import numpy as _np

__all__ = ["iter_cells", "run_file"]

_SHIM_NAME = "mxnet"

# A fence opens with 3+ backticks or tildes, indented by at most 3 spaces (CommonMark).
_FENCE_OPEN = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
# d2l's multi-framework marker: "#@tab mxnet", "#@tab pytorch, tensorflow", "#@tab all".
_TAB_DIRECTIVE = re.compile(r"^\s*#\s*@tab\b(?P<tabs>.*)$")
# IPython line magics / shell escapes at column 0 (``%matplotlib inline``, ``!pip ...``).
_MAGIC_LINE = re.compile(r"^[%!]")


# ----------------------------------------------------------------------------------------
# Reading cells
# ----------------------------------------------------------------------------------------

def iter_cells(path):
    """Return the code cells of a D2L Markdown file or a Jupyter notebook, in order.

    Parameters
    ----------
    path : str or os.PathLike
        A ``.ipynb`` file is read as a notebook; anything else as Markdown.

    Returns
    -------
    list of str
        The source of each code cell.

    Raises
    ------
    OSError
        If the file cannot be read.
    ValueError
        If a ``.ipynb`` file is not a valid notebook.
    """
    path = os.fspath(path)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if path.lower().endswith(".ipynb"):
        cells = _notebook_cells(text, path)
    else:
        cells = _markdown_cells(text)
    return [c for c in cells if _is_mxnet_tab(c)]


def _is_input_info(info):
    """True when a fence's info string marks a code cell (``{.python .input n=2}``)."""
    tokens = info.strip().strip("{}").replace(",", " ").split()
    return ".python" in tokens and ".input" in tokens


def _markdown_cells(text):
    cells = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        m = _FENCE_OPEN.match(lines[i])
        i += 1
        if m is None:
            continue
        fence, info, indent = m.group("fence"), m.group("info"), len(m.group("indent"))
        if fence[0] == "`" and "`" in info:
            continue  # not a fence: a backtick fence's info string cannot hold a backtick
        close = re.compile(r"^ {0,3}" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$")
        body = []
        while i < len(lines) and not close.match(lines[i]):
            line = lines[i]
            # Content loses as much leading space as the opening fence had (CommonMark).
            strip = len(line) - len(line.lstrip(" "))
            body.append(line[min(strip, indent):])
            i += 1
        i += 1  # past the closing fence (or the end of the file: an unclosed fence runs to EOF)
        if _is_input_info(info):
            cells.append("\n".join(body) + ("\n" if body else ""))
    return cells


def _notebook_cells(text, path):
    try:
        nb = json.loads(text)
    except ValueError as e:
        raise ValueError(f"{path}: not a Jupyter notebook (invalid JSON: {e})") from None
    if not isinstance(nb, dict):
        raise ValueError(f"{path}: not a Jupyter notebook (top level is not an object)")
    if "cells" in nb:  # nbformat 4
        raw, key = nb["cells"], "source"
    elif "worksheets" in nb:  # nbformat 3
        raw = [c for ws in nb["worksheets"] for c in ws.get("cells", [])]
        key = "input"
    else:
        raise ValueError(f"{path}: not a Jupyter notebook (no 'cells')")
    cells = []
    for cell in raw:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        src = cell.get(key, "")
        if isinstance(src, list):
            src = "".join(src)
        if not isinstance(src, str):
            raise ValueError(f"{path}: code cell source is neither a string nor a list")
        cells.append(src)
    return cells


def _is_mxnet_tab(source):
    """d2l books mark per-framework cells with ``#@tab``; keep the MXNet ones."""
    for line in source.splitlines():
        if not line.strip():
            continue
        m = _TAB_DIRECTIVE.match(line)
        if m is None:
            return True  # no directive: the default (MXNet) tab
        tabs = m.group("tabs").replace(",", " ").split()
        return "mxnet" in tabs or "all" in tabs
    return True


# ----------------------------------------------------------------------------------------
# The mxnet shim
# ----------------------------------------------------------------------------------------

# ``mxnet.X...`` is ``ferrograd.X...``, except for these first components, which ferrograd
# spells differently (MXNet has both spellings of each).
_RENAMED = {"ndarray": "nd", "initializer": "init"}


def _ferrograd_name(mx_name):
    """``mxnet.gluon.nn`` -> ``ferrograd.gluon.nn``; ``mxnet.ndarray.random`` ->
    ``ferrograd.nd.random``."""
    parts = mx_name.split(".")[1:]
    if parts:
        parts[0] = _RENAMED.get(parts[0], parts[0])
    return ".".join(["ferrograd"] + parts)


class _AliasLoader(importlib.abc.Loader):
    """Hands out an already imported ferrograd module under its ``mxnet`` name."""

    def __init__(self, module):
        self._module = module
        self._own_spec = getattr(module, "__spec__", None)

    def create_module(self, spec):
        return self._module

    def exec_module(self, module):
        # Importing under another name set the module's __spec__ to the mxnet one; put its
        # own back, so that nothing about the ferrograd module changes.
        module.__spec__ = self._own_spec


class _MxnetFinder(importlib.abc.MetaPathFinder):
    """Resolves ``import mxnet.X.Y`` to the module ``ferrograd.X.Y``, when it exists.

    One rule instead of a list: any ferrograd submodule (``gluon``, ``gluon.nn``,
    ``gluon.data.vision``, ``init``, ``optimizer``, ``test_utils``...) is reachable under its
    MXNet name, and a name ferrograd lacks fails with ImportError as it would without MXNet.
    The finder sits on ``sys.meta_path`` only while a chapter runs.
    """

    def find_spec(self, fullname, path=None, target=None):
        if not fullname.startswith(_SHIM_NAME + "."):
            return None
        target_name = _ferrograd_name(fullname)
        try:
            module = importlib.import_module(target_name)
        except ModuleNotFoundError as e:
            missing = e.name or ""
            if target_name == missing or target_name.startswith(missing + "."):
                return None  # no such ferrograd module: the import fails as usual
            raise  # the module exists but needs something missing: show that error
        return importlib.machinery.ModuleSpec(fullname, _AliasLoader(module),
                                              is_package=hasattr(module, "__path__"))


def _shim_modules():
    """Build ``{module name: object}`` for the modules ``mxnet`` starts with."""
    import ferrograd
    from ferrograd import autograd, nd

    mx = types.ModuleType(_SHIM_NAME, "MXNet 1.x imperative API, served by ferrograd.")
    mx.__path__ = []  # a package: ``import mxnet.gluon`` goes through the finder
    mx.__spec__ = importlib.machinery.ModuleSpec(_SHIM_NAME, None, is_package=True)
    mx.__version__ = getattr(ferrograd, "__version__", None) or _dist_version()
    mx.nd = mx.ndarray = nd
    mx.autograd = autograd

    def __getattr__(name):
        # ``mx.gluon``, ``mx.init``, ``mx.gpu``...: whatever ferrograd's top level has, as
        # ``import mxnet`` makes them all available in MXNet.
        target = _RENAMED.get(name, name)
        if not name.startswith("__"):
            if hasattr(ferrograd, target):
                return getattr(ferrograd, target)
            try:  # a submodule ferrograd does not import eagerly (mx.image, mx.contrib)
                return importlib.import_module("ferrograd." + target)
            except ModuleNotFoundError as e:
                if e.name != "ferrograd." + target:
                    raise
        raise AttributeError("module 'mxnet' (served by ferrograd) has no attribute '%s'" % name)

    mx.__getattr__ = __getattr__
    return {_SHIM_NAME: mx, "mxnet.nd": nd, "mxnet.ndarray": nd, "mxnet.autograd": autograd}


def _dist_version():
    try:
        from importlib.metadata import version
        return version("ferrograd")
    except Exception:  # not installed as a distribution (e.g. on sys.path from a checkout)
        return "0+unknown"


def _is_mxnet_key(name):
    return name == _SHIM_NAME or name.startswith(_SHIM_NAME + ".")


class _OneElementArray(_np.ndarray):
    """What ``asnumpy()`` returns for a one-element array inside a chapter run: a NumPy array
    that converts to a Python scalar as it did under NumPy 1.x.

    The book formats losses with ``'%f' % loss.mean().asnumpy()``, a one-element array of
    shape (1,). NumPy 2.4 refuses to convert an array with ndim > 0 to a scalar (TypeError;
    deprecated since NumPy 1.25), so every training loop of the book would stop there. In
    everything else this is a plain ndarray (and prints as one).
    """

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __complex__(self):
        return complex(self.item())

    def __repr__(self):
        return repr(self.view(_np.ndarray))

    def __str__(self):
        return str(self.view(_np.ndarray))


@contextlib.contextmanager
def _numpy1_scalar_conversion():
    """Inside the block, ``NDArray.asnumpy()`` of a one-element array returns a
    :class:`_OneElementArray`; the engine's method is put back on exit."""
    from ferrograd import NDArray
    engine_asnumpy = NDArray.__dict__["asnumpy"]

    def asnumpy(self):
        values = engine_asnumpy(self)
        if values.size == 1 and values.ndim > 0:
            return values.view(_OneElementArray)
        return values

    asnumpy.__doc__ = getattr(engine_asnumpy, "__doc__", None)
    NDArray.asnumpy = asnumpy
    try:
        yield
    finally:
        NDArray.asnumpy = engine_asnumpy


@contextlib.contextmanager
def _mxnet_shim():
    """Point ``mxnet`` at ferrograd inside the block; restore ``sys.modules`` and
    ``sys.meta_path`` on exit."""
    modules = _shim_modules()
    finder = _MxnetFinder()
    # Hide every mxnet entry already there (a real MXNet, a test's sentinel) so that nothing
    # from it leaks into the run, e.g. ``from mxnet import gluon`` finding a real mxnet.gluon.
    saved = {k: v for k, v in sys.modules.items() if _is_mxnet_key(k)}
    try:
        for k in saved:
            del sys.modules[k]
        sys.modules.update(modules)
        sys.meta_path.insert(0, finder)
        yield modules[_SHIM_NAME]
    finally:
        if finder in sys.meta_path:
            sys.meta_path.remove(finder)
        for k in [k for k in sys.modules if _is_mxnet_key(k)]:
            del sys.modules[k]
        sys.modules.update(saved)


# ----------------------------------------------------------------------------------------
# Executing cells
# ----------------------------------------------------------------------------------------

def _neutralize_magics(source):
    """Turn column-0 IPython magics (``%matplotlib inline``) into no-ops, keeping line numbers."""
    if "%" not in source and "!" not in source:
        return source
    try:
        ast.parse(source)
        return source  # valid Python as it is: leave it alone
    except SyntaxError:
        pass
    lines = source.splitlines(keepends=True)
    out = [("pass  # " + l) if _MAGIC_LINE.match(l) else l for l in lines]
    return "".join(out)


def _register_source(filename, source):
    """Let tracebacks show the cell's lines, as they would for a file."""
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)


def exec_cell(source, filename, namespace):
    """Execute one cell in ``namespace``, Jupyter style; print the last expression's repr.

    Exceptions (including SyntaxError) propagate to the caller.
    """
    source = _neutralize_magics(source)
    _register_source(filename, source)
    tree = ast.parse(source, filename, "exec")
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr) and not source.rstrip().endswith(";"):
        last = tree.body.pop()
    if tree.body:
        exec(compile(tree, filename, "exec"), namespace)
    if last is not None:
        value = eval(compile(ast.Expression(last.value), filename, "eval"), namespace)
        if value is not None:
            print(repr(value))


def _print_cell_traceback(exc, skip_files=()):
    """Print ``exc``'s traceback without the runner's own frames, like Jupyter does.

    Leading frames from this file, or from any file in ``skip_files``, are left out.
    """
    skip = {__file__, *skip_files}
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename in skip:
        tb = tb.tb_next
    traceback.print_exception(type(exc), exc, tb, file=sys.stderr)


def run_file(path, stdout=None):
    """Run every code cell of a D2L Markdown file or Jupyter notebook with ``mxnet`` = ferrograd.

    Parameters
    ----------
    path : str or os.PathLike
        The chapter (``.md``) or notebook (``.ipynb``).
    stdout : file-like, optional
        Where cell output goes; by default the current ``sys.stdout``. Tracebacks always go to
        ``sys.stderr``.

    Returns
    -------
    int
        0 when every cell ran, 1 when a cell raised (its traceback is printed to stderr and
        the remaining cells are skipped).

    Raises
    ------
    OSError, ValueError
        If the file cannot be read or parsed (see :func:`iter_cells`).
    """
    cells = iter_cells(path)
    label = os.fspath(path)
    namespace = {"__name__": "__main__"}
    filenames = []
    redirect = contextlib.redirect_stdout(stdout) if stdout is not None else contextlib.nullcontext()
    try:
        with redirect, _mxnet_shim(), _numpy1_scalar_conversion():
            for n, source in enumerate(cells, 1):
                filename = f"<{label} cell {n}>"
                filenames.append(filename)
                try:
                    exec_cell(source, filename, namespace)
                except (Exception, SystemExit) as exc:
                    sys.stdout.flush()
                    _print_cell_traceback(exc)
                    print(f"ferrograd: cell {n} of {label} raised {type(exc).__name__}; "
                          f"stopped ({len(cells) - n} cell(s) not run)", file=sys.stderr)
                    return 1
            sys.stdout.flush()
    finally:
        for filename in filenames:
            linecache.cache.pop(filename, None)
    return 0
