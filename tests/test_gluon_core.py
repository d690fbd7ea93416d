"""gluon's core: Parameters, Blocks, the nn layers, initializers, contexts, save/load.

Printed names and reprs are compared with MXNet 1.9.1's own output (tests/fixtures/gluon,
recorded by tools/mxnet_cells.py); values with NumPy.
"""


import numpy as np
import pytest

import ferrograd as mx
from ferrograd import autograd, gluon, init, nd
from ferrograd.base import MXNetError
from ferrograd.gluon import nn
from ferrograd.gluon.parameter import DeferredInitializationError

from gluon_helpers import FIXTURES, run_chapter


def test_printed_names_reprs_and_messages_match_mxnet():
    """Automatic names (dense0, sequential1_dense0_...), Block/Parameter/ParameterDict reprs,
    deferred-init and stale-gradient messages, contexts, initializer dumps: MXNet's text."""
    status, out, err = run_chapter(FIXTURES / "api_prints.md")
    assert status == 0, err
    expected = (FIXTURES / "api_prints.mxnet.txt").read_text(encoding="utf-8")
    assert out == expected  # exact: every value printed there is deterministic


# ------------------------------------------------------------------------------------------
# Parameters
# ------------------------------------------------------------------------------------------

def test_parameter_initialize_data_grad_and_errors():
    p = gluon.Parameter("w", shape=(2, 3), init=init.Constant(1.5))
    with pytest.raises(RuntimeError, match="Parameter 'w' has not been initialized") as e:
        p.data()
    assert isinstance(e.value, MXNetError)
    p.initialize()
    np.testing.assert_array_equal(p.data().asnumpy(), np.full((2, 3), 1.5, np.float32))
    assert p.data() is p.data()  # one array: aliases see updates
    np.testing.assert_array_equal(p.grad().asnumpy(), np.zeros((2, 3)))
    assert p.list_data()[0] is p.data() and len(p.list_grad()) == 1
    assert p.list_ctx() == [mx.cpu()]
    with autograd.record():
        y = (p.data() * p.data()).sum()
    y.backward()
    np.testing.assert_allclose(p.grad().asnumpy(), np.full((2, 3), 3.0))
    p.zero_grad()
    np.testing.assert_array_equal(p.grad().asnumpy(), np.zeros((2, 3)))
    alias = p.data()
    p.set_data(nd.ones((2, 3)) * 7)
    np.testing.assert_array_equal(alias.asnumpy(), np.full((2, 3), 7.0))
    with pytest.raises(ValueError, match="incompatible"):
        p.set_data(nd.ones((3, 2)))
    np.testing.assert_array_equal(alias.asnumpy(), np.full((2, 3), 7.0))  # unchanged
    with pytest.raises(MXNetError, match="symbolic"):
        p.var()


def test_parameter_reinitialize_warns_unless_forced():
    p = gluon.Parameter("w", shape=(3,), init=init.One())
    p.initialize()
    with pytest.warns(UserWarning, match="Parameter 'w' is already initialized, ignoring. "
                                         "Set force_reinit=True to re-initialize."):
        p.initialize(init=init.Zero())
    np.testing.assert_array_equal(p.data().asnumpy(), np.ones(3))
    p.initialize(init=init.Zero(), force_reinit=True)
    np.testing.assert_array_equal(p.data().asnumpy(), np.zeros(3))


def test_parameter_shape_rules_and_bad_arguments():
    p = gluon.Parameter("w", shape=(4, 0), allow_deferred_init=True)
    p.shape = (4, 5)  # a 0 may be filled in
    assert p.shape == (4, 5)
    with pytest.raises(ValueError, match="incompatible"):
        p.shape = (3, 5)
    assert p.shape == (4, 5)
    with pytest.raises(ValueError, match="grad_req must be one of"):
        gluon.Parameter("w", grad_req="sometimes")
    with pytest.raises(ValueError, match="invalid shape"):
        gluon.Parameter("v", shape=(0, 3)).initialize()  # unknown shape, deferral not allowed
    assert gluon.Parameter("s", shape=5).shape == (5,)


