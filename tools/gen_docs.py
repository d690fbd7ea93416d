"""Writes the numpydoc sections (Parameters, Returns) of every public ``nd`` function's and
NDArray method's docstring, and the output lines of its Examples, into the source that
declares it, so that ``help()``, IDE hovers and the type stubs show one text that cannot drift
from the signature or from what the code prints.

    python tools/gen_docs.py            # rewrite the docstrings in src/ and python/
    python tools/gen_docs.py --check    # exit 1 if rewriting would change a file, or if the
                                        # built extension's docstrings are not the source's
                                        # (used by the tests)

Then rebuild (``maturin develop --release``) and run ``python tools/gen_stub.py``.

The one hand-written source of a docstring is its declaration: the Rust doc comment of the
``nd_fn!`` entry, ``#[pyfunction]``, unary-table row or NDArray method, or the Python
function's docstring. It holds the summary, descriptions of the parameters that are
particular to the function, the Returns text when it says more than "the result", and the
Examples (``>>>`` lines). This tool supplies the rest on every run:

- Parameters: one entry per signature parameter, in signature order, its header line
  (``axis : int | Sequence[int], default -1``) always rebuilt from the real signature (the
  default as the built function reports it) and the parameter's type (tools/gen_stub.py's
  PARAMS table for engine functions, the annotation for Python ones). Its description is the
  one written in the docstring, else GLOSSARY's for that parameter name (or FAMILIES' for a
  family of functions). An entry holding a shared text, current or RETIRED, is rewritten to the
  current one; a parameter with no description at all fails the run.
- Returns: kept when written; else the return type and "The result." (with ``out``).
- Examples: each ``>>>`` example is run (``nd``, ``autograd``, ``np`` in scope, as
  tests/test_docs_examples.py runs them) and the output lines below it are what it printed.
"""

from __future__ import annotations

import ast
import contextlib
import doctest
import inspect
import io
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import numpy as np  # noqa: E402

import gen_stub  # noqa: E402
import ferrograd  # noqa: E402
import ferrograd._core as core  # noqa: E402
from ferrograd import autograd, nd  # noqa: E402

RUST_FILES = sorted((ROOT / "src" / "bindings").glob("*.rs")) + [ROOT / "src" / "ops" / "elementwise.rs"]
PY_MODULES = ["ferrograd.nd", "ferrograd.nd.random", "ferrograd.nd.contrib", "ferrograd.nd.io"]

# Descriptions of parameters that mean the same in every function that has them (MXNet
# names its parameters consistently). A function says more in its own docstring.
GLOSSARY = {
    "data": "The input array.",
    "lhs": "The first input: an array or a number. Arrays broadcast against each other by "
           "NumPy's rule.",
    "rhs": "The second input: an array or a number. Arrays broadcast against each other by "
           "NumPy's rule.",
    "out": "The output array: when given, the result is written into it (it must have the "
           "result's shape) and it is returned.",
    "name": "Ignored: MXNet's name for the symbol (kept so MXNet code runs).",
    "axis": "The axis or axes to work along; negative counts from the last. None means every "
            "axis.",
    "keepdims": "Keep the reduced axes, with length 1, in the result.",
    "exclude": "Work along every axis except those in ``axis``.",
    "dtype": "The element type of the result: a NumPy dtype or its name ('float32', "
             "'float64', 'int32', 'int64', 'uint8'); None means the default.",
    "ctx": "The device context; only the CPU holds arrays (a GPU context is refused).",
    "shape": "The shape of the result: an int or a tuple of ints.",
    "stype": "The storage type; only 'default' (dense) is supported.",
    "kwargs": "Other keyword arguments MXNet accepts; ignored.",
    "num_args": "Ignored: the number of arrays, which MXNet's symbolic API needs.",
    "transpose_a": "Use the first operand transposed (its last two axes swapped).",
    "transpose_b": "Use the second operand transposed (its last two axes swapped).",
    "temperature": "Divides the input before the exponential; None means 1.",
    "is_ascend": "Sort in ascending order (else descending).",
    "squeeze_axis": "Remove the split axis from each part (its length must then be 1).",
    "retain_graph": "Keep the recorded graph, so that backward can run through it again.",
    "train_mode": "Run the backward pass in training mode (as ``autograd.record`` does).",
    "index": "Integer positions (an NDArray, a list or a NumPy array; MXNet reads floats as "
             "their integer part).",
    "indices": "Integer positions (an NDArray, a list or a NumPy array; MXNet reads floats as "
               "their integer part).",
    "low": "The lower bound of the interval (included).",
    "high": "The upper bound of the interval (excluded).",
    "loc": "The mean of the distribution.",
    "scale": "The standard deviation of the distribution.",
    "lam": "The rate (the mean) of the Poisson distribution.",
    "a": "The left matrix (a batch of them when it has more than two axes).",
    "b": "The right matrix (a batch of them when it has more than two axes).",
    "alpha": "The factor the product is multiplied by.",
    "inplace": "Return a view sharing this array's memory instead of a new array.",
    "act_type": "The activation function, by name.",
}

