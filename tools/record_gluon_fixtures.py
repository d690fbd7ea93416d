#!/usr/bin/env python3
"""Records MXNet 1.9.1's numbers for ferrograd's gluon tests (losses, optimizer steps, a
``.params`` file). Run it with a Python that has real MXNet; ferrograd is not imported:

    /tmp/mx/bin/python tools/record_gluon_fixtures.py tests/fixtures/gluon

Inputs are drawn from NumPy's legacy RandomState (the same stream in every NumPy version) and
stored in the fixture next to MXNet's results, so the tests never need MXNet.
"""

import json
import os
import sys

import numpy as np
import mxnet as mx
from mxnet import autograd, gluon, init, nd
from mxnet.gluon import nn


def arr(a):
    return np.asarray(a, dtype=np.float64).tolist()


def record_losses():
    rs = np.random.RandomState(0)
    pred = rs.normal(size=(4, 5)).astype(np.float32)
    logits3 = rs.normal(size=(3, 4, 2)).astype(np.float32)
    sparse = np.array([0, 3, 4, 1], dtype=np.float32)
    dense = rs.uniform(size=(4, 5)).astype(np.float32)
    dense /= dense.sum(axis=1, keepdims=True)
    binary = (rs.uniform(size=(4, 5)) > 0.5).astype(np.float32)
    reg_label = rs.normal(size=(4, 5)).astype(np.float32)
    sample_weight = rs.uniform(size=(4, 1)).astype(np.float32)
    probs = (1 / (1 + np.exp(-pred))).astype(np.float32)
    pos_weight = rs.uniform(0.5, 2.0, size=(1, 5)).astype(np.float32)
    label_axis1 = np.array([[0, 1], [2, 3], [1, 0]], dtype=np.float32)
    inputs = {"pred": pred, "logits3": logits3, "sparse": sparse, "dense": dense, "binary": binary,
              "reg_label": reg_label, "sample_weight": sample_weight, "probs": probs,
              "pos_weight": pos_weight, "label_axis1": label_axis1}
    L = gluon.loss
    cases = [
        ("L2Loss()", L.L2Loss(), "pred", "reg_label", None, None),
        ("L2Loss(weight=3.0)", L.L2Loss(weight=3.0), "pred", "reg_label", None, None),
        ("L2Loss() sample_weight", L.L2Loss(), "pred", "reg_label", "sample_weight", None),
        ("L2Loss(batch_axis=1)", L.L2Loss(batch_axis=1), "pred", "reg_label", None, None),
        ("L1Loss()", L.L1Loss(), "pred", "reg_label", None, None),
        ("L1Loss(weight=0.5)", L.L1Loss(weight=0.5), "pred", "reg_label", None, None),
        ("SoftmaxCrossEntropyLoss()", L.SoftmaxCrossEntropyLoss(), "pred", "sparse", None, None),
        ("SoftmaxCrossEntropyLoss(sparse_label=False)", L.SoftmaxCrossEntropyLoss(sparse_label=False),
         "pred", "dense", None, None),
        ("SoftmaxCrossEntropyLoss(from_logits=True)", L.SoftmaxCrossEntropyLoss(from_logits=True),
         "pred", "sparse", None, None),
        ("SoftmaxCrossEntropyLoss(weight=2.0) sample_weight", L.SoftmaxCrossEntropyLoss(weight=2.0),
         "pred", "sparse", "sample_weight", None),
        ("SoftmaxCrossEntropyLoss(axis=1)", L.SoftmaxCrossEntropyLoss(axis=1), "logits3",
         "label_axis1", None, None),
        ("SoftmaxCrossEntropyLoss(batch_axis=1)", L.SoftmaxCrossEntropyLoss(batch_axis=1), "pred",
         "sparse", None, None),
        ("SigmoidBinaryCrossEntropyLoss()", L.SigmoidBinaryCrossEntropyLoss(), "pred", "binary", None, None),
        ("SigmoidBinaryCrossEntropyLoss(from_sigmoid=True)", L.SigmoidBinaryCrossEntropyLoss(from_sigmoid=True),
         "probs", "binary", None, None),
        ("SigmoidBinaryCrossEntropyLoss() pos_weight", L.SigmoidBinaryCrossEntropyLoss(), "pred", "binary",
         None, "pos_weight"),
        ("SigmoidBinaryCrossEntropyLoss(from_sigmoid=True) pos_weight",
         L.SigmoidBinaryCrossEntropyLoss(from_sigmoid=True), "probs", "binary", None, "pos_weight"),
        ("HuberLoss()", L.HuberLoss(), "pred", "reg_label", None, None),
        ("HuberLoss(rho=0.5)", L.HuberLoss(rho=0.5), "pred", "reg_label", None, None),
        ("HuberLoss(rho=2, weight=0.3)", L.HuberLoss(rho=2, weight=0.3), "pred", "reg_label", None, None),
    ]
    out = []
    for name, loss, p, l, sw, pw in cases:
        P = nd.array(inputs[p])
        P.attach_grad()
        args = [P, nd.array(inputs[l])]
        if sw or pw:
            args.append(nd.array(inputs[sw]) if sw else None)
        if pw:
            args.append(nd.array(inputs[pw]))
        with autograd.record():
            value = loss(*args)
        value.backward()
        out.append({"case": name, "pred": p, "label": l, "sample_weight": sw, "pos_weight": pw,
                    "repr": repr(loss), "value": arr(value.asnumpy()), "shape": list(value.shape),
                    "grad": arr(P.grad.asnumpy())})
    return {"inputs": {k: arr(v) for k, v in inputs.items()}, "cases": out}


