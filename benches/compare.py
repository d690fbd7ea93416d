#!/usr/bin/env python3
"""ferrograd next to NumPy (hand-written backward) and PyTorch (when importable), in one process.

Every workload runs through each implementation in interleaved rounds (round 1: numpy, ferrograd,
torch; round 2: the same again; ...), so machine noise hits all of them alike. The reported number
is the median over rounds. Before timing, each ferrograd (and torch) result is compared with the
NumPy result computed from the same inputs: a wrong answer shows as WRONG in the table, an
exception as ERROR, and both are listed at the end with a reproducer hint.

Workloads (fwd+bwd unless said):
  a  1000-op chain (y*x, y+x, sin, exp; x has 4 float32 elements), recorded, then backward; us/op
  b  the same chain, not recorded (small eager ops); us/op
  c  y = sum(sin(x)*x + exp(-x)), x: 1e7 float32; ms
  d  loss = sum(A @ B), A, B: 1024x1024 float32 (3 GEMMs); GFLOP/s
  e  MLP training step 784-512-512-10, batch 256, relu, softmax-CE from primitives, SGD; ms/step
  f  y = mean(A + b, axis=0), A: 4096x4096, b: 1x4096, explicit head gradient; ms
  g  the autograd chapter's control-flow function f(a) (while b.norm() < 1000: b = b*2 ...); us/call
  h  grad of grad: d/dx sum(d/dx sum(tanh(x))), create_graph=True, x: 1e6 float32; ms
  i  gluon training step, MLP 784-256-10, batch 256: nn.Sequential of Dense(relu) + Dense,
     SoftmaxCrossEntropyLoss, Trainer('sgd'); next to the same step written by hand with nd ops
     (the nd-by-hand column) and PyTorch's nn.Sequential + nn.Linear + CrossEntropyLoss +
     optim.SGD; ms/step. Targets: gluon <= 1.15x the nd-by-hand step, <= 0.8x PyTorch's.
Extras: one small recorded op (us), backward time per node of the 1000-op chain (us), one small
NumPy op (us), one small unrecorded ferrograd op (us).

Usage:
  python benches/compare.py                 # all workloads, default repeats
  python benches/compare.py --quick         # fewer repeats, fewer inner iterations
  python benches/compare.py --only acg      # a subset (x = the extras)
  python benches/compare.py --only i        # the gluon training step alone
  python benches/compare.py --no-torch      # skip PyTorch even when it is importable
  python benches/compare.py --strict        # exit 1 when a ferrograd result is wrong or errors
  python benches/compare.py --quiet-wait 10 # on a shared machine: wait for other load to drop
  python benches/compare.py --gap 0         # no pause between implementations (see --help)

Ratios are time ratios (ferrograd time / other time; above 1 means ferrograd is slower), also for
the GFLOP/s row. Quote ratios, not raw times: the machines are shared and noisy.
"""

import argparse
import contextlib
import gc
import os
import platform
import shlex
import statistics
import sys
import time
import traceback

import numpy as np

N_CHAIN = 1000
N_ELEM = 10 ** 7
N_MM = 1024
MLP_B, MLP_SIZES, MLP_LR = 256, (784, 512, 512, 10), 0.05
N_BC = 4096
N_H = 10 ** 6
GLUON_B, GLUON_SIZES, GLUON_LR = 256, (784, 256, 10), 0.1
CF_A = 0.7

# name, unit, metric from seconds per call, tolerance (normwise relative error vs numpy)
WORKLOADS = {
    "a": ("1000-op recorded chain fwd+bwd", "us/op", lambda t: t * 1e6 / N_CHAIN, 2e-3),
    "b": ("small eager op (1000-op chain, unrecorded)", "us/op", lambda t: t * 1e6 / N_CHAIN, 2e-3),
    "c": ("sum(sin(x)*x+exp(-x)) 1e7 fwd+bwd", "ms", lambda t: t * 1e3, 1e-3),
    "d": ("matmul 1024^2 fwd+bwd (3 GEMMs)", "GFLOP/s", lambda t: 3 * 2 * N_MM ** 3 / t / 1e9, 1e-3),
    "e": ("MLP step 784-512-512-10 b256 SGD", "ms", lambda t: t * 1e3, 1e-2),
    "f": ("(4096^2)+(1,4096) mean(axis=0) fwd+bwd", "ms", lambda t: t * 1e3, 1e-4),
    "g": ("control-flow f(a) fwd+bwd", "us/call", lambda t: t * 1e6, 1e-5),
    "h": ("grad of grad sum(tanh(x)) 1e6", "ms", lambda t: t * 1e3, 1e-4),
    "i": ("gluon MLP step 784-256-10 b256 SGD", "ms", lambda t: t * 1e3, 1e-4),
}
EXTRAS = {
    "x1": ("small recorded op x*x (4 el.)", "us", lambda t: t * 1e6 / INNER_SMALL, 1e-6),
    "x2": ("backward per node (1000-op chain)", "us", lambda t: t * 1e6 / N_CHAIN, 2e-3),
    "x3": ("small unrecorded op x*x (4 el.)", "us", lambda t: t * 1e6 / INNER_SMALL, 1e-6),
}
INNER_SMALL = 1000  # small ops per timed call in the extras