# Former GLOSSARY (and FAMILIES) texts, by parameter name: a docstring entry that still holds
# one is rewritten to the current text. Changing a shared description: move the old text here,
# so that its copies follow instead of passing for a description written by hand.
RETIRED = {}

# Descriptions shared by a family of functions, where a parameter means more there than
# GLOSSARY says: {function names: {parameter: description}}.
FAMILIES = [
    (("sum", "mean", "max", "min", "prod", "nansum", "nanprod", "sum_axis", "max_axis",
      "min_axis", "norm", "argmax", "argmin"),
     {"axis": "The axis or axes to reduce; negative counts from the last. None reduces every "
              "axis.",
      "exclude": "Reduce every axis except those in ``axis``."}),
    (("softmax", "log_softmax", "softmin"),
     {"axis": "The axis to normalise along; negative counts from the last."}),
]


def glossary_text(func, param):
    """The shared description of `param` in function `func` (a bare name), or None."""
    for names, entries in FAMILIES:
        if func in names and param in entries:
            return entries[param]
    return GLOSSARY.get(param)

RUST_HEAD = [
    re.compile(r"^\s*fn (\w+)\s*[(<']"),             # fn name(
    re.compile(r"^\s*(\w+) \[[^\]]*\] fluent ="),     # a row of binary_bindings!
    re.compile(r'^\s*[A-Z]\w*, (\w+), "\w+",'),       # a row of unary_ops!
    re.compile(r"^\s*(\w+)(?: \[[^\]]*\])?;$"),          # a row of reduce_bindings!
]


@dataclass
class Source:
    """Where a docstring lives: lines [start, end) of `path` (a Rust doc block, or the lines of
    a Python docstring literal), or, with start == end, where to insert one."""
    path: Path
    start: int
    end: int
    indent: str
    lang: str  # "rust" or "python"


@dataclass
class Target:
    qualname: str           # nd.softmax, nd.linalg.gemm2, NDArray.reshape
    obj: object
    params: list            # (kind, name, default text or None, type text)
    returns: str
    source: Source | None = None
    doc: str = ""           # the docstring as the source holds it now
    errors: list = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Finding docstrings in the source.

def rust_index():
    """{(context, name): [Source]} for every NDArray method and nd function declared in the
    Rust bindings (and the unary table), context being "method" inside `impl PyNDArray` and
    "function" elsewhere. A declaration with no doc comment gets an empty Source where its
    doc comment goes."""
    index = {}
    for path in RUST_FILES:
        heads = RUST_HEAD[2:3] if path.name == "elementwise.rs" else RUST_HEAD
        lines = path.read_text().split("\n")
        first, last = 0, len(lines)
        if path.name == "elementwise.rs":
            first = next(n for n, s in enumerate(lines) if s.startswith("unary_ops! {"))
            last = next(n for n in range(first, len(lines)) if lines[n].startswith("}"))
        for k, line in enumerate(lines):
            if not first <= k < last:
                continue
            name = None
            for pat in heads:
                m = pat.search(line)
                if m:
                    name = m.group(1)
                    break
            if not name or line.lstrip().startswith("//"):
                continue
            # Walk up over attributes (and a unary row's continuation) to the doc comment.
            i = k
            while i > 0:
                prev = lines[i - 1].strip()
                if not prev or prev.startswith("///") or prev.endswith(("}", "{", ";", "});")):
                    break
                if prev.startswith("//"):
                    break
                i -= 1
            j = i
            while i > 0 and lines[i - 1].lstrip().startswith("///"):
                i -= 1
            namespace = None
            for attr in lines[j:k]:
                m = re.search(r'\bname = "(\w+)"', attr)
                if m:
                    name = m.group(1)
                m = re.search(r'\bnamespace = "(\w+)"', attr)
                if m:
                    namespace = m.group(1)
            name = name.rstrip("_")
            if namespace:
                name = "%s:%s" % (namespace, name)
            entry = next((s for s in lines[k:] if s.startswith("nd_entry!(")), "")
            if entry.startswith("nd_entry!(%s," % name) and "namespace" in entry:
                name = "%s:%s" % (entry.split('namespace = "')[1].split('"')[0], name)
            indent = line[: len(line) - len(line.lstrip())]
            context = "function"
            if indent:
                for back in range(i - 1, -1, -1):
                    s = lines[back]
                    if s and not s[0].isspace() and not s.startswith("}") and not s.startswith("//"):
                        if s.startswith("impl") and "PyNDArray" in s:
                            context = "method"
                        elif s.startswith("impl"):
                            context = "other"
                        break
            index.setdefault((context, name), []).append(Source(path, i, j, indent, "rust"))
    return index