def record_optimizers():
    rs = np.random.RandomState(1)
    w0 = rs.normal(size=(3, 4)).astype(np.float32)
    b0 = rs.normal(size=(4,)).astype(np.float32)
    grads = [(rs.normal(size=(3, 4)).astype(np.float32) * 3, rs.normal(size=(4,)).astype(np.float32) * 3)
             for _ in range(3)]
    batch = 4
    cases = [
        ("sgd", {"learning_rate": 0.1}),
        ("sgd", {"learning_rate": 0.1, "wd": 0.01}),
        ("sgd", {"learning_rate": 0.1, "momentum": 0.9}),
        ("sgd", {"learning_rate": 0.1, "momentum": 0.9, "wd": 0.05, "clip_gradient": 0.5}),
        ("sgd", {"learning_rate": 0.1, "rescale_grad": 2.0}),
        ("nag", {"learning_rate": 0.1}),
        ("nag", {"learning_rate": 0.1, "momentum": 0.9, "wd": 0.01}),
        ("adam", {"learning_rate": 0.01}),
        ("adam", {"learning_rate": 0.01, "wd": 0.1, "clip_gradient": 0.3, "beta1": 0.8}),
        ("adagrad", {"learning_rate": 0.1}),
        ("adagrad", {"learning_rate": 0.1, "wd": 0.01, "eps": 1e-5}),
        ("rmsprop", {"learning_rate": 0.01}),
        ("rmsprop", {"learning_rate": 0.01, "wd": 0.01, "gamma1": 0.8}),
        ("rmsprop", {"learning_rate": 0.01, "centered": True}),
        ("rmsprop", {"learning_rate": 0.01, "centered": True, "gamma2": 0.5, "clip_gradient": 0.2}),
    ]
    out = []
    for opt, kwargs in cases:
        w = gluon.Parameter("w", shape=w0.shape, init=init.Constant(nd.array(w0)))
        b = gluon.Parameter("b", shape=b0.shape, init=init.Constant(nd.array(b0)), lr_mult=0.5, wd_mult=2.0)
        w.initialize()
        b.initialize()
        trainer = gluon.Trainer([w, b], opt, dict(kwargs))
        steps = []
        for gw, gb in grads:
            with autograd.record():
                loss = (w.data() * nd.array(gw)).sum() + (b.data() * nd.array(gb)).sum()
            loss.backward()
            trainer.step(batch)
            steps.append({"w": arr(w.data().asnumpy()), "b": arr(b.data().asnumpy())})
        out.append({"optimizer": opt, "params": kwargs, "steps": steps})
    return {"w0": arr(w0), "b0": arr(b0), "grads": [[arr(g), arr(h)] for g, h in grads],
            "batch_size": batch, "lr_mult_b": 0.5, "wd_mult_b": 2.0, "cases": out}


def record_params_file(folder):
    """A Sequential with Constant-initialized Dense layers, saved by MXNet."""
    net = nn.Sequential()
    net.add(nn.Dense(3, activation="relu", weight_initializer=init.Constant(0.25), in_units=4),
            nn.Dense(2, weight_initializer=init.Constant(-0.5), bias_initializer=init.Constant(0.125),
                     in_units=3))
    net.initialize()
    net.save_parameters(os.path.join(folder, "mlp_mxnet.params"))
    x = nd.array(np.arange(8, dtype=np.float32).reshape(2, 4) / 8)
    return {"input": arr(x.asnumpy()), "output": arr(net(x).asnumpy()),
            "names": list(net._collect_params_with_prefix().keys())}


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/gluon"
    os.makedirs(folder, exist_ok=True)
    data = {"mxnet_version": mx.__version__, "losses": record_losses(),
            "optimizers": record_optimizers(), "params_file": record_params_file(folder)}
    with open(os.path.join(folder, "mxnet_numbers.json"), "w") as f:
        json.dump(data, f, indent=0)
    print("wrote", os.path.join(folder, "mxnet_numbers.json"))


if __name__ == "__main__":
    main()
