"""Parallel kernels and threads. The extension makes the thread that imports it one of the
workers of its thread pool (so Python's main thread works on its own large ops instead of
sleeping while others do); every other thread, and the importing thread after it has exited,
must still get correct results without hanging."""

import subprocess
import sys
import textwrap
import threading

import numpy as np

from ferrograd import nd

# Above the engine's parallel threshold (32K elements), so the thread pool is used.
N = 300_000


def test_parallel_kernels_from_several_threads_at_once():
    rng = np.random.default_rng(7)
    data = [rng.uniform(-3, 3, N) for _ in range(4)]
    mats = [rng.standard_normal((200, 300)) for _ in range(4)]
    results, errors = {}, []

    def worker(k):
        try:
            x = nd.array(data[k], dtype="float64")
            m = nd.array(mats[k], dtype="float64")
            for _ in range(5):
                results[k] = (nd.sin(x).sum().asscalar(), nd.dot(m, m.T).asnumpy())
        except Exception as e:  # reported below: errors in threads are lost otherwise
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == [] and not any(t.is_alive() for t in threads)
    for k in range(4):
        s, mm = results[k]
        np.testing.assert_allclose(s, np.sin(data[k]).sum(), rtol=1e-12)
        np.testing.assert_allclose(mm, mats[k] @ mats[k].T, rtol=1e-12, atol=1e-12)


def test_pool_keeps_working_after_the_importing_thread_exits():
    script = textwrap.dedent(f"""
        import threading
        import numpy as np
        box = {{}}

        def first_import():
            import ferrograd
            box["nd"] = ferrograd.nd
            box["s"] = (box["nd"].ones({N}) * 2).sum().asscalar()

        t = threading.Thread(target=first_import)
        t.start()
        t.join()
        nd = box["nd"]
        assert box["s"] == 2 * {N}, box["s"]
        v = np.linspace(-4, 4, {N})
        x = nd.array(v, dtype="float64")
        np.testing.assert_allclose(nd.exp(x).sum().asscalar(), np.exp(v).sum(), rtol=1e-12)
        a = np.arange(300 * 200, dtype=np.float64).reshape(300, 200) / 1e4
        np.testing.assert_allclose(nd.dot(nd.array(a, dtype="float64"),
                                          nd.array(a.T, dtype="float64")).asnumpy(),
                                   a @ a.T, rtol=1e-12)
        print("ok")
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"