def test_grad_req_add_accumulates_and_null_has_no_gradient():
    p = gluon.Parameter("w", shape=(2,), init=init.One())
    p.initialize()
    pd = gluon.ParameterDict()
    pd._params["w"] = p
    pd.setattr("grad_req", "add")
    assert p.grad_req == "add"
    for _ in range(3):
        with autograd.record():
            y = (p.data() * 2).sum()
        y.backward()
    np.testing.assert_allclose(p.grad().asnumpy(), [6.0, 6.0])
    pd.zero_grad()
    np.testing.assert_allclose(p.grad().asnumpy(), [0.0, 0.0])
    p.grad_req = "null"
    with pytest.raises(ValueError, match="grad_req='null'"):
        p.grad()
    assert p.data().grad is None


def test_constant_is_not_trained_and_keeps_its_value():
    c = gluon.Constant("c", nd.array([[1.0, 2.0], [3.0, 4.0]]))
    assert c.grad_req == "null" and c.shape == (2, 2)
    c.initialize()
    np.testing.assert_array_equal(c.data().asnumpy(), [[1, 2], [3, 4]])
    with pytest.warns(UserWarning, match="does not support grad_req"):
        c.grad_req = "write"
    assert c.grad_req == "null"


def test_parameter_dict_get_shares_and_checks_attributes():
    pd = gluon.ParameterDict("net_")
    w = pd.get("weight", shape=(3, 0))
    assert w.name == "net_weight"
    assert pd.get("weight", shape=(3, 4)) is w and w.shape == (3, 4)  # 0 filled in
    with pytest.raises(ValueError, match="desired attribute does not match.*'shape'"):
        pd.get("weight", shape=(5, 4))
    shared = gluon.ParameterDict("other_", shared=pd)
    assert "net_weight" not in shared
    other = gluon.ParameterDict("net_", shared=pd)
    assert other.get("weight") is w
    a, b = gluon.ParameterDict(), gluon.ParameterDict()
    a._params["x"] = gluon.Parameter("x")
    b._params["x"] = gluon.Parameter("x")
    with pytest.raises(ValueError, match="different Parameters with the same name 'x'"):
        a.update(b)
    c = pd.get_constant("const", [1.0, 2.0])
    assert isinstance(c, gluon.Constant) and pd.get_constant("const") is c
    with pytest.raises(ValueError, match="No constant named"):
        pd.get_constant("missing")


# ------------------------------------------------------------------------------------------
# Blocks and layers
# ------------------------------------------------------------------------------------------

def test_dense_deferred_init_infers_in_units_at_first_forward(rng):
    net = nn.Sequential()
    net.add(nn.Dense(8, activation="relu"), nn.Dense(3))
    net.initialize()
    assert net[0].weight.shape == (8, 0)
    with pytest.raises(DeferredInitializationError, match="initialization was deferred") as e:
        net[0].weight.data()
    assert isinstance(e.value, MXNetError)
    x = rng.normal(size=(4, 5)).astype(np.float32)
    y = net(nd.array(x))
    assert net[0].weight.shape == (8, 5) and net[1].weight.shape == (3, 8)
    w1, b1 = net[0].weight.data().asnumpy(), net[0].bias.data().asnumpy()
    w2, b2 = net[1].weight.data().asnumpy(), net[1].bias.data().asnumpy()
    assert np.abs(w1).max() <= 0.07 and np.abs(w1).max() > 0.01  # Uniform(0.07), MXNet's default
    np.testing.assert_array_equal(b1, np.zeros(8))  # Dense biases start at zero
    expected = np.maximum(x @ w1.T + b1, 0) @ w2.T + b2
    np.testing.assert_allclose(y.asnumpy(), expected, rtol=1e-5, atol=1e-6)


def test_dense_flatten_false_and_no_bias(rng):
    layer = nn.Dense(4, flatten=False, use_bias=False, weight_initializer=init.Constant(0.5))
    layer.initialize()
    x = rng.normal(size=(2, 3, 5)).astype(np.float32)
    y = layer(nd.array(x))
    assert y.shape == (2, 3, 4) and layer.weight.shape == (4, 5) and layer.bias is None
    np.testing.assert_allclose(y.asnumpy(), x @ np.full((5, 4), 0.5), rtol=1e-5)
    flat = nn.Dense(4, weight_initializer=init.One())
    flat.initialize()
    assert flat(nd.array(x)).shape == (2, 4) and flat.weight.shape == (4, 15)


