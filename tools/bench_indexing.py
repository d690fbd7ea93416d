#!/usr/bin/env python3
"""Times indexing on the hot path of user loops (x[i], x[:, j], x[idx], writes), in
microseconds per call, best of 7 repeats.

    python tools/bench_indexing.py [PATH]

PATH (optional) is put first on sys.path, so a copy of another build's ``ferrograd`` package
can be timed against this one: run both alternately on the same machine and compare.
"""

import sys
import timeit

if len(sys.argv) > 1:
    sys.path.insert(0, sys.argv[1])

import numpy as np  # noqa: E402

from ferrograd import nd  # noqa: E402

x = nd.array(np.random.rand(64, 32).astype(np.float32))
v = nd.array(np.random.rand(32).astype(np.float32))
x1 = nd.arange(100)
idx = nd.array([3, 1, 7])
idx_np = np.array([3, 1, 7])
CASES = {
    "x[i]": lambda: x[3],
    "x[i,j]": lambda: x[3, 4],
    "x[:, j]": lambda: x[:, 5],
    "x[a:b]": lambda: x[2:10],
    "x1[i]": lambda: x1[7],
    "x[idx]": lambda: x[idx],
    "x[list]": lambda: x[[3, 1, 7]],
    "x[np idx]": lambda: x[idx_np],
    "x[i]=v": lambda: x.__setitem__(3, v),
    "x[i,j]=s": lambda: x.__setitem__((3, 4), 1.5),
    "x[:]=s": lambda: x.__setitem__(slice(None), 0.5),
}

if __name__ == "__main__":
    for name, fn in CASES.items():
        n = 20000
        best = min(timeit.repeat(fn, number=n, repeat=7)) / n * 1e6
        print("%s\t%.3f" % (name, best))
