"""examples/fashion_mnist_mlp.py: without network and without a local copy it says so in one
line and exits 0; with the files in $MXNET_HOME it trains and prints its epochs and final test
accuracy (here on a small generated Fashion-MNIST in the real format, so nothing is
downloaded)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import gluon_data_util as util

SCRIPT = Path(__file__).resolve().parent.parent / "examples" / "fashion_mnist_mlp.py"


def run(env_changes, *args):
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", **env_changes)
    env.pop("FERROGRAD_TRUST_LOCAL_DATASETS", None)
    env.update(env_changes)
    proc = subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True,
                          timeout=300, env=env)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout


def test_without_network_or_data_it_says_so_in_one_line(tmp_path):
    # a closed local port stands in for an unreachable repository
    out = run({"MXNET_HOME": str(tmp_path), "MXNET_GLUON_REPO": "http://127.0.0.1:9/"})
    lines = out.splitlines()
    assert len(lines) == 1, out
    assert lines[0].startswith("Fashion-MNIST is not in %s and cannot be downloaded (127.0.0.1:9 "
                               "unreachable" % (tmp_path / "datasets" / "fashion-mnist"))
    assert not any(tmp_path.glob("datasets/fashion-mnist/*"))


def test_with_the_files_in_mxnet_home_it_trains(tmp_path):
    util.write_dataset(str(tmp_path / "datasets" / "fashion-mnist"), **util.CHAPTER_DATA)
    out = run({"MXNET_HOME": str(tmp_path), "FERROGRAD_TRUST_LOCAL_DATASETS": "1",
               "MXNET_GLUON_REPO": "http://127.0.0.1:9/"}, "--epochs", "3", "--num-workers", "2")
    epochs = re.findall(r"^epoch (\d), loss ([\d.]+), train acc ([\d.]+), test acc ([\d.]+), "
                        r"[\d.]+ sec$", out, re.M)
    assert [int(e[0]) for e in epochs] == [1, 2, 3]
    losses = [float(e[1]) for e in epochs]
    assert losses[-1] < losses[0] and losses[-1] < 1.0
    final = float(re.search(r"^final test accuracy: ([\d.]+)$", out, re.M).group(1))
    assert final == float(epochs[-1][3]) and final > 0.8
    assert "Downloading" not in out