def test_dense_wrong_input_shape_names_the_parameter_and_changes_nothing():
    layer = nn.Dense(3, in_units=4, weight_initializer=init.One())
    layer.initialize()
    before = layer.weight.data().asnumpy().copy()
    with pytest.raises(ValueError) as e:
        layer(nd.ones((2, 5)))
    assert isinstance(e.value, MXNetError)
    msg = str(e.value)
    assert layer.weight.name in msg and "(2, 5)" in msg and "(3, 4)" in msg, msg
    np.testing.assert_array_equal(layer.weight.data().asnumpy(), before)
    assert layer(nd.ones((2, 4))).shape == (2, 3)


def test_forward_before_initialize_names_the_parameter():
    net = nn.Sequential()
    net.add(nn.Dense(2))
    with pytest.raises(RuntimeError, match="Parameter '%s' has not been initialized" % net[0].weight.name):
        net(nd.ones((1, 3)))


def test_custom_block_registers_children_and_parameters():
    class MyDense(nn.Block):
        def __init__(self, units, in_units, **kwargs):
            super(MyDense, self).__init__(**kwargs)
            self.weight = self.params.get("weight", shape=(in_units, units))
            self.bias = self.params.get("bias", shape=(units,))

        def forward(self, x):
            return nd.relu(nd.dot(x, self.weight.data()) + self.bias.data())

    class Net(nn.Block):
        def __init__(self, **kwargs):
            super(Net, self).__init__(**kwargs)
            with self.name_scope():
                self.first = MyDense(3, in_units=2)
                self.second = nn.Dense(1, in_units=3)

        def forward(self, x):
            return self.second(self.first(x))

    net = Net()
    names = list(net.collect_params().keys())
    prefix = net.prefix
    assert names == [prefix + "mydense0_weight", prefix + "mydense0_bias",
                     prefix + "dense0_weight", prefix + "dense0_bias"]
    assert list(net._collect_params_with_prefix()) == ["first.weight", "first.bias",
                                                       "second.weight", "second.bias"]
    net.initialize(init.One())  # MyDense's params have no own init: One for weight and bias
    np.testing.assert_array_equal(net.first.bias.data().asnumpy(), np.ones(3))
    np.testing.assert_array_equal(net.second.bias.data().asnumpy(), np.zeros(1))  # Dense: zeros
    np.testing.assert_allclose(net(nd.ones((1, 2))).asnumpy(), [[9.0]])
    seen = []
    net.apply(lambda b: seen.append(type(b).__name__))
    assert seen == ["MyDense", "Dense", "Net"]
    with pytest.raises(TypeError, match="Changing attribute type"):
        net.first = 3


def test_hybrid_block_receives_parameters_as_keyword_arrays():
    class Scale(nn.HybridBlock):
        def __init__(self, **kwargs):
            super(Scale, self).__init__(**kwargs)
            with self.name_scope():
                self.scale = self.params.get("scale", shape=(1,), init=init.Constant(3.0))

        def hybrid_forward(self, F, x, scale):
            assert F is nd
            return F.broadcast_mul(x, scale)

    block = Scale()
    block.initialize()
    block.hybridize()  # accepted, no effect
    np.testing.assert_allclose(block(nd.array([1.0, 2.0])).asnumpy(), [3.0, 6.0])


def test_custom_hybrid_block_with_unknown_shapes_needs_infer_shape():
    class Deferred(nn.HybridBlock):
        def __init__(self, **kwargs):
            super(Deferred, self).__init__(**kwargs)
            self.w = self.params.get("w", shape=(0,), allow_deferred_init=True, init=init.One())

        def hybrid_forward(self, F, x, w):
            return x * w

    block = Deferred()
    block.initialize()
    with pytest.raises(DeferredInitializationError, match="infer_shape"):
        block(nd.ones((2, 3)))

    class Inferred(Deferred):
        def infer_shape(self, x):
            self.w.shape = (x.shape[-1],)

    block = Inferred()
    block.initialize()
    np.testing.assert_array_equal(block(nd.ones((2, 3))).asnumpy(), np.ones((2, 3)))
    assert block.w.shape == (3,)