def make_data(wl):
    """Seeded inputs, identical for every implementation."""
    rng = np.random.default_rng(12345)
    d = {}
    if wl in ("a", "b", "x1", "x2", "x3"):
        d["x"] = np.array([0.5, 0.6, 0.7, 0.9], dtype=np.float32)
        d["head"] = np.ones(4, dtype=np.float32)
    elif wl == "c":
        d["x"] = rng.uniform(-1.0, 1.0, N_ELEM).astype(np.float32)
    elif wl == "d":
        d["A"] = rng.standard_normal((N_MM, N_MM), dtype=np.float32)
        d["B"] = rng.standard_normal((N_MM, N_MM), dtype=np.float32)
    elif wl == "e":
        d["X"] = rng.standard_normal((MLP_B, MLP_SIZES[0]), dtype=np.float32)
        labels = rng.integers(0, MLP_SIZES[-1], MLP_B)
        d["onehot"] = np.eye(MLP_SIZES[-1], dtype=np.float32)[labels]
        params = []
        for fi, fo in zip(MLP_SIZES[:-1], MLP_SIZES[1:]):
            params.append((rng.standard_normal((fi, fo), dtype=np.float32)
                           * np.float32(np.sqrt(2.0 / fi))).astype(np.float32))
            params.append(np.zeros((1, fo), dtype=np.float32))
        d["params"] = params
    elif wl == "f":
        d["A"] = rng.standard_normal((N_BC, N_BC), dtype=np.float32)
        d["b"] = rng.standard_normal((1, N_BC), dtype=np.float32)
        d["head"] = rng.uniform(0.5, 1.5, N_BC).astype(np.float32)
    elif wl == "g":
        d["a"] = np.array([CF_A], dtype=np.float32)
        d["head"] = np.ones(1, dtype=np.float32)
    elif wl == "h":
        d["x"] = rng.uniform(-2.0, 2.0, N_H).astype(np.float32)
        d["head"] = np.ones(N_H, dtype=np.float32)
    elif wl == "i":
        d["X"] = rng.standard_normal((GLUON_B, GLUON_SIZES[0]), dtype=np.float32)
        d["labels"] = rng.integers(0, GLUON_SIZES[-1], GLUON_B)
        params = []  # (out, in) weights as gluon's Dense and torch's Linear hold them
        for fi, fo in zip(GLUON_SIZES[:-1], GLUON_SIZES[1:]):
            params.append((rng.standard_normal((fo, fi), dtype=np.float32)
                           * np.float32(np.sqrt(2.0 / fi))).astype(np.float32))
            params.append(np.zeros((fo,), dtype=np.float32))
        d["params"] = params
    return d


def _first_call_checked(step, params_out):
    """run() for the training-step workloads: the first (checked) call returns the loss and
    copies of the updated parameters; timed calls return the loss only, so copying parameters
    out is not part of the time."""
    state = {"first": True}

    def run():
        loss = step()
        if state.pop("first", False):
            return [loss] + params_out()
        return [loss]

    return run


# ------------------------------------------------------------------------------------------------
# Implementations. setup_<wl>(d) returns (run, prepare): run() does one timed call and returns the
# result (tuple of arrays) to check; prepare(), when not None, runs untimed before each call.
# The first call of run() is the checked one (the MLP mutates its parameters, so only the first
# step from the shared initial parameters is comparable).

