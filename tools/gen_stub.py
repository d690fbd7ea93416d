"""Writes the type stubs of ferrograd's generated API from the built extension, so that mypy,
pyright and IDEs see every nd function, alias and NDArray method with typed parameters.

    python tools/gen_stub.py            # rewrite the stubs
    python tools/gen_stub.py --check    # exit 1 if a stub is out of date (used by the tests)

Outputs:
- python/ferrograd/_core.pyi: Context, NDArray (properties, operators, methods) and every
  function of the extension;
- python/ferrograd/nd/__init__.pyi and nd/linalg.pyi: what those modules export, i.e. the
  engine's registry (names and aliases) and the Python functions defined there, whose
  signatures are read from their annotations.

Parameter types come from PARAMS, by parameter name: MXNet names its parameters
consistently (`data`, `axis`, `keepdims`...). A parameter name missing from the table makes
the generator fail, so a new one gets a type rather than silently none.
"""

import importlib
import inspect
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "python" / "ferrograd"

import ferrograd  # noqa: E402
import ferrograd._core as core  # noqa: E402

ARRAY = "NDArray"
OPERAND = "NDArray | float"
INDEX = "ArrayLike"
AXIS = "int | Sequence[int]"
SHAPE = "Shape"
FLOAT = "float"
INT = "int"
BOOL = "bool"
STR = "str"

PARAMS = {
    # arrays
    "data": ARRAY, "tensor": ARRAY, "a": ARRAY, "b": ARRAY, "x": ARRAY, "y": ARRAY, "condition": ARRAY,
    "weight": ARRAY, "bias": ARRAY, "shape_like": ARRAY, "out": ARRAY, "out_grad": ARRAY,
    "mhs": ARRAY, "ary": ARRAY, "arrays": "Sequence[NDArray]", "args": ARRAY,
    "lhs": OPERAND, "rhs": OPERAND, "index": INDEX, "indices": INDEX, "label": INDEX,
    "source_array": INDEX, "gamma": "Any", "value": "Any", "other": "Any",
    # axes and sizes
    "axis": AXIS, "axes": AXIS, "lhs_axes": AXIS, "rhs_axes": AXIS, "source": AXIS, "destination": AXIS, "axis1": INT, "axis2": INT, "dim": INT, "dim1": INT,
    "dim2": INT, "k": INT, "depth": INT, "num_hidden": INT, "num_outputs": INT,
    "num_args": INT, "repeats": INT, "repeat": INT, "n": INT, "m": INT, "num": INT,
    "count": INT, "seed": INT, "ord": INT, "device_id": INT,
    "indices_or_sections": "int | Sequence[int]",
    "shape": SHAPE, "reps": SHAPE, "size": SHAPE, "pad_width": SHAPE,
    "begin": "int | Sequence[int | None]", "end": "int | Sequence[int | None]",
    "step": "int | Sequence[int | None]",
    # numbers
    "a_min": FLOAT, "a_max": FLOAT, "alpha": FLOAT, "beta": FLOAT, "scale": FLOAT,
    "loc": FLOAT, "low": FLOAT, "high": FLOAT, "lam": FLOAT, "slope": FLOAT,
    "scalar": FLOAT, "temperature": FLOAT, "on_value": FLOAT, "off_value": FLOAT,
    "constant_value": FLOAT, "p": FLOAT, "start": FLOAT, "stop": FLOAT, "mu": FLOAT,
    # flags
    "keepdims": BOOL, "exclude": BOOL, "transpose_a": BOOL, "transpose_b": BOOL,
    "is_ascend": BOOL, "no_bias": BOOL, "flatten": BOOL, "squeeze_axis": BOOL,
    "endpoint": BOOL, "lower": BOOL, "rightside": BOOL, "transpose": BOOL,
    "retain_graph": BOOL, "train_mode": BOOL, "create_graph": BOOL, "allow_unused": BOOL, "copy": BOOL,
    "is_recording": BOOL, "inplace": BOOL, "always_copy": BOOL, "use_length": BOOL,
    # words
    "mode": STR, "act_type": STR, "ret_typ": STR, "name": STR, "grad_req": STR,
    "stype": STR, "device_type": STR,
    "dtype": "DTypeLike",
    # the autograd entry points behind ferrograd.autograd (which users call)
    "heads": "NDArray | Sequence[NDArray]", "variables": "NDArray | Sequence[NDArray]",
    "head_grads": "NDArray | Sequence[NDArray | None] | None",
    "gradients": "NDArray | Sequence[NDArray]", "grad_reqs": "str | Sequence[str]",
    "context": "Context | str", "func": "Any", "inputs": "Sequence[NDArray]", "outputs": "Sequence[NDArray]",
    "result": "NDArray",
}