def test_sequential_indexing_slicing_and_nesting():
    inner = nn.Sequential()
    inner.add(nn.Dense(4, in_units=3), nn.Dense(5, in_units=4))
    net = nn.HybridSequential()
    net.add(nn.Dense(3, in_units=2), nn.Dense(3, in_units=3))
    outer = nn.Sequential()
    outer.add(net, inner, nn.Dense(1, in_units=5))
    assert len(outer) == 3 and outer[1] is inner and outer[-1] is outer[2]
    part = outer[:2]
    assert isinstance(part, nn.Sequential) and len(part) == 2 and part[0] is net
    outer.initialize(init.Constant(0.1))
    x = nd.ones((2, 2))
    np.testing.assert_allclose(outer(x).asnumpy(), part(x).asnumpy() @ np.full((5, 1), 0.1), rtol=1e-5)
    assert len(outer.collect_params()) == 2 * 5


def test_shared_parameters_get_the_sum_of_their_gradients():
    shared = nn.Dense(2, in_units=2, use_bias=False, weight_initializer=init.One())
    net = nn.Sequential()
    net.add(shared, nn.Dense(2, in_units=2, use_bias=False, params=shared.params))
    assert net[0].weight is net[1].weight
    assert len(net.collect_params()) == 1
    net.initialize()
    x = nd.array([[1.0, 2.0]])
    with autograd.record():
        y = net(x).sum()
    y.backward()
    # y = sum(W W x) with W = ones: dy/dW = outer(1 W, x) + outer(1, W x)... numerically:
    w = np.ones((2, 2))
    xv = np.array([1.0, 2.0])
    expected = np.outer(w.T @ np.ones(2), xv) + np.outer(np.ones(2), w @ xv)
    np.testing.assert_allclose(net[0].weight.grad().asnumpy(), expected)


def test_dropout_is_active_only_when_training(rng):
    drop = nn.Dropout(0.5)
    x = nd.ones((200, 100))
    np.testing.assert_array_equal(drop(x).asnumpy(), np.ones((200, 100)))  # predicting
    with autograd.record():
        y = drop(x).asnumpy()
    zeros = (y == 0).mean()
    assert 0.45 < zeros < 0.55, zeros
    np.testing.assert_allclose(np.unique(y), [0.0, 2.0])  # kept ones are scaled by 1/(1-p)
    with autograd.record(train_mode=False):
        np.testing.assert_array_equal(drop(x).asnumpy(), np.ones((200, 100)))
    np.testing.assert_array_equal(nn.Dropout(0.0)(x).asnumpy(), np.ones((200, 100)))
    with pytest.raises(ValueError):
        nn.Dropout(1.5)


def test_activation_leaky_relu_flatten_and_lambdas():
    x = nd.array([[-2.0, -0.5], [0.5, 3.0]])
    xv = x.asnumpy()
    np.testing.assert_allclose(nn.Activation("relu")(x).asnumpy(), np.maximum(xv, 0))
    np.testing.assert_allclose(nn.Activation("tanh")(x).asnumpy(), np.tanh(xv), rtol=1e-6)
    np.testing.assert_allclose(nn.LeakyReLU(0.1)(x).asnumpy(), np.where(xv > 0, xv, 0.1 * xv), rtol=1e-6)
    assert nn.Flatten()(nd.ones((2, 3, 4))).shape == (2, 12)
    np.testing.assert_allclose(nn.Lambda("tanh")(x).asnumpy(), np.tanh(xv), rtol=1e-6)
    np.testing.assert_allclose(nn.Lambda(lambda v: v * 2)(x).asnumpy(), xv * 2)
    np.testing.assert_allclose(nn.HybridLambda("relu")(x).asnumpy(), np.maximum(xv, 0))
    np.testing.assert_allclose(nn.HybridLambda(lambda F, v: F.sigmoid(v))(x).asnumpy(),
                               1 / (1 + np.exp(-xv)), rtol=1e-6)
    with pytest.raises(ValueError, match="not found in ndarray"):
        nn.Lambda("no_such_function")


