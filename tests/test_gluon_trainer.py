"""gluon.Trainer and the optimizers: MXNet 1.9.1's numbers for three steps of each update rule
(fixtures from tools/record_gluon_fixtures.py), the stale-gradient error, argument errors,
training that converges, and a long loop whose memory stays flat."""

import json
import os

import numpy as np
import pytest

import ferrograd as mx
from ferrograd import _core, autograd, gluon, init, nd
from ferrograd.base import MXNetError
from ferrograd.gluon import loss as gloss, nn

from gluon_helpers import FIXTURES

OPT = json.loads((FIXTURES / "mxnet_numbers.json").read_text())["optimizers"]


def _two_params():
    w = gluon.Parameter("w", shape=(3, 4), init=init.Constant(nd.array(OPT["w0"])))
    b = gluon.Parameter("b", shape=(4,), init=init.Constant(nd.array(OPT["b0"])),
                        lr_mult=OPT["lr_mult_b"], wd_mult=OPT["wd_mult_b"])
    w.initialize()
    b.initialize()
    return w, b


def _backward(w, b, gw, gb):
    with autograd.record():
        loss = (w.data() * nd.array(gw)).sum() + (b.data() * nd.array(gb)).sum()
    loss.backward()


@pytest.mark.parametrize("case", OPT["cases"], ids=["%s %s" % (c["optimizer"], c["params"]) for c in OPT["cases"]])
def test_optimizer_steps_match_mxnet(case):
    w, b = _two_params()
    trainer = gluon.Trainer([w, b], case["optimizer"], dict(case["params"]))
    w_alias = w.data()
    for (gw, gb), expected in zip(OPT["grads"], case["steps"]):
        _backward(w, b, gw, gb)
        trainer.step(OPT["batch_size"])
        np.testing.assert_allclose(w.data().asnumpy(), expected["w"], rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(b.data().asnumpy(), expected["b"], rtol=1e-5, atol=1e-6)
    assert w.data() is w_alias  # updated in place


def test_optimizer_objects_and_names():
    sgd = mx.optimizer.SGD(learning_rate=0.1, momentum=0.9)
    assert sgd.learning_rate == 0.1 and sgd.momentum == 0.9
    assert isinstance(mx.optimizer.create("Adam"), mx.optimizer.Adam)
    assert isinstance(mx.optimizer.create("rmsprop", centered=True), mx.optimizer.RMSProp)
    with pytest.raises(ValueError, match="Cannot find optimizer nosuch") as e:
        mx.optimizer.create("nosuch")
    assert isinstance(e.value, MXNetError)
    with pytest.raises(ValueError, match="unexpected arguments: momentun"):
        mx.optimizer.create("sgd", momentun=0.9)
    w, b = _two_params()
    trainer = gluon.Trainer([w, b], sgd)  # an Optimizer object
    _backward(w, b, *OPT["grads"][0])
    trainer.step(OPT["batch_size"])
    expected = [c for c in OPT["cases"] if c["params"] == {"learning_rate": 0.1, "momentum": 0.9}][0]
    np.testing.assert_allclose(w.data().asnumpy(), expected["steps"][0]["w"], rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="optimizer_params must be None"):
        gluon.Trainer([w], sgd, {"learning_rate": 0.1})


def test_trainer_accepts_parameter_dict_dict_and_list_and_refuses_bad_input():
    net = nn.Dense(2, in_units=3)
    net.initialize()
    params = net.collect_params()
    for given in (params, dict(params.items()), list(params.values())):
        assert [p.name for p in gluon.Trainer(given, "sgd")._params] == list(params.keys())
    with pytest.raises(ValueError, match="no Parameters to optimize"):
        gluon.Trainer([], "sgd")
    with pytest.raises(ValueError, match="no Parameters to optimize"):
        gluon.Trainer(nn.Sequential().collect_params(), "sgd")
    with pytest.raises(ValueError, match="First argument must be a list or dict of Parameters"):
        gluon.Trainer(net, "sgd")
    with pytest.raises(ValueError, match="got list of"):
        gluon.Trainer([nd.ones((2,))], "sgd")
    with pytest.raises(ValueError, match="Cannot find optimizer"):
        gluon.Trainer(params, "sdg")
    trainer = gluon.Trainer(params, "sgd", {"learning_rate": 0.3}, kvstore="device")
    assert trainer.learning_rate == 0.3
    trainer.set_learning_rate(0.05)
    assert trainer.learning_rate == 0.05 and trainer.optimizer.lr == 0.05
    trainer.allreduce_grads()  # one device: nothing to do, but callable


def test_stale_gradient_raises_mxnets_message_and_can_be_skipped():
    net = nn.Sequential()
    net.add(nn.Dense(2, in_units=3, weight_initializer=init.One()),
            nn.Dense(2, in_units=3, weight_initializer=init.One()))
    net.initialize()
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 1.0})
    x = nd.ones((1, 3))
    with autograd.record():
        y = net[0](x).sum()  # net[1] is not used
    y.backward()
    with pytest.raises(UserWarning) as e:
        trainer.step(1)
    assert isinstance(e.value, MXNetError)
    assert str(e.value).startswith("Gradient of Parameter `%s` on context cpu(0) has not been updated "
                                   "by backward since last `step`." % net[1].weight.name)
    np.testing.assert_array_equal(net[0].weight.data().asnumpy(), np.ones((2, 3)))  # nothing updated
    trainer.step(1, ignore_stale_grad=True)
    np.testing.assert_array_equal(net[0].weight.data().asnumpy(), np.zeros((2, 3)))
    np.testing.assert_array_equal(net[1].weight.data().asnumpy(), np.ones((2, 3)))  # skipped
    with pytest.raises(UserWarning, match="has not been updated by backward"):
        trainer.step(1)  # no new backward since the last step