# Return types that are not NDArray.
RETURNS = {
    "__bool__": "bool", "__float__": "float", "__int__": "int", "__index__": "int",
    "__len__": "int", "__hash__": "int", "__repr__": "str", "__str__": "str",
    "__iter__": "Iterator[NDArray]", "__reduce__": "tuple[Any, ...]",
    "__array__": "numpy.ndarray[Any, Any]", "__setitem__": "None", "__delitem__": "None",
    "attach_grad": "None", "backward": "None", "wait_to_read": "None",
    "asnumpy": "numpy.ndarray[Any, Any]", "asscalar": "Any", "item": "Any", "tolist": "Any",
    "is_recording": "bool", "is_training": "bool", "set_recording": "bool",
    "set_training": "bool", "mark_variables": "None", "record_function": "None",
    "random_seed": "None", "grad": "list[NDArray]", "live_nodes": "int", "cpu": "Context",
    "split": "Any", "split_v2": "Any", "topk": "Any", "copyto": "Any",
    "__dlpack__": "Any", "__dlpack_device__": "tuple[int, int]",
}

PROPERTIES = {
    "shape": "tuple[int, ...]", "dtype": "type[numpy.generic]", "size": "int", "ndim": "int",
    "context": "Context", "ctx": "Context", "stype": "str", "T": "NDArray",
    # None until attach_grad; typed as an array so that `w - lr * w.grad` type-checks.
    "grad": "NDArray", "grad_req": "str | None",
}

# Parameters of hand-written NDArray methods whose names mean something else there.
METHOD_PARAMS = {
    ("reshape", "shape"): "int | Sequence[int]",
    ("transpose", "axes"): "int | Sequence[int] | None",
    ("transpose", "args"): "int | Sequence[int] | None",
    ("arange", "step"): "float",
}

HEADER = [
    "from typing import Any, Callable, Iterator, Sequence",
    "",
    "import numpy",
    "",
    "from ferrograd._typing import ArrayLike, DTypeLike, Shape",
]


def _parse(text):
    """(kind, name, default text or None) for each parameter of a text signature."""
    text = text.strip()[1:-1]
    params = []
    kind = "pos"
    for part in _split(text):
        part = part.strip()
        if not part:
            continue
        if part == "/":
            continue
        if part == "*":
            kind = "kwonly"
            continue
        if part.startswith("**"):
            params.append(("varkw", part[2:], None))
            continue
        if part.startswith("*"):
            params.append(("varpos", part[1:], None))
            kind = "kwonly"
            continue
        name, _, default = part.partition("=")
        params.append((kind, name.strip(), default.strip() or None))
    return params


def _split(text):
    depth, cur, out = 0, "", []
    for c in text:
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        if c == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += c
    out.append(cur)
    return out


def param_type(name, owner=None):
    if (owner, name) in METHOD_PARAMS:
        return METHOD_PARAMS[(owner, name)]
    if name not in PARAMS:
        raise SystemExit("tools/gen_stub.py: no type for parameter %r (of %s): add it to PARAMS"
                         % (name, owner))
    return PARAMS[name]