def test_embedding_looks_up_rows_and_sends_gradients_to_them():
    emb = nn.Embedding(5, 3, weight_initializer=init.Constant(nd.arange(15).reshape((5, 3))))
    emb.initialize()
    idx = nd.array([[0, 4], [4, 2]])
    with autograd.record():
        y = emb(idx)
    assert y.shape == (2, 2, 3)
    np.testing.assert_array_equal(y.asnumpy()[0, 1], [12, 13, 14])
    y.backward()
    counts = np.array([1, 0, 1, 0, 2], dtype=np.float32)[:, None] * np.ones((1, 3))
    np.testing.assert_array_equal(emb.weight.grad().asnumpy(), counts)


def test_cast_changes_parameter_dtype():
    net = nn.Dense(2, in_units=3, weight_initializer=init.One())
    net.initialize()
    net.cast("float64")
    assert net.weight.data().dtype == np.float64 and net.weight.dtype == "float64"
    assert net(nd.ones((1, 3), dtype="float64")).dtype == np.float64


def test_block_without_super_init_gets_a_clear_error():
    class Broken(nn.Block):
        def __init__(self):
            self.layer = nn.Dense(2)

    with pytest.raises(MXNetError, match="call Block.__init__"):
        Broken()


# ------------------------------------------------------------------------------------------
# Initializers
# ------------------------------------------------------------------------------------------

def test_initializers_fill_as_mxnet():
    def filled(initializer, shape, name="w_weight"):
        a = nd.zeros(shape)
        initializer(init.InitDesc(name), a)
        return a.asnumpy()

    np.testing.assert_array_equal(filled(init.Zero(), (2, 2)), np.zeros((2, 2)))
    np.testing.assert_array_equal(filled(init.One(), (2, 2)), np.ones((2, 2)))
    np.testing.assert_array_equal(filled(init.Constant(0.3), (3,)), np.full(3, 0.3, np.float32))
    u = filled(init.Uniform(0.5), (200, 100))
    assert u.min() >= -0.5 and u.max() <= 0.5 and abs(u.mean()) < 0.01 and u.std() > 0.27
    n = filled(init.Normal(2.0), (200, 100))
    assert abs(n.std() - 2.0) < 0.05 and abs(n.mean()) < 0.05
    x = filled(init.Xavier(), (300, 100))  # uniform, avg of fans: scale sqrt(3 / 200)
    scale = np.sqrt(3 / 200)
    assert x.max() <= scale and x.min() >= -scale and x.max() > 0.95 * scale
    g = filled(init.Xavier(rnd_type="gaussian", factor_type="in", magnitude=2), (300, 100))
    assert abs(g.std() - np.sqrt(2 / 100)) < 0.005
    m = filled(init.MSRAPrelu(slope=0.0), (300, 100))  # He: magnitude 2, gaussian, avg
    assert abs(m.std() - np.sqrt(2 / 200)) < 0.005
    with pytest.raises(ValueError, match="at least 2D"):
        filled(init.Xavier(), (5,))


def test_initializer_dispatches_on_the_name_suffix():
    class Marked(init.Initializer):
        def _init_weight(self, name, arr):
            arr[:] = 5.0

    m = Marked()
    for name, value in (("dense0_weight", 5.0), ("dense0_bias", 0.0), ("bn_gamma", 1.0),
                        ("bn_beta", 0.0), ("bn_running_var", 1.0), ("bn_moving_mean", 0.0)):
        a = nd.ones((2,)) * 9
        m(init.InitDesc(name), a)
        np.testing.assert_array_equal(a.asnumpy(), [value, value], err_msg=name)
    with pytest.raises(ValueError, match="Unknown initialization pattern for mystery"):
        m(init.InitDesc("mystery"), nd.ones((2,)))
    assert isinstance(init.create("zeros"), init.Zero)
    assert init.create(init.Xavier().dumps()) == init.Xavier()
    with pytest.raises(ValueError, match="Cannot find initializer"):
        init.create("nope")


