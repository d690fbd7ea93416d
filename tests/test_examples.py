"""The scripts in examples/: each runs as a learner would run it (a subprocess with
sys.executable and a timeout) and prints what it claims; the training scripts also reach the
bounds stated in their docstrings, and reproduce their printed numbers when their main() is
imported and called."""

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import require

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TIMEOUT = 120
FLOAT = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"

SCRIPTS = ["control_flow_vector.py", "second_derivatives.py", "second_price_auction.py",
           "plot_sin.py", "linear_regression.py", "softmax_regression.py", "mlp_dropout.py",
           "fashion_mnist_mlp.py"]  # run by tests/test_fashion_example.py


def run_script(name, *args, cwd=None, code=None):
    """Runs examples/NAME (or ``python -c code``) and returns its stdout; fails on a non-zero
    exit status."""
    cmd = [sys.executable, "-c", code] if code else [sys.executable, str(EXAMPLES / name)]
    proc = subprocess.run(cmd + list(args), cwd=cwd, capture_output=True, text=True,
                          timeout=TIMEOUT, env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
    assert proc.returncode == 0, "%s exited with %d:\n%s\n%s" % (
        name, proc.returncode, proc.stdout[-3000:], proc.stderr[-3000:])
    return proc.stdout


def numbers(pattern, text):
    """All floats captured by the first group of ``pattern`` in ``text``."""
    found = [float(m) for m in re.findall(pattern, text)]
    assert found, "no match for %r in:\n%s" % (pattern, text)
    return found


def load(name):
    """Imports examples/NAME as a module (without running its __main__ block)."""
    spec = importlib.util.spec_from_file_location("example_" + name[:-3], EXAMPLES / name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", SCRIPTS)
def test_script_is_documented_and_listed(name):
    source = (EXAMPLES / name).read_text()
    assert source.lstrip().startswith('"""'), "%s has no module docstring" % name
    assert 'if __name__ == "__main__":' in source
    assert "from ferrograd import autograd, nd" in source
    assert "`%s`" % name in (EXAMPLES / "README.md").read_text()


def test_every_example_is_tested():
    assert sorted(p.name for p in EXAMPLES.glob("*.py")) == sorted(SCRIPTS)


# --- autograd chapter exercises -------------------------------------------------------------

def test_control_flow_vector():
    out = run_script("control_flow_vector.py")
    assert "d = f(a) has shape (5,)" in out and "d = f(a) has shape (3, 4)" in out
    # a.grad == d / a for the vector, the matrix and the negative (else-branch) vector
    diffs = numbers(r"max relative difference between a\.grad and d / a: (%s)" % FLOAT, out)
    assert len(diffs) == 3 and max(diffs) < 1e-6
    assert out.count("d.sum().backward() agree: True") == 3
    assert "branch taken: c = 100 * b" in out and "branch taken: c = b)" in out
    # Newton's square root: value and gradient both converge
    newton = re.search(r"max relative error: value (%s), gradient (%s)" % (FLOAT, FLOAT), out)
    value_err, grad_err = map(float, newton.groups())
    assert value_err < 1e-5 and grad_err < 1e-5
    table = re.findall(r"^\s+(\d)\s+(%s)\s+(%s)$" % (FLOAT, FLOAT), out, re.M)
    assert [int(r[0]) for r in table] == list(range(1, 8))
    # one iteration: y = (1 + x) / 2, dy/dx = 0.5 vs 1/(2 sqrt 2): relative error sqrt(2) - 1
    assert float(table[0][2]) == pytest.approx(2 ** 0.5 - 1, rel=1e-3)
    assert all(float(r[2]) < 1e-6 for r in table[3:])


def test_control_flow_vector_main():
    res = load("control_flow_vector.py").main()
    for case in ("vector", "matrix"):
        assert res[case]["all_equal"] and res[case]["heads_agree"]
    assert res["negative vector"]["max_rel_diff"] < 1e-6


def test_second_derivatives():
    out = run_script("second_derivatives.py")
    for name in ("sin(x)", "x**3", "tanh(x)", "exp(x)"):
        row = re.search(r"^%s\s+(%s)\s+(%s)$" % (re.escape(name), FLOAT, FLOAT), out, re.M)
        assert row, "no error row for %s" % name
        first_err, second_err = map(float, row.groups())
        assert first_err < 1e-5 and second_err < 1e-5, name
    at_one = re.findall(r"f''\(1\) = (%s)\s+analytic (%s)" % (FLOAT, FLOAT), out)
    assert len(at_one) == 4
    for got, want in at_one:
        assert float(got) == pytest.approx(float(want), abs=1e-5)
    assert "roughly doubling it" in out


def test_second_derivatives_values():
    module = load("second_derivatives.py")
    from ferrograd import nd
    first, second = module.second_derivative(lambda x: x ** 3, nd.array([-2.0, 0.5, 3.0]))
    assert first.tolist() == [12.0, 0.75, 27.0]
    assert second.tolist() == [-12.0, 3.0, 18.0]


def test_second_price_auction():
    out = run_script("second_price_auction.py")
    assert numbers(r"d price / d winner's own bid\s+= (%s)" % FLOAT, out) == [0.0]
    assert numbers(r"d price / d runner-up's bid\s+= (%s)" % FLOAT, out) == [1.0]
    assert "pays the second-highest bid: 5.20" in out
    res = load("second_price_auction.py").main()
    expected = [0.0] * 5
    expected[res["runner_up"]] = 1.0
    assert res["grad"].tolist() == expected and res["grad_sort"].tolist() == expected
    assert res["grad"][res["winner"]] == 0.0
    for bid, won, price, utility, own_grad in res["sweep"]:
        if won:  # the price is flat in the winner's own bid
            assert price == pytest.approx(5.2) and own_grad == 0.0
    # GSP: each slot's payment is the next bid down; gradient 1 there, 0 elsewhere
    order, jac = res["gsp_order"], res["gsp_jacobian"]
    for slot in range(3):
        row = [0.0] * 5
        row[order[slot + 1]] = 1.0
        assert jac[slot].tolist() == row
        assert jac[slot][order[slot]] == 0.0


def has_matplotlib():
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def require_matplotlib():
    # The README's test command installs it (the `test` extra); the path without it is
    # tested below, with the import blocked.
    require(has_matplotlib(), "matplotlib (python -m pip install '.[test]')")


def test_plot_sin(tmp_path):
    require_matplotlib()
    png = tmp_path / "out.png"
    out = run_script("plot_sin.py", str(png))
    assert numbers(r"max \|autograd f'\(x\) - cos\(x\)\| = (%s)" % FLOAT, out)[0] < 1e-6
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000
    assert "saved the plot to %s" % png in out


def test_plot_sin_default_path(tmp_path):
    require_matplotlib()
    run_script("plot_sin.py", cwd=tmp_path)
    assert (tmp_path / "sin_and_derivative.png").read_bytes()[:4] == b"\x89PNG"


def test_plot_sin_without_matplotlib(tmp_path):
    # sys.modules[name] = None makes `import matplotlib` raise ImportError
    code = ("import runpy, sys; sys.modules['matplotlib'] = None; "
            "sys.argv = [%r, 'x.png']; runpy.run_path(%r, run_name='__main__')"
            % (str(EXAMPLES / "plot_sin.py"), str(EXAMPLES / "plot_sin.py")))
    out = run_script("plot_sin.py", cwd=tmp_path, code=code)
    assert "pip install matplotlib" in out and "pip install ferrograd[plot]" in out
    assert numbers(r"max \|autograd f'\(x\) - cos\(x\)\| = (%s)" % FLOAT, out)[0] < 1e-6
    assert not (tmp_path / "x.png").exists()


# --- training from scratch ------------------------------------------------------------------

def test_linear_regression():
    out = run_script("linear_regression.py")
    module = load("linear_regression.py")
    losses = [float(m) for m in re.findall(r"^epoch \d+, loss (%s)$" % FLOAT, out, re.M)]
    assert len(losses) == 3 and losses[-1] < module.LOSS_BOUND and losses[-1] < losses[0]
    res = module.main()
    assert res["final_loss"] < module.LOSS_BOUND
    assert all(abs(e) < module.PARAM_ERROR_BOUND for e in res["w_error"])
    assert abs(res["b_error"]) < module.PARAM_ERROR_BOUND
    # seeded: the imported run reproduces the script's printed numbers
    assert ["%f" % v for v in res["losses"]] == ["%f" % v for v in losses]


def test_softmax_regression():
    out = run_script("softmax_regression.py")
    module = load("softmax_regression.py")
    rows = re.findall(r"^epoch \d+, loss (%s), train acc (%s), test acc (%s)$"
                      % (FLOAT, FLOAT, FLOAT), out, re.M)
    assert len(rows) == 10
    assert float(rows[-1][0]) < module.LOSS_BOUND < float(rows[0][0])
    final = re.search(r"final train accuracy (%s), test accuracy (%s)" % (FLOAT, FLOAT), out)
    assert float(final.group(1)) > module.TRAIN_ACC_BOUND
    assert float(final.group(2)) > module.TEST_ACC_BOUND
    res = module.main()
    assert res["final_loss"] < module.LOSS_BOUND
    assert res["train_acc"] > module.TRAIN_ACC_BOUND and res["test_acc"] > module.TEST_ACC_BOUND
    assert "%.3f" % res["train_acc"] == final.group(1)
    assert "%.3f" % res["test_acc"] == final.group(2)


def test_mlp_dropout():
    out = run_script("mlp_dropout.py")
    module = load("mlp_dropout.py")
    rows = re.findall(r"^epoch \d+, loss (%s), train acc (%s), test acc (%s)$"
                      % (FLOAT, FLOAT, FLOAT), out, re.M)
    assert len(rows) == 15
    assert float(rows[-1][0]) < module.LOSS_BOUND < float(rows[0][0])
    assert "two passes over the same batch agree: True" in out
    assert "two passes over the same batch differ: True" in out
    final = re.search(r"final MLP train accuracy (%s), test accuracy (%s)" % (FLOAT, FLOAT), out)
    assert float(final.group(1)) > module.TRAIN_ACC_BOUND
    assert float(final.group(2)) > module.TEST_ACC_BOUND
    res = module.main()
    assert res["final_loss"] < module.LOSS_BOUND
    assert res["train_acc"] > module.TRAIN_ACC_BOUND and res["test_acc"] > module.TEST_ACC_BOUND
    assert res["predict_deterministic"] and res["train_stochastic"]
    # the hidden layers matter: the data is not linearly separable
    assert res["test_acc"] > res["linear_test_acc"] + 0.1
    assert "%.3f" % res["test_acc"] == final.group(2)


def test_dropout_from_scratch():
    module = load("mlp_dropout.py")
    from ferrograd import nd
    X = nd.ones((200, 100))
    assert module.dropout(X, 0).asnumpy().tolist() == X.asnumpy().tolist()
    assert module.dropout(X, 1).asnumpy().sum() == 0
    Y = module.dropout(X, 0.5).asnumpy()
    assert set(Y.ravel().tolist()) == {0.0, 2.0}  # kept units are scaled by 1 / keep_prob
    assert abs(Y.mean() - 1.0) < 0.05  # the expectation is unchanged


# --- MXNet code the examples would have used, which ferrograd does not run yet ---------------

def test_ndarray_modulo_operator():
    from ferrograd import nd
    assert (nd.arange(5) % 3).asnumpy().tolist() == [0, 1, 2, 0, 1]
    assert (7 % nd.arange(1, 4)).asnumpy().tolist() == [0, 1, 1]
    assert (nd.array([-5.0]) % 3).asnumpy().tolist() == [1.0]  # the sign of the divisor, as Python


def test_ndarray_fluent_take():
    from ferrograd import nd
    features = nd.arange(6).reshape((3, 2))
    assert features.take(nd.array([2, 0])).asnumpy().tolist() == [[4, 5], [0, 1]]
    assert features.clip(1, 4).asnumpy().tolist() == [[1, 1], [2, 3], [4, 4]]
    assert features.topk(k=1).asnumpy().tolist() == [[1], [1], [1]]
    with pytest.raises(AttributeError):
        features.no_such_method
