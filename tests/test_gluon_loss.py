"""gluon.loss against MXNet 1.9.1's values and gradients (fixtures recorded by
tools/record_gluon_fixtures.py), and gradients against central differences in float64."""

import json

import numpy as np
import pytest

from ferrograd import autograd, nd
from ferrograd.base import MXNetError
from ferrograd.gluon import loss as gloss

from gluon_helpers import FIXTURES

LOSSES = json.loads((FIXTURES / "mxnet_numbers.json").read_text())["losses"]
INPUTS = {k: np.array(v, dtype=np.float32) for k, v in LOSSES["inputs"].items()}


def _make(case):
    ctor = case["case"][:case["case"].index(")") + 1]  # "HuberLoss(rho=0.5) ..." -> the constructor
    return eval("gloss." + ctor), ctor


def _args(case, dtype="float32"):
    pred = nd.array(INPUTS[case["pred"]], dtype=dtype)
    args = [pred, nd.array(INPUTS[case["label"]], dtype=dtype)]
    if case["sample_weight"] or case["pos_weight"]:
        args.append(nd.array(INPUTS[case["sample_weight"]], dtype=dtype) if case["sample_weight"] else None)
    if case["pos_weight"]:
        args.append(nd.array(INPUTS[case["pos_weight"]], dtype=dtype))
    return args


@pytest.mark.parametrize("case", LOSSES["cases"], ids=[c["case"] for c in LOSSES["cases"]])
def test_loss_value_shape_gradient_and_repr_match_mxnet(case):
    loss, _ = _make(case)
    args = _args(case)
    args[0].attach_grad()
    with autograd.record():
        value = loss(*args)
    value.backward()
    assert list(value.shape) == case["shape"]
    np.testing.assert_allclose(value.asnumpy(), case["value"], rtol=2e-5, atol=1e-6)
    np.testing.assert_allclose(args[0].grad.asnumpy(), case["grad"], rtol=2e-4, atol=1e-6)
    assert repr(loss) == case["repr"]


GRAD_CASES = [c for c in LOSSES["cases"] if c["case"] in (
    "SoftmaxCrossEntropyLoss()", "SoftmaxCrossEntropyLoss(sparse_label=False)",
    "SigmoidBinaryCrossEntropyLoss() pos_weight", "HuberLoss(rho=0.5)", "L2Loss() sample_weight")]


@pytest.mark.parametrize("case", GRAD_CASES, ids=[c["case"] for c in GRAD_CASES])
def test_loss_gradient_matches_central_differences_in_float64(case, rng):
    loss, _ = _make(case)
    args = _args(case, "float64")
    pred0 = args[0].asnumpy()
    head = rng.uniform(0.5, 1.5, size=case["shape"])
    args[0].attach_grad()
    with autograd.record():
        value = loss(*args)
    value.backward(nd.array(head, dtype="float64"))
    analytic = args[0].grad.asnumpy()

    def f(p):
        return float((loss(nd.array(p, dtype="float64"), *args[1:]).asnumpy() * head).sum())

    eps = 1e-6
    numeric = np.zeros_like(pred0)
    for i in np.ndindex(pred0.shape):
        up, down = pred0.copy(), pred0.copy()
        up[i] += eps
        down[i] -= eps
        numeric[i] = (f(up) - f(down)) / (2 * eps)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-8)


def test_label_is_reshaped_like_prediction_and_bad_sizes_are_refused():
    pred = nd.array([[1.0], [2.0], [3.0]])
    label = nd.array([1.0, 1.0, 1.0])
    np.testing.assert_allclose(gloss.L2Loss()(pred, label).asnumpy(), [0.0, 0.5, 2.0])
    with pytest.raises(ValueError, match="cannot be reshaped like the prediction") as e:
        gloss.L2Loss()(pred, nd.array([1.0, 2.0]))
    assert isinstance(e.value, MXNetError)
    with pytest.raises(TypeError, match="weight must be a number"):
        gloss.L1Loss(weight=nd.ones((1,)))(pred, label)


def test_softmax_cross_entropy_accepts_integer_labels():
    pred = nd.array([[2.0, 0.5, -1.0], [0.0, 0.0, 3.0]])
    logp = pred.asnumpy() - np.log(np.exp(pred.asnumpy()).sum(axis=1, keepdims=True))
    for label in (nd.array([0, 2]), nd.array([0, 2], dtype="int32")):
        np.testing.assert_allclose(gloss.SoftmaxCrossEntropyLoss()(pred, label).asnumpy(),
                                   [-logp[0, 0], -logp[1, 2]], rtol=1e-5)