def python_source(func):
    """The Source of a Python function's docstring (or where to insert one)."""
    path = Path(inspect.getsourcefile(func))
    tree = ast.parse(path.read_text())
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == func.__name__:
            first = node.body[0]
            indent = " " * first.col_offset
            if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                    and isinstance(first.value.value, str)):
                return Source(path, first.lineno - 1, first.end_lineno, indent, "python")
            return Source(path, first.lineno - 1, first.lineno - 1, indent, "python")
    raise SystemExit("tools/gen_docs.py: no definition of %s in %s" % (func.__name__, path))


def read_source_doc(src):
    lines = src.path.read_text().split("\n")[src.start:src.end]
    if src.lang == "rust":
        out = []
        for line in lines:
            s = line.lstrip()[3:]
            out.append(s[1:] if s.startswith(" ") else s)
        return "\n".join(out)
    if not lines:
        return ""
    return inspect.cleandoc(ast.literal_eval("\n".join([lines[0].lstrip()] + lines[1:])))


# ---------------------------------------------------------------------------------------------
# What to document.

def engine_params(f, owner, method):
    params = []
    for kind, name, default in gen_stub._parse(f.__text_signature__):
        if name in ("$self", "$module"):
            continue
        if kind == "varkw":
            typ = "Any"
        elif kind == "varpos" and name.startswith("_"):
            typ = "Any"
        else:
            typ = gen_stub.param_type(name, owner)
        if default is not None:
            default = default.replace('"', "'")
        params.append((kind, name, default, typ))
    return params


def python_params(f):
    params = []
    for p in inspect.signature(f).parameters.values():
        kind = {p.VAR_POSITIONAL: "varpos", p.VAR_KEYWORD: "varkw",
                p.KEYWORD_ONLY: "kwonly"}.get(p.kind, "pos")
        default = None if p.default is inspect.Parameter.empty else repr(p.default)
        typ = p.annotation if isinstance(p.annotation, str) else getattr(p.annotation, "__name__", "Any")
        params.append((kind, p.name, default, typ))
    return params


def python_return(f):
    ann = inspect.signature(f).return_annotation
    return ann if isinstance(ann, str) else "NDArray"


