"""The runner's ``mxnet`` shim for gluon and the rest: ``mxnet.X.Y`` is ``ferrograd.X.Y`` by one
rule, nothing stays hooked afterwards, and the book's NumPy 1.x-era formatting of one-element
arrays keeps working under NumPy 2."""

import importlib
import io
import pkgutil
import sys
import textwrap

import numpy as np
import pytest

import ferrograd
from ferrograd import runner


def run_cells(tmp_path, *sources):
    text = "".join("```{.python .input}\n%s\n```\n\n" % textwrap.dedent(s).strip() for s in sources)
    path = tmp_path / "chapter.md"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    status = runner.run_file(path, stdout=out)
    return status, out.getvalue()


@pytest.fixture
def no_mxnet(monkeypatch):
    for k in [k for k in sys.modules if k == "mxnet" or k.startswith("mxnet.")]:
        monkeypatch.delitem(sys.modules, k)


def ferrograd_submodules():
    names = []
    for info in pkgutil.walk_packages(ferrograd.__path__, "ferrograd."):
        if info.name.split(".")[-1].startswith("_") or info.name.endswith("__main__"):
            continue
        names.append(info.name)
    return names


def test_every_ferrograd_module_is_importable_under_its_mxnet_name(tmp_path, no_mxnet):
    modules = ferrograd_submodules()
    for expected in ("ferrograd.gluon", "ferrograd.gluon.nn", "ferrograd.gluon.loss",
                     "ferrograd.gluon.trainer", "ferrograd.gluon.data", "ferrograd.gluon.utils",
                     "ferrograd.init", "ferrograd.optimizer", "ferrograd.test_utils",
                     "ferrograd.context", "ferrograd.nd.random"):
        assert expected in modules
    checks = "\n".join(
        "import %s; assert sys.modules[%r] is sys.modules[%r], %r" % (
            "mxnet" + name[len("ferrograd"):], "mxnet" + name[len("ferrograd"):], name, name)
        for name in modules if name != "ferrograd.runner")
    status, out = run_cells(tmp_path, "import sys\n" + checks + "\nprint('ok')")
    assert (status, out) == (0, "ok\n")


def test_book_import_forms_resolve(tmp_path, no_mxnet):
    status, out = run_cells(tmp_path, """
        import sys, ferrograd
        import mxnet as mx
        from mxnet import autograd, gluon, init, nd
        from mxnet.gluon import data as gdata, loss as gloss, nn
        from mxnet import initializer, optimizer
        from mxnet.gluon.nn import Dense
        import mxnet.ndarray.random
        print(gluon is ferrograd.gluon, nn is ferrograd.gluon.nn, gloss is ferrograd.gluon.loss)
        print(init is initializer is ferrograd.init, optimizer is ferrograd.optimizer)
        print(Dense is ferrograd.gluon.nn.Dense, mx.gluon.Trainer is ferrograd.gluon.Trainer)
        print(mx.init.Xavier is ferrograd.init.Xavier, mx.initializer is ferrograd.init)
        print(mx.gpu(), mx.context.num_gpus(), len(mx.test_utils.list_gpus()))
        print(mxnet.ndarray.random is ferrograd.nd.random, mx.image is sys.modules['ferrograd.image'])
    """)
    assert (status, out) == (0, "True True True\nTrue True\nTrue True\nTrue True\ngpu(0) 0 0\nTrue True\n")


def test_missing_modules_fail_with_import_error_and_nothing_stays_hooked(tmp_path, no_mxnet, capsys):
    meta_path = list(sys.meta_path)
    specs = {name: sys.modules[name].__spec__ for name in ("ferrograd.gluon", "ferrograd.init")}
    status, _ = run_cells(tmp_path, "import mxnet.gluon, mxnet.init", "import mxnet.symbol")
    assert status == 1
    assert "ModuleNotFoundError: No module named 'mxnet.symbol'" in capsys.readouterr().err
    assert sys.meta_path == meta_path
    assert [k for k in sys.modules if k == "mxnet" or k.startswith("mxnet.")] == []
    for name, spec in specs.items():  # the ferrograd modules keep their own identity
        assert sys.modules[name].__spec__ is spec and sys.modules[name].__spec__.name == name
    with pytest.raises(ImportError):
        importlib.import_module("mxnet.gluon")


def test_one_element_arrays_format_as_under_numpy_1_inside_a_run(tmp_path, no_mxnet):
    status, out = run_cells(tmp_path, """
        from mxnet import nd
        l = nd.array([0.25, 0.75])
        print('loss %f' % l.mean().asnumpy())
        print('epoch %d, loss %.3f, acc %.2f' % (1, l.sum().asnumpy(), nd.array([0.5]).asnumpy()))
        print(float(l.mean().asnumpy()), int(nd.array([3.7]).asnumpy()))
        a = l.mean().asnumpy()
        print(repr(a), type(a).__mro__[1].__name__, a.shape, (a * 2).tolist())
        print(type(l.asnumpy()).__name__)
        a
    """)
    assert status == 0
    assert out == ("loss 0.500000\nepoch 1, loss 1.000, acc 0.50\n0.5 3\n"
                   "array([0.5], dtype=float32) ndarray (1,) [1.0]\nndarray\n"
                   "array([0.5], dtype=float32)\n")
    # Outside a run, asnumpy is the engine's own again (NumPy 2 refuses the conversion).
    one = ferrograd.nd.array([0.5]).asnumpy()
    assert type(one) is np.ndarray
    if int(np.__version__.split(".")[0]) >= 2:
        with pytest.raises(TypeError):
            "%f" % one