def test_custom_initializer_sees_parameter_names_and_parameter_init_wins(capsys):
    class Printing(init.Initializer):
        def _init_weight(self, name, data):
            print("Init", name, data.shape)
            data[:] = 2.0

    net = nn.Sequential()
    net.add(nn.Dense(3, in_units=2), nn.Dense(1, in_units=3, weight_initializer=init.Constant(-1.0)))
    net.initialize(Printing())
    out = capsys.readouterr().out
    assert out == "Init %s (3, 2)\n" % net[0].weight.name  # the bias has 'zeros', net[1] its own
    np.testing.assert_array_equal(net[1].weight.data().asnumpy(), -np.ones((1, 3)))
    np.testing.assert_array_equal(net[0].weight.data().asnumpy(), 2 * np.ones((3, 2)))


def test_random_initializers_follow_the_seed():
    def draw():
        mx.random.seed(42)
        layer = nn.Dense(4, in_units=3)
        layer.initialize(init.Normal(1.0))
        return layer.weight.data().asnumpy()

    np.testing.assert_array_equal(draw(), draw())


# ------------------------------------------------------------------------------------------
# save / load
# ------------------------------------------------------------------------------------------

def _small_net(w0=0.25, w1=-0.5, b1=0.125):
    net = nn.Sequential()
    net.add(nn.Dense(3, activation="relu", weight_initializer=init.Constant(w0), in_units=4),
            nn.Dense(2, weight_initializer=init.Constant(w1), bias_initializer=init.Constant(b1),
                     in_units=3))
    return net


def test_save_parameters_writes_mxnet_bytes_and_loads_mxnet_files(tmp_path):
    import json
    numbers = json.loads((FIXTURES / "mxnet_numbers.json").read_text())["params_file"]
    net = _small_net()
    net.initialize()
    net.save_parameters(str(tmp_path / "ours.params"))
    assert (tmp_path / "ours.params").read_bytes() == (FIXTURES / "mlp_mxnet.params").read_bytes()
    fresh = _small_net(0.0, 0.0, 0.0)
    fresh.load_parameters(str(FIXTURES / "mlp_mxnet.params"))
    y = fresh(nd.array(numbers["input"]))
    np.testing.assert_allclose(y.asnumpy(), numbers["output"], rtol=1e-6)
    assert list(nd.load(str(tmp_path / "ours.params")).keys()) == numbers["names"]


def test_load_parameters_before_initialize_and_round_trip(tmp_path, rng):
    net = nn.Sequential()
    with net.name_scope():
        net.add(nn.Dense(5, activation="relu"), nn.Dense(2))
    net.initialize()
    x = nd.array(rng.normal(size=(3, 4)))
    y = net(x)
    path = str(tmp_path / "mlp.params")
    net.save_parameters(path)
    clone = nn.Sequential()
    clone.add(nn.Dense(5, activation="relu"), nn.Dense(2))
    clone.load_parameters(path)  # no initialize() needed
    np.testing.assert_array_equal(clone(x).asnumpy(), y.asnumpy())
    # full names (ParameterDict.save / save_params) load too
    full = str(tmp_path / "full.params")
    net.collect_params().save(full, strip_prefix=net.prefix)
    other = nn.Sequential(prefix=net.prefix)
    with other.name_scope():
        other.add(nn.Dense(5, activation="relu"), nn.Dense(2))
    other.load_parameters(full)
    np.testing.assert_array_equal(other(x).asnumpy(), y.asnumpy())