def targets():
    """Every public nd / nd.linalg / nd.random / nd.contrib function and NDArray method."""
    out = []
    engine = {}
    for ns, name, f, aliases, _fluent in core._registry:
        if ns not in ("nd", "linalg"):
            continue
        qual = "nd.%s" % name if ns == "nd" else "nd.%s.%s" % (ns, name)
        engine[name] = f
        out.append(Target(qual, f, engine_params(f, name, False),
                          gen_stub.RETURNS.get(name, "NDArray")))
    for modname in PY_MODULES:
        module = sys.modules.get(modname) or __import__(modname, fromlist=["_"])
        for name, f in sorted(gen_stub.python_functions(module)):
            prefix = modname.replace("ferrograd.", "").replace(".io", "")
            out.append(Target("%s.%s" % (prefix, name), f, python_params(f), python_return(f)))
    for name, f in sorted(vars(core.NDArray).items()):
        if name.startswith("_") or not callable(f) or name in gen_stub.PROPERTIES:
            continue
        shared = engine.get(name)
        if shared is not None and f.__doc__ == shared.__doc__:
            continue  # a fluent method: the function's docstring
        out.append(Target("NDArray.%s" % name, f, engine_params(f, name, True),
                          gen_stub.RETURNS.get(name, "NDArray")))
    index = rust_index()
    for t in out:
        if isinstance(t.obj, type(len)) or type(t.obj).__name__ in ("method_descriptor",
                                                                    "builtin_function_or_method"):
            context = "method" if t.qualname.startswith("NDArray.") else "function"
            name = t.qualname.rsplit(".", 1)[1]
            if t.qualname.startswith("nd.linalg."):
                name = "linalg:" + name
            found = index.get((context, name), [])
            if len(found) != 1:
                t.errors.append("%d doc blocks for %s %s in src/ (want one)"
                                % (len(found), context, name))
                continue
            t.source = found[0]
        else:
            t.source = python_source(t.obj)
        t.doc = read_source_doc(t.source)
    return out


# ---------------------------------------------------------------------------------------------
# Parsing and rendering numpydoc.

PARAM_HEAD = re.compile(r"^\*{0,2}\w+(, \*{0,2}\w+)* :")
SECTIONS = ["Parameters", "Returns", "Notes", "See Also", "References", "Examples"]


def parse(doc):
    """(summary text, {section: [lines]}) of a docstring."""
    lines = doc.strip("\n").split("\n")
    summary, sections, current = [], {}, None
    i = 0
    while i < len(lines):
        line = lines[i]
        if (i + 1 < len(lines) and line.strip() in SECTIONS
                and re.fullmatch(r"-{3,}", lines[i + 1].strip())):
            current = line.strip()
            sections[current] = []
            i += 2
            continue
        if current != "Examples" and line.lstrip().startswith(">>>") and "Examples" not in sections:
            current = "Examples"
            sections[current] = []
        elif (current == "Parameters" and line.strip() and not line[0].isspace()
              and not PARAM_HEAD.match(line) and i > 0 and not lines[i - 1].strip()):
            current = "Notes"  # a paragraph after the parameters
            sections.setdefault(current, [])
        (summary if current is None else sections[current]).append(line)
        i += 1
    for key in sections:
        while sections[key] and not sections[key][-1].strip():
            sections[key].pop()
        while sections[key] and not sections[key][0].strip():
            sections[key].pop(0)
    return "\n".join(summary).strip(), sections


def parse_params(lines):
    """{name: description lines} of a Parameters section."""
    entries, current = {}, None
    for line in lines:
        if line and not line[0].isspace():
            current = [n.strip().lstrip("*") for n in line.split(" : ")[0].split(",")]
            for n in current:
                entries[n] = []
        elif current is not None:
            for n in current:
                entries[n].append(line[4:] if line.startswith("    ") else line.strip())
    for key in entries:
        while entries[key] and not entries[key][-1].strip():
            entries[key].pop()
    return entries


def wrap(text, width=92):
    words, lines, cur = text.split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = "%s %s" % (cur, w) if cur else w
    if cur:
        lines.append(cur)
    return lines


def render_params(t, written):
    out, missing = [], []
    for kind, name, default, typ in t.params:
        star = {"varpos": "*", "varkw": "**"}.get(kind, "")
        head = "%s%s : %s" % (star, name, typ)
        if default is not None:
            head += ", default %s" % default
        desc = written.get(name)
        glossary = glossary_text(t.qualname.rsplit(".", 1)[1], name)
        if not desc or not any(s.strip() for s in desc) or desc == ["(undocumented)"]:
            if glossary is None:
                missing.append(name)
                desc = ["(undocumented)"]
            else:
                desc = wrap(glossary)
        elif glossary is not None and " ".join(" ".join(desc).split()) in [
                " ".join(text.split()) for text in [glossary] + RETIRED.get(name, [])]:
            desc = wrap(glossary)
        out.append(head)
        out += ["    " + d if d.strip() else "" for d in desc]
    if missing:
        t.errors.append("no description for parameter(s) %s: write one in the docstring "
                        "(Parameters section) or add to GLOSSARY in tools/gen_docs.py"
                        % ", ".join(missing))
    return out


