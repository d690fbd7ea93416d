"""The gluon data chapters (tests/chapters/softmax_regression_gluon.md and mlp_gluon.md) run
under ``python -m ferrograd run`` on a small generated Fashion-MNIST in the real file format,
in an MXNET_HOME prepared so that nothing is downloaded; what they print is compared with what
MXNet 1.9.1 prints for the same chapter and data (tests/fixtures/gluon_data/chapters/, recorded
by record_chapters.py there)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import gluon_data_util as util

TESTS = Path(__file__).resolve().parent
CHAPTERS = TESTS / "chapters"
RECORDED = TESTS / "fixtures" / "gluon_data" / "chapters"
EPOCH = re.compile(r"^epoch (\d+), loss ([\d.]+), train acc ([\d.]+), test acc ([\d.]+)$")


@pytest.fixture(scope="module")
def mxnet_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("mxnet_home")
    util.write_dataset(str(home / "datasets" / "fashion-mnist"), **util.CHAPTER_DATA)
    return home


def run_chapter(name, home):
    env = dict(os.environ, MXNET_HOME=str(home), FERROGRAD_TRUST_LOCAL_DATASETS="1",
               # Should anything try to download, it fails at once instead of reaching out.
               MXNET_GLUON_REPO="http://127.0.0.1:9/", PYTHONDONTWRITEBYTECODE="1")
    proc = subprocess.run([sys.executable, "-m", "ferrograd", "run", str(CHAPTERS / name)],
                          capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, "%s failed:\n%s\n%s" % (name, proc.stdout[-3000:],
                                                         proc.stderr[-3000:])
    assert "Downloading" not in proc.stdout
    return proc.stdout.splitlines()


def recorded(name):
    return (RECORDED / (name[:-3] + ".mxnet.txt")).read_text().splitlines()


def epochs(lines):
    return [tuple(float(v) for v in m.groups()) for m in map(EPOCH.match, lines) if m]


def test_softmax_regression_prints_what_mxnet_prints(mxnet_home):
    """Zero initial weights and NumPy's seeded shuffle make the run deterministic: the same
    data, the same order, the same arithmetic as MXNet, so every printed line matches, the
    losses and accuracies included. The epoch lines may differ in the last printed digit: the
    chapter sums ``asscalar()`` values (NumPy float32 scalars) into ``0.0``, which NumPy 1.x
    (MXNet's) promotes to float64 and NumPy 2 keeps in float32, so 5187 / 6000 prints 0.865
    there and 0.864 here."""
    ours, theirs = run_chapter("softmax_regression_gluon.md", mxnet_home), \
        recorded("softmax_regression_gluon.md")
    assert len(ours) == len(theirs)
    for mine, mx in zip(ours, theirs):
        if EPOCH.match(mx):
            a, b = epochs([mine]), epochs([mx])
            assert a and all(abs(x - y) <= 1.5e-3 for x, y in zip(a[0], b[0])), (mine, mx)
        else:
            assert mine == mx
    # and the model learned: the loss falls every epoch, the test accuracy is near the
    # ceiling the data's 15% relabelled images allow
    numbers = epochs(ours)
    assert [e[0] for e in numbers] == [1, 2, 3, 4, 5]
    losses = [e[1] for e in numbers]
    assert all(b < a for a, b in zip(losses, losses[1:])) and losses[-1] < 0.75
    assert numbers[-1][3] > 0.85
    assert ours[ours.index("accuracy 0.0950") - 1] == "loss 2.3026 (log 10 = 2.3026)"


def test_mlp_prints_what_mxnet_prints_and_learns_as_well(mxnet_home):
    """Random initial weights come from ferrograd's generator, whose streams differ from
    MXNet's: every line but the epoch lines matches exactly; the epoch lines end close to
    MXNet's."""
    ours, theirs = run_chapter("mlp_gluon.md", mxnet_home), recorded("mlp_gluon.md")
    assert len(ours) == len(theirs)
    assert [l for l in ours if not EPOCH.match(l)] == [l for l in theirs if not EPOCH.match(l)]
    mine, mx = epochs(ours), epochs(theirs)
    assert [e[0] for e in mine] == [1, 2, 3, 4, 5]
    assert mine[-1][1] < 0.8 and mine[-1][1] == pytest.approx(mx[-1][1], abs=0.05)
    assert mine[-1][3] > 0.85 and mine[-1][3] == pytest.approx(mx[-1][3], abs=0.02)
    assert mine[-1][1] < mine[0][1]