def test_a_recorded_forward_without_backward_is_a_stale_gradient():
    # The case only the engine's _fresh_grad can tell: the parameters took part in a recorded
    # forward, but no backward wrote their gradients.
    net = nn.Dense(2, in_units=3, weight_initializer=init.One())
    net.initialize()
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 1.0})
    with autograd.record():
        net(nd.ones((1, 3))).sum()
    with pytest.raises(UserWarning, match="has not been updated by backward"):
        trainer.step(1)
    np.testing.assert_array_equal(net.weight.data().asnumpy(), np.ones((2, 3)))


def test_frozen_parameters_are_not_updated():
    net = nn.Dense(2, in_units=2, weight_initializer=init.One())
    net.initialize()
    net.weight.grad_req = "null"
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 1.0})
    with autograd.record():
        y = net(nd.ones((1, 2))).sum()
    y.backward()
    trainer.step(1)
    np.testing.assert_array_equal(net.weight.data().asnumpy(), np.ones((2, 2)))
    np.testing.assert_array_equal(net.bias.data().asnumpy(), [-1.0, -1.0])


def test_step_before_initialize_names_the_parameter():
    net = nn.Dense(2)
    trainer = gluon.Trainer(net.collect_params(), "sgd")
    with pytest.raises(RuntimeError, match="Parameter '%s' has not been initialized" % net.weight.name):
        trainer.step(1)


def test_save_and_load_states_restore_momentum(tmp_path):
    def run(steps, trainer, w, b):
        for gw, gb in steps:
            _backward(w, b, gw, gb)
            trainer.step(OPT["batch_size"])

    grads = OPT["grads"]
    w, b = _two_params()
    trainer = gluon.Trainer([w, b], "adam", {"learning_rate": 0.01})
    run(grads[:2], trainer, w, b)
    path = str(tmp_path / "adam.states")
    trainer.save_states(path)
    saved_w = w.data().asnumpy().copy()
    run(grads[2:], trainer, w, b)
    w2, b2 = _two_params()
    w2.set_data(nd.array(saved_w))
    b2.set_data(b.data())  # any value: only w is compared
    trainer2 = gluon.Trainer([w2, b2], "adam", {"learning_rate": 0.01})
    trainer2.load_states(path)
    run(grads[2:], trainer2, w2, b2)
    np.testing.assert_allclose(w2.data().asnumpy(), w.data().asnumpy(), rtol=1e-6)


def test_linear_regression_converges_with_gluon(rng):
    true_w, true_b = np.array([2.0, -3.4]), 4.2
    X = rng.normal(size=(1000, 2)).astype(np.float32)
    y = (X @ true_w + true_b + rng.normal(scale=0.01, size=1000)).astype(np.float32)
    features, labels = nd.array(X), nd.array(y)
    net = nn.Sequential()
    net.add(nn.Dense(1))
    net.initialize(init.Normal(sigma=0.01))
    loss = gloss.L2Loss()
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.03})
    for epoch in range(3):
        for i in range(0, 1000, 10):
            with autograd.record():
                l = loss(net(features[i:i + 10]), labels[i:i + 10])
            l.backward()
            trainer.step(10)
    final = loss(net(features), labels).mean().asscalar()
    assert final < 1e-4, final
    np.testing.assert_allclose(net[0].weight.data().asnumpy().ravel(), true_w, atol=2e-3)
    np.testing.assert_allclose(net[0].bias.data().asnumpy(), [true_b], atol=2e-3)


def _rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_100_epochs_of_gluon_training_keep_nodes_and_memory_flat(rng):
    X = nd.array(rng.normal(size=(256, 20)))
    labels = nd.array(rng.integers(0, 4, size=256))
    net = nn.Sequential()
    net.add(nn.Dense(32, activation="relu"), nn.Dropout(0.2), nn.Dense(4))
    net.initialize(init.Xavier())
    loss = gloss.SoftmaxCrossEntropyLoss()
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.5, "momentum": 0.5, "wd": 1e-4})
    nodes, rss, losses = {}, {}, []
    for epoch in range(1, 101):
        for i in range(0, 256, 64):
            with autograd.record():
                l = loss(net(X[i:i + 64]), labels[i:i + 64])
            l.backward()
            trainer.step(64)
        if epoch in (1, 10, 100):
            nodes[epoch] = _core.live_nodes()
            rss[epoch] = _rss_bytes()
            losses.append(loss(net(X), labels).mean().asscalar())
    assert nodes[10] == nodes[100], nodes  # no graph is kept alive from one step to the next
    growth = rss[100] - rss[10]
    assert growth < 8 * 1024 * 1024, "RSS grew by %.1f MiB over 90 epochs" % (growth / 2 ** 20)
    assert losses[-1] < 0.5 * losses[0], losses  # and it really trained


def test_update_after_manual_gradient_changes():
    """allreduce_grads + update is step with a chance to change gradients in between."""
    w = gluon.Parameter("w", shape=(2,), init=init.One())
    w.initialize()
    trainer = gluon.Trainer([w], "sgd", {"learning_rate": 1.0})
    with autograd.record():
        y = (w.data() * nd.array([2.0, 4.0])).sum()
    y.backward()
    trainer.allreduce_grads()
    w.grad()[:] = w.grad() * 0.5  # e.g. gradient clipping by hand
    trainer.update(2)
    np.testing.assert_allclose(w.data().asnumpy(), [1.0 - 0.5, 1.0 - 1.0])
