"""A long training loop keeps the tape and the process's memory flat: nodes are freed when
backward is done with them and no array refers to them, and buffers are reused or released."""

import os
import time

import numpy as np

from ferrograd import _core, autograd, nd

PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE


def test_training_loop_keeps_nodes_and_memory_flat():
    rng = np.random.default_rng(0)
    x = nd.array(rng.normal(size=(64, 8)))
    true_w = rng.normal(size=(1, 8)).astype(np.float32)
    y = nd.array(x.asnumpy() * true_w + 0.5)
    w = nd.zeros((1, 8))
    b = nd.zeros((1,))
    w.attach_grad()
    b.attach_grad()
    base_nodes = _core.live_nodes()
    losses = []
    counts = {}
    rss = {}
    start = time.perf_counter()
    for i in range(1, 20001):
        with autograd.record():
            loss = ((x * w + b - y) ** 2).mean()
        loss.backward()
        w[:] = w - 0.01 * w.grad
        b[:] = b - 0.01 * b.grad
        if i in (1, 100, 1000, 20000):
            counts[i] = _core.live_nodes()
            rss[i] = rss_bytes()
            losses.append(float(loss.asscalar()))
    elapsed = time.perf_counter() - start
    # the graph of every step is released: the live count does not grow with the step number
    assert counts[100] == counts[1000] == counts[20000], counts
    assert counts[20000] - base_nodes <= 2 + 10, (base_nodes, counts)  # w, b and one loss graph
    del loss
    assert _core.live_nodes() <= counts[20000]
    growth = rss[20000] - rss[1000]
    assert growth < 20 * 1024 * 1024, "RSS grew by %.1f MB over 19 000 steps" % (growth / 2**20)
    # the loop trained something (it really ran the computation each step)
    assert losses[-1] < losses[0] * 1e-3, losses
    np.testing.assert_allclose(w.asnumpy(), true_w, rtol=1e-3, atol=1e-3)
    np.testing.assert_allclose(b.asnumpy(), [0.5], rtol=1e-3, atol=1e-3)
    assert elapsed < 60, elapsed


def test_dropping_a_recorded_graph_frees_its_nodes():
    x = nd.ones((3,))
    x.attach_grad()
    before = _core.live_nodes()
    with autograd.record():
        y = nd.exp(x * 2) + 1
        z = (y * y).sum()
    assert _core.live_nodes() > before
    del y, z
    assert _core.live_nodes() == before


def test_retained_graph_is_freed_when_its_arrays_go():
    x = nd.ones((3,))
    x.attach_grad()
    before = _core.live_nodes()
    for _ in range(200):
        with autograd.record():
            y = nd.sin(x) * x
            g = autograd.grad(y, [x], create_graph=True)[0]
        g.backward(retain_graph=True)
        g.backward()
    del y, g
    assert _core.live_nodes() == before


def test_unrecorded_computation_creates_no_nodes():
    x = nd.ones((3,))
    x.attach_grad()
    before = _core.live_nodes()
    y = nd.exp(x) * x + 1
    assert _core.live_nodes() == before
    with autograd.record():
        with autograd.pause():
            z = nd.exp(x) * x + 1
    assert _core.live_nodes() == before
    del y, z
