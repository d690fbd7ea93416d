"""The D2L-style chapters under tests/chapters/ run under ``python -m ferrograd run`` and print
what MXNet 1.9.1 printed for the same cells (recorded by tools/mxnet_cells.py into
tests/fixtures/gluon/chapters/).

Two kinds of chapters:
- deterministic ones (fixed inputs, constant or counting initializers): every printed number
  is compared, within float32 rounding (rtol 1e-4);
- ones that train on random data (linear regression, weight decay and dropout): ferrograd's
  random streams differ from MXNet's (a documented difference), so the text is compared with
  numbers only required to be in the same places, and the numbers that matter (final loss,
  accuracy, learned parameters) are asserted here.
"""

import re
import shutil

import pytest

from gluon_helpers import CHAPTERS, FIXTURES, assert_same_output, run_chapter

DETERMINISTIC = ["custom_layers", "deferred_init", "model_construction", "parameters", "read_write"]
RANDOM = ["linear_regression_gluon", "dropout_weight_decay_gluon"]


def run_copy(name, tmp_path):
    """Runs a copy of the chapter in tmp_path (chapters write files, e.g. mlp.params)."""
    path = tmp_path / (name + ".md")
    shutil.copy(CHAPTERS / path.name, path)
    status, out, err = run_chapter(path)
    assert status == 0, err
    return out, (FIXTURES / "chapters" / (name + ".mxnet.txt")).read_text(encoding="utf-8")


def test_every_chapter_has_a_test_and_a_recorded_output():
    chapters = sorted(p.stem for p in CHAPTERS.glob("*.md"))
    mine = sorted(DETERMINISTIC + RANDOM)
    assert [c for c in mine if c not in chapters] == []
    for name in mine:
        assert (FIXTURES / "chapters" / (name + ".mxnet.txt")).exists(), name


@pytest.mark.parametrize("name", DETERMINISTIC)
def test_deterministic_chapter_prints_what_mxnet_printed(name, tmp_path):
    out, expected = run_copy(name, tmp_path)
    assert_same_output(expected, out, label=name)


def test_linear_regression_chapter(tmp_path):
    out, expected = run_copy("linear_regression_gluon", tmp_path)
    assert_same_output(expected, out, numbers=False, label="linear_regression_gluon")
    losses = [float(v) for v in re.findall(r"epoch \d, loss: ([0-9.]+)", out)]
    assert len(losses) == 3 and losses[-1] < 2e-4 and losses[0] > losses[-1], losses
    assert "error in w < 0.01: True ; error in b < 0.01: True" in out


def test_weight_decay_and_dropout_chapter(tmp_path):
    out, expected = run_copy("dropout_weight_decay_gluon", tmp_path)
    assert_same_output(expected, out, numbers=False, label="dropout_weight_decay_gluon")
    assert "weight decay lowers the test loss: True" in out
    assert "weight decay shrinks the weights: True" in out
    accs = [float(v) for v in re.findall(r"train acc ([0-9.]+)", out)]
    assert len(accs) == 5 and accs[-1] > 0.9, accs
    assert "accuracy above 0.9: True" in out
    # Dropout in training mode zeroes or doubles each of the 16 ones, whatever the stream.
    assert "\n[16.]\n<NDArray 1 @cpu(0)> Dropout(p = 0.5, axes=())\n" in out


def test_output_comparison_catches_differences():
    mx_text = "epoch 1, loss: 0.040467\n[[0.1216001 0.1216001]]\n<class 'mxnet.gluon.Block'>"
    # the same, with another wrapping, float32 rounding and ferrograd's module path
    assert_same_output(mx_text, "epoch 1, loss: 0.0404671\n[[0.12159966\n  0.12159966]]\n"
                                "<class 'ferrograd.gluon.Block'>")
    for wrong in ("epoch 1, loss: 0.050467\n[[0.1216001 0.1216001]]\n<class 'mxnet.gluon.Block'>",
                  "epoch 1, cost: 0.040467\n[[0.1216001 0.1216001]]\n<class 'mxnet.gluon.Block'>",
                  "epoch 1, loss: 0.040467\n[[0.1216001]]\n<class 'mxnet.gluon.Block'>"):
        with pytest.raises(AssertionError):
            assert_same_output(mx_text, wrong)
    assert_same_output(mx_text, mx_text.replace("0.040467", "0.9"), numbers=False)