def default_returns(t):
    typ = t.returns
    if typ == "None":
        return ["None"]
    names = [p[1] for p in t.params]
    text = "The result"
    if "out" in names:
        text += " (``out`` itself when it is given)"
    return [typ, "    " + text + "."]


class _Out(io.StringIO):
    pass


def run_examples(t, lines):
    """The Examples lines with each example's output replaced by what it prints now."""
    text = "\n".join(lines) + "\n"
    parser = doctest.DocTestParser()
    parts = parser.parse(text, t.qualname)
    globs = example_globals()
    out = []
    for part in parts:
        if isinstance(part, str):
            if not part.strip():
                continue
            for line in part.strip("\n").split("\n"):
                if line.strip() or (out and out[-1].strip()):
                    out.append(line)
            continue
        src = part.source.rstrip("\n").split("\n")
        out.append(" " * part.indent + ">>> " + src[0])
        out += [" " * part.indent + "... " + s for s in src[1:]]
        got = execute(t, part.source, globs)
        if got is None:
            out.append("(this example raised)")
            continue
        for line in got.strip("\n").split("\n"):
            if got.strip():
                out.append(" " * part.indent + (line if line.strip() else "<BLANKLINE>"))
    while out and not out[-1].strip():
        out.pop()
    return out


def example_globals():
    """What docstring examples see (tests/test_docs_examples.py gives the same)."""
    nd.random.seed(0)
    return {"nd": nd, "autograd": autograd, "np": np, "mx": ferrograd}


def execute(t, source, globs):
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf):
            exec(compile(source, "<%s example>" % t.qualname, "single"), globs)
    except Exception as e:  # noqa: BLE001
        t.errors.append("example %r raised %s: %s" % (source.strip(), type(e).__name__, e))
        return None
    return buf.getvalue()


def render(t):
    summary, sections = parse(t.doc)
    if not summary:
        t.errors.append("no summary line")
    written = parse_params(sections.get("Parameters", []))
    for name in written:
        if name not in [p[1] for p in t.params]:
            t.errors.append("documents parameter %r that the signature lacks" % name)
    out = [summary, ""]
    if t.params:
        out += ["Parameters", "----------"] + render_params(t, written) + [""]
    out += ["Returns", "-------"] + (sections.get("Returns") or default_returns(t)) + [""]
    for name in SECTIONS[2:-1]:
        if name in sections:
            out += [name, "-" * len(name)] + sections[name] + [""]
    if "Examples" in sections:
        out += ["Examples", "--------"] + run_examples(t, sections["Examples"]) + [""]
    while out and not out[-1].strip():
        out.pop()
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# Writing.

def source_lines(src, doc):
    if src.lang == "rust":
        return [src.indent + ("/// " + line if line else "///") for line in doc.split("\n")]
    if "\\" in doc or '"""' in doc:
        raise SystemExit("tools/gen_docs.py: a Python docstring with a backslash or triple "
                         "quote: %s" % src.path)
    lines = doc.split("\n")
    body = [src.indent + '"""' + lines[0]]
    body += [src.indent + line if line else "" for line in lines[1:]]
    body.append(src.indent + '"""')
    return body


def main():
    check = "--check" in sys.argv
    ts = targets()
    edits = {}
    for t in ts:
        if t.source is None:
            continue
        new = render(t)
        if new != t.doc.strip("\n") or t.source.start == t.source.end:
            edits.setdefault(t.source.path, []).append((t.source, source_lines(t.source, new)))
        if check and new == t.doc.strip("\n"):
            built = inspect.getdoc(t.obj) or ""
            if built.strip() != new.strip():
                t.errors.append("the built docstring differs from the source's: rebuild "
                                "(maturin develop --release)")
    errors = ["%s: %s" % (t.qualname, e) for t in ts for e in t.errors]
    if check:
        stale = sorted(str(p.relative_to(ROOT)) for p in edits)
        if stale:
            errors.append("stale docstrings in %s (run python tools/gen_docs.py)" % ", ".join(stale))
    else:
        for path, changes in edits.items():
            lines = path.read_text().split("\n")
            for src, new in sorted(changes, key=lambda c: -c[0].start):
                lines[src.start:src.end] = new
            path.write_text("\n".join(lines))
    if errors:
        print("\n".join(errors))
        sys.exit(1)


if __name__ == "__main__":
    main()