def test_load_parameters_errors_leave_parameters_untouched(tmp_path):
    net = _small_net()
    net.initialize()
    path = str(tmp_path / "small.params")
    net.save_parameters(path)
    bigger = _small_net(1.0, 1.0, 1.0)
    bigger.add(nn.Dense(1, in_units=2, weight_initializer=init.One()))
    bigger.initialize()
    with pytest.raises(ValueError, match="Parameter '2.weight' is missing in file") as e:
        bigger.load_parameters(path)
    assert isinstance(e.value, MXNetError)
    np.testing.assert_array_equal(bigger[0].weight.data().asnumpy(), np.ones((3, 4)))  # untouched
    bigger.load_parameters(path, allow_missing=True)
    np.testing.assert_array_equal(bigger[0].weight.data().asnumpy(), np.full((3, 4), 0.25))
    smaller = nn.Sequential()
    smaller.add(nn.Dense(3, activation="relu", in_units=4))
    smaller.initialize(init.One())
    with pytest.raises(ValueError, match="Parameter '1.weight' loaded from file .* is not present"):
        smaller.load_parameters(path)
    smaller.load_parameters(path, ignore_extra=True)
    np.testing.assert_array_equal(smaller[0].weight.data().asnumpy(), np.full((3, 4), 0.25))
    wrong = nn.Sequential()
    wrong.add(nn.Dense(3, in_units=5, weight_initializer=init.One()),
              nn.Dense(2, in_units=3, weight_initializer=init.One()))
    wrong.initialize()
    with pytest.raises(ValueError, match="shape incompatible expected \\(3, 5\\) vs saved \\(3, 4\\)"):
        wrong.load_parameters(path)
    np.testing.assert_array_equal(wrong[1].weight.data().asnumpy(), np.ones((2, 3)))  # nothing loaded


def test_load_parameters_cast_dtype(tmp_path):
    net = _small_net()
    net.initialize()
    path = str(tmp_path / "f32.params")
    net.save_parameters(path)
    net64 = _small_net()
    net64.cast("float64")
    net64.initialize()
    with pytest.raises(TypeError, match="dtype incompatible.*cast_dtype=True"):
        net64.load_parameters(path)
    net64.load_parameters(path, cast_dtype=True)
    assert net64[0].weight.data().dtype == np.float64
    net64.load_parameters(path, cast_dtype=True, dtype_source="saved")
    assert net64[0].weight.data().dtype == np.float32


# ------------------------------------------------------------------------------------------
# Contexts
# ------------------------------------------------------------------------------------------

def test_gpu_context_exists_but_holds_no_arrays():
    g = mx.gpu()
    assert repr(g) == "gpu(0)" and str(mx.gpu(1)) == "gpu(1)"
    assert g == mx.gpu(0) and g != mx.gpu(1) and g != mx.cpu() and hash(g) == hash(mx.gpu(0))
    assert mx.num_gpus() == 0 and mx.context.num_gpus() == 0
    assert len(mx.test_utils.list_gpus()) == 0
    x = nd.ones((2,))
    for attempt in (lambda: nd.zeros((1,), ctx=g), lambda: nd.array([1.0], ctx=g),
                    lambda: x.as_in_context(g), lambda: x.copyto(g),
                    lambda: nn.Dense(2, in_units=2).initialize(ctx=g)):
        with pytest.raises(MXNetError, match="gpu"):
            attempt()
    with pytest.raises(MXNetError):
        with g:
            pass
    assert x.as_in_context(mx.cpu()).asnumpy().tolist() == [1.0, 1.0]
    y = nd.zeros((2,))
    x.copyto(y)
    assert y.asnumpy().tolist() == [1.0, 1.0]


def test_dense_in_float64_summary_and_forward_hooks(capsys):
    net = nn.Sequential()
    net.add(nn.Dense(4, in_units=3, dtype="float64", activation="tanh"), nn.Dense(2, dtype="float64"))
    net.initialize(init.One())
    assert net[0].weight.data().dtype == np.float64
    seen = []
    handle = net[1].register_forward_hook(lambda block, inputs, out: seen.append(out.shape))
    x = nd.ones((5, 3), dtype="float64")
    y = net(x)
    assert y.dtype == np.float64 and seen == [(5, 2)]
    handle.detach()
    net.summary(x)  # its layout is compared with MXNet's in api_prints.md
    assert seen == [(5, 2)]  # the hook is gone
    out = capsys.readouterr().out
    assert "Dense-2" in out and "(5, 4)" in out and "Dense-3" in out and "(5, 2)" in out
    assert "Unique parameters in model: %d" % (3 * 4 + 4 + 4 * 2 + 2) in out
