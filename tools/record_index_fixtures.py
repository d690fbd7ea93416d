#!/usr/bin/env python3
"""Records what MXNet 1.9.1 does with every case of the indexing table (tests/index_table.py)
into a JSON fixture, so tests/test_indexing.py can check ferrograd against MXNet without it.
Run it with a Python that has real MXNet; ferrograd is not imported:

    /tmp/mx/bin/python tools/record_index_fixtures.py tests/fixtures/mxnet_indexing.json

For each read: the result (shape, dtype, values) or the error, whether writing into the
result changes the source (a view), and the gradient of sum(x[key] * h) for h = 1, 2, 3, ...
For each write: the array afterwards, or the error. MXNet runs asynchronously, so each case
waits for its work to finish inside its own try block (a late error lands on its own case), and
each case runs in a forked child: some keys crash MXNet outright (a negative index in the
backward of ``x[[-1]]`` aborts with a double free), and such a crash is recorded as
``{"error": "crash"}``.
"""

import json
import os
import sys

import numpy as np
import mxnet as mx
from mxnet import autograd, nd

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
import index_table as T  # noqa: E402


def err(e):
    lines = [ln for ln in str(e).splitlines() if ln.strip()]
    # MXNet's C++ errors carry a traceback; the message is on the last line naming an error.
    msg = next((ln for ln in reversed(lines) if "Error" in ln or "error" in ln), lines[-1] if lines else "")
    return {"error": type(e).__name__, "message": msg.strip()[:300]}


def result(a):
    return {"shape": list(a.shape), "dtype": np.dtype(a.dtype).name,
            "values": a.asnumpy().astype(np.float64).ravel().tolist()}


def attempt(fn):
    try:
        out = fn()
        nd.waitall()
        return out
    except Exception as e:  # every failure is recorded, whatever its type
        try:
            nd.waitall()
        except Exception:
            pass
        return err(e)


def read_case(shape, spec):
    x = nd.array(T.source(shape))
    rec = attempt(lambda: result(x[T.make_key(spec, nd.array)]))
    if "error" in rec:
        return rec

    def view():
        src = nd.array(T.source(shape))
        r = src[T.make_key(spec, nd.array)]
        r[:] = -7
        return bool((src.asnumpy() == -7).any())

    rec["view"] = attempt(view)

    def grad():
        src = nd.array(T.source(shape))
        src.attach_grad()
        with autograd.record():
            y = src[T.make_key(spec, nd.array)]
        head = nd.array(np.arange(1, y.size + 1).reshape(y.shape))
        y.backward(head)
        return src.grad.asnumpy().astype(np.float64).ravel().tolist()

    rec["grad"] = isolated(lambda: attempt(grad))
    return rec


def write_case(shape, spec, value, dtype):
    def run():
        x = nd.array(T.source(shape), dtype=dtype)
        x[T.make_key(spec, nd.array)] = T.make_value(value, nd.array)
        return result(x)

    return attempt(run)


def isolated(fn):
    """fn() run in a forked child, its JSON result sent back through a pipe."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            data = json.dumps(fn()).encode()
        except BaseException as e:  # noqa: B036 - the child reports everything, then exits
            data = json.dumps(err(e)).encode()
        with os.fdopen(w, "wb") as f:
            f.write(data)
        os._exit(0)
    os.close(w)
    with os.fdopen(r, "rb") as f:
        data = f.read()
    _, status = os.waitpid(pid, 0)
    if not data:
        return {"error": "crash", "message": "MXNet died (wait status %d)" % status}
    return json.loads(data)


ZERO_D = [
    ("python_float", lambda: nd.array(3.5)),
    ("python_int", lambda: nd.array(3)),
    ("numpy_float32", lambda: nd.array(np.float32(2))),
    ("numpy_0d", lambda: nd.array(np.ones(()))),
    ("float64", lambda: nd.array(1 / 3, dtype="float64")),
    ("int32", lambda: nd.array(-7, dtype="int32")),
    ("nan", lambda: nd.array(float("nan"))),
    ("large", lambda: nd.array(1e10)),
    ("reshape_of_one", lambda: nd.ones((1,)).reshape(())),
    ("from_0d_ndarray", lambda: nd.array(nd.array(2.5))),
]


def main(path):
    out = {"mxnet": mx.__version__, "numpy": np.__version__, "reads": {}, "writes": {},
           "errors": {}, "zero_d": {}}
    for cid, shape, spec in T.READS:
        out["reads"][cid] = isolated(lambda: read_case(shape, spec))
    for case in T.WRITES:
        cid, shape, spec, value = case[:4]
        dtype = case[4] if len(case) > 4 else "float32"
        out["writes"][cid] = isolated(lambda: write_case(shape, spec, value, dtype))
    for cid, shape, spec, value, _cls, _words in T.ERRORS:
        if value is None:
            out["errors"][cid] = isolated(lambda: read_case(shape, spec))
        else:
            out["errors"][cid] = isolated(lambda: write_case(shape, spec, value, "float32"))
    # 0-d arrays: how nd.array makes and prints them.
    for name, make in ZERO_D:
        out["zero_d"][name] = isolated(lambda: attempt(lambda: {
            "shape": list(make().shape), "dtype": np.dtype(make().dtype).name,
            "repr": repr(make())}))
    with open(path, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