class NumpyImpl:
    name = "numpy"

    def __init__(self, args):
        self.version = np.__version__

    def sync(self):
        pass

    def to_numpy(self, r):
        return [np.asarray(v) for v in r]

    def setup_a(self, d):
        x, head = d["x"], d["head"]

        def run():
            y, tape = x, []
            for _ in range(N_CHAIN // 4):
                y0 = y
                y2 = y0 * x + x
                y = np.exp(np.sin(y2))
                tape.append((y0, y2, y))
            g, gx = head, np.zeros_like(x)
            for y0, y2, y4 in reversed(tape):
                g = g * y4 * np.cos(y2)
                gx = gx + g + g * y0
                g = g * x
            return y, gx + g

        return run, None

    def setup_b(self, d):
        x = d["x"]

        def run():
            y = x
            for _ in range(N_CHAIN // 4):
                y = y * x
                y = y + x
                y = np.sin(y)
                y = np.exp(y)
            return (y,)

        return run, None

    def setup_c(self, d):
        x = d["x"]

        def run():
            s = np.sin(x)
            e = np.exp(-x)
            y = np.sum(s * x + e)
            return np.array([y], dtype=np.float32), np.cos(x) * x + s - e

        return run, None

    def setup_d(self, d):
        A, B = d["A"], d["B"]

        def run():
            C = A @ B
            G = np.ones_like(C)
            return np.array([C.sum()], dtype=np.float32), G @ B.T, A.T @ G

        return run, None

    def setup_e(self, d):
        X, onehot = d["X"], d["onehot"]
        params = [p.copy() for p in d["params"]]
        lr = np.float32(MLP_LR)

        def run():
            W1, b1, W2, b2, W3, b3 = params
            a1 = X @ W1 + b1
            h1 = np.maximum(a1, 0)
            a2 = h1 @ W2 + b2
            h2 = np.maximum(a2, 0)
            z = h2 @ W3 + b3
            s = z - z.max(axis=1, keepdims=True)
            e = np.exp(s)
            se = e.sum(axis=1, keepdims=True)
            loss = np.mean(np.log(se) - (s * onehot).sum(axis=1, keepdims=True))
            dz = (e / se - onehot) * np.float32(1.0 / MLP_B)
            dW3 = h2.T @ dz
            db3 = dz.sum(axis=0, keepdims=True)
            dh2 = (dz @ W3.T) * (a2 > 0)
            dW2 = h1.T @ dh2
            db2 = dh2.sum(axis=0, keepdims=True)
            dh1 = (dh2 @ W2.T) * (a1 > 0)
            dW1 = X.T @ dh1
            db1 = dh1.sum(axis=0, keepdims=True)
            for p, g in zip(params, (dW1, db1, dW2, db2, dW3, db3)):
                p[...] = p - lr * g
            return [np.array([loss], dtype=np.float32)] + [p.copy() for p in params]

        return run, None

    def setup_f(self, d):
        A, b, head = d["A"], d["b"], d["head"]

        def run():
            y = np.mean(A + b, axis=0)
            dA = np.empty_like(A)
            dA[...] = head * np.float32(1.0 / N_BC)
            db = dA.sum(axis=0, keepdims=True)
            return y, dA, db

        return run, None

    def setup_g(self, d):
        a0, head = d["a"], d["head"]

        def run():
            b = a0 * 2
            m = 2.0
            while np.linalg.norm(b) < 1000:
                b = b * 2
                m *= 2.0
            if b.sum() <= 0:
                m *= 100.0
            return (head * np.float32(m),)

        return run, None

    def setup_h(self, d):
        x, head = d["x"], d["head"]

        def run():
            t = np.tanh(x)
            return (head * (np.float32(-2.0) * t * (np.float32(1.0) - t * t)),)

        return run, None

    def setup_i(self, d):
        X, labels = d["X"], d["labels"]
        onehot = np.eye(GLUON_SIZES[-1], dtype=np.float32)[labels]
        params = [p.copy() for p in d["params"]]
        lr = np.float32(GLUON_LR)

        def step():
            W1, b1, W2, b2 = params
            a1 = X @ W1.T + b1
            h1 = np.maximum(a1, 0)
            z = h1 @ W2.T + b2
            s = z - z.max(axis=1, keepdims=True)
            e = np.exp(s)
            se = e.sum(axis=1, keepdims=True)
            loss = np.mean(np.log(se) - (s * onehot).sum(axis=1, keepdims=True))
            dz = (e / se - onehot) * np.float32(1.0 / GLUON_B)
            dW2 = dz.T @ h1
            db2 = dz.sum(axis=0)
            dh1 = (dz @ W2) * (a1 > 0)
            dW1 = dh1.T @ X
            db1 = dh1.sum(axis=0)
            for p, g in zip(params, (dW1, db1, dW2, db2)):
                p -= lr * g
            return np.array([loss], dtype=np.float32)

        return _first_call_checked(step, lambda: [p.copy() for p in params]), None

    def setup_x1(self, d):  # numpy has no recording: the plain op, for the ratio
        return self.setup_x3(d)

    def setup_x2(self, d):  # the hand-written backward of the chain alone
        x, head = d["x"], d["head"]
        state = {}

        def prepare():
            y, tape = x, []
            for _ in range(N_CHAIN // 4):
                y0 = y
                y2 = y0 * x + x
                y = np.exp(np.sin(y2))
                tape.append((y0, y2, y))
            state["tape"] = tape

        def run():
            g, gx = head, np.zeros_like(x)
            for y0, y2, y4 in reversed(state.pop("tape")):
                g = g * y4 * np.cos(y2)
                gx = gx + g + g * y0
                g = g * x
            return (gx + g,)

        return run, prepare

    def setup_x3(self, d):
        x = d["x"]

        def run():
            for _ in range(INNER_SMALL):
                y = x * x
            return (y,)

        return run, None


class FerrogradImpl:
    """MXNet-1.x public API only (nd, autograd.record, attach_grad, backward, autograd.grad)."""
    name = "ferrograd"

    def __init__(self, args):
        import ferrograd
        from ferrograd import autograd, nd
        self.nd, self.ag = nd, autograd
        self.version = getattr(ferrograd, "__version__", "?")

    def sync(self):
        self.nd.waitall()

    def to_numpy(self, r):
        return [v.asnumpy() for v in r]

    def arr(self, a, grad=False):
        x = self.nd.array(a, dtype="float32")
        if grad:
            x.attach_grad()
        return x

    def _chain(self, x):
        nd = self.nd
        y = x
        for _ in range(N_CHAIN // 4):
            y = y * x
            y = y + x
            y = nd.sin(y)
            y = nd.exp(y)
        return y

    def setup_a(self, d):
        ag = self.ag
        x, head = self.arr(d["x"], True), self.arr(d["head"])

        def run():
            with ag.record():
                y = self._chain(x)
            y.backward(head)
            return y, x.grad

        return run, None

    def setup_b(self, d):
        x = self.arr(d["x"])
        return (lambda: (self._chain(x),)), None

    def setup_c(self, d):
        nd, ag = self.nd, self.ag
        x = self.arr(d["x"], True)

        def run():
            with ag.record():
                y = (nd.sin(x) * x + nd.exp(-x)).sum()
            y.backward()
            return y, x.grad

        return run, None

    def setup_d(self, d):
        nd, ag = self.nd, self.ag
        A, B = self.arr(d["A"], True), self.arr(d["B"], True)

        def run():
            with ag.record():
                loss = nd.dot(A, B).sum()
            loss.backward()
            return loss, A.grad, B.grad

        return run, None

    def setup_e(self, d):
        nd, ag = self.nd, self.ag
        X, onehot = self.arr(d["X"]), self.arr(d["onehot"])
        params = [self.arr(p, True) for p in d["params"]]

        def run():
            W1, b1, W2, b2, W3, b3 = params
            with ag.record():
                h1 = nd.relu(nd.dot(X, W1) + b1)
                h2 = nd.relu(nd.dot(h1, W2) + b2)
                z = nd.dot(h2, W3) + b3
                s = z - z.max(axis=1, keepdims=True)
                lse = nd.log(nd.exp(s).sum(axis=1, keepdims=True))
                loss = (lse - (s * onehot).sum(axis=1, keepdims=True)).mean()
            loss.backward()
            for p in params:
                p[:] = p - MLP_LR * p.grad
            return [loss] + [p.copy() for p in params]

        return run, None

    def setup_f(self, d):
        ag = self.ag
        A, b, head = self.arr(d["A"], True), self.arr(d["b"], True), self.arr(d["head"])

        def run():
            with ag.record():
                y = (A + b).mean(axis=0)
            y.backward(head)
            return y, A.grad, b.grad

        return run, None

    def setup_g(self, d):
        ag = self.ag
        a, head = self.arr(d["a"], True), self.arr(d["head"])

        def f(a):
            b = a * 2
            while b.norm() < 1000:
                b = b * 2
            if b.sum() > 0:
                c = b
            else:
                c = 100 * b
            return c

        def run():
            with ag.record():
                c = f(a)
            c.backward(head)
            return (a.grad,)

        return run, None

    def setup_h(self, d):
        nd, ag = self.nd, self.ag
        x, head = self.arr(d["x"], True), self.arr(d["head"])

        def run():
            with ag.record():
                y = nd.tanh(x).sum()
                g = ag.grad(y, [x], retain_graph=True, create_graph=True)[0]
            g.backward(head)
            return (x.grad,)

        return run, None

    def setup_i(self, d):
        from ferrograd import gluon
        from ferrograd.gluon import nn
        nd, ag = self.nd, self.ag
        X, y = self.arr(d["X"]), nd.array(d["labels"], dtype="float32")
        net = nn.Sequential()
        net.add(nn.Dense(GLUON_SIZES[1], activation="relu"), nn.Dense(GLUON_SIZES[2]))
        net.initialize()
        net(X)  # the deferred shapes
        params = list(net.collect_params().values())
        for p, v in zip(params, d["params"]):
            p.set_data(nd.array(v))
        loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
        trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": GLUON_LR})

        def step():
            with ag.record():
                loss = loss_fn(net(X), y)
            loss.backward()
            trainer.step(GLUON_B)
            return loss.mean()

        return _first_call_checked(step, lambda: [p.data().copy() for p in params]), None

    def setup_x1(self, d):
        ag = self.ag
        x = self.arr(d["x"], True)

        def run():
            with ag.record():
                for _ in range(INNER_SMALL):
                    y = x * x
            return (y,)

        return run, None

    def setup_x2(self, d):
        ag = self.ag
        x, head = self.arr(d["x"], True), self.arr(d["head"])
        state = {}

        def prepare():
            with ag.record():
                state["y"] = self._chain(x)

        def run():
            state.pop("y").backward(head)
            return (x.grad,)

        return run, prepare

    def setup_x3(self, d):
        x = self.arr(d["x"])

        def run():
            for _ in range(INNER_SMALL):
                y = x * x
            return (y,)

        return run, None


class FerrogradNdImpl:
    """The gluon step of workload i written by hand with nd ops (FullyConnected, log_softmax,
    pick, an in-place SGD update): the yardstick for gluon's own overhead. Workload i only."""
    name = "nd-by-hand"

    def __init__(self, args):
        base = FerrogradImpl(args)
        self.nd, self.ag, self.version = base.nd, base.ag, base.version
        self.sync, self.to_numpy, self.arr = base.sync, base.to_numpy, base.arr

    def setup_i(self, d):
        nd, ag = self.nd, self.ag
        X, y = self.arr(d["X"]), nd.array(d["labels"], dtype="float32")
        params = [self.arr(p, True) for p in d["params"]]
        W1, b1, W2, b2 = params
        scale = GLUON_LR / GLUON_B

        def step():
            with ag.record():
                h = nd.relu(nd.FullyConnected(X, W1, b1, num_hidden=GLUON_SIZES[1]))
                z = nd.FullyConnected(h, W2, b2, num_hidden=GLUON_SIZES[2])
                loss = -nd.pick(nd.log_softmax(z), y)
            loss.backward()
            for p in params:
                p -= p.grad * scale
            return loss.mean()

        return _first_call_checked(step, lambda: [p.copy() for p in params]), None


class TorchImpl:
    """PyTorch eager autograd (default threads), only when importable."""
    name = "torch"

    def __init__(self, args):
        import torch
        self.torch = torch
        self.version = "%s (threads %d)" % (torch.__version__, torch.get_num_threads())

    def sync(self):
        pass

    def to_numpy(self, r):
        return [v.detach().cpu().numpy() for v in r]

    def t(self, a, grad=False):
        return self.torch.tensor(a, dtype=self.torch.float32, requires_grad=grad)

    def _chain(self, x):
        torch = self.torch
        y = x
        for _ in range(N_CHAIN // 4):
            y = torch.exp(torch.sin(y * x + x))
        return y

    def _chain4(self, x):  # four separate Python-level ops, as the other implementations
        torch = self.torch
        y = x
        for _ in range(N_CHAIN // 4):
            y = y * x
            y = y + x
            y = torch.sin(y)
            y = torch.exp(y)
        return y

    def setup_a(self, d):
        x, head = self.t(d["x"], True), self.t(d["head"])

        def run():
            x.grad = None
            y = self._chain4(x)
            y.backward(head)
            return y, x.grad

        return run, None

    def setup_b(self, d):
        x = self.t(d["x"])

        def run():
            with self.torch.no_grad():
                return (self._chain4(x),)

        return run, None

    def setup_c(self, d):
        torch = self.torch
        x = self.t(d["x"], True)

        def run():
            x.grad = None
            y = (torch.sin(x) * x + torch.exp(-x)).sum()
            y.backward()
            return y.reshape(1), x.grad

        return run, None

    def setup_d(self, d):
        A, B = self.t(d["A"], True), self.t(d["B"], True)

        def run():
            A.grad = B.grad = None
            loss = (A @ B).sum()
            loss.backward()
            return loss.reshape(1), A.grad, B.grad

        return run, None

    def setup_e(self, d):
        torch = self.torch
        X, onehot = self.t(d["X"]), self.t(d["onehot"])
        params = [self.t(p, True) for p in d["params"]]

        def run():
            W1, b1, W2, b2, W3, b3 = params
            for p in params:
                p.grad = None
            h1 = torch.relu(X @ W1 + b1)
            h2 = torch.relu(h1 @ W2 + b2)
            z = h2 @ W3 + b3
            s = z - z.max(dim=1, keepdim=True).values
            lse = torch.log(torch.exp(s).sum(dim=1, keepdim=True))
            loss = (lse - (s * onehot).sum(dim=1, keepdim=True)).mean()
            loss.backward()
            with torch.no_grad():
                for p in params:
                    p -= MLP_LR * p.grad
            return [loss.reshape(1)] + [p.detach().clone() for p in params]

        return run, None

    def setup_f(self, d):
        A, b, head = self.t(d["A"], True), self.t(d["b"], True), self.t(d["head"])

        def run():
            A.grad = b.grad = None
            y = (A + b).mean(dim=0)
            y.backward(head)
            return y, A.grad, b.grad

        return run, None

    def setup_g(self, d):
        a, head = self.t(d["a"], True), self.t(d["head"])

        def f(a):
            b = a * 2
            while b.norm() < 1000:
                b = b * 2
            if b.sum() > 0:
                c = b
            else:
                c = 100 * b
            return c

        def run():
            a.grad = None
            f(a).backward(head)
            return (a.grad,)

        return run, None

    def setup_h(self, d):
        torch = self.torch
        x, head = self.t(d["x"], True), self.t(d["head"])

        def run():
            x.grad = None
            y = torch.tanh(x).sum()
            (g,) = torch.autograd.grad(y, [x], create_graph=True)
            g.backward(head)
            return (x.grad,)

        return run, None

    def setup_i(self, d):
        torch = self.torch
        X = self.t(d["X"])
        y = torch.tensor(d["labels"], dtype=torch.long)
        net = torch.nn.Sequential(torch.nn.Linear(GLUON_SIZES[0], GLUON_SIZES[1]), torch.nn.ReLU(),
                                  torch.nn.Linear(GLUON_SIZES[1], GLUON_SIZES[2]))
        with torch.no_grad():
            for p, v in zip(net.parameters(), d["params"]):
                p.copy_(torch.from_numpy(v))
        loss_fn = torch.nn.CrossEntropyLoss()
        opt = torch.optim.SGD(net.parameters(), lr=GLUON_LR)

        def step():
            opt.zero_grad()
            loss = loss_fn(net(X), y)
            loss.backward()
            opt.step()
            return loss.detach().reshape(1)

        return _first_call_checked(step, lambda: [p.detach().clone() for p in net.parameters()]), None

    def setup_x1(self, d):
        x = self.t(d["x"], True)

        def run():
            for _ in range(INNER_SMALL):
                y = x * x
            return (y,)

        return run, None

    def setup_x2(self, d):
        x, head = self.t(d["x"], True), self.t(d["head"])
        state = {}

        def prepare():
            x.grad = None
            state["y"] = self._chain4(x)

        def run():
            state.pop("y").backward(head)
            return (x.grad,)

        return run, prepare

    def setup_x3(self, d):
        x = self.t(d["x"])

        def run():
            with self.torch.no_grad():
                for _ in range(INNER_SMALL):
                    y = x * x
            return (y,)

        return run, None


# ------------------------------------------------------------------------------------------------
def rel_err(ref, got):
    """max |got - ref| / max |ref| over all result arrays (normwise relative error)."""
    if len(ref) != len(got):
        return float("inf"), "got %d results, expected %d" % (len(got), len(ref))
    worst = 0.0
    for i, (r, g) in enumerate(zip(ref, got)):
        r = np.asarray(r, dtype=np.float64)
        g = np.asarray(g, dtype=np.float64)
        if r.size != g.size:
            return float("inf"), "result %d has shape %s, expected %s" % (i, g.shape, r.shape)
        r, g = r.reshape(-1), g.reshape(-1)
        scale = max(float(np.max(np.abs(r))), 1e-30)
        err = float(np.max(np.abs(r - g))) / scale
        if not np.isfinite(err):
            return float("inf"), "result %d is not finite" % i
        worst = max(worst, err)
    return worst, ""


def cpu_ticks():
    """(busy ticks of the whole machine, ticks of this process), or None off Linux."""
    try:
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        with open("/proc/self/stat") as f:
            own = f.read().rsplit(")", 1)[1].split()
        return v[0] + v[1] + v[2] + v[5] + v[6] + v[7], int(own[11]) + int(own[12])
    except (OSError, ValueError, IndexError):
        return None


def foreign_cores(t0, ticks0):
    """CPU cores used by other processes since (t0, ticks0): 0 on a quiet machine, 1 when another
    process keeps one core busy (/proc/stat ticks are 10 ms, so short spans read coarse)."""
    ticks1 = cpu_ticks()
    wall = time.perf_counter() - t0
    if ticks0 is None or ticks1 is None or wall <= 0:
        return None
    hz = os.sysconf("SC_CLK_TCK")
    return max(0.0, (ticks1[0] - ticks0[0]) - (ticks1[1] - ticks0[1])) / hz / wall


def wait_quiet(max_wait, threshold=0.3, window=0.25):
    """Sleeps until other processes use < threshold cores over `window` s, at most max_wait s."""
    t_end = time.perf_counter() + max_wait
    while time.perf_counter() < t_end:
        t0, ticks0 = time.perf_counter(), cpu_ticks()
        time.sleep(window)
        load = foreign_cores(t0, ticks0)
        if load is None or load < threshold:
            return


def timed(impl, run, prepare):
    """Seconds for one call of `run` (after its untimed `prepare`). The caller holds the garbage
    collector off around a turn of calls (`gc_paused`)."""
    if prepare is not None:
        prepare()
        impl.sync()
    t0 = time.perf_counter()
    r = run()
    impl.sync()
    t = time.perf_counter() - t0
    del r
    return t


@contextlib.contextmanager
def gc_paused():
    """One collection before a turn of calls, none during it: GC pauses stay out of the timings,
    and the calls of a turn run back to back as in a training loop (as the shared yardstick
    times them). Collecting before every call instead evicted the caches each time: the gluon
    step (i) then cost 3.0-3.5 ms for every implementation instead of 1.5-1.9 ms."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def reps_for(wl, quick):
    if wl in ("c", "d", "e", "f", "h", "i"):  # ms or more per call
        return 3 if quick else 9
    return 5 if quick else 21


def inner_for(wl, quick):
    """Calls per timed repetition for workloads too short to time one at a time."""
    if wl == "g":
        return 20 if quick else 100
    if wl in ("e", "i"):
        return 3 if quick else 10
    return 1


def fmt(v):
    if v is None:
        return "-"
    if v >= 100:
        return "%.0f" % v
    if v >= 10:
        return "%.1f" % v
    if v >= 1:
        return "%.2f" % v
    return "%.3f" % v


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer repeats and inner iterations")
    ap.add_argument("--only", default="abcdefghix",
                    help="workload letters to run (x = the small-op / per-node extras); default all")
    ap.add_argument("--no-torch", action="store_true", help="skip PyTorch even when importable")
    ap.add_argument("--quiet-wait", type=float, default=0.0, metavar="S",
                    help="before each workload, wait up to S seconds for other processes to go quiet")
    ap.add_argument("--gap", type=float, default=0.15, metavar="S",
                    help="seconds of sleep before each implementation's turn in a round (default "
                         "0.15, as the shared yardstick): lets spinning BLAS threads idle")
    ap.add_argument("--strict", action="store_true",
                    help="exit 1 when a ferrograd result is wrong or raises (default: report, exit 0)")
    args = ap.parse_args()

    command = " ".join(shlex.quote(a) for a in ["python"] + sys.argv)
    bad = [c for c in args.only if c not in "abcdefghix"]
    if bad:
        ap.error("unknown workload letters: %s" % "".join(bad))
    keys = [k for k in WORKLOADS if k in args.only]
    if "x" in args.only:
        keys += list(EXTRAS)
    spec = dict(WORKLOADS, **EXTRAS)

    impls = [NumpyImpl(args)]
    problems = []  # (impl, workload, message)
    try:
        impls.append(FerrogradImpl(args))
        if "i" in args.only:
            impls.append(FerrogradNdImpl(args))
    except Exception as exc:  # keep going: the numpy column alone is still printed
        problems.append(("ferrograd", "import", "%s: %s" % (type(exc).__name__, exc)))
    torch_note = "not importable"
    if not args.no_torch:
        try:
            impls.append(TorchImpl(args))
            torch_note = impls[-1].version
        except ImportError:
            pass
    else:
        torch_note = "skipped (--no-torch)"

    print("command: %s" % command)
    print("python %s, %s, %d cores; numpy %s; ferrograd %s; torch %s; OMP_NUM_THREADS=%s OPENBLAS_CORETYPE=%s"
          % (platform.python_version(), platform.machine(), os.cpu_count() or 0, np.__version__,
             next((i.version for i in impls if i.name == "ferrograd"), "-"), torch_note,
             os.environ.get("OMP_NUM_THREADS", "-"), os.environ.get("OPENBLAS_CORETYPE", "-")))
    sys.stdout.flush()

    results = {}  # (impl, wl) -> metric of the median time, or "ERROR"/"WRONG" marker
    checks = {}   # (impl, wl) -> relative error vs numpy
    loads = {}    # wl -> cores used by other processes while timing
    for wl in keys:
        name, unit, metric, tol = spec[wl]
        d = make_data(wl)
        ref = None
        runners = []
        for impl in impls:
            if not hasattr(impl, "setup_" + wl):
                continue  # e.g. nd-by-hand exists for workload i only
            try:
                run, prepare = getattr(impl, "setup_" + wl)(d)
                inner = inner_for(wl, args.quick)
                # the checked call, which also warms up
                if prepare is not None:
                    prepare()
                out = impl.to_numpy(run())
                impl.sync()
                if impl.name == "numpy":
                    ref = out
                else:
                    err, why = rel_err(ref, out)
                    checks[(impl.name, wl)] = err
                    if not err <= tol:
                        problems.append((impl.name, wl, "result differs from numpy: normwise relative "
                                         "error %.3g > %.0e %s" % (err, tol, why)))
                del out
                runners.append((impl, run, prepare, inner))
            except Exception as exc:
                results[(impl.name, wl)] = "ERROR"
                msg = traceback.format_exception_only(type(exc), exc)[-1].strip()
                problems.append((impl.name, wl, msg))
        times = {impl.name: [] for impl, _, _, _ in runners}
        wait_quiet(args.quiet_wait)
        load_t0, load_ticks0 = time.perf_counter(), cpu_ticks()
        for _ in range(reps_for(wl, args.quick)):
            for impl, run, prepare, inner in runners:
                if results.get((impl.name, wl)) == "ERROR":
                    continue
                # Let the previous implementation's spinning threads (OpenBLAS, OpenMP) go idle:
                # they would otherwise steal a core from this one's parallel kernels.
                time.sleep(args.gap)
                try:
                    with gc_paused():
                        t = sum(timed(impl, run, prepare) for _ in range(inner))
                    times[impl.name].append(t / inner)
                except Exception as exc:
                    results[(impl.name, wl)] = "ERROR"
                    msg = traceback.format_exception_only(type(exc), exc)[-1].strip()
                    problems.append((impl.name, wl, "while timing: " + msg))
        loads[wl] = foreign_cores(load_t0, load_ticks0)
        for impl_name, ts in times.items():
            if (impl_name, wl) not in results and ts:
                results[(impl_name, wl)] = (metric(statistics.median(ts)), statistics.median(ts))
        del d, runners
        gc.collect()
        line = "  %-3s %-44s" % (wl, name)
        for impl in impls:
            r = results.get((impl.name, wl))
            line += "  %s=%s" % (impl.name, fmt(r[0]) if isinstance(r, tuple) else r)
        if loads.get(wl) is not None:
            line += "  (other load %.2f cores)" % loads[wl]
        print(line)
        sys.stdout.flush()

    # table
    names = [i.name for i in impls]
    has_torch = "torch" in names
    head = "| wl | workload | unit | " + " | ".join(names) + " | ferrograd/numpy"
    head += " | ferrograd/torch" if has_torch else ""
    head += " | check (rel. err) | other load |"
    print()
    print("command: %s" % command)
    print("median of repeats; ratios are time ratios (>1: ferrograd slower), GFLOP/s row included; "
          "other load = CPU cores used by other processes while timing (high = distrust the row)")
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for wl in keys:
        name, unit, _, tol = spec[wl]
        cells = []
        for n in names:
            r = results.get((n, wl))
            cells.append(fmt(r[0]) if isinstance(r, tuple) else (r or "-"))

        def ratio(other):
            a, b = results.get(("ferrograd", wl)), results.get((other, wl))
            if isinstance(a, tuple) and isinstance(b, tuple) and b[1] > 0:
                return "%.2f" % (a[1] / b[1])
            return "-"

        row = "| %s | %s | %s | %s | %s" % (wl, name, unit, " | ".join(cells), ratio("numpy"))
        if has_torch:
            row += " | " + ratio("torch")
        chk = checks.get(("ferrograd", wl))
        if chk is None:
            row += " | -"
        else:
            row += " | %.1e %s" % (chk, "ok" if chk <= tol else "WRONG")
        row += " | %s |" % ("-" if loads.get(wl) is None else "%.2f" % loads[wl])
        print(row)

    print()
    print("small-op summary: ferrograd recorded op %s us, backward per node %s us, "
          "numpy small op %s us, ferrograd unrecorded op %s us"
          % tuple(fmt(results[(impl, k)][0]) if isinstance(results.get((impl, k)), tuple) else "-"
                  for impl, k in (("ferrograd", "x1"), ("ferrograd", "x2"), ("numpy", "x3"),
                                  ("ferrograd", "x3"))))
    if "i" in keys:
        def time_of(impl):
            r = results.get((impl, "i"))
            return r[1] if isinstance(r, tuple) else None

        gluon_t, hand_t, torch_t = time_of("ferrograd"), time_of("nd-by-hand"), time_of("torch")
        parts = []
        if gluon_t and hand_t:
            parts.append("gluon / nd-by-hand = %.2f (target <= 1.15)" % (gluon_t / hand_t))
        if gluon_t and torch_t:
            parts.append("gluon / torch = %.2f (target <= 0.8)" % (gluon_t / torch_t))
        elif gluon_t:
            parts.append("gluon / torch: - (torch %s)" % torch_note)
        print("gluon MLP step (i): " + "; ".join(parts))
    if problems:
        print()
        print("PROBLEMS (rerun one with: %s --only <letter>):" % " ".join(
            shlex.quote(a) for a in ["python", sys.argv[0]]))
        for impl_name, wl, msg in problems:
            print("  %s %s: %s" % (impl_name, wl, msg))
    fg_bad = [p for p in problems if p[0] == "ferrograd"]
    return 1 if (args.strict and fg_bad) else 0


if __name__ == "__main__":
    sys.exit(main())