def render_params(params, owner, method):
    out = ["self"] if method else []
    for kind, name, default in params:
        if name in ("$self", "$module"):
            continue
        if kind == "varpos":
            out.append("*%s: %s" % (name, "Any" if name.startswith("_") else param_type(name, owner)))
            continue
        if kind == "varkw":
            out.append("**%s: Any" % name)
            continue
        if kind == "kwonly" and not any(p.startswith("*") for p in out):
            out.append("*")
        typ = param_type(name, owner)
        if default is None:
            out.append("%s: %s" % (name, typ))
        else:
            if default == "None" and not typ.endswith("| None") and typ != "Any":
                typ += " | None"
            out.append("%s: %s = %s" % (name, typ, default.replace('"', "'")))
    return ", ".join(out)


def render_function(name, f, indent="", method=False, owner=None, ret=None):
    params = _parse(f.__text_signature__)
    ret = ret or RETURNS.get(name, "NDArray")
    head = "%sdef %s(%s) -> %s:" % (indent, name, render_params(params, owner or name, method), ret)
    return head + docstring(f, indent + "    ")


def docstring(f, indent):
    """The declaration's docstring as the stub's (IDEs show it on hover), or `...`."""
    doc = inspect.getdoc(f) or ""
    if not doc.strip():
        return " ..."
    quote = '"' * 3
    lines = doc.replace(quote, "'" * 3).splitlines()
    return "\n" + indent + quote + ("\n" + indent).join(lines) + quote


DUNDER_TYPES = {
    "__add__": OPERAND, "__radd__": OPERAND, "__iadd__": OPERAND, "__sub__": OPERAND,
    "__rsub__": OPERAND, "__isub__": OPERAND, "__mul__": OPERAND, "__rmul__": OPERAND,
    "__imul__": OPERAND, "__truediv__": OPERAND, "__rtruediv__": OPERAND,
    "__itruediv__": OPERAND, "__mod__": OPERAND, "__rmod__": OPERAND, "__imod__": OPERAND,
    "__pow__": OPERAND, "__rpow__": OPERAND, "__matmul__": ARRAY, "__rmatmul__": ARRAY,
    "__lt__": OPERAND, "__le__": OPERAND, "__gt__": OPERAND, "__ge__": OPERAND,
}


def render_ndarray():
    lines = ["class NDArray:"]
    for name, typ in PROPERTIES.items():
        lines += ["    @property", "    def %s(self) -> %s: ..." % (name, typ)]
    lines.append("    __array_ufunc__: None")
    for name, f in sorted(vars(core.NDArray).items()):
        if name in PROPERTIES or not callable(f) or name in ("__new__", "__init__", "__array_ufunc__"):
            continue
        if name in ("__eq__", "__ne__"):
            lines.append("    def %s(self, value: object, /) -> NDArray: ...  # type: ignore[override]"
                         % name)
        elif name in DUNDER_TYPES:
            extra = ", mod: None = None" if name in ("__pow__", "__rpow__") else ""
            lines.append("    def %s(self, value: %s%s, /) -> NDArray: ..." % (name, DUNDER_TYPES[name], extra))
        elif name == "__getitem__":
            lines.append("    def __getitem__(self, key: Any, /) -> NDArray: ...")
        elif name == "__setitem__":
            lines.append("    def __setitem__(self, key: Any, value: Any, /) -> None: ...")
        elif name == "__delitem__":
            lines.append("    def __delitem__(self, key: Any, /) -> None: ...")
        elif name in ("__neg__", "__pos__", "__abs__"):
            lines.append("    def %s(self) -> NDArray: ..." % name)
        elif name.startswith("__") and name in RETURNS and name not in ("__array__", "__reduce__"):
            lines.append("    def %s(self) -> %s: ..." % (name, RETURNS[name]))
        elif name.startswith("__") and name not in ("__array__", "__reduce__", "__dlpack__",
                                                    "__dlpack_device__"):
            continue
        else:
            lines.append(render_function(name, f, "    ", method=True, owner=name))
    return lines


def render_core():
    out = ['"""Type stubs for the Rust extension ferrograd._core (generated by tools/gen_stub.py)."""']
    out += HEADER + ["", ""]
    out += ["class Context:", "    device_type: str", "    device_id: int",
            "    def __init__(self, device_type: str = 'cpu', device_id: int = 0) -> None: ...",
            "    def __enter__(self) -> Context: ...",
            "    def __exit__(self, *args: Any) -> bool: ...", "", ""]
    out += render_ndarray() + ["", ""]
    out.append("_registry: list[tuple[str, str, Callable[..., Any], tuple[str, ...], bool]]")
    for name, f in sorted(vars(core).items()):
        if name.startswith("_") or inspect.isclass(f) or not callable(f):
            continue
        out.append(render_function(name, f, owner=name))
    return "\n".join(out) + "\n"


def python_functions(module):
    """The public functions defined in `module` itself (not imported), with their source
    signatures: annotations are strings there (`from __future__ import annotations`)."""
    for name, f in vars(module).items():
        if name.startswith("_") or not inspect.isfunction(f) or f.__module__ != module.__name__:
            continue
        yield name, f


def render_python_function(name, f):
    """A stub line from the function's own annotations (strings, under `from __future__
    import annotations`) and defaults."""
    sig = inspect.signature(f)
    if sig.return_annotation is inspect.Signature.empty:
        raise SystemExit("tools/gen_stub.py: %s.%s has no return annotation" % (f.__module__, name))
    params, star = [], False
    for p in sig.parameters.values():
        if p.annotation is inspect.Parameter.empty:
            raise SystemExit("tools/gen_stub.py: %s.%s(%s) has no annotation"
                             % (f.__module__, name, p.name))
        if p.kind is p.VAR_POSITIONAL:
            params.append("*%s: %s" % (p.name, p.annotation))
            star = True
        elif p.kind is p.VAR_KEYWORD:
            params.append("**%s: %s" % (p.name, p.annotation))
        else:
            if p.kind is p.KEYWORD_ONLY and not star:
                params.append("*")
                star = True
            text = "%s: %s" % (p.name, p.annotation)
            if p.default is not inspect.Parameter.empty:
                text += " = %r" % (p.default,)
            params.append(text)
    head = "def %s(%s) -> %s:" % (name, ", ".join(params), sig.return_annotation)
    return head + docstring(f, "    ")


def render_module(module, namespace, imports):
    """A stub for a Python module that exports the registry's `namespace` plus its own
    Python functions and the names in `imports` (lines of the stub)."""
    out = ['"""Type stubs for %s (generated by tools/gen_stub.py)."""' % module.__name__]
    out += HEADER + ["", "from ferrograd._core import Context, NDArray as NDArray"] + imports
    out += ["", ""]
    exported = []
    for ns, name, f, aliases, _ in core._registry:
        if ns != namespace:
            continue
        for n in (name,) + tuple(aliases):
            out.append(render_function(n, f, owner=name, ret=RETURNS.get(name, "NDArray")))
            exported.append(n)
    for name, f in sorted(python_functions(module)):
        out.append(render_python_function(name, f))
        exported.append(name)
    names = sorted(set(exported) | {line.split(" as ")[-1] for line in imports if " as " in line})
    out += ["", "__all__ = ["] + ["    %r," % n for n in names] + ["]"]
    return "\n".join(out) + "\n"


def stubs():
    nd = importlib.import_module("ferrograd.nd")
    linalg = importlib.import_module("ferrograd.nd.linalg")
    return {
        PKG / "_core.pyi": render_core(),
        PKG / "nd" / "__init__.pyi": render_module(nd, "nd", [
            "from ferrograd.nd import contrib as contrib",
            "from ferrograd.nd import linalg as linalg",
            "from ferrograd.nd import random as random",
            "from ferrograd.nd.io import save as save",
            "from ferrograd.nd.io import load as load",
            "from ferrograd.nd.io import load_frombuffer as load_frombuffer",
        ]),
        PKG / "nd" / "linalg.pyi": render_module(linalg, "linalg", []),
    }


if __name__ == "__main__":
    stale = []
    for path, text in stubs().items():
        if "--check" in sys.argv:
            if not path.exists() or path.read_text() != text:
                stale.append(str(path.relative_to(ROOT)))
        else:
            path.write_text(text)
    if stale:
        print("stale: %s (run python tools/gen_stub.py)" % ", ".join(stale))
        sys.exit(1)
